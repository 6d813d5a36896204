// Contract §8 JSON for the analyses. Keys come in the contract's order and
// lists are sorted, so the same model always gives the same bytes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/chains.h"
#include "model/diff.h"
#include "model/downstream.h"
#include "model/gaps.h"
#include "model/reach.h"

namespace imozuru {

using Json = nlohmann::ordered_json;

Json to_json(const Model& model, const ReachResult& result);
Json to_json(const Model& model, const ChainsResult& result);
Json to_json(const Model& model, const DownstreamResult& result);
Json to_json(const Model& model, const GapsResult& result);
Json to_json(const Model& model, const DiffResult& result);

// One hop / gap as in §8 (for callers that build their own documents).
Json hop_json(const Model& model, const ChainHop& hop);
Json gap_json(const Model& model, const Gap& gap);

// Two-space indented, UTF-8 unescaped, trailing newline.
std::string dump_json(const Json& json);

}  // namespace imozuru
