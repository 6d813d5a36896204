// The Boost.Graph storage behind a LinkageGraph (model/linkage_graph.h): a
// compressed sparse row graph, built once from the edge list in two arrays
// per direction (an adjacency_list allocated a list node and two vector
// slots per edge, and its construction was 45% of a warm `reach` at national
// scale: docs/performance.md). Only the algorithms that walk the graph
// (reach, chains) include this, so a change elsewhere does not recompile
// Boost.Graph.
#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/range/iterator_range.hpp>
#include <cstdint>
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

// Out-edges of a vertex are in the order they were added (the CSR
// constructor's counting sort is stable); in-edges are ordered by source
// vertex. No search depends on either order for its answer: ties are broken
// on ids (model/chains.cc).
// Vertices and edges are numbered in 32 bits (LinkageGraph::Vertex; the
// constructor checks the edge count).
using LinkageAdjacency =
    boost::compressed_sparse_row_graph<boost::bidirectionalS, LinkageVertex, LinkageEdge, boost::no_property,
                                       LinkageGraph::Vertex, std::uint32_t>;
static_assert(std::is_same_v<LinkageAdjacency::vertex_descriptor, LinkageGraph::Vertex>,
              "LinkageGraph::Vertex is the graph's vertex number");

struct LinkageAdjacencyList {
  LinkageAdjacency graph;
};

inline const LinkageAdjacency& adjacency_of(const LinkageGraph& graph) { return graph.adjacency().graph; }

}  // namespace imozuru
