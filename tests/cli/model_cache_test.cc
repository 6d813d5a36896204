// The parsed-model cache end to end (docs/performance.md#parsed-model-cache):
// a warm run answers exactly as a cold one and prints the same warnings; an
// edited file is always read again, even with the same size and time; a
// truncated or corrupt snapshot is one warning and a fresh load; concurrent
// runs never see half a snapshot; --no-cache and IMOZURU_NO_CACHE write
// nothing. Every test uses its own --cache-dir (tests/test_main.cc turns the
// cache off for everything else).
#include <sys/stat.h>
#include <xxhash.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "hostile_support.h"

using namespace imozuru::hostile;

namespace {

const std::string kReference = std::string(IMOZURU_SOURCE_DIR) + "/flows";

// A small model with one warning: f1 carries data its sender does not hold.
const std::string kModel = R"(model: {name: cache test}
identifiers:
  - {id: shared, name: 共通番号, kind: national}
  - {id: other, name: 別番号, kind: sectoral}
data:
  - {id: d1, name: データ1, category: health, sensitivity: special}
  - {id: d2, name: データ2, category: tax}
systems:
  - {id: a, name: A, sector: health, holds: {identifiers: [shared], data: [d1]}}
  - {id: b, name: B, sector: tax, holds: {identifiers: [shared]}}
  - {id: c, name: C, sector: tax, holds: {identifiers: [other]}}
flows:
  - {id: f1, name: 流れ1, from: a, to: b, carries: {identifiers: [shared], data: [d1, d2]}}
)";

std::vector<fs::path> snapshots(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".snapshot") out.push_back(e.path());
  return out;
}

// A snapshot with its checksum made right again, so the damage reaches the
// reader's later checks.
std::string resealed(std::string bytes) {
  const std::uint64_t sum = XXH3_64bits(bytes.data() + 16, bytes.size() - 16);
  for (int i = 0; i < 8; ++i) bytes[8 + i] = static_cast<char>((sum >> (8 * i)) & 0xff);
  return bytes;
}

std::string cache_args(const fs::path& cache) { return " --cache-dir " + quote(cache.string()); }

}  // namespace

TEST_CASE("model cache: a warm run answers and warns exactly as a cold run and as no cache") {
  fs::path dir = scratch("cache_same"), cache = dir / "cache";
  spit(dir / "model.yaml", kModel);
  const std::string model = quote((dir / "model.yaml").string());
  const std::string reach = "reach " + model + " --from identifier:shared --at 2024-01-01 --format json";
  Run plain = run(reach + " --no-cache");
  REQUIRE(plain.status == 0);
  CHECK(plain.err.find("warning: flow 'f1' carries data item 'd2'") != std::string::npos);
  CHECK(snapshots(cache).empty());
  Run cold = run(reach + cache_args(cache));
  REQUIRE(snapshots(cache).size() == 1);
  Run warm = run(reach + cache_args(cache));
  CHECK(cold.status == 0);
  CHECK(warm.status == 0);
  CHECK(cold.out == plain.out);
  CHECK(warm.out == plain.out);
  CHECK(cold.err == plain.err);
  CHECK(warm.err == plain.err);  // the same warning, source line and caret

  // --strict fails on the warning from the snapshot as from the YAML.
  Run strict = run("validate --strict " + model + cache_args(cache));
  CHECK(strict.status == 2);
  CHECK(strict.err == run("validate --strict " + model + " --no-cache").err);
}

namespace {

// The analyses that write a new snapshot on another thread while they work
// (cli/common.h load_for_process_or_exit), on the reference model.
std::vector<std::string> analyses_of_reference() {
  const std::string model = quote(kReference);
  return {
      "validate " + model,
      "reach " + model + " --from identifier:my_number --at 2025-01-01 --format json",
      "chains " + model +
          " --from identifier:my_number --to data:health_checkup -k 5 --at 2025-01-01 --format json",
      "gaps " + model + " --at 2025-01-01 --format json",
      "diff " + model + " --from 2015-01-01 --to 2025-01-01 --format json",
  };
}

}  // namespace

TEST_CASE("model cache: every analysis of the reference model is the same from the snapshot") {
  fs::path dir = scratch("cache_reference"), cache = dir / "cache";
  const std::string model = quote(kReference);
  // The analyses, and two commands that write the snapshot before they work.
  std::vector<std::string> commands = analyses_of_reference();
  commands.push_back("export " + model + " --format json --at 2025-01-01");
  commands.push_back("person " + model + " --person p_registered --at 2025-01-01");
  REQUIRE(run(commands[0] + cache_args(cache)).status == 0);  // writes the snapshot
  REQUIRE(snapshots(cache).size() == 1);
  for (const std::string& c : commands) {
    INFO(c);
    Run plain = run(c + " --no-cache"), warm = run(c + cache_args(cache));
    CHECK(warm.status == plain.status);
    CHECK(warm.out == plain.out);
    CHECK(warm.err == plain.err);
  }
}

TEST_CASE("model cache: an edited file is read again, even with the same size and modification time") {
  fs::path dir = scratch("cache_edit"), cache = dir / "cache";
  const fs::path file = dir / "model.yaml";
  spit(file, kModel);
  const std::string reach = "reach " + quote(file.string()) + " --from identifier:shared --at 2024-01-01";
  Run before = run(reach + cache_args(cache));
  REQUIRE(before.status == 0);
  CHECK(before.out.find("A、B") != std::string::npos);
  const auto time = fs::last_write_time(file);
  // System c now holds `shared` instead of `other`: same length, same time.
  std::string edited = kModel;
  const std::string from = "{id: c, name: C, sector: tax, holds: {identifiers: [other]}}";
  edited.replace(edited.find(from), from.size(),
                 "{id: c, name: C, sector: tax, holds: {identifiers: [shared]}}");
  REQUIRE(edited.size() != kModel.size());  // "shared" is one letter longer than "other"
  std::string same_size = kModel;
  same_size.replace(same_size.find("[other]}}"), 9, "[shard]}}");  // an unknown id: an error now
  spit(file, same_size);
  fs::last_write_time(file, time);
  Run broken = run(reach + cache_args(cache));
  CHECK(broken.status == 2);
  CHECK(broken.err.find("shard") != std::string::npos);

  spit(file, edited);
  fs::last_write_time(file, time);
  Run after = run(reach + cache_args(cache));
  REQUIRE(after.status == 0);
  CHECK(after.out == run(reach + " --no-cache").out);
  CHECK(after.out != before.out);
}

TEST_CASE("model cache: a file added to a model directory is read") {
  fs::path dir = scratch("cache_add"), cache = dir / "cache", model = dir / "model";
  spit(model / "a.yaml", kModel);
  const std::string validate = "validate " + quote(model.string());
  Run before = run(validate + cache_args(cache));
  REQUIRE(before.status == 0);
  spit(model / "b.yaml", "systems:\n  - {id: d, name: D, sector: tax, holds: {identifiers: [shared]}}\n");
  Run after = run(validate + cache_args(cache));
  CHECK(after.status == 0);
  CHECK(after.out == run(validate + " --no-cache").out);
  CHECK(after.out != before.out);
}

TEST_CASE("model cache: a truncated or bit-flipped snapshot is one warning and a fresh load") {
  fs::path dir = scratch("cache_corrupt"), cache = dir / "cache";
  spit(dir / "model.yaml", kModel);
  const std::string reach =
      "reach " + quote((dir / "model.yaml").string()) + " --from identifier:shared --at 2024-01-01";
  const Run plain = run(reach + " --no-cache");
  REQUIRE(run(reach + cache_args(cache)).status == 0);
  REQUIRE(snapshots(cache).size() == 1);
  const fs::path snapshot = snapshots(cache)[0];
  const std::string good = slurp(snapshot);
  REQUIRE(good.size() > 100);

  std::vector<std::string> bad = {good.substr(0, good.size() / 2), good.substr(0, 3), std::string()};
  for (std::size_t at : {std::size_t(3), std::size_t(12), good.size() / 3, good.size() - 1}) {
    std::string flipped = good;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x10);
    bad.push_back(flipped);
  }
  for (const std::string& b : bad) {
    INFO("snapshot of " << b.size() << " bytes");
    spit(snapshot, b);
    Run r = run(reach + cache_args(cache));
    CHECK(r.status == 0);
    CHECK(r.out == plain.out);
    // One warning about the snapshot, in the model's language (Japanese),
    // then exactly the model's warnings.
    const std::string warning =
        "imozuru: warning: キャッシュのスナップショット " + snapshot.string() + " は使いません（";
    REQUIRE(r.err.rfind(warning, 0) == 0);
    CHECK(r.err.substr(r.err.find('\n') + 1) == plain.err);
    CHECK(slurp(snapshot) == good);  // written again
    Run again = run(reach + cache_args(cache));
    CHECK(again.err == plain.err);
  }
}

TEST_CASE("model cache: its warnings are in --lang, else in the model's language") {
  fs::path dir = scratch("cache_lang"), cache = dir / "cache";
  spit(dir / "model.yaml", kModel);
  const std::string reach =
      "reach " + quote((dir / "model.yaml").string()) + " --from identifier:shared --at 2024-01-01";
  REQUIRE(run(reach + cache_args(cache)).status == 0);
  REQUIRE(snapshots(cache).size() == 1);
  const fs::path snapshot = snapshots(cache)[0];
  const std::string good = slurp(snapshot);
  const std::string model_warnings = run(reach + " --no-cache").err;  // the same in both languages
  REQUIRE(model_warnings.find("warning: flow 'f1' carries data item 'd2'") != std::string::npos);
  struct Case {
    std::string bytes, en, ja;
  };
  std::string flipped = good;
  flipped[good.size() / 2] = static_cast<char>(flipped[good.size() / 2] ^ 1);
  std::string other_identifier = good;  // FlatBuffers' file identifier, after the root offset
  REQUIRE(other_identifier.substr(20, 4) == "IMZS");
  other_identifier[20] = 'X';
  std::string other_build = good;  // the writer's build id, one hex digit changed
  const std::size_t build = other_build.find(" build ");
  REQUIRE(build != std::string::npos);
  other_build[build + 7] = other_build[build + 7] == '0' ? '1' : '0';
  const std::vector<Case> cases = {
      {resealed(other_identifier), "it is corrupt", "壊れています"},
      {resealed(other_build), "it was written by another version or build of imozuru",
       "imozuru の別のバージョンかビルドが書いたものです"},
      {good.substr(0, 5), "it is truncated", "途中で切れています"},
      {"not a snapshot at all", "it is not an imozuru snapshot", "imozuru のスナップショットではありません"},
      {flipped, "its checksum does not match (truncated or corrupt)",
       "チェックサムが合いません。途中で切れているか壊れています"},
  };
  for (const Case& c : cases) {
    INFO(c.en);
    spit(snapshot, c.bytes);
    Run en = run(reach + " --lang en" + cache_args(cache));
    CHECK(en.status == 0);
    CHECK(en.err == "imozuru: warning: ignoring the cached snapshot " + snapshot.string() + ": " + c.en +
                        "; reading the model files and writing it again\n" + model_warnings);
    spit(snapshot, c.bytes);
    Run ja = run(reach + " --lang ja" + cache_args(cache));
    CHECK(ja.status == 0);
    CHECK(ja.err == "imozuru: warning: キャッシュのスナップショット " + snapshot.string() +
                        " は使いません（" + c.ja + "）。モデルファイルを読み、書き直します\n" +
                        model_warnings);
  }

  // A model that names English as its language: warnings in English without --lang.
  std::string english = kModel;
  english.replace(english.find("{name: cache test}"), 18, "{name: cache test, default_lang: en}");
  spit(dir / "model.yaml", english);
  REQUIRE(run(reach + cache_args(cache)).status == 0);
  spit(snapshot, good.substr(0, 5));
  CHECK(run(reach + cache_args(cache)).err.rfind("imozuru: warning: ignoring the cached snapshot ", 0) == 0);

  // The directory cannot be made: the system's reason inside the sentence.
  spit(dir / "file", "not a directory\n");
  const std::string unwritable = reach + cache_args(dir / "file" / "cache");
  // The snapshot is written while the command works: its warning comes
  // after the model's own.
  const Run en = run(unwritable + " --lang en");
  CHECK(en.err.rfind(model_warnings + "imozuru: warning: cannot write the cached snapshot: ", 0) == 0);
  Run ja = run(unwritable + " --lang ja");
  CHECK(ja.err.rfind(model_warnings + "imozuru: warning: キャッシュのスナップショットを書けません: ", 0) ==
        0);
  CHECK(ja.err.find("（--no-cache か IMOZURU_NO_CACHE=1 でキャッシュを使わないようにできます）\n") !=
        std::string::npos);
}

TEST_CASE("model cache: concurrent runs on an empty cache all answer right") {
  fs::path dir = scratch("cache_concurrent"), cache = dir / "cache";
  const std::string reach = quote(IMOZURU_BINARY) + " reach " + quote(kReference) +
                            " --from identifier:my_number --at 2025-01-01 --format json" + cache_args(cache);
  const Run plain =
      run("reach " + quote(kReference) + " --from identifier:my_number --at 2025-01-01 --format json");
  std::string script;
  for (int i = 0; i < 6; ++i)
    script += reach + " >" + quote((dir / ("out" + std::to_string(i))).string()) + " 2>" +
              quote((dir / ("err" + std::to_string(i))).string()) + " & ";
  script += "wait";
  REQUIRE(std::system(("sh -c " + quote(script)).c_str()) == 0);
  for (int i = 0; i < 6; ++i) {
    INFO("run " << i);
    CHECK(slurp(dir / ("out" + std::to_string(i))) == plain.out);
    CHECK(slurp(dir / ("err" + std::to_string(i))) == plain.err);
  }
  CHECK(snapshots(cache).size() == 1);
  for (const auto& e : fs::directory_iterator(cache))
    CHECK(e.path().extension() == ".snapshot");  // no temp left
  Run warm = run("reach " + quote(kReference) + " --from identifier:my_number --at 2025-01-01 --format json" +
                 cache_args(cache));
  CHECK(warm.out == plain.out);
  CHECK(warm.err == plain.err);
}

TEST_CASE("model cache: --no-cache and IMOZURU_NO_CACHE write nothing; XDG_CACHE_HOME places it") {
  fs::path dir = scratch("cache_off"), xdg = dir / "xdg";
  spit(dir / "model.yaml", kModel);
  const std::string validate = "validate " + quote((dir / "model.yaml").string());
  const char* saved = std::getenv("IMOZURU_NO_CACHE");
  const std::string saved_value = saved ? saved : "";
  setenv("XDG_CACHE_HOME", xdg.c_str(), 1);

  setenv("IMOZURU_NO_CACHE", "1", 1);
  CHECK(run(validate).status == 0);
  CHECK(snapshots(xdg / "imozuru").empty());
  unsetenv("IMOZURU_NO_CACHE");
  CHECK(run(validate + " --no-cache").status == 0);
  CHECK(snapshots(xdg / "imozuru").empty());
  setenv("IMOZURU_NO_CACHE", "0", 1);  // "0" does not turn it off
  CHECK(run(validate).status == 0);
  CHECK(snapshots(xdg / "imozuru").size() == 1);

  // An explicit --cache-dir wins over the environment; --no-cache over both.
  setenv("IMOZURU_NO_CACHE", "1", 1);
  CHECK(run(validate + cache_args(dir / "explicit")).status == 0);
  CHECK(snapshots(dir / "explicit").size() == 1);
  CHECK(run(validate + cache_args(dir / "never") + " --no-cache").status == 0);
  CHECK(snapshots(dir / "never").empty());

  unsetenv("XDG_CACHE_HOME");
  if (saved)
    setenv("IMOZURU_NO_CACHE", saved_value.c_str(), 1);
  else
    unsetenv("IMOZURU_NO_CACHE");
}

TEST_CASE("model cache: an unwritable cache directory is a warning, not a failure") {
  fs::path dir = scratch("cache_unwritable");
  spit(dir / "model.yaml", kModel);
  spit(dir / "file", "not a directory\n");
  Run r = run("reach " + quote((dir / "model.yaml").string()) + " --from identifier:shared --at 2024-01-01" +
              cache_args(dir / "file" / "cache"));
  CHECK(r.status == 0);
  const std::string model_warnings = run("reach " + quote((dir / "model.yaml").string()) +
                                         " --from identifier:shared --at 2024-01-01 --no-cache")
                                         .err;
  CHECK(r.err.rfind(model_warnings + "imozuru: warning: キャッシュのスナップショットを書けません: ", 0) == 0);
  CHECK(r.out.find("A、B") != std::string::npos);
  // A command that writes the snapshot before it works (not on another
  // thread) says it before the model's warnings, as it always did.
  Run exported = run("export " + quote((dir / "model.yaml").string()) + " --format json --at 2024-01-01" +
                     cache_args(dir / "file" / "cache"));
  CHECK(exported.status == 0);
  CHECK(exported.err.rfind("imozuru: warning: キャッシュのスナップショットを書けません: ", 0) == 0);
}

TEST_CASE("model cache: a cold run writes, while it works, a whole snapshot that the next run reads") {
  fs::path dir = scratch("cache_background");
  int i = 0;
  for (const std::string& c : analyses_of_reference()) {
    INFO(c);
    const fs::path cache = dir / ("cache" + std::to_string(i++));
    const Run plain = run(c + " --no-cache");
    const Run cold = run(c + cache_args(cache));
    CHECK(cold.status == plain.status);
    CHECK(cold.out == plain.out);
    CHECK(cold.err == plain.err);
    REQUIRE(snapshots(cache).size() == 1);
    for (const auto& e : fs::directory_iterator(cache))
      CHECK(e.path().extension() == ".snapshot");  // no temporary file left
    // The next run reads it (touches it: a new time, the same file) rather
    // than writing it again (a new file renamed over it).
    const fs::path snapshot = snapshots(cache)[0];
    const fs::file_time_type long_ago = fs::file_time_type::clock::now() - std::chrono::hours(24 * 365);
    fs::last_write_time(snapshot, long_ago);
    struct stat before {};
    REQUIRE(::stat(snapshot.c_str(), &before) == 0);
    const Run warm = run(c + cache_args(cache));
    CHECK(warm.status == plain.status);
    CHECK(warm.out == plain.out);
    CHECK(warm.err == plain.err);
    struct stat after {};
    REQUIRE(::stat(snapshot.c_str(), &after) == 0);
    CHECK(after.st_ino == before.st_ino);
    CHECK(fs::last_write_time(snapshot) > long_ago);
  }
}

TEST_CASE("model cache: a snapshot that cannot be written leaves the answer intact, then one warning") {
  fs::path dir = scratch("cache_background_fails");
  fs::copy(kReference, dir / "model", fs::copy_options::recursive);
  const fs::path cache = dir / "cache";
  const std::string reference = quote(kReference), model = quote((dir / "model").string());
  // The snapshot's name is a character device that takes no bytes: the
  // directory is there, the write itself fails (ENOSPC) on the writer's thread.
  REQUIRE(run("validate " + model + cache_args(cache)).status == 0);
  REQUIRE(snapshots(cache).size() == 1);
  const fs::path snapshot = snapshots(cache)[0];
  fs::remove(snapshot);
  fs::create_symlink("/dev/full", snapshot);
  for (std::string c : analyses_of_reference()) {
    c.replace(c.find(reference), reference.size(), model);
    INFO(c);
    for (const std::string lang : {"en", "ja"}) {
      const Run plain = run(c + " --lang " + lang + " --no-cache");
      const Run r = run(c + " --lang " + lang + cache_args(cache));
      CHECK(r.status == plain.status);
      CHECK(r.out == plain.out);
      const std::string warning = lang == "en"
                                      ? "imozuru: warning: cannot write the cached snapshot: "
                                      : "imozuru: warning: キャッシュのスナップショットを書けません: ";
      CHECK(r.err.rfind(plain.err + warning, 0) == 0);
      CHECK(r.err.find("No space left on device") != std::string::npos);
      CHECK(std::count(r.err.begin() + static_cast<long>(plain.err.size()), r.err.end(), '\n') == 1);
    }
    // An output file is written whole all the same (validate writes none).
    if (c.rfind("validate ", 0) == 0) continue;
    const Run plain = run(c + " --no-cache");
    const fs::path out = dir / "out.json";
    const Run to_file = run(c + " -o " + quote(out.string()) + cache_args(cache));
    CHECK(to_file.status == plain.status);
    CHECK(slurp(out) == plain.out);
  }
  CHECK(fs::is_symlink(snapshot));
}
