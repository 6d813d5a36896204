// ModelAt's flat lists and the LinkageGraph's rows checked against their
// definitions, written here the slow, obvious way: effective holdings
// (docs/model-format.md#dates-the-model-as-of-a-date), holders, each system's
// flows, and the graph as Boost's edge-list constructor builds it from the
// same arcs (LinkageGraph writes the rows itself).
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <utility>
#include <vector>

#include "model/linkage_adjacency.h"
#include "model/linkage_graph.h"

namespace imozuru::testing {

inline std::vector<Index> sorted_unique(std::vector<Index> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// Every list of `at` equals its definition; returns how many list entries
// were compared (so a caller can check that the model was not empty).
inline std::size_t check_as_of_by_definition(const Model& m, const ModelAt& at) {
  std::vector<std::vector<Index>> ids(m.systems.size()), data(m.systems.size());
  std::vector<std::vector<Index>> id_holders(m.identifiers.size()), data_holders(m.data.size());
  std::vector<std::vector<Index>> out(m.systems.size()), in(m.systems.size());
  for (Index f = 0; f < m.flows.size(); ++f)
    if (at.flow_active(f)) {
      out[m.flows[f].from.index].push_back(f);
      in[m.flows[f].to.index].push_back(f);
    }
  for (Index s = 0; s < m.systems.size(); ++s) {
    if (!at.system_active(s)) continue;
    std::vector<const Holdings*> sources{&m.systems[s].holds};
    for (Index f : in[s]) sources.push_back(&m.flows[f].carries);
    for (const Holdings* h : sources) {
      for (const Ref& r : h->identifiers)
        if (r.index != kNone && at.identifier_active(r.index)) ids[s].push_back(r.index);
      for (const Ref& r : h->data)
        if (r.index != kNone && at.data_active(r.index)) data[s].push_back(r.index);
    }
    data[s] = sorted_unique(data[s]);
    for (Index q = 0; q < m.identifiers.size(); ++q) {
      const Identifier& id = m.identifiers[q];
      if (!at.identifier_active(q) || id.kind != IdentifierKind::quasi || id.composed_of.empty()) continue;
      if (std::all_of(id.composed_of.begin(), id.composed_of.end(), [&](const Ref& r) {
            return std::binary_search(data[s].begin(), data[s].end(), r.index);
          }))
        ids[s].push_back(q);
    }
    ids[s] = sorted_unique(ids[s]);
    for (Index i : ids[s]) id_holders[i].push_back(s);
    for (Index d : data[s]) data_holders[d].push_back(s);
  }
  std::size_t compared = 0;
  for (Index s = 0; s < m.systems.size(); ++s) {
    INFO("system " << m.systems[s].id);
    CHECK(at.identifiers_of(s) == ids[s]);
    CHECK(at.data_of(s) == data[s]);
    CHECK(at.flows_out(s) == out[s]);
    CHECK(at.flows_in(s) == in[s]);
    compared += ids[s].size() + data[s].size() + out[s].size() + in[s].size();
  }
  for (Index i = 0; i < m.identifiers.size(); ++i) {
    INFO("identifier " << m.identifiers[i].id);
    CHECK(at.holders_of_identifier(i) == id_holders[i]);
    for (Index s = 0; s < m.systems.size(); ++s)
      CHECK(at.holds_identifier(s, i) == std::binary_search(ids[s].begin(), ids[s].end(), i));
  }
  for (Index d = 0; d < m.data.size(); ++d) {
    INFO("data " << m.data[d].id);
    CHECK(at.holders_of_data(d) == data_holders[d]);
  }
  return compared;
}

// The graph's out- and in-arcs, vertex by vertex and in order, with their
// properties, equal those of the graph Boost's edge-list constructor builds
// from the arcs of the definition (a global identifier's holds edge as two
// arcs, system by system, then a flow arc per active flow).
inline void check_graph_by_definition(const LinkageGraph& graph) {
  const ModelAt& at = graph.at();
  const Model& m = at.model();
  std::vector<std::pair<LinkageGraph::Vertex, LinkageGraph::Vertex>> edges;
  std::vector<LinkageEdge> properties;
  for (Index s : at.systems())
    for (Index i : at.identifiers_of(s)) {
      if (m.identifiers[i].scope != Scope::global) continue;
      edges.emplace_back(graph.system_vertex(s), graph.identifier_vertex(i));
      edges.emplace_back(graph.identifier_vertex(i), graph.system_vertex(s));
      properties.push_back(LinkageEdge{LinkageEdge::Kind::holds, kNone});
      properties.push_back(LinkageEdge{LinkageEdge::Kind::holds, kNone});
    }
  for (Index f : at.flows()) {
    edges.emplace_back(graph.system_vertex(m.flows[f].from.index), graph.system_vertex(m.flows[f].to.index));
    properties.push_back(LinkageEdge{LinkageEdge::Kind::flow, f});
  }
  const std::size_t n = m.systems.size() + m.identifiers.size();
  const LinkageAdjacency expected(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(),
                                  properties.begin(), static_cast<LinkageGraph::Vertex>(n));
  const LinkageAdjacency& g = adjacency_of(graph);
  REQUIRE(boost::num_vertices(g) == boost::num_vertices(expected));
  REQUIRE(boost::num_edges(g) == boost::num_edges(expected));
  using Arc = std::tuple<LinkageGraph::Vertex, LinkageGraph::Vertex, int, Index>;
  auto arcs_out = [](const LinkageAdjacency& a, LinkageGraph::Vertex v) {
    std::vector<Arc> out;
    for (auto e : boost::make_iterator_range(boost::out_edges(v, a)))
      out.emplace_back(boost::source(e, a), boost::target(e, a), static_cast<int>(a[e].kind), a[e].flow);
    return out;
  };
  auto arcs_in = [](const LinkageAdjacency& a, LinkageGraph::Vertex v) {
    std::vector<Arc> in;
    for (auto e : boost::make_iterator_range(boost::in_edges(v, a)))
      in.emplace_back(boost::source(e, a), boost::target(e, a), static_cast<int>(a[e].kind), a[e].flow);
    return in;
  };
  for (LinkageGraph::Vertex v = 0; v < n; ++v) {
    INFO("vertex " << v);
    CHECK(arcs_out(g, v) == arcs_out(expected, v));
    CHECK(arcs_in(g, v) == arcs_in(expected, v));
    CHECK(g[v].kind == (graph.is_system(v) ? EntityKind::system : EntityKind::identifier));
    CHECK(g[v].index == graph.index_of(v));
  }
}

}  // namespace imozuru::testing
