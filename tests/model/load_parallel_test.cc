// A directory's files parsed on several threads give exactly what loading
// them one by one gives: the same model (compared as snapshot bytes, which
// hold every field and position), the same messages with their source lines,
// and the same observer calls in the same order
// (docs/performance.md#loading-on-several-cores).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/load.h"
#include "model/snapshot.h"
#include "support/temp_tree.h"

using namespace imozuru;
namespace fs = std::filesystem;

namespace {

struct Outcome {
  std::string model;  // the snapshot's bytes; empty without a model
  std::string messages;
  bool io_failure = false;
  std::size_t position_bytes_scanned = 0;
  std::vector<std::pair<std::string, std::string>> observed;  // name, bytes
};

Outcome load(const fs::path& path, unsigned threads, LoadLimits limits = {}) {
  Outcome out;
  limits.threads = threads;
  LoadResult r = load_model(path, limits, [&](const std::string& name, std::string_view text) {
    out.observed.emplace_back(name, std::string(text));
  });
  std::ostringstream printed;
  r.diagnostics.print(printed);
  out.messages = printed.str();
  if (r.model) out.model = write_snapshot(*r.model, r.diagnostics, SnapshotKey{});
  out.io_failure = r.io_failure;
  out.position_bytes_scanned = r.position_bytes_scanned;
  return out;
}

// Loads `path` one file at a time and on 2, 3 and 8 threads; all must agree.
Outcome same_on_every_thread_count(const fs::path& path, const LoadLimits& limits = {}) {
  const Outcome alone = load(path, 1, limits);
  for (unsigned threads : {2u, 3u, 8u}) {
    INFO("threads " << threads);
    const Outcome parallel = load(path, threads, limits);
    CHECK(parallel.messages == alone.messages);
    CHECK(parallel.model == alone.model);
    CHECK(parallel.io_failure == alone.io_failure);
    CHECK(parallel.position_bytes_scanned == alone.position_bytes_scanned);
    CHECK(parallel.observed == alone.observed);
  }
  return alone;
}

fs::path temp_dir(const std::string& name) { return testing::fresh_temp_dir("imozuru_load_parallel_", name); }

void write(const fs::path& p, const std::string& text) { testing::write_tree_file(p, text); }

std::string systems(const std::string& prefix, int n, const std::string& extra = "") {
  std::string text = "systems:\n";
  for (int i = 0; i < n; ++i)
    text += "  - {id: " + prefix + std::to_string(i) + ", name: システム" + std::to_string(i) +
            ", sector: x, sources: [s]" + extra + "}\n";
  return text;
}

}  // namespace

TEST_CASE("parallel load: the reference model is the same on every thread count", "[load][parallel]") {
  const Outcome o = same_on_every_thread_count(fs::path(IMOZURU_SOURCE_DIR) / "flows");
  CHECK_FALSE(o.model.empty());
  CHECK(o.observed.size() >= 10);
  for (std::size_t i = 1; i < o.observed.size(); ++i) CHECK(o.observed[i - 1].first < o.observed[i].first);
}

TEST_CASE("parallel load: errors, warnings and a broken file in several files, in file order",
          "[load][parallel][errors]") {
  fs::path dir = temp_dir("errors");
  write(dir / "a.yaml", "sources: [{id: s, title: T}]\n" + systems("a", 30, ", colour: red"));
  write(dir / "b.yaml", "systems:\n  - {id: b, name: B\n");          // a YAML syntax error
  write(dir / "c.yaml", "");                                         // a warning: empty
  write(dir / "d" / "e.yml", systems("a", 3) + "identifers: []\n");  // duplicate ids, an unknown key
  write(dir / "f.yaml", "systems: [{id: f, name: \xff, sector: x, sources: [s]}]\n");  // invalid UTF-8
  write(dir / "g.yaml", systems("g", 20, ", sources: [nowhere]"));
  const Outcome o = same_on_every_thread_count(dir);
  CHECK(o.model.empty());
  CHECK(o.messages.find("unknown field 'colour'") != std::string::npos);
  CHECK(o.messages.find("invalid UTF-8") != std::string::npos);
  CHECK(o.messages.find("empty file") != std::string::npos);
  CHECK(o.messages.find("unknown top-level key 'identifers'") != std::string::npos);
}

TEST_CASE("parallel load: valid files with warnings give the same model", "[load][parallel]") {
  fs::path dir = temp_dir("valid");
  write(dir / "0.yaml", "sources: [{id: s, title: 出典}]\nmodel: {name: 並列}\n");
  for (int f = 1; f < 7; ++f)
    write(dir / (std::to_string(f) + ".yaml"), systems("s" + std::to_string(f) + "_", 40));
  write(dir / "7.yaml", "");
  const Outcome o = same_on_every_thread_count(dir);
  CHECK_FALSE(o.model.empty());
  CHECK(o.messages.find("empty file") != std::string::npos);
}

TEST_CASE("parallel load: what depends on earlier files is the one-by-one load's",
          "[load][parallel][hostile]") {
  SECTION("'model' in two files") {
    fs::path dir = temp_dir("model_twice");
    write(dir / "a.yaml", "model: {name: A}\n");
    write(dir / "b.yaml", systems("b", 5));
    write(dir / "c.yaml", "\nmodel: {name: B}\n");
    const Outcome o = same_on_every_thread_count(dir);
    CHECK(o.messages.find("'model' is defined more than once") != std::string::npos);
  }
  SECTION("--max-entities and --max-references crossed by the files together, not by any one") {
    fs::path dir = temp_dir("model_wide_limits");
    for (int f = 0; f < 4; ++f)
      write(dir / (std::to_string(f) + ".yaml"), systems("e" + std::to_string(f), 3));
    LoadLimits entities, references;
    entities.max_entities = 7;
    references.max_references = 8;
    CHECK(same_on_every_thread_count(dir, entities)
              .messages.find("more than 7 entities in the model (--max-entities)") != std::string::npos);
    CHECK(same_on_every_thread_count(dir, references)
              .messages.find("more than 8 references in the model (--max-references)") != std::string::npos);
  }
  SECTION("a file larger than --max-file-bytes between two others") {
    fs::path dir = temp_dir("large");
    write(dir / "a.yaml", "sources: [{id: s, title: T}]\n");
    write(dir / "b.yaml", systems("b", 50));
    write(dir / "c.yaml", systems("c", 1));
    LoadLimits limits;
    limits.max_file_bytes = 200;
    const Outcome o = same_on_every_thread_count(dir, limits);
    CHECK(o.messages.find("larger than the limit") != std::string::npos);
  }
  SECTION("one file with more errors than the report keeps") {
    fs::path dir = temp_dir("capped");
    write(dir / "a.yaml", "sources: [{id: s, title: T}]\n" + systems("a", 150, ", kind: x"));
    write(dir / "b.yaml", systems("b", 5, ", kind: y"));
    const Outcome o = same_on_every_thread_count(dir);
    CHECK(o.messages.find("and 55 more errors") != std::string::npos);
  }
}
