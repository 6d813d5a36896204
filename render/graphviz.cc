#include "render/graphviz.h"

#include <fcntl.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
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
// then change from run to run. Declining named ids makes cgraph number every
// object from this counter, in creation order, and keep names in its own map.
struct CreationOrderIds {
  IDTYPE next = 1;  // odd: cgraph treats odd ids as anonymous
};
void* ids_open(Agraph_t*, Agdisc_t*) { return new CreationOrderIds; }
long ids_map(void* state, int, char* name, IDTYPE* id, int create) {
  if (name || !create) return 0;
  auto* ids = static_cast<CreationOrderIds*>(state);
  *id = ids->next;
  ids->next += 2;
  return 1;
}
long ids_alloc(void*, int, IDTYPE) { return 0; }
void ids_free(void*, int, IDTYPE) {}
char* ids_print(void*, int, IDTYPE) { return nullptr; }
void ids_close(void* state) { delete static_cast<CreationOrderIds*>(state); }
void ids_register(void*, int, void*) {}
Agiddisc_t creation_order_ids = {ids_open, ids_map, ids_alloc, ids_free, ids_print, ids_close, ids_register};
Agdisc_t deterministic_disc = {&AgMemDisc, &creation_order_ids, &AgIoDisc};

}  // namespace

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
  g_ = agopen(const_cast<char*>(name.c_str()), Agdirected, &deterministic_disc);
  if (!g_) throw RenderError("cannot create a Graphviz graph");
}
GraphvizGraph GraphvizGraph::parse(const std::string& dot) {
  route_graphviz_messages();
  GraphvizGraph graph;
  graph.g_ = agmemread(dot.c_str());
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

// Messages on the pipe: a tag byte, a 64-bit length, the bytes.
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

bool send(int fd, Tag tag, std::string_view bytes) {
  std::uint64_t size = bytes.size();
  char header[9];
  header[0] = tag;
  std::memcpy(header + 1, &size, sizeof size);
  return write_all(fd, header, sizeof header) && write_all(fd, bytes.data(), bytes.size());
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

[[noreturn]] void run_child(int fd, const GraphvizContext& context, const GraphvizGraph& graph,
                            const std::string& engine, const std::string& format, const SandboxLimits& limits) {
  signal(SIGPIPE, SIG_IGN);
  g_child_fd = fd;
  std::atexit(send_pending_messages);
#if !IMOZURU_ASAN
  // AddressSanitizer reserves terabytes of address space; limit only real builds.
  rlimit memory{static_cast<rlim_t>(limits.memory_limit_bytes), static_cast<rlim_t>(limits.memory_limit_bytes)};
  setrlimit(RLIMIT_AS, &memory);
#endif
  // A second guard in case the parent dies: CPU seconds, rounded up.
  rlim_t cpu = static_cast<rlim_t>(std::ceil(limits.timeout_seconds)) + 1;
  rlimit cpu_limit{cpu, cpu + 1};
  setrlimit(RLIMIT_CPU, &cpu_limit);
  int code = 0;
  try {
    GraphvizLayout layout(context, graph, engine);
    std::string bytes = layout.render(format);
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

}  // namespace

std::string render_in_child(const GraphvizContext& context, const GraphvizGraph& graph, const std::string& engine,
                            const std::string& format, const SandboxLimits& limits,
                            std::vector<std::string>* messages) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw RenderError(std::string("cannot create a pipe: ") + std::strerror(errno));
  // Unflushed stdio buffers would otherwise be written twice if Graphviz exit()s.
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw RenderError(std::string("cannot start the render process: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[0]);
    run_child(fds[1], context, graph, engine, format, limits);
  }
  ::close(fds[1]);

  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(limits.timeout_seconds));
  std::string received;
  bool timed_out = false;
  char buffer[1 << 16];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int ready = poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", limits.timeout_seconds);
    throw RenderError(std::string("layout did not finish within ") + seconds +
                      " s (raise --timeout, or draw less: --view, --only, --at)");
  }

  std::string output, error;
  bool have_output = false;
  std::vector<std::string> notes;
  for (std::size_t pos = 0; pos + 9 <= received.size();) {
    char tag = received[pos];
    std::uint64_t size;
    std::memcpy(&size, received.data() + pos + 1, sizeof size);
    if (pos + 9 + size > received.size()) break;
    std::string bytes = received.substr(pos + 9, size);
    pos += 9 + size;
    if (tag == kOutput) {
      output = std::move(bytes);
      have_output = true;
    } else if (tag == kMessage) {
      notes.push_back(std::move(bytes));
    } else if (tag == kError) {
      error = std::move(bytes);
    }
  }
  if (messages) messages->insert(messages->end(), notes.begin(), notes.end());
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && have_output) return output;
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
                      (sig == SIGSEGV || sig == SIGABRT ? memory_hint : ""));
  }
  throw RenderError("Graphviz stopped with status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                    (notes.empty() ? std::string() : ": " + notes.back()));
}

}  // namespace imozuru::render
