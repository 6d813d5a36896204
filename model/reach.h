// reach(K) of docs/cli.md#reach: what becomes known, and which systems are reached,
// starting from identifiers, systems and/or data items.
#pragma once

#include <optional>
#include <vector>

#include "model/linkage_graph.h"

namespace imozuru {

struct ReachedSystem {
  Index system = kNone;
  int depth = 0;  // systems on the shortest route: start system 0, holder of a start identifier 1
};

struct ReachResult {
  Date at;
  Index person = kNone;    // the person the model was taken for (kNone: everyone)
  bool open_only = false;  // the options the result was found with
  std::optional<double> max_match_error;
  std::vector<EntityRef> from;         // as given (inactive ones included, they reach nothing)
  std::vector<ReachedSystem> systems;  // ascending by id
  std::vector<Index> identifiers;      // ascending by id (holder-scope ones listed, never joined)
  std::vector<Index> data;             // ascending by id
};

// docs/model-format.md, "Joins, restricted and fuzzy": identifiers these
// exclude are listed when learnt but never reach further, like holder scope.
struct ReachOptions {
  bool open_only = false;                 // restricted identifiers
  std::optional<double> max_match_error;  // identifiers whose match_error is larger
};

// `from` entries must name existing entities (cli::parse_ref_or_exit checks).
ReachResult reach(const LinkageGraph& graph, const std::vector<EntityRef>& from,
                  const ReachOptions& options = {});

}  // namespace imozuru
