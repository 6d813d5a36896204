// The linkage graph of docs/cli.md#reach at one date, on Boost.Graph.
//
// Vertices: every system, then every identifier of the model (inactive ones
// stay isolated, so a vertex number maps to an Index without a lookup).
// Edges: a `holds` edge S—I, stored as two arcs, when I ∈ H(S) and I is
// global; a `flow` arc A→B per active flow.
#pragma once

#include <boost/graph/adjacency_list.hpp>

#include "model/as_of.h"

namespace imozuru {

struct LinkageVertex {
  EntityKind kind = EntityKind::system;  // system or identifier
  Index index = kNone;
};

struct LinkageEdge {
  enum class Kind { holds, flow } kind = Kind::holds;
  Index flow = kNone;  // for Kind::flow
};

using LinkageAdjacency =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, LinkageVertex, LinkageEdge>;

class LinkageGraph {
 public:
  using Vertex = LinkageAdjacency::vertex_descriptor;

  explicit LinkageGraph(const ModelAt& at);

  const ModelAt& at() const { return *at_; }
  const Model& model() const { return at_->model(); }
  const LinkageAdjacency& graph() const { return graph_; }

  Vertex system_vertex(Index system) const { return system; }
  Vertex identifier_vertex(Index identifier) const { return n_systems_ + identifier; }
  bool is_system(Vertex v) const { return v < n_systems_; }
  Index index_of(Vertex v) const { return graph_[v].index; }

 private:
  const ModelAt* at_;
  std::size_t n_systems_;
  LinkageAdjacency graph_;
};

}  // namespace imozuru
