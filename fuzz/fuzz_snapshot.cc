// Snapshot bytes → read_snapshot (model/snapshot.h), the parsed-model
// cache's reader of untrusted files: whatever the bytes, it gives a model or
// a problem, never a crash, an out-of-range index or unbounded allocation.
// (The checksum keeps accidental damage out; a snapshot crafted with a good
// checksum can only give a model whose indices are all in range.) A model it
// accepts goes through the engine: the model as of two dates, the linkage
// graph and reach from every identifier, system and data item, so an index
// the reader let through out of range is found by ASan there.
//
// The input is taken as a snapshot's FlatBuffers body and sealed with a
// good header and checksum, so the fuzzer reaches FlatBuffers' verifier and
// the reader's own checks rather than stopping at the checksum.
//
// Seeds: a snapshot names the build that wrote it (snapshot_tool_identity),
// and one from any other build is refused before its body is read, so seeds
// are written by this very binary: with IMOZURU_FUZZ_SNAPSHOT_SEEDS=DIR it
// reads model paths from standard input, one a line, writes the body of each
// valid one's snapshot to DIR and exits (tools/fuzz.sh does this before
// every run).
#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "fuzz/reach_everything.h"
#include "model/as_of.h"
#include "model/linkage_graph.h"
#include "model/load.h"
#include "model/snapshot.h"

using namespace imozuru;

namespace {

constexpr std::size_t kHeader = 16;  // "IMZSNAP1" and the checksum

void run_engine(const Model& model, const Date& at, bool include_planned) {
  ModelAt view(model, at, include_planned);
  LinkageGraph graph(view);
  fuzzing::reach_from_everything(model, graph);
}

// IMOZURU_FUZZ_SNAPSHOT_SEEDS=DIR: the snapshot bodies of the models named
// on standard input, as DIR/seed-N.
int write_seeds(const char* dir) {
  std::string path;
  int n = 0;
  while (std::getline(std::cin, path)) {
    if (path.empty()) continue;
    LoadResult loaded = load_model(path);
    if (!loaded.model) continue;
    const std::string bytes = write_snapshot(*loaded.model, loaded.diagnostics, SnapshotKey{});
    std::ofstream(std::string(dir) + "/seed-" + std::to_string(n++), std::ios::binary)
        << bytes.substr(kHeader);
  }
  std::fprintf(stderr, "fuzz_snapshot: wrote %d seed snapshots to %s\n", n, dir);
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("IMOZURU_FUZZ_SNAPSHOT_SEEDS")) std::exit(write_seeds(dir));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  std::string sealed = "IMZSNAP1";
  const std::uint64_t sum = XXH3_64bits(body.data(), body.size());
  for (int i = 0; i < 8; ++i) sealed += static_cast<char>((sum >> (8 * i)) & 0xff);
  sealed += body;
  read_snapshot_any_key(body);  // as it is: the magic or the checksum stops it
  SnapshotRead r = read_snapshot_any_key(sealed);
  if (r.model) {
    if (r.problem != SnapshotProblem::none) __builtin_trap();  // a model and a problem
    run_engine(*r.model, *Date::parse("2026-01-01"), false);
    run_engine(*r.model, *Date::parse("2010-06-15"), true);
  } else if (r.problem == SnapshotProblem::none) {
    __builtin_trap();  // neither a model nor a problem
  }
  return 0;
}
