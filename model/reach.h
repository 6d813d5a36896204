// reach(K) of contract §6: what becomes known, and which systems are reached,
// starting from identifiers, systems and/or data items.
#pragma once

#include <vector>

#include "model/linkage_graph.h"

namespace imozuru {

struct ReachedSystem {
  Index system = kNone;
  int depth = 0;  // systems on the shortest route: start system 0, holder of a start identifier 1
};

struct ReachResult {
  Date at;
  std::vector<EntityRef> from;         // as given (inactive ones included, they reach nothing)
  std::vector<ReachedSystem> systems;  // ascending by id
  std::vector<Index> identifiers;      // ascending by id (holder-scope ones listed, never joined)
  std::vector<Index> data;             // ascending by id
};

// `from` entries must name existing entities (cli::parse_ref_or_exit checks).
ReachResult reach(const LinkageGraph& graph, const std::vector<EntityRef>& from);

}  // namespace imozuru
