// Running the built imozuru as a user would, for the hostile-input and
// atomic-output tests: each test gets its own scratch directory, so CTest
// can run them in parallel.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace imozuru::hostile {

namespace fs = std::filesystem;

struct Run {
  int status = -1;  // exit status; -1 when killed by a signal
  std::string out, err;
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void spit(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// A fresh, empty directory unique to this process and call.
inline fs::path scratch(const std::string& name) {
  static std::atomic<int> counter{0};
  fs::path dir = fs::temp_directory_path() / ("imozuru_hostile_" + std::to_string(getpid()) + "_" +
                                              std::to_string(counter++) + "_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

inline std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs imozuru with `args` (shell words), capturing both streams; with
// `kill_after` seconds, a run still going then is killed (status -1).
inline Run run(const std::string& args, int kill_after = 0) {
  static std::atomic<int> counter{0};
  fs::path dir = fs::temp_directory_path() / ("imozuru_hostile_run_" + std::to_string(getpid()));
  fs::create_directories(dir);
  int n = counter++;
  fs::path out = dir / ("out" + std::to_string(n)), err = dir / ("err" + std::to_string(n));
  std::string cmd = (kill_after > 0 ? "timeout -s KILL " + std::to_string(kill_after) + " " : std::string()) +
                    quote(IMOZURU_BINARY) + " " + args + " >" + quote(out.string()) + " 2>" +
                    quote(err.string());
  int raw = std::system(cmd.c_str());
  Run r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  if (kill_after > 0 && r.status == 128 + 9) r.status = -1;  // killed by timeout
  r.out = slurp(out);
  r.err = slurp(err);
  fs::remove(out);
  fs::remove(err);
  return r;
}

// A valid model with `systems` systems in a ring of flows, each holding a
// shared global identifier and its own one: big enough to make loading,
// analyses, exports and renders take a while.
inline std::string generated_model(int systems) {
  std::string y =
      "model: {name: generated}\nidentifiers:\n  - {id: shared, name: 共通番号, kind: national}\n";
  for (int i = 0; i < systems; ++i)
    y += "  - {id: own" + std::to_string(i) + ", name: 番号" + std::to_string(i) + ", kind: sectoral}\n";
  y += "data:\n  - {id: d, name: データ, sensitivity: special}\nsystems:\n";
  for (int i = 0; i < systems; ++i)
    y += "  - {id: s" + std::to_string(i) + ", name: システム" + std::to_string(i) + ", sector: sector" +
         std::to_string(i % 7) + ", holds: {identifiers: [shared, own" + std::to_string(i) +
         "], data: [d]}}\n";
  y += "flows:\n";
  for (int i = 0; i < systems; ++i)
    y += "  - {id: f" + std::to_string(i) + ", name: 連携" + std::to_string(i) + ", from: s" +
         std::to_string(i) + ", to: s" + std::to_string((i + 1) % systems) + ", carries: {data: [d]}}\n";
  return y;
}

}  // namespace imozuru::hostile
