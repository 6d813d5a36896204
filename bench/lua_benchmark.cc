// The Lua overhead of a query: reach from every system (or the first N) in a
// C++ loop, bare and with the JSON the Lua binding builds, then the same
// loop as a Lua script (bench/lua_reach_all.lua) through imozuru query.
//   lua_benchmark MODEL SCRIPT [N]
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <string>

#include "model/linkage_graph.h"
#include "model/load.h"
#include "model/reach.h"
#include "output/analysis_json.h"
#include "query/query.h"

using namespace imozuru;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: lua_benchmark MODEL SCRIPT [N]\n";
    return 1;
  }
  const size_t limit = argc > 3 ? std::stoul(argv[3]) : size_t(-1);
  LoadResult loaded = load_model(argv[1]);
  if (!loaded.model) {
    loaded.diagnostics.print(std::cerr);
    return 2;
  }
  const Model& model = *loaded.model;
  const Date at = *Date::parse("2026-01-01");
  using Clock = std::chrono::steady_clock;

  ModelAt model_at(model, at);
  LinkageGraph graph(model_at);
  for (bool with_json : {false, true}) {
    auto start = Clock::now();
    const std::clock_t cpu_start = std::clock();
    size_t n = 0, checksum = 0;
    for (Index s : model_at.systems()) {
      if (n >= limit) break;
      ReachResult r = reach(graph, {EntityRef{EntityKind::system, model.systems[s].id}});
      checksum += r.systems.size() + r.identifiers.size() + r.data.size();
      if (with_json) checksum += to_json(model, r).size() - 5;
      ++n;
    }
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    double cpu = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    std::printf("cxx_reach_all%s systems=%zu cpu_seconds=%.3f wall_seconds=%.3f checksum=%zu\n",
                with_json ? "_json" : "", n, cpu, seconds, checksum);
  }

  query::QueryOptions options;
  options.script_path = argv[2];
  if (argc > 3) options.args = {argv[3]};
  options.at = at;
  options.limits.timeout_seconds = 3600;
  options.limits.memory_bytes = std::size_t{8} << 30;
  auto start = Clock::now();
  const std::clock_t cpu_start = std::clock();
  query::QueryResult result = query::run_query_file(model, options);
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (result.exit_code != 0) {
    std::cerr << result.message << "\n";
    return result.exit_code;
  }
  std::printf("lua_query_total cpu_seconds=%.3f wall_seconds=%.3f (loop plus model:systems() and setup)\n",
              double(std::clock() - cpu_start) / CLOCKS_PER_SEC, seconds);
  return 0;
}
