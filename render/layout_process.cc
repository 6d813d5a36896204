#include "render/layout_process.h"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <string_view>
#include <utility>

#include "render/diagram.h"
#include "render/frame_jobs.h"
#include "render/graphviz.h"
#include "text/join.h"

namespace imozuru::render {
namespace {

// --- the pipes between the two processes -------------------------------------

// Messages on the reply pipe: a tag byte, a 64-bit length, the bytes.
enum Tag : char {
  kOutput = 'O',   // the rendered bytes: the child's last word
  kMessage = 'M',  // one of Graphviz's messages
  kError = 'E',    // why Graphviz failed
  kRefused = 'R',  // the whole message for work the child did not start
  kMemory = 'X',   // the child failed with its address space at its limit
};

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool read_all(int fd, char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::read(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// One frame, written without allocating: the child may be out of memory.
bool send(int fd, Tag tag, std::string_view bytes) {
  char header[9];
  header[0] = tag;
  std::uint64_t size = bytes.size();
  std::memcpy(header + 1, &size, sizeof size);
  return write_all(fd, header, sizeof header) && write_all(fd, bytes.data(), bytes.size());
}

// The whole frames at the start of `received` (a frame still arriving is
// left out).
struct Frame {
  char tag;
  std::string_view bytes;
};
std::vector<Frame> whole_frames(const std::string& received) {
  std::vector<Frame> frames;
  for (std::size_t pos = 0; pos + 9 <= received.size();) {
    std::uint64_t size;
    std::memcpy(&size, received.data() + pos + 1, sizeof size);
    if (size > received.size() - pos - 9) break;
    frames.push_back({received[pos], std::string_view(received).substr(pos + 9, size)});
    pos += 9 + size;
  }
  return frames;
}

// Whether `received` holds a whole output frame.
bool has_output_frame(const std::string& received) {
  for (const Frame& f : whole_frames(received))
    if (f.tag == kOutput) return true;
  return false;
}

// The request: a header (three lengths and the limits), then the engine
// name, the format name and the DOT text.
struct RequestHeader {
  std::uint64_t engine_size, format_size, dot_size;
  double timeout_seconds;
  std::uint64_t memory_limit_bytes;
};

struct SandboxLimits {
  double timeout_seconds = 60;
  std::size_t memory_limit_bytes = std::size_t{2} << 30;
};

std::string memory_flag(std::size_t bytes) { return "--memory-limit " + std::to_string(bytes >> 20); }

// The names of the jobs of LayoutProcess::run, sent where a format goes.
const std::string kUnionLayoutJob = "imozuru:union-layout";
const std::string kPdfPagesJob = "imozuru:pdf-pages";
const std::string kFramesJob = "imozuru:frames:";  // and the Graphviz format

const char* graphviz_format(Format f) {
  switch (f) {
    case Format::dot:
      return "dot";
    case Format::svg:
      return "svg";
    case Format::png:
      return "png:cairo";
    case Format::pdf:
      return "pdf:cairo";
  }
  return "svg";
}

// --- the child ------------------------------------------------------------------

// AddressSanitizer maps terabytes of shadow memory, so an RLIMIT_AS limit
// makes its own mmap fail. g++ says it is on with __SANITIZE_ADDRESS__;
// clang 14 (the fuzz build) only through __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define IMOZURU_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IMOZURU_ASAN 1
#endif
#endif
#ifndef IMOZURU_ASAN
#define IMOZURU_ASAN 0
#endif

int g_reply_fd = -1;
std::size_t g_memory_limit = 0;  // the address-space limit once it is set

// Room the drawing must have below the address-space limit. Graphviz,
// pango and cairo do not all fail cleanly when an allocation is refused:
// pango draws on without a font it could not map ("expect ugly output"; a
// Noto CJK file is 20 MB), glib ends the process when it cannot start a
// thread (an 8 MiB stack), Graphviz's DOT scanner exit()s. So a drawing is
// only trusted if the child's address space stayed this far below the limit
// throughout.
constexpr std::size_t kMemoryMargin = std::size_t{32} << 20;

// The most address space the child has had mapped since it was forked
// (VmPeak, which RLIMIT_AS bounds), read without allocating: the child may
// be out of memory. 0 when /proc cannot say.
std::size_t peak_address_space() {
  char text[8192];
  int fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  std::size_t size = 0;
  for (ssize_t n; size + 1 < sizeof text && (n = ::read(fd, text + size, sizeof text - 1 - size)) > 0;)
    size += static_cast<std::size_t>(n);
  ::close(fd);
  text[size] = '\0';
  const char* line = std::strstr(text, "\nVmPeak:");
  if (!line) return 0;
  return std::strtoull(line + 8, nullptr, 10) << 10;  // kB
}

std::string mib(std::size_t bytes) { return std::to_string((bytes + (std::size_t{1} << 20) - 1) >> 20); }

// Whether the address space came within kMemoryMargin of the limit since the
// limit was set (it was further below it then).
bool memory_ran_short() {
  return g_memory_limit != 0 && peak_address_space() + kMemoryMargin > g_memory_limit;
}

void send_memory_state() {
  if (memory_ran_short()) send(g_reply_fd, kMemory, {});
}

// If Graphviz (or a library under it, such as its DOT scanner) exit()s in
// the child, still tell the parent whether memory ran out, and hand it
// Graphviz's messages.
void on_exit_in_child() {
  send_memory_state();
  try {
    for (const auto& m : take_graphviz_messages()) send(g_reply_fd, kMessage, m);
  } catch (const std::exception&) {
  }
}

// `fd`, or a copy of it above the standard streams, which the child
// replaces (a parent started with them closed has its pipes there).
int above_standard_streams(int fd) { return fd > STDERR_FILENO ? fd : fcntl(fd, F_DUPFD, STDERR_FILENO + 1); }

// The child's set-up: what it writes to stdout and stderr goes to the
// parent (as messages), it dies with the parent, and an exit() in Graphviz
// still reports.
void enter_child(int reply_fd, int output_fd, pid_t parent) {
  // One malloc arena: each thread pango starts would otherwise reserve one
  // of its own, 64 to 128 MiB of address space that counts against the limit
  // and that a thread may or may not get, whichever way the threads run.
  mallopt(M_ARENA_MAX, 1);
  signal(SIGPIPE, SIG_IGN);
  // A parent that watches (render --watch) catches these to stop between
  // builds; the child simply ends on them.
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) signal(sig, SIG_DFL);
  // Gone with the parent, whatever way it ends (a closed pipe says so too).
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(0);
  dup2(output_fd, STDOUT_FILENO);
  dup2(output_fd, STDERR_FILENO);
  if (output_fd > STDERR_FILENO) ::close(output_fd);
  g_reply_fd = reply_fd;
  std::atexit(on_exit_in_child);
}

// The child's limits, from now: its address space, and CPU seconds (a second
// guard in case the parent dies) counted from what it has used so far.
void limit_child(const SandboxLimits& limits) {
#if !IMOZURU_ASAN
  rlimit memory{static_cast<rlim_t>(limits.memory_limit_bytes),
                static_cast<rlim_t>(limits.memory_limit_bytes)};
  if (setrlimit(RLIMIT_AS, &memory) == 0) g_memory_limit = limits.memory_limit_bytes;
#endif
  rusage used{};
  getrusage(RUSAGE_SELF, &used);
  rlim_t cpu = static_cast<rlim_t>(used.ru_utime.tv_sec + used.ru_stime.tv_sec) +
               static_cast<rlim_t>(std::ceil(limits.timeout_seconds)) + 2;
  rlimit cpu_limit{cpu, cpu + 1};
  setrlimit(RLIMIT_CPU, &cpu_limit);
}

// A limit the child's address space has already come near (Graphviz's
// start-up and its fonts, the DOT text) would only fail at whichever
// allocation came first, or draw from memory freed earlier: whether
// Graphviz had warmed up before the request came decides which. Say so,
// the same way every time, before starting.
void refuse_if_over(const SandboxLimits& limits) {
#if !IMOZURU_ASAN
  const std::size_t peak = peak_address_space();
  if (peak + kMemoryMargin <= limits.memory_limit_bytes) return;
  send(g_reply_fd, kRefused,
       "the memory limit (" + memory_flag(limits.memory_limit_bytes) +
           ") is too small: the layout process has taken " + mib(peak) +
           " MiB of address space before it starts drawing, leaving less than " + mib(kMemoryMargin) +
           " MiB to draw with");
  ::close(g_reply_fd);
  _exit(3);
#else
  (void)limits;
#endif
}

// Runs `work` (which lays out and renders, returning the bytes), sends what
// came of it and ends the child.
template <class Work>
[[noreturn]] void reply_and_exit(const SandboxLimits& limits, Work work) {
  const int fd = g_reply_fd;
  const std::string out_of_memory = "out of memory (" + memory_flag(limits.memory_limit_bytes) + ")";
  int code = 0;
  try {
    std::string bytes = work();
    for (const auto& m : take_graphviz_messages()) send(fd, kMessage, m);
    if (memory_ran_short()) {
      send(fd, kMemory, {});
      send(fd, kError,
           "memory ran short while drawing (the address space reached " + mib(peak_address_space()) +
               " MiB), so parts of the drawing could be missing");
      code = 3;
    } else if (!send(fd, kOutput, bytes)) {
      code = 4;
    }
  } catch (const std::bad_alloc&) {
    send(fd, kError, out_of_memory);
    code = 3;
  } catch (const std::exception& e) {
    send_memory_state();
    send(fd, kError, e.what());
    code = 3;
  }
  ::close(fd);
  _exit(code);
}

// What the child does while the parent loads the model: draw a two-node graph
// in `format` with the diagrams' font, regular and bold, and a Japanese
// label, so Graphviz loads its layout and render plugins, fontconfig reads
// its cache and pango opens the CJK fonts now.
void warm_up(const GraphvizContext& context, const std::string& format) {
  try {
    GraphvizGraph g = GraphvizGraph::parse(
        "digraph { node [fontname=\"Noto Sans CJK JP\"]; a [label=<<B>芋づる</B> imozuru>]; a -> b; }\n");
    GraphvizLayout layout(context, g, "dot");
    layout.render(format);
  } catch (const std::exception&) {
    // The real request will meet the same failure and report it.
  }
  take_graphviz_messages();
}

// Whether `fd` has data (or its writer has closed it) right now.
bool readable_now(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 0) > 0;
}

// The DOT text parsed, laid out and rendered: what `dot -K ENGINE -T FORMAT`
// does with it, so the output is byte-identical to dot's on the same text.
std::string lay_out_dot(const GraphvizContext& context, const std::string& dot, const std::string& engine,
                        const std::string& format) {
  const bool frames = format.rfind(kFramesJob, 0) == 0;
  if (format == kUnionLayoutJob || format == kPdfPagesJob || frames) {
    std::vector<std::string> dots;
    for (std::size_t at = 0;;) {
      std::size_t end = dot.find('\0', at);
      dots.push_back(dot.substr(at, end == std::string::npos ? std::string::npos : end - at));
      if (end == std::string::npos) break;
      at = end + 1;
    }
    if (frames) return render_frames(context, dots, format.substr(kFramesJob.size()));
    return format == kUnionLayoutJob ? lay_out_union(context, dots, engine) : render_pdf_pages(context, dots);
  }
  GraphvizGraph graph = GraphvizGraph::parse(dot);
  return GraphvizLayout(context, graph, engine).render(format);
}

[[noreturn]] void serve_one_request(int request_fd, int reply_fd, int output_fd,
                                    const std::string& format_hint, pid_t parent) {
  request_fd = above_standard_streams(request_fd);
  reply_fd = above_standard_streams(reply_fd);
  enter_child(reply_fd, output_fd, parent);
  // The context is made here, not in the parent: gvContext loads the text
  // layout plugin with pango, cairo and some thirty libraries.
  std::optional<GraphvizContext> context;
  std::string context_error;
  try {
    context.emplace();
    // Only while the request has not come: once it is here, drawing the
    // tiny graph first would delay it.
    if (!readable_now(request_fd)) warm_up(*context, format_hint);
  } catch (const std::exception& e) {
    context_error = e.what();
  }
  RequestHeader header{};
  if (!read_all(request_fd, reinterpret_cast<char*>(&header), sizeof header))
    _exit(0);  // not needed after all
  // Sizes the parent wrote; the guard only keeps a short read from allocating wildly.
  if (header.engine_size > 64 || header.format_size > 64 || header.dot_size > (std::uint64_t{1} << 40))
    _exit(5);
  std::string engine(header.engine_size, '\0'), format(header.format_size, '\0'), dot(header.dot_size, '\0');
  if (!read_all(request_fd, engine.data(), engine.size()) ||
      !read_all(request_fd, format.data(), format.size()) || !read_all(request_fd, dot.data(), dot.size()))
    _exit(0);
  ::close(request_fd);
  SandboxLimits limits{header.timeout_seconds, static_cast<std::size_t>(header.memory_limit_bytes)};
  refuse_if_over(limits);
  limit_child(limits);
  reply_and_exit(limits, [&] {
    if (!context) throw RenderError(context_error);
    return lay_out_dot(*context, dot, engine, format);
  });
}

// --- the parent ------------------------------------------------------------------

using Clock = std::chrono::steady_clock;

Clock::time_point deadline_after(double seconds) {
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

std::string timeout_message(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", seconds);
  return std::string("layout did not finish within ") + text +
         " s (raise --timeout, or draw less: --view, --only, --at)";
}

// waitpid, through interruptions; the child's status.
int reap(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// What the child printed, kept up to a bound: a child printing without end
// cannot make the parent's memory grow with it.
constexpr std::size_t kPrintedKept = 64 << 10;

// Reads what `fd` has now into `printed`; false at end of file or error.
bool read_printed(int fd, std::string& printed) {
  char buffer[1 << 14];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return true;
    if (n <= 0) return false;
    printed.append(
        buffer, std::min(static_cast<std::size_t>(n), kPrintedKept - std::min(kPrintedKept, printed.size())));
  }
}

// The message for a child that sent no output, from what it sent and how it
// ended.
std::string failure_message(const std::vector<Frame>& frames, const std::vector<std::string>& notes,
                            int status, const SandboxLimits& limits) {
  std::string error;
  bool memory = false;
  for (const Frame& f : frames) {
    if (f.tag == kRefused) return std::string(f.bytes);
    if (f.tag == kError) error = f.bytes;
    if (f.tag == kMemory) memory = true;
  }
  const std::string memory_hint =
      "; the memory limit (" + memory_flag(limits.memory_limit_bytes) + ") may be too small";
  if (!error.empty()) {
    // Under a tight address-space limit Graphviz cannot load its layout
    // plugins and says only that the engine is "not recognized".
    if (error.find("not recognized") != std::string::npos)
      return "Graphviz: " + error + memory_hint + " for Graphviz to load its plugins";
    return "Graphviz: " + error + (memory ? memory_hint : "");
  }
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    if (sig == SIGXCPU) return "layout used more CPU time than --timeout allows";
    return std::string("Graphviz crashed (") + strsignal(sig) + ")" +
           (sig == SIGSEGV || sig == SIGABRT || sig == SIGTRAP ? memory_hint : "");
  }
  return "Graphviz stopped with status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
         (notes.empty() ? std::string() : ": " + notes.back()) + (memory ? memory_hint : "");
}

// fork(), after flushing stdio: unflushed buffers would otherwise be written
// twice if Graphviz exit()s in the child.
pid_t fork_flushed() {
  std::fflush(nullptr);
  return fork();
}

}  // namespace

LayoutProcess::LayoutProcess(Format format) {
  if (format != Format::dot) start(format);
}

void LayoutProcess::start(Format format) {
  int pipes[3][2];
  for (int k = 0; k < 3; ++k) {
    if (pipe2(pipes[k], O_CLOEXEC) == 0) continue;
    const std::string why = std::strerror(errno);
    for (int j = 0; j < k; ++j) ::close(pipes[j][0]), ::close(pipes[j][1]);
    throw RenderError("cannot create a pipe: " + why);
  }
  int* request = pipes[0];
  int* reply = pipes[1];
  int* output = pipes[2];
  const pid_t parent = getpid();
  const std::string format_hint = graphviz_format(format);
  pid_t pid = fork_flushed();
  if (pid < 0) {
    const std::string why = std::strerror(errno);
    for (int fd : {request[0], request[1], reply[0], reply[1], output[0], output[1]}) ::close(fd);
    throw RenderError("cannot start the render process: " + why);
  }
  if (pid == 0) {
    ::close(request[1]);
    ::close(reply[0]);
    ::close(output[0]);
    serve_one_request(request[0], reply[1], output[1], format_hint, parent);
  }
  ::close(request[0]);
  ::close(reply[1]);
  ::close(output[1]);
  pid_ = pid;
  request_fd_ = request[1];
  reply_fd_ = reply[0];
  output_fd_ = output[0];
}

LayoutProcess::~LayoutProcess() {
  if (exiting_pid_ > 0) reap(exiting_pid_);
  stop();
}

void LayoutProcess::stop() {
  if (pid_ <= 0) return;
  for (int fd : {request_fd_, reply_fd_, output_fd_}) ::close(fd);
  kill(pid_, SIGKILL);
  reap(std::exchange(pid_, -1));
}

std::string LayoutProcess::render(const std::string& dot, const RenderOptions& options,
                                  std::vector<std::string>* messages) {
  if (used_) throw RenderError("the layout process was already used");
  used_ = true;
  if (options.format == Format::dot) {
    stop();
    return dot;
  }
  if (pid_ <= 0) start(options.format);
  return exchange(graphviz_format(options.format), dot, options, options.format == Format::pdf, messages);
}

std::string LayoutProcess::run(Job job, const std::vector<std::string>& dots, const RenderOptions& options,
                               std::vector<std::string>* messages) {
  if (used_) throw RenderError("the layout process was already used");
  used_ = true;
  if (pid_ <= 0) start(options.format == Format::dot ? Format::svg : options.format);
  // DOT text never holds a NUL byte (GraphvizGraph::parse reads up to one).
  std::string payload;
  for (const auto& dot : dots) {
    if (!payload.empty()) payload += '\0';
    payload += dot;
  }
  const bool pdf = job == Job::pdf_pages;
  const std::string name = job == Job::union_layout ? kUnionLayoutJob
                           : pdf                    ? kPdfPagesJob
                                                    : kFramesJob + graphviz_format(options.format);
  return exchange(name, payload, options, pdf, messages);
}

std::vector<std::string> LayoutProcess::split_frames(const std::string& joined) {
  std::vector<std::string> outputs;
  for (std::size_t at = 0; at < joined.size();) {
    std::uint64_t size = 0;
    if (joined.size() - at < sizeof size) throw RenderError("the layout process sent a broken frame");
    std::memcpy(&size, joined.data() + at, sizeof size);
    at += sizeof size;
    if (size > joined.size() - at) throw RenderError("the layout process sent a broken frame");
    outputs.push_back(joined.substr(at, size));
    at += size;
  }
  return outputs;
}

std::string LayoutProcess::exchange(const std::string& format, const std::string& dot,
                                    const RenderOptions& options, bool pdf,
                                    std::vector<std::string>* messages) {
  const pid_t pid = std::exchange(pid_, -1);
  int request_fd = std::exchange(request_fd_, -1);
  const int reply_fd = std::exchange(reply_fd_, -1);
  const int output_fd = std::exchange(output_fd_, -1);
  const SandboxLimits limits{options.timeout_seconds, options.memory_limit_bytes};
  const auto deadline = deadline_after(limits.timeout_seconds);

  // gvLayout lets the graph's `layout` attribute override the engine named,
  // as `dot -Tsvg` does.
  const std::string engine(to_string(options.engine == Engine::automatic ? Engine::dot : options.engine));
  RequestHeader header{engine.size(), format.size(), dot.size(), limits.timeout_seconds,
                       limits.memory_limit_bytes};
  std::string request(reinterpret_cast<const char*>(&header), sizeof header);
  request += engine;
  request += format;
  request += dot;

  // One loop until the deadline: the request written, and the reply and
  // what the child prints read, all without blocking, so neither a child
  // stuck in its start-up nor one that fills a pipe can hang the parent, and
  // a dead one does not kill it with SIGPIPE.
  for (int fd : {request_fd, output_fd}) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  struct sigaction ignore = {};
  struct sigaction previous = {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &previous);
  std::string received, printed;
  std::size_t sent = 0;
  bool timed_out = false, output_complete = false, printing = true;
  char buffer[1 << 16];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd fds[3] = {{reply_fd, POLLIN, 0}, {printing ? output_fd : -1, POLLIN, 0}, {request_fd, POLLOUT, 0}};
    if (poll(fds, 3, static_cast<int>(std::min<long long>(left, 1000))) <= 0) continue;  // (-1: not asked)
    if (fds[2].revents != 0) {
      ssize_t n = ::write(request_fd, request.data() + sent, request.size() - sent);
      if (n > 0) sent += static_cast<std::size_t>(n);
      // Written, or the child is gone (its reply, or none, says why).
      if (sent == request.size() || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        ::close(request_fd);
        request_fd = -1;
      }
    }
    if (fds[1].revents != 0) printing = read_printed(output_fd, printed);
    if (fds[0].revents != 0) {
      ssize_t n = ::read(reply_fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      received.append(buffer, static_cast<std::size_t>(n));
      // The output is the child's last word: it need not be waited for while
      // it ends (unmapping Graphviz's libraries takes milliseconds); the
      // destructor reaps it.
      if (has_output_frame(received)) {
        output_complete = true;
        break;
      }
    }
  }
  sigaction(SIGPIPE, &previous, nullptr);
  if (request_fd >= 0) ::close(request_fd);
  ::close(reply_fd);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  if (output_complete) {
    exiting_pid_ = pid;
  } else {
    status = reap(pid);
  }
  // Once the child has ended, all it printed is in the pipe.
  if (printing) read_printed(output_fd, printed);
  ::close(output_fd);
  if (timed_out) throw RenderError(timeout_message(limits.timeout_seconds));

  const std::vector<Frame> frames = whole_frames(received);
  std::vector<std::string> notes;
  std::optional<std::string> output;
  for (const Frame& f : frames) {
    if (f.tag == kMessage) notes.emplace_back(f.bytes);
    if (f.tag == kOutput) output.emplace(f.bytes);
  }
  for (auto& line : text::non_empty_lines(printed)) notes.push_back(std::move(line));
  if (messages) messages->insert(messages->end(), notes.begin(), notes.end());
  if (!output || !(output_complete || (WIFEXITED(status) && WEXITSTATUS(status) == 0)))
    throw RenderError(failure_message(frames, notes, status, limits));
  if (pdf) make_pdf_deterministic(*output);
  return std::move(*output);
}

}  // namespace imozuru::render
