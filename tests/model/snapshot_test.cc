// Snapshots of a validated model (model/snapshot.h) and the cache that keeps
// them (model/model_cache.h): a snapshot reads back into the same model and
// warnings; any damage to its bytes is a problem, never a crash or a wrong
// model; the cache answers from a snapshot only for the same bytes.
#include "model/snapshot.h"

#include <unistd.h>
#include <xxhash.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "model/load.h"
#include "model/model_cache.h"

using namespace imozuru;
namespace fs = std::filesystem;

namespace {

const std::string kReference = IMOZURU_SOURCE_DIR "/flows";

std::string printed(const Diagnostics& d) {
  std::ostringstream out;
  d.print(out);
  return out.str();
}

SnapshotKey key_of(std::uint8_t first) {
  SnapshotKey k{};
  k[0] = first;
  return k;
}

// The snapshot with its checksum made right again, so damage to the body
// reaches FlatBuffers' verifier and the reader's checks.
std::string resealed(std::string bytes) {
  const std::uint64_t sum = XXH3_64bits(bytes.data() + 16, bytes.size() - 16);
  for (int i = 0; i < 8; ++i) bytes[8 + i] = static_cast<char>((sum >> (8 * i)) & 0xff);
  return bytes;
}

fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("imozuru_snapshot_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("snapshot: the reference model reads back exactly, every kind and position") {
  LoadResult loaded = load_model(kReference);
  REQUIRE(loaded.model);
  const std::string bytes = write_snapshot(*loaded.model, loaded.diagnostics, key_of(1));
  SnapshotRead read = read_snapshot(bytes, key_of(1));
  INFO(read.detail);
  REQUIRE(read.model);
  // Written again from what was read: byte for byte the same snapshot.
  CHECK(write_snapshot(*read.model, read.diagnostics, key_of(1)) == bytes);
  const Model& a = *loaded.model;
  const Model& b = *read.model;
  CHECK(b.persons.size() == a.persons.size());
  CHECK(b.assessments.size() == a.assessments.size());
  CHECK(b.find_system(a.systems.back().id) == a.systems.size() - 1);
  CHECK(b.flows.front().from.pos.file() == a.flows.front().from.pos.file());
  CHECK(b.flows.front().from.pos.line == a.flows.front().from.pos.line);
  CHECK(b.model_name(Lang::en) == a.model_name(Lang::en));
}

TEST_CASE("snapshot: warnings come back as they were printed, with those beyond the cap counted") {
  std::string yaml =
      "model: {name: w}\nidentifiers:\n  - {id: i, name: I, kind: national}\n"
      "data:\n  - {id: d, name: D, category: tax}\nsystems:\n";
  for (int s = 0; s < 120; ++s)
    yaml += "  - {id: s" + std::to_string(s) + ", name: S, sector: tax, holds: {identifiers: [i]}}\n";
  yaml += "flows:\n";
  for (int f = 0; f < 119; ++f)
    yaml += "  - {id: f" + std::to_string(f) + ", name: F, from: s" + std::to_string(f) + ", to: s" +
            std::to_string(f + 1) + ", carries: {identifiers: [i], data: [d]}}\n";
  LoadResult loaded = load_model_text(yaml, "w.yaml");
  REQUIRE(loaded.model);
  REQUIRE(loaded.diagnostics.warning_count() > 100);  // more than the cap keeps
  const std::string bytes = write_snapshot(*loaded.model, loaded.diagnostics, key_of(2));
  SnapshotRead read = read_snapshot(bytes, key_of(2));
  REQUIRE(read.model);
  CHECK(read.diagnostics.warning_count() == loaded.diagnostics.warning_count());
  CHECK(printed(read.diagnostics) == printed(loaded.diagnostics));
}

TEST_CASE("snapshot: another key is stale; damaged bytes are a problem, never a model") {
  LoadResult loaded = load_model(kReference);
  REQUIRE(loaded.model);
  const std::string bytes = write_snapshot(*loaded.model, loaded.diagnostics, key_of(3));
  CHECK(read_snapshot(bytes, key_of(4)).problem == SnapshotProblem::stale);
  CHECK_FALSE(read_snapshot(bytes, key_of(4)).model);

  for (std::size_t n : {std::size_t(0), std::size_t(7), std::size_t(16), std::size_t(17), bytes.size() / 2,
                        bytes.size() - 1}) {
    SnapshotRead r = read_snapshot(bytes.substr(0, n), key_of(3));
    CHECK_FALSE(r.model);
    CHECK(r.problem == (n < 16 ? SnapshotProblem::truncated : SnapshotProblem::checksum));
  }
  std::mt19937 rng(20);
  for (int i = 0; i < 200; ++i) {
    std::string damaged = bytes;
    damaged[16 + rng() % (damaged.size() - 16)] ^= static_cast<char>(1 + rng() % 255);
    SnapshotRead r = read_snapshot(damaged, key_of(3));
    CHECK_FALSE(r.model);  // the checksum catches every flipped byte
    CHECK(r.problem == SnapshotProblem::checksum);
  }
}

TEST_CASE("snapshot: damage behind a good checksum never crashes the reader") {
  LoadResult loaded = load_model(kReference);
  REQUIRE(loaded.model);
  const std::string bytes = write_snapshot(*loaded.model, loaded.diagnostics, key_of(5));
  std::mt19937 rng(21);
  int models = 0, problems = 0;
  for (int i = 0; i < 300; ++i) {
    std::string damaged = bytes;
    for (int k = 0; k < 4; ++k) damaged[16 + rng() % (damaged.size() - 16)] = static_cast<char>(rng());
    SnapshotRead r = read_snapshot(resealed(damaged), key_of(5));
    if (r.model) {
      ++models;  // a changed character in a name, say: still a model with in-range indices
      for (const System& s : r.model->systems)
        for (const Ref& ref : s.holds.identifiers)
          CHECK((ref.index == kNone || ref.index < r.model->identifiers.size()));
    } else {
      ++problems;
      CHECK(r.problem != SnapshotProblem::none);
    }
  }
  CHECK(models + problems == 300);
  CHECK(problems > 0);
}

TEST_CASE("model cache: the second load comes from the snapshot, an edit is read again") {
  fs::path dir = scratch("cache"), cache = dir / "cache";
  fs::create_directories(dir / "m");
  std::ofstream(dir / "m" / "a.yaml")
      << "model: {name: c}\nidentifiers:\n  - {id: i, name: I, kind: national}\n"
         "systems:\n  - {id: s, name: S, sector: tax, holds: {identifiers: [i]}}\n";
  CachedLoad first = load_model_cached(dir / "m", {}, cache);
  REQUIRE(first.result.model);
  CHECK_FALSE(first.from_snapshot);
  CHECK(first.snapshot_written);
  CachedLoad second = load_model_cached(dir / "m", {}, cache);
  REQUIRE(second.result.model);
  CHECK(second.from_snapshot);
  CHECK(second.warnings.empty());
  CHECK(second.result.model->systems.size() == 1);

  // Other limits are another key: the snapshot is not used for them.
  LoadLimits limits;
  limits.max_entities = 1;
  CachedLoad limited = load_model_cached(dir / "m", limits, cache);
  CHECK_FALSE(limited.result.model);
  CHECK_FALSE(limited.from_snapshot);

  std::ofstream(dir / "m" / "a.yaml", std::ios::app)
      << "  - {id: t, name: T, sector: tax, holds: {identifiers: [i]}}\n";
  CachedLoad third = load_model_cached(dir / "m", {}, cache);
  REQUIRE(third.result.model);
  CHECK_FALSE(third.from_snapshot);
  CHECK(third.warnings.empty());  // a snapshot of other bytes is replaced silently
  CHECK(third.result.model->systems.size() == 2);
  CHECK(load_model_cached(dir / "m", {}, cache).from_snapshot);
  fs::remove_all(dir);
}

TEST_CASE("model cache: least recently used snapshots are pruned beyond the cap, nothing else") {
  fs::path dir = scratch("prune"), cache = dir / "cache";
  auto model = [&](const std::string& name) {
    fs::path p = dir / (name + ".yaml");
    std::ofstream(p) << "model: {name: " << name << "}\nidentifiers:\n  - {id: i, name: I, kind: national}\n";
    return p;
  };
  const fs::path a = model("a"), b = model("b"), c = model("c"), d = model("d");
  for (const fs::path& m : {a, b, c}) REQUIRE(load_model_cached(m, {}, cache).snapshot_written);
  // Not snapshots: never pruned, never counted.
  std::ofstream(cache / "notes.txt") << std::string(100000, 'x');
  std::ofstream(cache / "0123456789abcdeg.snapshot") << std::string(100000, 'x');
  const std::uintmax_t one = fs::file_size(snapshot_path(a, cache));
  REQUIRE(fs::file_size(snapshot_path(b, cache)) == one);  // names of one length: snapshots of one size
  REQUIRE(fs::file_size(snapshot_path(c, cache)) == one);

  // Used a, b, c in the order b, a, c (oldest first); a is then read, which
  // makes it the most recently used.
  const auto now = fs::file_time_type::clock::now();
  fs::last_write_time(snapshot_path(b, cache), now - std::chrono::hours(3));
  fs::last_write_time(snapshot_path(a, cache), now - std::chrono::hours(2));
  fs::last_write_time(snapshot_path(c, cache), now - std::chrono::hours(1));
  CachedLoad warm = load_model_cached(a, {}, cache);
  REQUIRE(warm.from_snapshot);
  CHECK(warm.pruned.empty());  // a warm load never prunes
  CHECK(fs::last_write_time(snapshot_path(a, cache)) > now - std::chrono::minutes(1));

  // Room for two snapshots: writing d's removes b, then c, and keeps a and d.
  CachedLoad written = load_model_cached(d, {}, cache, 2 * one);
  REQUIRE(written.snapshot_written);
  CHECK(written.pruned == std::vector<fs::path>{snapshot_path(b, cache), snapshot_path(c, cache)});
  CHECK(fs::exists(snapshot_path(a, cache)));
  CHECK(fs::exists(snapshot_path(d, cache)));
  CHECK_FALSE(fs::exists(snapshot_path(b, cache)));
  CHECK_FALSE(fs::exists(snapshot_path(c, cache)));
  CHECK(fs::exists(cache / "notes.txt"));
  CHECK(fs::exists(cache / "0123456789abcdeg.snapshot"));

  // A cap smaller than the new snapshot alone: every other one goes, the new one stays.
  CachedLoad alone = load_model_cached(b, {}, cache, 1);
  CHECK(alone.pruned.size() == 2);
  CHECK(fs::exists(snapshot_path(b, cache)));
  CHECK(load_model_cached(b, {}, cache, 1).from_snapshot);
  fs::remove_all(dir);
}

TEST_CASE("model cache: a deferred snapshot is written only when asked, the same as one written at once") {
  fs::path dir = scratch("cache_deferred");
  fs::create_directories(dir / "m");
  std::ofstream(dir / "m" / "a.yaml")
      << "model: {name: c}\nidentifiers:\n  - {id: i, name: I, kind: national}\n"
         "systems:\n  - {id: s, name: S, sector: tax, holds: {identifiers: [i]}}\n";
  CachedLoad now = load_model_cached(dir / "m", {}, dir / "now");
  REQUIRE(now.snapshot_written);
  CHECK_FALSE(now.deferred.due);  // written already: nothing left to write

  CachedLoad deferred =
      load_model_cached(dir / "m", {}, dir / "later", kDefaultCacheMaxBytes, CacheWrite::deferred);
  REQUIRE(deferred.result.model);
  CHECK_FALSE(deferred.snapshot_written);
  REQUIRE(deferred.deferred.due);
  CHECK_FALSE(fs::exists(dir / "later"));  // nothing written yet, not even the directory
  SnapshotWrite written =
      write_deferred_snapshot(deferred.deferred, *deferred.result.model, deferred.result.diagnostics);
  CHECK(written.written);
  CHECK(written.warnings.empty());
  const fs::path later = snapshot_path(dir / "m", dir / "later");
  std::ifstream a(snapshot_path(dir / "m", dir / "now"), std::ios::binary), b(later, std::ios::binary);
  std::stringstream sa, sb;
  sa << a.rdbuf();
  sb << b.rdbuf();
  CHECK(sa.str() == sb.str());  // the same bytes either way
  CachedLoad warm =
      load_model_cached(dir / "m", {}, dir / "later", kDefaultCacheMaxBytes, CacheWrite::deferred);
  CHECK(warm.from_snapshot);
  CHECK_FALSE(warm.deferred.due);

  // A snapshot loaded from the cache, or nothing due: nothing to write, no warning.
  CHECK_FALSE(write_deferred_snapshot(warm.deferred, *warm.result.model, warm.result.diagnostics).written);

  // A failure is the cannot_write warning, never an exception.
  std::ofstream(dir / "file") << "not a directory\n";
  CachedLoad blocked =
      load_model_cached(dir / "m", {}, dir / "file" / "cache", kDefaultCacheMaxBytes, CacheWrite::deferred);
  REQUIRE(blocked.deferred.due);
  SnapshotWrite failed =
      write_deferred_snapshot(blocked.deferred, *blocked.result.model, blocked.result.diagnostics);
  CHECK_FALSE(failed.written);
  REQUIRE(failed.warnings.size() == 1);
  CHECK(failed.warnings[0].kind == CacheWarning::Kind::cannot_write);
}
