// The Boost.Graph adjacency list behind a LinkageGraph (model/linkage_graph.h).
// Only the algorithms that walk the graph (reach, chains) include this, so a
// change elsewhere does not recompile Boost.Graph.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <type_traits>

#include "model/linkage_graph.h"

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
static_assert(std::is_same_v<LinkageAdjacency::vertex_descriptor, LinkageGraph::Vertex>,
              "LinkageGraph::Vertex is the adjacency list's vertex number");

struct LinkageAdjacencyList {
  LinkageAdjacency graph;
};

inline const LinkageAdjacency& adjacency_of(const LinkageGraph& graph) { return graph.adjacency().graph; }

}  // namespace imozuru
