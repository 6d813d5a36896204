#include "model/output_file.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
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
// `.NAME.tmp-XXXXXX`, never a partial NAME. One write at a time (the tool is
// single-threaded).
char g_temp_path[4096];
volatile std::sig_atomic_t g_temp_active = 0;
constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void remove_temp_and_reraise(int sig) {
  if (g_temp_active) unlink(g_temp_path);  // async-signal-safe
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
  // The temporary file now exists at `path`.
  void watch(const std::string& path) {
    if (path.size() >= sizeof g_temp_path) return;
    std::memcpy(g_temp_path, path.c_str(), path.size() + 1);
    g_temp_active = 1;
  }
  // The temporary file is gone (renamed or removed).
  void release() { g_temp_active = 0; }
  ~TempFileCleanup() {
    g_temp_active = 0;
    for (int i = 0; i < 3; ++i)
      if (installed_[i]) sigaction(kCleanupSignals[i], &previous_[i], nullptr);
  }
  TempFileCleanup(const TempFileCleanup&) = delete;
  TempFileCleanup& operator=(const TempFileCleanup&) = delete;

 private:
  struct sigaction previous_[3] {};
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
  if (g_temp_active) unlink(g_temp_path);
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmpl = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  TempFileCleanup cleanup;
  int fd;
  {
    HeldSignals held;
    fd = mkstemp(tmpl.data());
    if (fd < 0) fail(path, "creating a temporary file", errno);
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
  // mkstemp creates 0600; give the file the permissions a normal create would.
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0) abandon("setting permissions");
  if (fsync(fd) != 0) abandon("syncing");
  if (close(fd) != 0) {
    int err = errno;
    unlink(tmpl.c_str());
    fail(path, "closing", err);
  }
  {
    HeldSignals held;  // so the handler never unlinks a name that is already gone
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
