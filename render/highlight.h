// Highlights from analysis results, for the chain view (CLI and Lua).
#pragma once

#include "model/chains.h"
#include "model/reach.h"
#include "render/render.h"

namespace imozuru::render {

// Reached systems (with depth), identifiers and data; caption "reach: FROM…".
Highlight highlight_of(const Model& model, const ReachResult& result, Lang lang);

// Every chain's hops, each chain in its own colour; caption "FROM → TO".
Highlight highlight_of(const Model& model, const ChainsResult& result, Lang lang);

}  // namespace imozuru::render
