#include "model/output_file.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace imozuru {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const char* what, int err) {
  throw std::runtime_error("cannot write " + path.string() + ": " + what + ": " + std::strerror(err));
}

// Ctrl-C (SIGINT), SIGTERM or SIGHUP while a temporary file exists removes
// it, then the signal does what it would have done. Only signals left at
// their default action are taken over (a program that handles or ignores one
// keeps its choice). SIGKILL cannot be caught: it may leave the hidden
// `.NAME.tmp-XXXXXX`, never a partial NAME. One write at a time: a
// process-wide lock makes a write on another thread (the parsed-model
// cache's snapshot, cli/common.h) wait for the one in progress.
//
// g_temp_state says where the one write is: kTempNone, kTempBusy while its
// temporary file is being created or renamed (the writing thread holds the
// signals back then; a handler on another thread waits for the step to end,
// which the writing thread does meanwhile), kTempActive while the file
// exists under g_temp_path. Lock-free atomics are async-signal-safe.
std::mutex g_write_lock;
char g_temp_path[4096];
constexpr int kTempNone = 0, kTempBusy = 1, kTempActive = 2;
std::atomic<int> g_temp_state{kTempNone};
static_assert(std::atomic<int>::is_always_lock_free);
constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP};

// The temporary file's name once no step is under way; nullptr when none.
const char* pending_temp_path() noexcept {
  int state;
  while ((state = g_temp_state.load(std::memory_order_acquire)) == kTempBusy) {
  }
  return state == kTempActive ? g_temp_path : nullptr;
}

extern "C" void remove_temp_and_reraise(int sig) {
  if (const char* path = pending_temp_path()) unlink(path);  // async-signal-safe
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

class TempFileCleanup {
 public:
  TempFileCleanup() {
    struct sigaction action {};
    action.sa_handler = remove_temp_and_reraise;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < 3; ++i) {
      installed_[i] = sigaction(kCleanupSignals[i], nullptr, &previous_[i]) == 0 &&
                      previous_[i].sa_handler == SIG_DFL &&
                      sigaction(kCleanupSignals[i], &action, nullptr) == 0;
    }
  }
  // A step on the temporary file begins (creating it, renaming it): a
  // handler on another thread waits for watch() or release().
  void busy() { g_temp_state.store(kTempBusy, std::memory_order_release); }
  // The temporary file now exists at `path`.
  void watch(const std::string& path) {
    if (path.size() >= sizeof g_temp_path) return release();
    std::memcpy(g_temp_path, path.c_str(), path.size() + 1);
    g_temp_state.store(kTempActive, std::memory_order_release);
  }
  // The temporary file is gone (renamed or removed), or was never made.
  void release() { g_temp_state.store(kTempNone, std::memory_order_release); }
  ~TempFileCleanup() {
    release();
    for (int i = 0; i < 3; ++i)
      if (installed_[i]) sigaction(kCleanupSignals[i], &previous_[i], nullptr);
  }
  TempFileCleanup(const TempFileCleanup&) = delete;
  TempFileCleanup& operator=(const TempFileCleanup&) = delete;

 private:
  struct sigaction previous_[3]{};
  bool installed_[3] = {false, false, false};
};

// Holds SIGINT, SIGTERM and SIGHUP back while it lives, so that creating the
// temporary file and recording its name for the handler happen as one step:
// a signal in between would otherwise leave the file behind. A signal that
// arrives meanwhile is delivered when this ends.
class HeldSignals {
 public:
  HeldSignals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : kCleanupSignals) sigaddset(&set, sig);
    held_ = pthread_sigmask(SIG_BLOCK, &set, &previous_) == 0;
  }
  ~HeldSignals() {
    if (held_) pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  HeldSignals(const HeldSignals&) = delete;
  HeldSignals& operator=(const HeldSignals&) = delete;

 private:
  sigset_t previous_{};
  bool held_ = false;
};

}  // namespace

void remove_pending_temporary_file() noexcept {
  if (const char* path = pending_temp_path()) unlink(path);
}

std::optional<int> descriptor_of_path(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(path, ec);
  if (ec) return std::nullopt;
  const std::string text = p.lexically_normal().string();
  if (text == "/dev/stdin") return 0;
  if (text == "/dev/stdout") return 1;
  if (text == "/dev/stderr") return 2;
  const std::string own = "/proc/" + std::to_string(getpid()) + "/fd/";
  for (const std::string& prefix : {std::string("/dev/fd/"), std::string("/proc/self/fd/"), own}) {
    if (text.size() <= prefix.size() || text.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = text.substr(prefix.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoi(digits);
  }
  return std::nullopt;
}

namespace {

// The process's umask, read without changing it: umask(0) then umask(mask)
// would leave it 0 for a moment, and another thread creating a file or a
// directory then (the parsed-model cache's, cli/common.h) would make it
// open to everyone. Linux says it in /proc/self/status; elsewhere, or if
// that cannot be read, the umask(2) round trip.
mode_t current_umask() {
  if (std::FILE* f = std::fopen("/proc/self/status", "re")) {
    char line[256];
    unsigned mask = 0;
    bool found = false;
    while (!found && std::fgets(line, sizeof line, f)) found = std::sscanf(line, "Umask: %o", &mask) == 1;
    std::fclose(f);
    if (found) return static_cast<mode_t>(mask & 0777);
  }
  const mode_t mask = umask(0);
  umask(mask);
  return mask;
}

// Writes everything to an open descriptor, retrying short writes.
bool write_all(int fd, std::string_view content) {
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    written += static_cast<size_t>(n);
  }
  return true;
}

// A descriptor, a character device or a FIFO: the bytes go through, in order.
void write_through(const std::filesystem::path& path, std::optional<int> descriptor,
                   std::string_view content) {
  if (descriptor) {
    if (fcntl(*descriptor, F_GETFD) < 0) fail(path, "no such open file descriptor", errno);
    // What the program already buffered for the same stream goes first.
    if (*descriptor == STDOUT_FILENO) std::fflush(stdout);
    if (*descriptor == STDERR_FILENO) std::fflush(stderr);
    if (!write_all(*descriptor, content)) fail(path, "writing", errno);
    return;
  }
  // A FIFO waits here for a reader, as a shell redirection would.
  int fd = open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) fail(path, "opening", errno);
  if (!write_all(fd, content)) {
    int err = errno;
    close(fd);
    fail(path, "writing", err);
  }
  if (close(fd) != 0) fail(path, "closing", errno);
}

}  // namespace

void write_file_atomically(const std::filesystem::path& requested, std::string_view content) {
  const std::optional<int> descriptor = descriptor_of_path(requested);
  if (descriptor) return write_through(requested, descriptor, content);
  std::filesystem::path path = requested;
  mode_t mode = 0;  // 0: a new file
  struct stat st {};
  if (::stat(requested.c_str(), &st) == 0) {
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return write_through(requested, std::nullopt, content);
    if (S_ISDIR(st.st_mode)) fail(requested, "it is a directory", EISDIR);
    if (!S_ISREG(st.st_mode))
      throw std::runtime_error(
          "cannot write " + requested.string() +
          ": it is neither a regular file, a character device nor a FIFO (a socket or a block "
          "device is never replaced)");
    mode = st.st_mode & 0777;
    // A symbolic link is followed: its target is replaced, the link kept.
    struct stat lst {};
    if (::lstat(requested.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
      std::error_code ec;
      std::filesystem::path target = std::filesystem::canonical(requested, ec);
      if (!ec) path = target;
    }
  } else if (errno != ENOENT) {
    fail(requested, "examining it", errno);
  } else {
    struct stat lst {};
    if (::lstat(requested.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode))
      throw std::runtime_error("cannot write " + requested.string() +
                               ": it is a symbolic link to a file that does not exist");
  }
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmpl = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  const std::lock_guard<std::mutex> one_write_at_a_time(g_write_lock);
  TempFileCleanup cleanup;
  int fd;
  {
    HeldSignals held;
    cleanup.busy();
    fd = mkstemp(tmpl.data());
    if (fd < 0) {
      cleanup.release();
      fail(path, "creating a temporary file", errno);
    }
    cleanup.watch(tmpl);
  }

  auto abandon = [&](const char* what) {
    int err = errno;
    close(fd);
    unlink(tmpl.c_str());
    fail(path, what, err);
  };
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      abandon("writing");
    }
    written += static_cast<size_t>(n);
  }
  // mkstemp creates 0600: give the file the old file's permissions, or those
  // a normal create would.
  if (mode == 0) {
    mode = 0666 & ~current_umask();
  }
  if (fchmod(fd, mode) != 0) abandon("setting permissions");
  if (fsync(fd) != 0) abandon("syncing");
  if (close(fd) != 0) {
    int err = errno;
    unlink(tmpl.c_str());
    fail(path, "closing", err);
  }
  {
    HeldSignals held;  // so the handler never unlinks a name that is already gone
    cleanup.busy();
    if (rename(tmpl.c_str(), path.c_str()) != 0) {
      int err = errno;
      cleanup.release();
      unlink(tmpl.c_str());
      fail(path, "renaming into place", err);
    }
    cleanup.release();
  }
}

}  // namespace imozuru
