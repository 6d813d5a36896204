// Highlights from analysis results, for the chain view (CLI and Lua).
#pragma once

#include "render/render.h"

namespace imozuru {
struct ReachResult;   // model/reach.h
struct ChainsResult;  // model/chains.h
}  // namespace imozuru

namespace imozuru::render {

// Reached systems (with depth), identifiers and data; caption "reach: FROM…".
Highlight highlight_of(const Model& model, const ReachResult& result, Lang lang);

// Every chain's hops, each chain in its own colour; caption "FROM → TO".
Highlight highlight_of(const Model& model, const ChainsResult& result, Lang lang);

}  // namespace imozuru::render
