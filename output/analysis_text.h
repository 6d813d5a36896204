// Readable text output of the analyses (for talks and briefs), in the chosen
// language (`name_en` falls back to `name`). Text from the model is escaped
// for terminals (text::terminal_text): a name cannot move the cursor, retitle
// the window or start a line of its own.
#pragma once

#include <cstddef>
#include <string>

#include "model/chains.h"
#include "model/diff.h"
#include "model/downstream.h"
#include "model/gaps.h"
#include "model/reach.h"

namespace imozuru {

std::string to_text(const Model& model, const ReachResult& result, Lang lang);
std::string to_text(const Model& model, const ChainsResult& result, Lang lang);
std::string to_text(const Model& model, const DownstreamResult& result, Lang lang);
// One block per gap: severity, rule and key (RULE:KIND:ID), the reason,
// consent, laws with where each stands at the date, systems, data, sources
// and assessment. `hidden` is how many gaps `--status open` left out.
std::string to_text(const Model& model, const GapsResult& result, Lang lang, std::size_t hidden = 0);
std::string to_text(const Model& model, const DiffResult& result, Lang lang);

// One chain as a single line: 名前 →[identifier / flow annotations]→ 名前 …
// Laws are shown with where they stand at `at` (in force, ended, ...).
std::string chain_line(const Model& model, const Chain& chain, const EntityRef& from, const Date& at,
                       Lang lang);

// What a chain's joins are (docs/model-format.md, "Joins, restricted and
// fuzzy"): "open — no law in the model restricts these joins" or "restricted by 番号法",
// then, for fuzzy keys, "; match error 10.9% (about 1 in 9)".
std::string chain_joins(const Model& model, const Chain& chain, Lang lang);
// A match error as "10.9% (about 1 in 9)" / "10.9%（約 9 件に 1 件）".
std::string match_error_text(double error, Lang lang);
// A fraction as a percentage to three significant figures: "10.9%", "0.5%".
std::string percent_text(double fraction);

// Pieces the other outputs share, escaped for the terminal: 「identifier」 /
// [identifier], 『data』 / {data}, a flow's "name; consent; basis: …; dates",
// and the person an analysis is for, "花子（hanako）" / "Hanako (hanako)".
std::string identifier_name(const Model& model, Index identifier, Lang lang);
// The display name of a reach/chains end: 「identifier」, 『data』 or the system's name.
std::string ref_name(const Model& model, const EntityRef& ref, Lang lang);
std::string data_name(const Model& model, Index data, Lang lang);
std::string flow_annotation(const Model& model, const Flow& flow, const Date& at, Lang lang);
std::string person_name(const Model& model, Index person, Lang lang);

}  // namespace imozuru
