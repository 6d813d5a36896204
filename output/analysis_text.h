// Readable text output of the analyses (for talks and briefs), in the chosen
// language (`name_en` falls back to `name`). Text from the model is escaped
// for terminals (text::terminal_text): a name cannot move the cursor, retitle
// the window or start a line of its own.
#pragma once

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
std::string to_text(const Model& model, const GapsResult& result, Lang lang);
std::string to_text(const Model& model, const DiffResult& result, Lang lang);

// One chain as a single line: 名前 →[identifier / flow annotations]→ 名前 …
std::string chain_line(const Model& model, const Chain& chain, const EntityRef& from, Lang lang);

}  // namespace imozuru
