#include "model/linkage_graph.h"

#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "model/linkage_adjacency.h"

namespace imozuru {

LinkageGraph::LinkageGraph(const ModelAt& at) : at_(&at), n_systems_(at.model().systems.size()) {
  const Model& m = at.model();
  const std::size_t n = m.systems.size() + m.identifiers.size();
  // The edge list, then the graph from it in one go.
  std::vector<std::pair<Vertex, Vertex>> edges;
  std::vector<LinkageEdge> properties;
  std::size_t holds = 0;
  for (Index s : at.systems()) holds += at.identifiers_of(s).size();
  edges.reserve(2 * holds + at.flows().size());
  properties.reserve(edges.capacity());
  for (Index s : at.systems()) {
    for (Index i : at.identifiers_of(s)) {
      if (m.identifiers[i].scope != Scope::global) continue;
      edges.emplace_back(system_vertex(s), identifier_vertex(i));
      edges.emplace_back(identifier_vertex(i), system_vertex(s));
      properties.push_back(LinkageEdge{LinkageEdge::Kind::holds, kNone});
      properties.push_back(LinkageEdge{LinkageEdge::Kind::holds, kNone});
    }
  }
  for (Index f : at.flows()) {
    edges.emplace_back(system_vertex(m.flows[f].from.index), system_vertex(m.flows[f].to.index));
    properties.push_back(LinkageEdge{LinkageEdge::Kind::flow, f});
  }
  if (edges.size() > std::numeric_limits<std::uint32_t>::max() || n > std::numeric_limits<Vertex>::max())
    throw std::length_error("the linkage graph has more than 2^32 edges or vertices");
  adjacency_ = std::make_unique<LinkageAdjacencyList>(LinkageAdjacencyList{LinkageAdjacency(
      boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(), properties.begin(), n)});
  LinkageAdjacency& graph = adjacency_->graph;
  for (Index s = 0; s < m.systems.size(); ++s) graph[s] = {EntityKind::system, s};
  for (Index i = 0; i < m.identifiers.size(); ++i) graph[n_systems_ + i] = {EntityKind::identifier, i};
}

LinkageGraph::~LinkageGraph() = default;
LinkageGraph::LinkageGraph(LinkageGraph&&) noexcept = default;
LinkageGraph& LinkageGraph::operator=(LinkageGraph&&) noexcept = default;

}  // namespace imozuru
