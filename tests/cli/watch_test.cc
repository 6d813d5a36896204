// render, report and html --watch (docs/cli.md, "Watching a model"): the
// output follows the model's files; an invalid model keeps the last good
// output; a stop signal ends it with the last build's status.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "hostile_support.h"

extern char** environ;

using namespace imozuru::hostile;

namespace {

const std::string kModel = std::string(IMOZURU_SOURCE_DIR) + "/docs/examples/clinic.yaml";

// `imozuru ARGS... --watch` running in `dir`, its stderr in dir/err.txt.
class Watcher {
 public:
  Watcher(const fs::path& dir, std::vector<std::string> args) : err_(dir / "err.txt") {
    args.insert(args.begin(), IMOZURU_BINARY);
    args.push_back("--watch");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    REQUIRE(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Watcher() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  std::string err() const { return slurp(err_); }
  // Sends `sig` and returns the exit status (-1 if killed by a signal).
  int stop(int sig = SIGTERM) {
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  fs::path err_;
  pid_t pid_ = -1;
};

// Polls `condition` for up to 30 s (a loaded CI machine builds slowly).
bool eventually(const std::function<bool()>& condition) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// Replaces the file the way editors save: a new file renamed over the old.
void save_by_rename(const fs::path& path, const std::string& text) {
  spit(path.string() + ".new", text);
  fs::rename(path.string() + ".new", path);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

}  // namespace

TEST_CASE("watch: render follows the model, and an invalid model keeps the last good diagram",
          "[cli][watch]") {
  fs::path dir = scratch("watch_render");
  const std::string original = slurp(kModel);
  spit(dir / "m.yaml", original);
  Watcher watcher(dir, {"render", "m.yaml", "-o", "out.dot", "--lang", "en"});
  REQUIRE(
      eventually([&] { return contains(watcher.err(), "watching m.yaml for changes (Ctrl-C to stop)"); }));
  REQUIRE(contains(slurp(dir / "out.dot"), "Eligibility check"));

  // Saved by rename, then written in place: both are seen.
  save_by_rename(dir / "m.yaml", replaced(original, "name_en: Eligibility check", "name_en: Renamed check"));
  REQUIRE(eventually([&] { return contains(slurp(dir / "out.dot"), "Renamed check"); }));
  CHECK(eventually([&] { return count(watcher.err(), "updated out.dot") == 1; }));
  spit(dir / "m.yaml", replaced(original, "name_en: Eligibility check", "name_en: Third name"));
  REQUIRE(eventually([&] { return contains(slurp(dir / "out.dot"), "Third name"); }));

  // Invalid: the errors with file, line and column; the diagram as it was.
  const std::string good = slurp(dir / "out.dot");
  spit(dir / "m.yaml", original + "systems: [\n");
  REQUIRE(eventually(
      [&] { return contains(watcher.err(), "could not rebuild: out.dot keeps the last good output"); }));
  CHECK(contains(watcher.err(), "m.yaml:"));
  CHECK(contains(watcher.err(), "error: invalid YAML"));
  CHECK(slurp(dir / "out.dot") == good);

  // A file beside the model that is not the model changes nothing.
  const std::size_t updates = count(watcher.err(), "updated out.dot");
  spit(dir / "notes.txt", "not the model");

  // Fixed again: rebuilt. Stopped: status 0 (the last build was good), no
  // temporary file left behind.
  spit(dir / "m.yaml", original);
  REQUIRE(eventually([&] { return count(watcher.err(), "updated out.dot") == updates + 1; }));
  CHECK(contains(slurp(dir / "out.dot"), "Eligibility check"));
  CHECK(watcher.stop(SIGINT) == 0);
  CHECK(contains(watcher.err(), "stopped watching"));
  for (const auto& entry : fs::directory_iterator(dir))
    CHECK_FALSE(contains(entry.path().filename().string(), ".tmp"));
  fs::remove_all(dir);
}

TEST_CASE("watch: a stop while the model is invalid ends with exit status 2; messages in Japanese",
          "[cli][watch]") {
  fs::path dir = scratch("watch_invalid");
  spit(dir / "m.yaml", slurp(kModel));
  Watcher watcher(dir, {"html", "m.yaml", "-o", "page.html", "--lang", "ja"});
  REQUIRE(
      eventually([&] { return contains(watcher.err(), "m.yaml の変更を監視しています（Ctrl-C で終了）"); }));
  REQUIRE(contains(slurp(dir / "page.html"), "</html>"));
  spit(dir / "m.yaml", "model: [\n");
  REQUIRE(eventually([&] {
    return contains(watcher.err(), "作り直せませんでした。page.html は前回の正しい出力のままです");
  }));
  CHECK(contains(slurp(dir / "page.html"), "</html>"));
  CHECK(watcher.stop() == 2);
  CHECK(contains(watcher.err(), "監視を終了しました"));
  fs::remove_all(dir);
}

TEST_CASE("watch: a model directory, including a file added to it and one in a new subdirectory",
          "[cli][watch]") {
  fs::path dir = scratch("watch_dir");
  spit(dir / "model" / "a.yaml", slurp(kModel));
  Watcher watcher(dir, {"report", "model", "-o", "r.md", "--lang", "en"});
  REQUIRE(eventually([&] { return contains(watcher.err(), "watching model for changes"); }));
  REQUIRE(fs::exists(dir / "r.md"));
  // A second file adds a system; a new subdirectory is watched from then on.
  auto system = [](const std::string& id, const std::string& name) {
    return "systems:\n  - id: " + id + "\n    name: " + name + "\n    name_en: " + name +
           "\n    sector: health\n    holds: {identifiers: [my_number]}\n    sources: [tutorial]\n";
  };
  spit(dir / "model" / "b.yaml", system("added", "ADDED-SYSTEM"));
  REQUIRE(eventually([&] { return contains(slurp(dir / "r.md"), "ADDED-SYSTEM"); }));
  fs::create_directories(dir / "model" / "more");
  REQUIRE(eventually([&] { return count(watcher.err(), "updated r.md") >= 2; }));
  const std::size_t updates = count(watcher.err(), "updated r.md");
  spit(dir / "model" / "more" / "c.yaml", system("deeper", "DEEPER-SYSTEM"));
  REQUIRE(eventually([&] { return contains(slurp(dir / "r.md"), "DEEPER-SYSTEM"); }));
  CHECK(count(watcher.err(), "updated r.md") > updates);
  CHECK(watcher.stop() == 0);
  fs::remove_all(dir);
}

TEST_CASE("watch: standard input cannot be watched", "[cli][watch]") {
  Run r = run("render - -o x.svg --watch < " + quote(kModel));
  CHECK(r.status == 2);
  CHECK(contains(r.err, "imozuru: error: --watch needs a model file or directory, not standard input"));
}
