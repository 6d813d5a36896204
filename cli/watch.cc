#include "cli/watch.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <vector>

#include "cli/common.h"
#include "model/load.h"
#include "output/messages.h"
#include "text/escape.h"

namespace imozuru::cli {
namespace {

namespace fs = std::filesystem;

// How long the model must stay quiet after a change before it is read: an
// editor's save is often several writes and a rename.
constexpr int kQuietMilliseconds = 200;

// SIGINT, SIGTERM and SIGHUP end the watch between builds: the handler only
// writes a byte to this pipe, which the wait below polls with the watches.
int g_stop_pipe[2] = {-1, -1};
constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void on_stop_signal(int) {
  const int saved = errno;
  const char byte = 1;
  if (write(g_stop_pipe[1], &byte, 1) < 0) {
    // the pipe is full: a stop is already pending
  }
  errno = saved;
}

class StopSignals {
 public:
  StopSignals() {
    if (pipe2(g_stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
      fail(kExitFailure, std::string("--watch: cannot create a pipe: ") + std::strerror(errno));
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    // A stop during a build must not fail the build's reads and writes with
    // EINTR: they restart, and the stop is seen when the build is done.
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    for (int k = 0; k < 3; ++k) sigaction(kStopSignals[k], &action, &previous_[k]);
  }
  ~StopSignals() {
    for (int k = 0; k < 3; ++k) sigaction(kStopSignals[k], &previous_[k], nullptr);
    ::close(g_stop_pipe[0]);
    ::close(g_stop_pipe[1]);
    g_stop_pipe[0] = g_stop_pipe[1] = -1;
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction previous_[3]{};
};

// Inotify watches on the model: a directory and every directory below it, or
// the directory holding a model file (editors save by writing a new file and
// renaming it over the old one, which a watch on the file itself would miss).
class ModelWatch {
 public:
  explicit ModelWatch(const fs::path& model) : fd_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
    if (fd_ < 0) fail(kExitFailure, std::string("--watch: cannot watch files: ") + std::strerror(errno));
    constexpr uint32_t kMask =
        IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF;
    std::error_code ec;
    if (fs::is_directory(model, ec)) {
      add(model, kMask);
      for (fs::recursive_directory_iterator it(model, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory(ec)) add(it->path(), kMask);
    } else {
      file_name_ = model.filename().string();
      add(model.has_parent_path() ? model.parent_path() : fs::path("."), kMask);
    }
  }
  ~ModelWatch() { ::close(fd_); }
  ModelWatch(const ModelWatch&) = delete;
  ModelWatch& operator=(const ModelWatch&) = delete;

  int fd() const { return fd_; }

  // Reads the pending events; true when one concerns the model.
  bool model_changed() {
    bool changed = false;
    alignas(inotify_event) char buffer[16384];
    for (;;) {
      ssize_t n = read(fd_, buffer, sizeof buffer);
      if (n <= 0) break;
      for (char* p = buffer; p < buffer + n;) {
        const auto* event = reinterpret_cast<const inotify_event*>(p);
        const std::string_view name = event->len ? std::string_view(event->name) : std::string_view();
        if (event->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_Q_OVERFLOW))
          changed = true;
        else if (!file_name_.empty())
          changed = changed || name == file_name_;
        else
          changed = changed || (event->mask & IN_ISDIR) || is_model_file(fs::path(name));
        p += sizeof(inotify_event) + event->len;
      }
    }
    return changed;
  }

 private:
  void add(const fs::path& dir, uint32_t mask) {
    if (inotify_add_watch(fd_, dir.c_str(), mask) < 0)
      fail(kExitFailure, "--watch: cannot watch " + dir.string() + ": " + std::strerror(errno));
  }

  int fd_;
  std::string file_name_;  // watching one file: its name in the watched directory
};

// Waits until the model changed and then stayed quiet for a moment (true), or
// a stop signal came (false).
bool wait_for_change(ModelWatch& watch) {
  bool changed = false;
  for (;;) {
    pollfd fds[2] = {{watch.fd(), POLLIN, 0}, {g_stop_pipe[0], POLLIN, 0}};
    int ready = poll(fds, 2, changed ? kQuietMilliseconds : -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) fail(kExitFailure, std::string("--watch: ") + std::strerror(errno));
    if (fds[1].revents) return false;
    if (ready == 0) return true;  // quiet since the last change
    if (watch.model_changed()) changed = true;
  }
}

void note(const std::string& text) { std::cerr << "imozuru: " << text::terminal_text(text) << "\n"; }

}  // namespace

void add_watch_option(CLI::App& app, bool& watch) {
  app.add_flag(
      "--watch", watch,
      "Build again whenever a model file changes (until Ctrl-C); an invalid model keeps the last good "
      "output");
}

void run_watching(bool watch, const std::string& model_path, const std::string& output,
                  const std::string& lang, const std::function<void()>& build) {
  if (!watch) {
    build();
    return;
  }
  if (model_path == "-") usage_error("--watch needs a model file or directory, not standard input");
  const Lang l = parse_lang(lang).value_or(Lang::ja);
  StopSignals stop;
  int status = 0;
  bool first = true;
  for (;;) {
    // Watching starts before the build, so a change made while it runs is
    // not missed.
    ModelWatch model_watch(model_path);
    try {
      build();
      status = 0;
      if (!first) note(say(l, Msg::watch_updated, output));
    } catch (const Exit& e) {
      if (e.usage) throw;
      status = e.code;
      if (!first) note(say(l, Msg::watch_kept, output));
    }
    if (first) note(say(l, Msg::watch_watching, model_path));
    first = false;
    if (!wait_for_change(model_watch)) break;
  }
  note(say(l, Msg::watch_stopped));
  if (status != 0) throw Exit{status};
}

}  // namespace imozuru::cli
