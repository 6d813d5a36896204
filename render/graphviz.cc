#include "render/graphviz.h"

#include <fcntl.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
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
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <unordered_map>
#include <utility>

#include "render/render.h"

namespace imozuru::render {
namespace {

// Graphviz reports through one process-wide hook; its text arrives in pieces.
std::string& pending_messages() {
  static std::string text;
  return text;
}

int collect_message(char* text) {
  pending_messages() += text;
  return 0;
}

void route_graphviz_messages() {
  static bool routed = [] {
    agseterrf(collect_message);
    return true;
  }();
  (void)routed;
}

// cgraph's default discipline uses the address of a name's interned string
// as the object's id, and writes subgraphs in id order: the DOT text would
// then change from run to run. This one numbers objects in creation order
// from one counter (named objects even ids, anonymous ones odd, as cgraph
// expects) and keeps the names itself, interned in the graph's string pool
// as cgraph's own discipline does: agwrite looks at the pool's header of a
// name (is it an HTML string?), so a name must be a pool string. (Declining
// names and leaving them to cgraph's internal map is not enough: after an
// sfdp, fdp or neato layout agnameof no longer finds them there, and the SVG
// said "%3" for every node.)
struct CreationOrderIds {
  Agraph_t* root = nullptr;
  IDTYPE count = 0;
  std::unordered_map<std::string, IDTYPE> by_name;
  std::unordered_map<IDTYPE, char*> by_id;  // agstrdup'd; the pool goes with the graph
};
void* ids_open(Agraph_t* root, Agdisc_t*) {
  auto* ids = new CreationOrderIds;
  ids->root = root;
  return ids;
}
long ids_map(void* state, int, char* name, IDTYPE* id, int create) {
  auto* ids = static_cast<CreationOrderIds*>(state);
  if (!name) {
    if (!create) return 0;
    *id = 2 * ++ids->count + 1;
    return 1;
  }
  auto found = ids->by_name.find(name);
  if (found != ids->by_name.end()) {
    *id = found->second;
    return 1;
  }
  if (!create) return 0;
  *id = 2 * ++ids->count;
  ids->by_name.emplace(name, *id);
  ids->by_id.emplace(*id, agstrdup(ids->root, name));
  return 1;
}
// An object made with an id of the caller's choosing (agidnode): like
// cgraph's own discipline, only even ids, which must not be taken.
long ids_alloc(void* state, int, IDTYPE request) {
  auto* ids = static_cast<CreationOrderIds*>(state);
  if ((request & 1) != 0 || ids->by_id.count(request) != 0) return 0;
  ids->count = std::max(ids->count, request / 2);  // the counter never hands it out again
  return 1;
}
void ids_free(void*, int, IDTYPE) {}  // a name stays with its id while the graph lives
char* ids_print(void* state, int, IDTYPE id) {
  auto* ids = static_cast<CreationOrderIds*>(state);
  auto found = ids->by_id.find(id);
  return found == ids->by_id.end() ? nullptr : found->second;
}
void ids_close(void* state) { delete static_cast<CreationOrderIds*>(state); }
void ids_register(void*, int, void*) {}
Agiddisc_t creation_order_ids = {ids_open, ids_map, ids_alloc, ids_free, ids_print, ids_close, ids_register};
Agdisc_t deterministic_disc = {&AgMemDisc, &creation_order_ids, &AgIoDisc};

}  // namespace

void set_prototype_defaults() {
  static bool done = [] {
    agattr(nullptr, AGNODE, const_cast<char*>("label"), const_cast<char*>("\\N"));  // as gvContext does
    return true;
  }();
  (void)done;
}

std::vector<std::string> take_graphviz_messages() {
  std::vector<std::string> lines;
  std::string& text = pending_messages();
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  text.clear();
  return lines;
}

GraphvizContext::GraphvizContext() {
  route_graphviz_messages();
  gvc_ = gvContext();
  if (!gvc_) throw RenderError("cannot start Graphviz (gvContext failed)");
}
GraphvizContext::~GraphvizContext() {
  if (gvc_) gvFreeContext(gvc_);
}
GraphvizContext::GraphvizContext(GraphvizContext&& other) noexcept : gvc_(std::exchange(other.gvc_, nullptr)) {}
GraphvizContext& GraphvizContext::operator=(GraphvizContext&& other) noexcept {
  std::swap(gvc_, other.gvc_);
  return *this;
}

GraphvizGraph::GraphvizGraph(const std::string& name) {
  route_graphviz_messages();
  set_prototype_defaults();
  g_ = agopen(const_cast<char*>(name.c_str()), Agdirected, &deterministic_disc);
  if (!g_) throw RenderError("cannot create a Graphviz graph");
}
namespace {
// DOT text read from memory a line at a time, as agmemread does, but with the
// creation-order ids above: the parsed graph's subgraphs come in the order
// they are written, not in the order of their names' addresses.
struct MemoryReader {
  const char* data;
  std::size_t size;
  std::size_t at = 0;
};
int read_line(void* chan, char* buf, int bufsize) {
  auto* r = static_cast<MemoryReader*>(chan);
  int n = 0;
  while (n < bufsize && r->at < r->size) {
    char c = r->data[r->at++];
    buf[n++] = c;
    if (c == '\n') break;
  }
  return n;
}
int no_put(void*, const char*) { return EOF; }
int no_flush(void*) { return 0; }
Agiodisc_t memory_io = {read_line, no_put, no_flush};
Agdisc_t deterministic_read_disc = {&AgMemDisc, &creation_order_ids, &memory_io};
}  // namespace

GraphvizGraph GraphvizGraph::parse(const std::string& dot) {
  route_graphviz_messages();
  set_prototype_defaults();
  GraphvizGraph graph;
  MemoryReader reader{dot.c_str(), std::strlen(dot.c_str())};  // up to a NUL, as agmemread
  graph.g_ = agread(&reader, &deterministic_read_disc);
  if (!graph.g_) {
    auto messages = take_graphviz_messages();
    throw RenderError("Graphviz cannot parse the DOT text" + (messages.empty() ? "" : ": " + messages.front()));
  }
  return graph;
}
GraphvizGraph::~GraphvizGraph() {
  if (g_) agclose(g_);
}
GraphvizGraph::GraphvizGraph(GraphvizGraph&& other) noexcept : g_(std::exchange(other.g_, nullptr)) {}
GraphvizGraph& GraphvizGraph::operator=(GraphvizGraph&& other) noexcept {
  std::swap(g_, other.g_);
  return *this;
}

std::string GraphvizGraph::dot() const {
  char* buffer = nullptr;
  std::size_t size = 0;
  FILE* stream = open_memstream(&buffer, &size);
  if (!stream) throw RenderError("out of memory writing DOT");
  int status = agwrite(g_, stream);
  int closed = std::fclose(stream);
  std::string text = buffer ? std::string(buffer, size) : std::string();
  std::free(buffer);
  if (status != 0 || closed != 0) throw RenderError("Graphviz could not write the DOT text");
  return text;
}

GraphvizLayout::GraphvizLayout(const GraphvizContext& context, const GraphvizGraph& graph, const std::string& engine)
    : gvc_(context.get()), g_(graph.get()) {
  if (gvLayout(gvc_, g_, engine.c_str()) != 0) {
    auto messages = take_graphviz_messages();
    gvc_ = nullptr;
    throw RenderError("Graphviz layout '" + engine + "' failed" + (messages.empty() ? "" : ": " + messages.back()));
  }
}
GraphvizLayout::~GraphvizLayout() {
  if (gvc_) gvFreeLayout(gvc_, g_);
}
GraphvizLayout::GraphvizLayout(GraphvizLayout&& other) noexcept
    : gvc_(std::exchange(other.gvc_, nullptr)), g_(std::exchange(other.g_, nullptr)) {}
GraphvizLayout& GraphvizLayout::operator=(GraphvizLayout&& other) noexcept {
  std::swap(gvc_, other.gvc_);
  std::swap(g_, other.g_);
  return *this;
}

std::string GraphvizLayout::render(const std::string& format) const {
  char* data = nullptr;
  unsigned int length = 0;
  if (gvRenderData(gvc_, g_, format.c_str(), &data, &length) != 0) {
    if (data) gvFreeRenderData(data);
    auto messages = take_graphviz_messages();
    throw RenderError("Graphviz cannot render " + format + (messages.empty() ? "" : ": " + messages.back()));
  }
  std::string bytes(data ? data : "", length);
  gvFreeRenderData(data);
  return bytes;
}

// --- the child process -------------------------------------------------------
namespace {

// Messages on the reply pipe: a tag byte, a 64-bit length, the bytes.
enum Tag : char { kOutput = 'O', kMessage = 'M', kError = 'E' };

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

std::string framed(Tag tag, std::string_view bytes) {
  std::uint64_t size = bytes.size();
  std::string frame(9, '\0');
  frame[0] = tag;
  std::memcpy(frame.data() + 1, &size, sizeof size);
  frame.append(bytes);
  return frame;
}

bool send(int fd, Tag tag, std::string_view bytes) {
  std::string frame = framed(tag, bytes);
  return write_all(fd, frame.data(), frame.size());
}

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

// If Graphviz exit()s inside the child, still hand its messages to the parent.
int g_child_fd = -1;
void send_pending_messages() {
  for (const auto& m : take_graphviz_messages()) send(g_child_fd, kMessage, m);
}

// The child's limits, from now: its address space, and CPU seconds (a second
// guard in case the parent dies) counted from what it has used so far.
void limit_child(const SandboxLimits& limits) {
#if !IMOZURU_ASAN
  rlimit memory{static_cast<rlim_t>(limits.memory_limit_bytes), static_cast<rlim_t>(limits.memory_limit_bytes)};
  setrlimit(RLIMIT_AS, &memory);
#endif
  rusage used{};
  getrusage(RUSAGE_SELF, &used);
  rlim_t cpu = static_cast<rlim_t>(used.ru_utime.tv_sec + used.ru_stime.tv_sec) +
               static_cast<rlim_t>(std::ceil(limits.timeout_seconds)) + 2;
  rlimit cpu_limit{cpu, cpu + 1};
  setrlimit(RLIMIT_CPU, &cpu_limit);
}

// Runs `work` (which lays out and renders, returning the bytes), sends what
// came of it on `fd` and ends the child.
template <class Work>
[[noreturn]] void reply_and_exit(int fd, const SandboxLimits& limits, Work work) {
  int code = 0;
  try {
    std::string bytes = work();
    for (const auto& m : take_graphviz_messages()) send(fd, kMessage, m);
    if (!send(fd, kOutput, bytes)) code = 4;
  } catch (const std::bad_alloc&) {
    send(fd, kError, "out of memory (--memory-limit " + std::to_string(limits.memory_limit_bytes >> 20) + ")");
    code = 3;
  } catch (const std::exception& e) {
    send(fd, kError, e.what());
    code = 3;
  }
  ::close(fd);
  _exit(code);
}

void enter_child(int reply_fd) {
  signal(SIGPIPE, SIG_IGN);
  g_child_fd = reply_fd;
  std::atexit(send_pending_messages);
}

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

// Whether `received` holds a whole output frame: the child's last word.
bool has_output_frame(const std::string& received) {
  for (const Frame& f : whole_frames(received))
    if (f.tag == kOutput) return true;
  return false;
}

// Waits until `fd` is ready for `events` or a second has passed: 1 ready,
// 0 not yet (ask again), -1 `deadline` has passed.
int wait_ready(int fd, short events, Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) return -1;
  pollfd p{fd, events, 0};
  return poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000))) > 0 ? 1 : 0;
}

// waitpid, through interruptions; the child's status.
int reap(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// Waits for the child's reply until `deadline`, reaps the child and returns
// the output, or throws RenderError saying what went wrong. With
// `left_exiting`, a child that has sent its whole output is not waited for
// (its exit, unmapping Graphviz's libraries, takes milliseconds): the caller
// reaps it later, and *left_exiting says so.
std::string await_reply(pid_t pid, int reply_fd, Clock::time_point deadline, const SandboxLimits& limits,
                        std::vector<std::string>* messages, bool* left_exiting = nullptr) {
  std::string received;
  bool timed_out = false;
  bool output_complete = false;
  char buffer[1 << 16];
  for (;;) {
    int ready = wait_ready(reply_fd, POLLIN, deadline);
    if (ready < 0) {
      timed_out = true;
      break;
    }
    if (ready == 0) continue;
    ssize_t n = ::read(reply_fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
    if (left_exiting && has_output_frame(received)) {
      output_complete = true;
      break;
    }
  }
  ::close(reply_fd);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  if (output_complete) {
    *left_exiting = true;
  } else {
    status = reap(pid);
  }
  if (timed_out) throw RenderError(timeout_message(limits.timeout_seconds));

  std::string output, error;
  bool have_output = false;
  std::vector<std::string> notes;
  for (const Frame& f : whole_frames(received)) {
    if (f.tag == kOutput) {
      output = f.bytes;
      have_output = true;
    } else if (f.tag == kMessage) {
      notes.emplace_back(f.bytes);
    } else if (f.tag == kError) {
      error = f.bytes;
    }
  }
  if (messages) messages->insert(messages->end(), notes.begin(), notes.end());
  if (have_output && (output_complete || (WIFEXITED(status) && WEXITSTATUS(status) == 0))) return output;
  const std::string memory_hint =
      "; the memory limit (--memory-limit " + std::to_string(limits.memory_limit_bytes >> 20) + ") may be too small";
  if (!error.empty()) {
    // Under a tight address-space limit Graphviz cannot load its layout
    // plugins and says only that the engine is "not recognized".
    if (error.find("not recognized") != std::string::npos) error += memory_hint + " for Graphviz to load its plugins";
    throw RenderError("Graphviz: " + error);
  }
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    if (sig == SIGXCPU) throw RenderError("layout used more CPU time than --timeout allows");
    throw RenderError(std::string("Graphviz crashed (") + strsignal(sig) + ")" +
                      (sig == SIGSEGV || sig == SIGABRT || sig == SIGTRAP ? memory_hint : ""));
  }
  throw RenderError("Graphviz stopped with status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                    (notes.empty() ? std::string() : ": " + notes.back()));
}

// The DOT text parsed, laid out and rendered: what `dot -K ENGINE -T FORMAT`
// does with it, so the output is byte-identical to dot's on the same text.
std::string lay_out_dot(const GraphvizContext& context, const std::string& dot, const std::string& engine,
                        const std::string& format) {
  GraphvizGraph graph = GraphvizGraph::parse(dot);
  return GraphvizLayout(context, graph, engine).render(format);
}

// fork(), after flushing stdio: unflushed buffers would otherwise be written
// twice if Graphviz exit()s in the child.
pid_t fork_flushed() {
  std::fflush(nullptr);
  return fork();
}

}  // namespace

std::string render_in_child(const GraphvizContext& context, const std::string& dot, const std::string& engine,
                            const std::string& format, const SandboxLimits& limits,
                            std::vector<std::string>* messages) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw RenderError(std::string("cannot create a pipe: ") + std::strerror(errno));
  const pid_t parent = getpid();
  pid_t pid = fork_flushed();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw RenderError(std::string("cannot start the render process: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[0]);
    enter_child(fds[1]);
    // Gone with the parent (a query killed while it renders, say).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(0);
    limit_child(limits);
    reply_and_exit(fds[1], limits, [&] { return lay_out_dot(context, dot, engine, format); });
  }
  ::close(fds[1]);
  return await_reply(pid, fds[0], deadline_after(limits.timeout_seconds), limits, messages);
}

// --- the layout process started ahead of time --------------------------------
namespace {

// The request: a header (three lengths and the limits), then the engine
// name, the format name and the DOT text.
struct RequestHeader {
  std::uint64_t engine_size, format_size, dot_size;
  double timeout_seconds;
  std::uint64_t memory_limit_bytes;
};

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

[[noreturn]] void serve_one_request(int request_fd, int reply_fd, const std::string& format_hint, pid_t parent) {
  enter_child(reply_fd);
  // Gone with the parent, whatever way it ends (a closed pipe says so too).
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(0);
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
  if (!read_all(request_fd, reinterpret_cast<char*>(&header), sizeof header)) _exit(0);  // not needed after all
  // Sizes the parent wrote; the guard only keeps a short read from allocating wildly.
  if (header.engine_size > 64 || header.format_size > 64 || header.dot_size > (std::uint64_t{1} << 40)) _exit(5);
  std::string engine(header.engine_size, '\0'), format(header.format_size, '\0'), dot(header.dot_size, '\0');
  if (!read_all(request_fd, engine.data(), engine.size()) || !read_all(request_fd, format.data(), format.size()) ||
      !read_all(request_fd, dot.data(), dot.size()))
    _exit(0);
  ::close(request_fd);
  SandboxLimits limits{header.timeout_seconds, static_cast<std::size_t>(header.memory_limit_bytes)};
  limit_child(limits);
  reply_and_exit(reply_fd, limits, [&] {
    if (!context) throw RenderError(context_error);
    return lay_out_dot(*context, dot, engine, format);
  });
}

}  // namespace

LayoutProcess::LayoutProcess(const std::string& format_hint) {
  int request[2], reply[2];
  if (pipe2(request, O_CLOEXEC) != 0) throw RenderError(std::string("cannot create a pipe: ") + std::strerror(errno));
  if (pipe2(reply, O_CLOEXEC) != 0) {
    ::close(request[0]);
    ::close(request[1]);
    throw RenderError(std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  const pid_t parent = getpid();
  pid_t pid = fork_flushed();
  if (pid < 0) {
    for (int fd : {request[0], request[1], reply[0], reply[1]}) ::close(fd);
    throw RenderError(std::string("cannot start the render process: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(request[1]);
    ::close(reply[0]);
    serve_one_request(request[0], reply[1], format_hint, parent);
  }
  ::close(request[0]);
  ::close(reply[1]);
  pid_ = pid;
  request_fd_ = request[1];
  reply_fd_ = reply[0];
}

LayoutProcess::~LayoutProcess() {
  if (exiting_pid_ > 0) reap(exiting_pid_);
  if (pid_ <= 0) return;
  ::close(request_fd_);
  ::close(reply_fd_);
  kill(pid_, SIGKILL);
  reap(pid_);
}

std::string LayoutProcess::render(const std::string& dot, const std::string& engine, const std::string& format,
                                  const SandboxLimits& limits, std::vector<std::string>* messages) {
  if (pid_ <= 0) throw RenderError("the layout process was already used");
  pid_t pid = std::exchange(pid_, -1);
  int request_fd = std::exchange(request_fd_, -1);
  int reply_fd = std::exchange(reply_fd_, -1);
  auto deadline = deadline_after(limits.timeout_seconds);

  RequestHeader header{engine.size(), format.size(), dot.size(), limits.timeout_seconds, limits.memory_limit_bytes};
  std::string request(reinterpret_cast<const char*>(&header), sizeof header);
  request += engine;
  request += format;
  request += dot;
  // Written without blocking and within the deadline: a child stuck in its
  // start-up must not hang the parent, nor a dead one kill it with SIGPIPE.
  fcntl(request_fd, F_SETFL, fcntl(request_fd, F_GETFL) | O_NONBLOCK);
  struct sigaction ignore {}, previous {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &previous);
  // At the deadline the write stops, and await_reply then finds the deadline
  // passed: it kills and reaps the child and says so.
  for (std::size_t sent = 0; sent < request.size();) {
    int ready = wait_ready(request_fd, POLLOUT, deadline);
    if (ready < 0) break;
    if (ready == 0) continue;
    ssize_t n = ::write(request_fd, request.data() + sent, request.size() - sent);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;  // the child is gone; its reply (or none) says why
    sent += static_cast<std::size_t>(n);
  }
  sigaction(SIGPIPE, &previous, nullptr);
  ::close(request_fd);
  bool exiting = false;
  std::string output = await_reply(pid, reply_fd, deadline, limits, messages, &exiting);
  if (exiting) exiting_pid_ = pid;  // reaped when this object goes, its exit overlapping the parent's work
  return output;
}

}  // namespace imozuru::render
