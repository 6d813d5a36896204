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

}  // namespace imozuru
