#include "model/reach.h"

#include <algorithm>
#include <deque>

#include "model/linkage_adjacency.h"
#include "model/sort_unique.h"

namespace imozuru {

// A BFS over the bipartite graph where a quasi identifier is discovered only
// once all its components are known (a threshold Boost's BFS cannot express).
ReachResult reach(const LinkageGraph& graph, const std::vector<EntityRef>& from,
                  const ReachOptions& options) {
  const ModelAt& at = graph.at();
  const Model& m = at.model();
  const LinkageAdjacency& g = adjacency_of(graph);
  ReachResult result;
  result.at = at.at();
  result.person = at.person();
  result.open_only = options.open_only;
  result.max_match_error = options.max_match_error;
  auto joins = [&](Index i) {
    if (options.open_only && at.identifier_restricted(i)) return false;
    return !options.max_match_error || m.identifiers[i].match_error.value_or(0) <= *options.max_match_error;
  };
  for (const EntityRef& r : from)
    if (std::find(result.from.begin(), result.from.end(), r) == result.from.end()) result.from.push_back(r);

  // data item → active quasi identifiers it is a component of; distinct counts.
  std::vector<std::vector<Index>> quasi_of_data(m.data.size());
  std::vector<int> components_missing(m.identifiers.size(), -1);
  for (Index q : at.identifiers()) {
    const Identifier& id = m.identifiers[q];
    if (id.kind != IdentifierKind::quasi || id.composed_of.empty()) continue;
    std::vector<Index> parts;
    for (const Ref& r : id.composed_of) parts.push_back(r.index);
    sort_unique(parts);
    if (!parts.empty() && parts.back() == kNone) continue;
    components_missing[q] = static_cast<int>(parts.size());
    for (Index d : parts) quasi_of_data[d].push_back(q);
  }

  std::vector<int> depth(m.systems.size(), -1);
  std::vector<char> known_identifier(m.identifiers.size(), 0), known_data(m.data.size(), 0);
  std::deque<Index> queue;

  auto learn_identifier = [&](Index i, int level) {
    if (known_identifier[i] || !at.identifier_active(i)) return;
    known_identifier[i] = 1;
    // Holder-scope identifiers have no edges, so they never reach a system;
    // those the options exclude are learnt and go no further either.
    if (!joins(i)) return;
    for (auto e : boost::make_iterator_range(boost::out_edges(graph.identifier_vertex(i), g))) {
      Index s = graph.index_of(boost::target(e, g));
      if (depth[s] >= 0) continue;
      depth[s] = level + 1;
      queue.push_back(s);
    }
  };
  auto learn_data = [&](Index d, int level) {
    if (known_data[d] || !at.data_active(d)) return;
    known_data[d] = 1;
    for (Index q : quasi_of_data[d])
      if (--components_missing[q] == 0) learn_identifier(q, level);
  };

  for (const EntityRef& r : result.from) {
    Index i = m.find(r);
    if (i == kNone || !at.active(r)) continue;
    switch (r.kind) {
      case EntityKind::system:
        if (depth[i] < 0) {
          depth[i] = 0;
          queue.push_back(i);
        }
        break;
      case EntityKind::identifier:
        learn_identifier(i, 0);
        break;
      case EntityKind::data:
        learn_data(i, 0);
        break;
      default:
        break;  // an EntityRef names one of the three kinds above
    }
  }
  while (!queue.empty()) {
    Index s = queue.front();
    queue.pop_front();
    for (Index d : at.data_of(s)) learn_data(d, depth[s]);
    for (Index i : at.identifiers_of(s)) learn_identifier(i, depth[s]);
  }

  for (Index s = 0; s < depth.size(); ++s)
    if (depth[s] >= 0) result.systems.push_back({s, depth[s]});
  for (Index i = 0; i < known_identifier.size(); ++i)
    if (known_identifier[i]) result.identifiers.push_back(i);
  for (Index d = 0; d < known_data.size(); ++d)
    if (known_data[d]) result.data.push_back(d);
  return result;
}

}  // namespace imozuru
