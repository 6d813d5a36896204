// Every file imozuru writes goes through write_file_atomically: a failed run
// leaves an existing output byte-identical, Ctrl-C or SIGTERM at any moment
// never leaves a partial file (nor the temporary file), and an unwritable
// place is a clear error with exit 1 (issue 7).
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "hostile_support.h"

using namespace imozuru::hostile;

namespace {

const std::string kOld = "previous contents, which must survive\n";

// Files in `dir` whose name starts with ".NAME.tmp-".
std::vector<std::string> temp_files(const fs::path& dir, const std::string& name) {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string f = e.path().filename().string();
    if (f.rfind("." + name + ".tmp-", 0) == 0) found.push_back(f);
  }
  return found;
}

// Starts imozuru with `args` (no shell), its error output thrown away and
// its standard output too, or into `out` (a pipe's write end, which the
// child closes with the read end `other`); returns the pid.
pid_t spawn(const std::vector<std::string>& args, int out = -1, int other = -1) {
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(out >= 0 ? out : null, 1);
    dup2(null, 2);
    if (out >= 0) close(out);
    if (other >= 0) close(other);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(IMOZURU_BINARY));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(IMOZURU_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

int wait_status(pid_t pid) {
  int raw = 0;
  waitpid(pid, &raw, 0);
  return raw;
}

}  // namespace

TEST_CASE("atomic output: a failing render leaves the existing file byte-identical",
          "[cli][hostile][atomic]") {
  fs::path dir = scratch("atomic_render");
  spit(dir / "model.yaml", generated_model(40));
  std::string m = quote((dir / "model.yaml").string());
  for (const char* name : {"out.dot", "out.svg"}) {
    fs::path out = dir / name;
    spit(out, kOld);
    // Refused before layout (too many nodes) and during layout (time limit).
    Run big = run("render " + m + " -o " + quote(out.string()) + " --max-nodes 5 --at 2026-01-01");
    CHECK(big.status == 1);
    CHECK(slurp(out) == kOld);
    Run slow =
        run("render " + m + " -o " + quote(out.string()) + " --view linkage --timeout 0.001 --at 2026-01-01");
    if (std::string(name) == "out.svg") CHECK(slow.status == 1);
    if (slow.status != 0) CHECK(slurp(out) == kOld);
    CHECK(temp_files(dir, name).empty());
  }
}

TEST_CASE("atomic output: failing exports and analyses leave the existing file byte-identical",
          "[cli][hostile][atomic]") {
  fs::path dir = scratch("atomic_export");
  spit(dir / "model.yaml", generated_model(5));
  std::string m = quote((dir / "model.yaml").string());
  fs::path out = dir / "out.txt";
  spit(out, kOld);
  // A bad reference (exit 2) and an unknown CSV table (exit 1) write nothing.
  Run reach = run("reach " + m + " --from identifier:nope -o " + quote(out.string()));
  CHECK(reach.status == 2);
  CHECK(slurp(out) == kOld);
  Run table = run("export " + m + " --format csv --table nope -o " + quote(out.string()));
  CHECK(table.status != 0);
  CHECK(slurp(out) == kOld);
  // An invalid model (exit 2) writes nothing either.
  spit(dir / "bad.yaml", "systems: [{id: BAD}]\n");
  Run bad = run("export " + quote((dir / "bad.yaml").string()) + " --format json -o " + quote(out.string()));
  CHECK(bad.status == 2);
  CHECK(slurp(out) == kOld);
  CHECK(temp_files(dir, "out.txt").empty());
}

TEST_CASE("atomic output: SIGINT or SIGTERM at any moment never leaves a partial file",
          "[cli][hostile][atomic]") {
  fs::path dir = scratch("atomic_signal");
  spit(dir / "model.yaml", generated_model(3000));
  fs::path out = dir / "out.json";
  const std::vector<std::string> args = {
      "export", (dir / "model.yaml").string(), "--format", "json", "--at", "2026-01-01", "-o", out.string()};
  // The complete output, and how long a run takes.
  auto start = std::chrono::steady_clock::now();
  int raw = wait_status(spawn(args));
  auto full = std::chrono::steady_clock::now() - start;
  REQUIRE(WIFEXITED(raw));
  REQUIRE(WEXITSTATUS(raw) == 0);
  const std::string complete = slurp(out);
  REQUIRE(complete.size() > 100000);

  std::mt19937 random(20261123);
  const long full_us = std::chrono::duration_cast<std::chrono::microseconds>(full).count();
  int interrupted_before_rename = 0;
  for (int i = 0; i < 16; ++i) {
    spit(out, kOld);
    pid_t pid = spawn(args);
    std::this_thread::sleep_for(std::chrono::microseconds(random() % (full_us + 1)));
    kill(pid, i % 2 ? SIGTERM : SIGINT);
    int status = wait_status(pid);
    std::string now = slurp(out);
    INFO("run " << i << ": " << (WIFSIGNALED(status) ? "killed" : "exited") << ", " << now.size()
                << " bytes");
    // Killed before the rename: the old file; killed after it (the process
    // was already freeing memory, or under ASan checking leaks) or not
    // killed at all: the complete file. Never anything else.
    CHECK((now == kOld || now == complete));
    if (WIFSIGNALED(status) && now == kOld) ++interrupted_before_rename;
    CHECK(temp_files(dir, "out.json").empty());
  }
  CHECK(interrupted_before_rename > 0);  // the loop did interrupt runs, not only watch them finish
}

TEST_CASE("atomic output: SIGINT or SIGTERM during a cold run never leaves half a snapshot",
          "[cli][hostile][atomic]") {
  // The snapshot of a model read from its files is written on another
  // thread while the command works (cli/common.h); the signal reaches the
  // main thread, whose handler removes that thread's temporary file.
  fs::path dir = scratch("atomic_snapshot_signal"), cache = dir / "cache";
  spit(dir / "model.yaml", generated_model(3000));
  const std::vector<std::string> args = {"reach",       (dir / "model.yaml").string(),
                                         "--from",      "identifier:shared",
                                         "--at",        "2026-01-01",
                                         "--cache-dir", cache.string()};
  auto snapshots_in = [&] {
    std::vector<fs::path> found;
    for (const auto& e : fs::directory_iterator(cache))
      if (e.path().extension() == ".snapshot") found.push_back(e.path());
    return found;
  };
  auto start = std::chrono::steady_clock::now();
  int raw = wait_status(spawn(args));
  auto full = std::chrono::steady_clock::now() - start;
  REQUIRE(WIFEXITED(raw));
  REQUIRE(WEXITSTATUS(raw) == 0);
  REQUIRE(snapshots_in().size() == 1);
  const std::string complete = slurp(snapshots_in()[0]);
  REQUIRE(complete.size() > 100000);

  // No snapshot (killed before the rename) or the whole one; never a
  // temporary file.
  auto whole_snapshot_or_none = [&] {
    std::vector<fs::path> found;
    if (fs::exists(cache)) {
      found = snapshots_in();
      for (const auto& e : fs::directory_iterator(cache)) CHECK(e.path().extension() == ".snapshot");
    }
    CHECK(found.size() <= 1);
    if (found.size() == 1) CHECK(slurp(found[0]) == complete);
    return found;
  };

  std::mt19937 random(20261207);
  const long full_us = std::chrono::duration_cast<std::chrono::microseconds>(full).count();
  int interrupted_before_rename = 0;
  for (int i = 0; i < 16; ++i) {
    fs::remove_all(cache);
    pid_t pid = spawn(args);
    std::this_thread::sleep_for(std::chrono::microseconds(random() % (full_us + 1)));
    kill(pid, i % 2 ? SIGTERM : SIGINT);
    int status = wait_status(pid);
    INFO("run " << i << ": " << (WIFSIGNALED(status) ? "killed" : "exited"));
    const std::vector<fs::path> found = whole_snapshot_or_none();
    if (WIFSIGNALED(status) && found.empty()) ++interrupted_before_rename;
  }
  CHECK(interrupted_before_rename > 0);

  // Killed once the answer has begun to arrive: the analysis is over and
  // the snapshot is being written (or already is).
  int killed_while_writing = 0;
  for (int i = 0; i < 8; ++i) {
    fs::remove_all(cache);
    int out[2];
    REQUIRE(pipe(out) == 0);
    const pid_t pid = spawn(args, out[1], out[0]);
    close(out[1]);
    char c;
    const bool answered = read(out[0], &c, 1) == 1;
    kill(pid, i % 2 ? SIGTERM : SIGINT);
    while (read(out[0], &c, 1) == 1) {
    }
    close(out[0]);
    const int status = wait_status(pid);
    INFO("run " << i << ": " << (WIFSIGNALED(status) ? "killed" : "exited"));
    CHECK(answered);
    const std::vector<fs::path> found = whole_snapshot_or_none();
    if (WIFSIGNALED(status) && found.empty()) ++killed_while_writing;
  }
  CHECK(killed_while_writing > 0);
}

TEST_CASE("atomic output: an unwritable directory is a clear error with exit 1", "[cli][hostile][atomic]") {
  fs::path dir = scratch("atomic_unwritable");
  spit(dir / "model.yaml", generated_model(3));
  std::string m = quote((dir / "model.yaml").string());

  Run missing =
      run("export " + m + " --format json -o " + quote((dir / "no" / "such" / "out.json").string()));
  CHECK(missing.status == 1);
  CHECK_THAT(missing.err, Catch::Contains("imozuru: error: cannot write"));
  CHECK_THAT(missing.err, Catch::Contains("out.json"));

  fs::create_directories(dir / "locked");
  fs::permissions(dir / "locked", fs::perms::owner_read | fs::perms::owner_exec);
  bool enforced = access((dir / "locked").c_str(), W_OK) != 0;  // root ignores permissions
  if (enforced) {
    Run locked =
        run("render " + m + " -o " + quote((dir / "locked" / "out.dot").string()) + " --at 2026-01-01");
    CHECK(locked.status == 1);
    CHECK_THAT(locked.err, Catch::Contains("out.dot"));
    CHECK_THAT(locked.err, Catch::Contains("Permission denied"));
  }
  fs::permissions(dir / "locked", fs::perms::owner_all);

  // A directory where the file should be: rename fails, the directory stays.
  fs::create_directories(dir / "taken.json");
  Run taken = run("export " + m + " --format json -o " + quote((dir / "taken.json").string()));
  CHECK(taken.status == 1);
  CHECK_THAT(taken.err, Catch::Contains("taken.json"));
  CHECK(fs::is_directory(dir / "taken.json"));
  CHECK(temp_files(dir, "taken.json").empty());
}
