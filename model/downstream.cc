#include "model/downstream.h"

#include <algorithm>
#include <deque>

namespace imozuru {
namespace {

bool carries_data(const Flow& flow, Index data) {
  return std::any_of(flow.carries.data.begin(), flow.carries.data.end(),
                     [&](const Ref& r) { return r.index == data; });
}

}  // namespace

DownstreamResult downstream(const ModelAt& at, Index system, Index data) {
  const Model& m = at.model();
  DownstreamResult result;
  result.at = at.at();
  result.person = at.person();
  result.from_system = system;
  result.data = data;
  if (system == kNone || data == kNone || !at.system_active(system) || !at.data_active(data)) return result;
  result.held = at.holds_data(system, data);
  if (!result.held) return result;

  std::vector<int> depth(m.systems.size(), -1);
  depth[system] = 0;
  std::deque<Index> queue{system};
  while (!queue.empty()) {
    Index s = queue.front();
    queue.pop_front();
    for (Index f : at.flows_out(s)) {
      if (!carries_data(m.flows[f], data)) continue;
      result.flows.push_back(f);
      Index to = m.flows[f].to.index;
      if (depth[to] >= 0) continue;
      depth[to] = depth[s] + 1;
      queue.push_back(to);
    }
  }
  for (Index s = 0; s < depth.size(); ++s)
    if (depth[s] > 0) result.systems.push_back({s, depth[s]});
  std::sort(result.flows.begin(), result.flows.end());
  return result;
}

}  // namespace imozuru
