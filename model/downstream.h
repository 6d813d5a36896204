// downstream(S, d) of docs/cli.md#downstream: data lineage of item d from system S along
// active flows that carry d.
#pragma once

#include <vector>

#include "model/as_of.h"

namespace imozuru {

struct DownstreamSystem {
  Index system = kNone;
  int depth = 0;  // flows from the start system
};

struct DownstreamResult {
  Date at;
  Index person = kNone;  // the person the model was taken for (kNone: everyone)
  Index from_system = kNone;
  Index data = kNone;
  bool held = false;                      // the start system holds d at the date
  std::vector<DownstreamSystem> systems;  // reached, start excluded, ascending by id
  std::vector<Index> flows;               // active flows carrying d out of reached systems, ascending by id
};

DownstreamResult downstream(const ModelAt& at, Index system, Index data);

}  // namespace imozuru
