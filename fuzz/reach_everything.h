// What the fuzz targets that end in a model (fuzz_load, fuzz_snapshot) do
// with it: reach from every identifier, system and data item, alone and all
// together, so an out-of-range index a reader let through is found by ASan.
#pragma once

#include <vector>

#include "model/linkage_graph.h"
#include "model/model.h"
#include "model/reach.h"

namespace imozuru::fuzzing {

// Reach from each entity of `model` and from all of them at once on
// `graph`; the starts, in that order (identifiers, systems, data).
inline std::vector<EntityRef> reach_from_everything(const Model& model, const LinkageGraph& graph) {
  std::vector<EntityRef> starts;
  for (const auto& i : model.identifiers) starts.push_back({EntityKind::identifier, i.id});
  for (const auto& s : model.systems) starts.push_back({EntityKind::system, s.id});
  for (const auto& d : model.data) starts.push_back({EntityKind::data, d.id});
  for (const auto& ref : starts) (void)reach(graph, {ref});
  if (!starts.empty()) (void)reach(graph, starts);
  return starts;
}

}  // namespace imozuru::fuzzing
