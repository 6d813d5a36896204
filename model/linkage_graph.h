// The linkage graph of docs/cli.md#reach at one date, on Boost.Graph.
//
// Vertices: every system, then every identifier of the model (inactive ones
// stay isolated, so a vertex number maps to an Index without a lookup).
// Edges: a `holds` edge S—I, stored as two arcs, when I ∈ H(S) and I is
// global; a `flow` arc A→B per active flow.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "model/as_of.h"

namespace imozuru {

// The Boost.Graph storage, complete in model/linkage_adjacency.h.
struct LinkageAdjacencyList;

class LinkageGraph {
 public:
  // 32 bits: a model has at most a few million entities (LoadLimits), and
  // half-size indices halve the graph's arrays.
  using Vertex = std::uint32_t;

  explicit LinkageGraph(const ModelAt& at);
  ~LinkageGraph();
  LinkageGraph(LinkageGraph&&) noexcept;
  LinkageGraph& operator=(LinkageGraph&&) noexcept;

  const ModelAt& at() const { return *at_; }
  const Model& model() const { return at_->model(); }
  const LinkageAdjacencyList& adjacency() const { return *adjacency_; }

  Vertex system_vertex(Index system) const { return system; }
  Vertex identifier_vertex(Index identifier) const { return static_cast<Vertex>(n_systems_ + identifier); }
  bool is_system(Vertex v) const { return v < n_systems_; }
  Index index_of(Vertex v) const { return static_cast<Index>(is_system(v) ? v : v - n_systems_); }

 private:
  const ModelAt* at_;
  std::size_t n_systems_;
  std::unique_ptr<LinkageAdjacencyList> adjacency_;
};

}  // namespace imozuru
