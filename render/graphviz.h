// RAII over Graphviz's C resources (after Graphviz's own lib/gvc++): one
// small non-copyable, movable class per resource; throw on failure, free in
// the destructor. Internal to render/: layout and rendering run only in the
// layout process (render/layout_process.h), never in the caller's process.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct GVC_s;
struct Agraph_s;
struct Agnode_s;
struct Agedge_s;

namespace imozuru::render {

// A Graphviz context with its plugins loaded (gvContext / gvFreeContext).
class GraphvizContext {
 public:
  GraphvizContext();
  ~GraphvizContext();
  GraphvizContext(GraphvizContext&& other) noexcept;
  GraphvizContext& operator=(GraphvizContext&& other) noexcept;
  GraphvizContext(const GraphvizContext&) = delete;
  GraphvizContext& operator=(const GraphvizContext&) = delete;
  GVC_s* get() const { return gvc_; }

 private:
  GVC_s* gvc_ = nullptr;
};

// A root graph (agopen / agread … agclose).
class GraphvizGraph {
 public:
  // A new, empty directed graph.
  explicit GraphvizGraph(const std::string& name);
  // Parses DOT text with Graphviz's own parser (as agmemread, but its objects
  // numbered in the order they are read, like the graphs built here).
  static GraphvizGraph parse(const std::string& dot);
  ~GraphvizGraph();
  GraphvizGraph(GraphvizGraph&& other) noexcept;
  GraphvizGraph& operator=(GraphvizGraph&& other) noexcept;
  GraphvizGraph(const GraphvizGraph&) = delete;
  GraphvizGraph& operator=(const GraphvizGraph&) = delete;
  Agraph_s* get() const { return g_; }

  // The graph written as DOT (agwrite), deterministic for the same calls.
  std::string dot() const;

 private:
  GraphvizGraph() = default;
  Agraph_s* g_ = nullptr;
};

// A layout of a graph (gvLayout / gvFreeLayout). The context and graph must
// outlive it.
class GraphvizLayout {
 public:
  GraphvizLayout(const GraphvizContext& context, const GraphvizGraph& graph, const std::string& engine);
  ~GraphvizLayout();
  GraphvizLayout(GraphvizLayout&& other) noexcept;
  GraphvizLayout& operator=(GraphvizLayout&& other) noexcept;
  GraphvizLayout(const GraphvizLayout&) = delete;
  GraphvizLayout& operator=(const GraphvizLayout&) = delete;

  // Renders to memory (gvRenderData) in a Graphviz format ("svg", "png", …).
  std::string render(const std::string& format) const;
  // Renders in a Graphviz format ("pdf:cairo") onto a cairo context of the
  // caller's (gvRenderContext), for pages Graphviz does not make itself.
  void render_to_context(const std::string& format, void* context) const;

 private:
  GVC_s* gvc_ = nullptr;
  Agraph_s* g_ = nullptr;
};

// Of two edges in opposite directions between the same two nodes, each
// one's tail label (render/diagram.cc gives such flows their label there)
// set beside the middle of its own edge, on the side farther from the other
// edge, and kept inside the drawing (docs/rendering.md#views). Every layout
// but nop's does this (GraphvizLayout). `least_size`, when given, says how
// large a label is to be taken, in points (width, height), at least its own
// size: a time-lapse places it for the largest its frames draw
// (render/frame_jobs.cc).
void place_opposite_tail_labels(
    Agraph_s* g, const std::function<std::pair<double, double>(Agedge_s*)>& least_size = nullptr);

// The empty room an edge label of two opposite edges has on the side away
// from its edge (render/diagram.cc, apart_from_opposite): about the room
// dot leaves between a label and its edge.
inline constexpr int kLabelFarSide = 12;

// Of two edges in opposite directions between the same two nodes, a label
// (`label`, as dot placed it) not clearly nearer its own edge than the
// other, set beside its own edge on the side away from the other, where it
// stays inside the drawing and covers no node or other label
// (docs/rendering.md#views). Every layout but nop's does this
// (GraphvizLayout), after place_opposite_tail_labels.
void move_labels_nearer_opposite(Agraph_s* g);

// Gives graphs made from now on the defaults gvContext gives them (node
// label "\N"), without starting Graphviz; GraphvizGraph calls it, so a
// graph's DOT text never depends on whether a context exists yet.
void set_prototype_defaults();

// Graphviz's error and warning messages since the last call (agseterrf).
std::vector<std::string> take_graphviz_messages();

}  // namespace imozuru::render
