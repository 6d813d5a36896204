// The layout process: Graphviz lays out and renders a diagram in a forked
// child process, never in the caller's, within the time and memory limits
// of RenderOptions, so that a Graphviz crash, exit() or endless layout
// becomes a RenderError. Every render goes through it: render_diagram makes
// one for its diagram, and `imozuru render` makes one before it loads the
// model, so that Graphviz starts while the model loads.
#pragma once

#include <string>
#include <vector>

#include "render/render.h"

namespace imozuru::render {

// One layout process for one diagram. Made, it forks at once, and the child
// starts Graphviz (its plugins, fontconfig and the diagrams' fonts: a third
// or more of a small diagram's time) while the caller goes on. render()
// sends it the DOT text; the child parses it with Graphviz's own parser,
// lays it out and renders it within the limits, counted from then, and
// sends the bytes back over a pipe. What Graphviz prints to stdout or
// stderr comes back as its messages, not onto the caller's terminal.
//
// The child ends with this object: unused, it is killed, and it is always
// reaped. It also ends when the process that made it dies (PR_SET_PDEATHSIG,
// and end-of-file on its request pipe). Not copyable, like Graphviz's own
// gvc++ classes.
class LayoutProcess {
 public:
  // Forks the process, getting ready to draw in `format`. For Format::dot,
  // which needs no layout, nothing is forked.
  explicit LayoutProcess(Format format);
  ~LayoutProcess();
  LayoutProcess(const LayoutProcess&) = delete;
  LayoutProcess& operator=(const LayoutProcess&) = delete;

  // `dot` laid out and rendered in options.format within
  // options.timeout_seconds and options.memory_limit_bytes: the bytes that
  // Graphviz's `dot -T FORMAT` makes of the same text (a PDF's creation date
  // fixed). The engine is the text's own `layout` attribute, else
  // options.engine (automatic: dot). DOT comes back as it is. Graphviz's
  // messages are appended to `messages` when given. Once only (the process
  // ends with its diagram); throws RenderError.
  std::string render(const std::string& dot, const RenderOptions& options,
                     std::vector<std::string>* messages = nullptr);

  // Work on several DOT texts at once, for a time-lapse (render/timelapse.h),
  // within the same limits and once only, like render().
  enum class Job {
    // dots[0] laid out, each node at least as large as it is in any of
    // dots[1...] (the frames, matched by frame_key): DOT with positions.
    union_layout,
    // Each DOT, laid out by its own `layout` (nop2: positions given), one
    // page of a PDF, in order.
    pdf_pages,
    // Each DOT laid out by its own `layout` and rendered in options.format
    // (SVG or PNG): the outputs, each after its length (split_frames).
    frames,
  };
  std::string run(Job job, const std::vector<std::string>& dots, const RenderOptions& options,
                  std::vector<std::string>* messages = nullptr);

  // The outputs of Job::frames, apart.
  static std::vector<std::string> split_frames(const std::string& joined);

  // The child's process id while it waits for its diagram; -1 once used, or
  // when there is none (DOT).
  int pid() const { return pid_; }

 private:
  void start(Format format);
  void stop();  // kills and reaps a child that has not had its diagram
  // Sends `payload` with the Graphviz format name (or job name) `format`
  // and returns what came back; the body of render() and run().
  std::string exchange(const std::string& format, const std::string& payload, const RenderOptions& options,
                       bool pdf, std::vector<std::string>* messages);

  bool used_ = false;
  int pid_ = -1;
  int exiting_pid_ = -1;  // a child that has sent its output and is ending
  int request_fd_ = -1;
  int reply_fd_ = -1;
  int output_fd_ = -1;  // the child's stdout and stderr
};

}  // namespace imozuru::render
