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
  auto global = [&](Index i) { return m.identifiers[i].scope == Scope::global; };
  // The arcs, already in order of their source vertex, so the rows are
  // written directly, without an edge list and the counting sorts of the
  // edge-list constructor: a system's arcs are its global identifiers
  // ascending, then its flows out ascending; an identifier's arcs are its
  // holders ascending. That is the order the edge-list constructor gave
  // (it sorted the same arcs stably by source), so every search sees the
  // same graph. `each(arc)` calls arc(target, property) per arc of `v`.
  auto each_arc = [&](Vertex v, auto arc) {
    if (is_system(v)) {
      for (Index i : at.identifiers_of(v))
        if (global(i)) arc(identifier_vertex(i), LinkageEdge{LinkageEdge::Kind::holds, kNone});
      for (Index f : at.flows_out(v))
        arc(system_vertex(m.flows[f].to.index), LinkageEdge{LinkageEdge::Kind::flow, f});
    } else if (global(index_of(v))) {
      for (Index s : at.holders_of_identifier(index_of(v)))
        arc(system_vertex(s), LinkageEdge{LinkageEdge::Kind::holds, kNone});
    }
  };
  std::size_t arcs = at.flows().size();
  for (Index i : at.identifiers())
    if (global(i)) arcs += 2 * at.holders_of_identifier(i).size();
  if (arcs > std::numeric_limits<std::uint32_t>::max() || n > std::numeric_limits<Vertex>::max())
    throw std::length_error("the linkage graph has more than 2^32 edges or vertices");

  adjacency_ =
      std::make_unique<LinkageAdjacencyList>(LinkageAdjacencyList{LinkageAdjacency(static_cast<Vertex>(n))});
  LinkageAdjacency& graph = adjacency_->graph;
  // Boost's CSR keeps its rows in public members (m_forward: out-arcs with
  // their properties; m_backward: in-arcs with the number of their out-arc),
  // filled here as its edge-list constructor fills them.
  auto& out = graph.m_forward;
  out.m_rowstart.assign(n + 1, 0);
  out.m_column.clear();
  out.m_column.reserve(arcs);
  out.m_edge_properties.clear();
  out.m_edge_properties.reserve(arcs);
  std::vector<std::uint32_t> in_degree(n + 1, 0);
  for (Vertex v = 0; v < n; ++v) {
    each_arc(v, [&](Vertex target, LinkageEdge e) {
      out.m_column.push_back(target);
      out.m_edge_properties.push_back(e);
      ++in_degree[target + 1];
    });
    out.m_rowstart[v + 1] = static_cast<std::uint32_t>(out.m_column.size());
  }
  // In-arcs of each vertex in the order of their out-arc's number (the
  // edge-list constructor's stable counting sort of the transposed arcs).
  auto& in = graph.m_backward;
  in.m_rowstart.assign(n + 1, 0);
  for (std::size_t v = 0; v < n; ++v) in.m_rowstart[v + 1] = in.m_rowstart[v] + in_degree[v + 1];
  in.m_column.resize(arcs);
  in.m_edge_properties.resize(arcs);
  std::vector<std::uint32_t> next(in.m_rowstart.begin(), in.m_rowstart.end() - 1);
  for (Vertex v = 0; v < n; ++v)
    for (std::uint32_t e = out.m_rowstart[v]; e < out.m_rowstart[v + 1]; ++e) {
      const std::uint32_t slot = next[out.m_column[e]]++;
      in.m_column[slot] = v;
      in.m_edge_properties[slot] = e;
    }
  for (Index s = 0; s < m.systems.size(); ++s) graph[s] = {EntityKind::system, s};
  for (Index i = 0; i < m.identifiers.size(); ++i) graph[n_systems_ + i] = {EntityKind::identifier, i};
}

LinkageGraph::~LinkageGraph() = default;
LinkageGraph::LinkageGraph(LinkageGraph&&) noexcept = default;
LinkageGraph& LinkageGraph::operator=(LinkageGraph&&) noexcept = default;

}  // namespace imozuru
