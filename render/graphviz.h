// RAII over Graphviz's C resources (after Graphviz's own lib/gvc++): one
// small non-copyable, movable class per resource; throw on failure, free in
// the destructor. Plus layout-and-render in a sandboxed child process.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
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

 private:
  GVC_s* gvc_ = nullptr;
  Agraph_s* g_ = nullptr;
};

// Gives graphs made from now on the defaults gvContext gives them (node
// label "\N"), without starting Graphviz; GraphvizGraph calls it, so a
// graph's DOT text never depends on whether a context exists yet.
void set_prototype_defaults();

// Graphviz's error and warning messages since the last call (agseterrf).
std::vector<std::string> take_graphviz_messages();

struct SandboxLimits {
  double timeout_seconds = 60;
  std::size_t memory_limit_bytes = std::size_t{2} << 30;
};

// Parses `dot`, lays it out with `engine` and renders it to `format` in a
// forked child with the limits, returning the bytes: the same bytes as
// `dot -K ENGINE -T FORMAT` on that text. Graphviz's messages are appended to
// `messages`. Throws RenderError on timeout, crash, exit() or failure.
std::string render_in_child(const GraphvizContext& context, const std::string& dot, const std::string& engine,
                            const std::string& format, const SandboxLimits& limits,
                            std::vector<std::string>* messages);

// A layout process started ahead of time. Forked before the model is loaded,
// it starts Graphviz (its context, plugins, fontconfig and the diagrams'
// fonts: a third or more of a small diagram's time) by drawing a tiny graph
// in `format_hint` while the parent loads (unless the request has already
// come by the time its context is made). Then it parses the DOT text it is
// sent with Graphviz's own parser, lays it out and renders it, under the
// same limits as render_in_child, counted from the request. One request per
// process. Unused, it is killed and reaped when this object goes (as when
// loading the model fails); it also ends when the parent dies.
class LayoutProcess {
 public:
  explicit LayoutProcess(const std::string& format_hint);
  ~LayoutProcess();
  LayoutProcess(const LayoutProcess&) = delete;
  LayoutProcess& operator=(const LayoutProcess&) = delete;

  // Lays out and renders `dot`; as render_in_child otherwise. Once only.
  std::string render(const std::string& dot, const std::string& engine, const std::string& format,
                     const SandboxLimits& limits, std::vector<std::string>* messages);
  // The child's process id while it waits for its request; -1 once used.
  int pid() const { return pid_; }

 private:
  int pid_ = -1;
  int exiting_pid_ = -1;  // a child that has sent its output and is ending
  int request_fd_ = -1;
  int reply_fd_ = -1;
};

}  // namespace imozuru::render
