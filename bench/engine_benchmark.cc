// Times the engine on a large model: reach, chains (k=10), gaps, diff, and
// reports peak memory. Optionally writes the effective linkage graph as TSV so
// bench/engine_reach_networkx.py can run the same reach in Python.
// Usage: engine_benchmark MODEL_DIR [--tsv FILE]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "model/chains.h"
#include "model/diff.h"
#include "model/gaps.h"
#include "model/load.h"
#include "model/reach.h"

using namespace imozuru;
using Clock = std::chrono::steady_clock;

namespace {

template <typename F>
double best_ms(int runs, F&& f) {
  double best = 1e300;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    f();
    best = std::min(best, std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  return best;
}

long peak_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

void write_tsv(const ModelAt& at, const std::string& path) {
  const Model& m = at.model();
  std::ofstream out(path);
  for (Index s : at.systems()) {
    for (Index i : at.identifiers_of(s))
      out << "H\t" << m.systems[s].id << '\t' << m.identifiers[i].id << '\t' << to_string(m.identifiers[i].scope) << '\n';
    for (Index d : at.data_of(s)) out << "D\t" << m.systems[s].id << '\t' << m.data[d].id << '\n';
  }
  for (Index q : at.identifiers())
    for (const Ref& r : m.identifiers[q].composed_of)
      if (at.data_active(r.index)) out << "Q\t" << m.identifiers[q].id << '\t' << r.id << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: engine_benchmark MODEL_DIR [--tsv FILE]\n");
    return 1;
  }
  auto t0 = Clock::now();
  LoadResult loaded = load_model(argv[1]);
  if (!loaded.model) {
    std::fprintf(stderr, "cannot load %s\n", argv[1]);
    return 2;
  }
  const Model& m = *loaded.model;
  std::printf("load+validate: %.0f ms (%zu systems, %zu flows, %zu identifiers)\n",
              std::chrono::duration<double, std::milli>(Clock::now() - t0).count(), m.systems.size(), m.flows.size(),
              m.identifiers.size());
  const Date at_date = *Date::parse("2024-01-01");

  std::unique_ptr<ModelAt> at;
  std::unique_ptr<LinkageGraph> graph;
  double build = best_ms(3, [&] {
    graph.reset();
    at = std::make_unique<ModelAt>(m, at_date);
    graph = std::make_unique<LinkageGraph>(*at);
  });
  std::printf("model at date + linkage graph: %.1f ms\n", build);

  for (const char* start : {"identifier:my_number", "identifier:id_00001", "system:sys_000123"}) {
    ReachResult r;
    double ms = best_ms(5, [&] { r = reach(*graph, {*EntityRef::parse(start)}); });
    std::printf("reach from %s: %.1f ms (%zu systems, %zu identifiers, %zu data)\n", start, ms, r.systems.size(),
                r.identifiers.size(), r.data.size());
  }
  for (auto [from, to] : {std::pair{"identifier:id_00001", "data:data_00010"}, std::pair{"system:sys_000123", "system:sys_099999"}}) {
    ChainsResult c;
    double ms = best_ms(3, [&] { c = chains(*graph, *EntityRef::parse(from), *EntityRef::parse(to), ChainOptions{10, 20}); });
    std::printf("chains k=10 %s -> %s: %.1f ms (%zu chains, shortest %d systems)\n", from, to, ms, c.chains.size(),
                c.chains.empty() ? 0 : c.chains[0].length);
  }
  GapsResult g;
  double gaps_ms = best_ms(3, [&] { g = find_gaps(*at); });
  std::printf("gaps: %.1f ms (%zu gaps)\n", gaps_ms, g.gaps.size());
  DiffResult d;
  double diff_ms = best_ms(3, [&] { d = diff(m, *Date::parse("2015-01-01"), at_date); });
  std::printf("diff 2015-01-01 -> 2024-01-01: %.1f ms (+%zu/-%zu systems, %zu pairs became joinable%s, +%zu gaps)\n",
              diff_ms, d.systems.added.size(), d.systems.removed.size(), d.became_joinable.size(),
              d.pairs_truncated ? " (truncated)" : "", d.gaps_appeared.size());
  std::printf("peak memory: %ld MB\n", peak_mb());
  if (argc >= 4 && std::string(argv[2]) == "--tsv") write_tsv(*at, argv[3]);
  return 0;
}
