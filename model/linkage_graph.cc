#include "model/linkage_graph.h"

#include "model/linkage_adjacency.h"

namespace imozuru {

LinkageGraph::LinkageGraph(const ModelAt& at)
    : at_(&at),
      n_systems_(at.model().systems.size()),
      adjacency_(std::make_unique<LinkageAdjacencyList>(LinkageAdjacencyList{
          LinkageAdjacency(at.model().systems.size() + at.model().identifiers.size())})) {
  const Model& m = at.model();
  LinkageAdjacency& graph = adjacency_->graph;
  for (Index s = 0; s < m.systems.size(); ++s) graph[s] = {EntityKind::system, s};
  for (Index i = 0; i < m.identifiers.size(); ++i) graph[n_systems_ + i] = {EntityKind::identifier, i};
  for (Index s : at.systems()) {
    for (Index i : at.identifiers_of(s)) {
      if (m.identifiers[i].scope != Scope::global) continue;
      boost::add_edge(system_vertex(s), identifier_vertex(i), LinkageEdge{LinkageEdge::Kind::holds, kNone},
                      graph);
      boost::add_edge(identifier_vertex(i), system_vertex(s), LinkageEdge{LinkageEdge::Kind::holds, kNone},
                      graph);
    }
  }
  for (Index f : at.flows())
    boost::add_edge(system_vertex(m.flows[f].from.index), system_vertex(m.flows[f].to.index),
                    LinkageEdge{LinkageEdge::Kind::flow, f}, graph);
}

LinkageGraph::~LinkageGraph() = default;
LinkageGraph::LinkageGraph(LinkageGraph&&) noexcept = default;
LinkageGraph& LinkageGraph::operator=(LinkageGraph&&) noexcept = default;

}  // namespace imozuru
