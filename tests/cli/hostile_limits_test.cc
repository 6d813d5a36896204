// Every limit a user's input can hit, end to end through the CLI: the input
// is refused with a message naming the flag, the exit status is right, and
// the flag raises the limit (issue 7; docs/security.md lists them).
#include <catch2/catch.hpp>
#include <string>

#include "hostile_support.h"

using namespace imozuru::hostile;

namespace {

const std::string kSmall =
    "model: {name: small}\n"
    "identifiers:\n"
    "  - {id: a, name: A, kind: national}\n"
    "  - {id: b, name: B, kind: sectoral}\n"
    "data:\n"
    "  - {id: d, name: D, sensitivity: special}\n"
    "systems:\n"
    "  - {id: s1, name: S1, sector: tax, holds: {identifiers: [a]}}\n"
    "  - {id: s2, name: S2, sector: tax, holds: {identifiers: [a, b]}}\n"
    "  - {id: s3, name: S3, sector: health, holds: {identifiers: [b], data: [d]}}\n";

std::string model_file(const fs::path& dir, const std::string& text = kSmall) {
  fs::path p = dir / "model.yaml";
  spit(p, text);
  return quote(p.string());
}

}  // namespace

TEST_CASE("limits: --max-file-bytes refuses a larger file and raises the limit", "[cli][hostile][limits]") {
  fs::path dir = scratch("file_bytes");
  std::string m = model_file(dir);
  Run r = run("validate " + m + " --max-file-bytes 100");
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("--max-file-bytes"));
  CHECK_THAT(r.err, Catch::Contains("100 bytes"));
  CHECK(run("validate " + m + " --max-file-bytes 100000").status == 0);
}

TEST_CASE("limits: --max-depth refuses deep nesting and raises the limit", "[cli][hostile][limits]") {
  fs::path dir = scratch("depth");
  std::string m = model_file(dir);
  // systems → list → system → holds → identifiers → list: 6 levels.
  Run r = run("validate " + m + " --max-depth 3");
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("nesting deeper than 3 levels (--max-depth)"));
  CHECK(run("validate " + m + " --max-depth 10").status == 0);

  // A hostile file: 20 000 nested lists stop at the default limit, quickly.
  std::string deep =
      "model: {name: deep, description: " + std::string(20000, '[') + std::string(20000, ']') + "}\n";
  Run d = run("validate " + model_file(dir, deep));
  CHECK(d.status == 2);
  CHECK_THAT(d.err, Catch::Contains("nesting deeper than 64 levels (--max-depth)"));
}

TEST_CASE("limits: --max-entities refuses a model with more entities and raises the limit",
          "[cli][hostile][limits]") {
  fs::path dir = scratch("entities");
  std::string m = model_file(dir);
  Run r = run("validate " + m + " --max-entities 4");
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("more than 4 entities in the model (--max-entities)"));
  CHECK(run("validate " + m + " --max-entities 6").status == 0);
}

TEST_CASE("limits: --max-references refuses a model with more references and raises the limit",
          "[cli][hostile][limits]") {
  fs::path dir = scratch("references");
  std::string m = model_file(dir);  // five references: a; a, b; b, d
  Run r = run("validate " + m + " --max-references 4");
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("more than 4 references in the model (--max-references)"));
  CHECK(run("validate " + m + " --max-references 5").status == 0);
}

TEST_CASE("limits: --max-string-bytes refuses a long label and raises the limit", "[cli][hostile][limits]") {
  fs::path dir = scratch("string");
  std::string text = kSmall + "  - {id: s4, name: \"" + std::string(300, 'x') + "\", sector: tax}\n";
  std::string m = model_file(dir, text);
  Run r = run("validate " + m + " --max-string-bytes 200");
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("(--max-string-bytes)"));
  CHECK(run("validate " + m + " --max-string-bytes 300").status == 0);
  CHECK(run("validate " + m).status == 0);  // default 64 KiB
}

TEST_CASE("limits: --max-files refuses a directory with more files and raises the limit",
          "[cli][hostile][limits]") {
  fs::path dir = scratch("files");
  spit(dir / "m" / "a.yaml", "identifiers:\n  - {id: a, name: A, kind: national}\n");
  spit(dir / "m" / "b.yaml", "systems:\n  - {id: s1, name: S1, sector: tax, holds: {identifiers: [a]}}\n");
  spit(dir / "m" / "sub" / "c.yaml",
       "systems:\n  - {id: s2, name: S2, sector: tax, holds: {identifiers: [a]}}\n");
  std::string m = quote((dir / "m").string());
  Run r = run("validate " + m + " --max-files 2");
  CHECK(r.status != 0);
  CHECK_THAT(r.err, Catch::Contains("more than 2 model files in the directory (--max-files)"));
  CHECK(run("validate " + m + " --max-files 3").status == 0);
}

TEST_CASE("limits: YAML aliases (billion laughs) are refused, not expanded", "[cli][hostile][limits]") {
  fs::path dir = scratch("aliases");
  std::string laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'k'; ++c, ++prev) {
    laughs += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) laughs += std::string(i ? ", " : "") + "*" + prev;
    laughs += "]\n";
  }
  Run r = run("validate " + model_file(dir, "model: {name: laughs}\n" + laughs));
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("aliases"));
}

TEST_CASE("limits: chains -k is capped by --max-chains, and --max-hops bounds the search",
          "[cli][hostile][limits]") {
  fs::path dir = scratch("chains");
  std::string m = model_file(dir);
  Run r = run("chains " + m + " --from system:s1 --to data:d -k 5000 --at 2026-01-01");
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("-k 5000 is above the limit of 1000"));
  CHECK_THAT(r.err, Catch::Contains("--max-chains"));
  CHECK(
      run("chains " + m + " --from system:s1 --to data:d -k 5000 --max-chains 5000 --at 2026-01-01").status ==
      0);

  // s1 —a— s2 —b— s3 holds d: three systems, two steps.
  Run near = run("chains " + m + " --from system:s1 --to data:d --max-hops 1 --format json --at 2026-01-01");
  CHECK(near.status == 0);
  CHECK_THAT(near.out, Catch::Contains("\"chains\": []") || Catch::Contains("\"chains\":[]"));
  Run far = run("chains " + m + " --from system:s1 --to data:d --max-hops 2 --format json --at 2026-01-01");
  CHECK(far.status == 0);
  CHECK_THAT(far.out, Catch::Contains("\"length\": 3") || Catch::Contains("\"length\":3"));
}

TEST_CASE("limits: query --timeout stops an endless script with exit 3", "[cli][hostile][limits]") {
  fs::path dir = scratch("query_time");
  std::string m = model_file(dir);
  spit(dir / "loop.lua", "while true do end\n");
  Run r = run("query " + m + " " + quote((dir / "loop.lua").string()) + " --timeout 0.3");
  CHECK(r.status == 3);
  CHECK_THAT(r.err, Catch::Contains("time limit of 0.3"));
  CHECK_THAT(r.err, Catch::Contains("--timeout"));

  // A script that needs about a second of work: too slow for 0.05 s, fine by default.
  spit(dir / "work.lua", "local n = 0\nfor i = 1, 3e6 do n = n + i % 7 end\nprint(n > 0)\n");
  CHECK(run("query " + m + " " + quote((dir / "work.lua").string()) + " --timeout 0.01").status == 3);
  Run ok = run("query " + m + " " + quote((dir / "work.lua").string()));
  CHECK(ok.status == 0);
  CHECK(ok.out == "true\n");
}

TEST_CASE("limits: query --memory stops a greedy script with exit 4", "[cli][hostile][limits]") {
  fs::path dir = scratch("query_memory");
  std::string m = model_file(dir);
  spit(dir / "greedy.lua", "local t = {}\nfor i = 1, 2e6 do t[i] = {i} end\nprint(#t)\n");
  Run r = run("query " + m + " " + quote((dir / "greedy.lua").string()) + " --memory 16M");
  CHECK(r.status == 4);
  CHECK_THAT(r.err, Catch::Contains("memory limit of 16 MiB"));
  CHECK_THAT(r.err, Catch::Contains("--memory"));
  Run ok = run("query " + m + " " + quote((dir / "greedy.lua").string()) + " --memory 1G");
  CHECK(ok.status == 0);
  CHECK(ok.out == "2000000\n");
}

TEST_CASE("limits: a query's __gc finalizer cannot outlive the time limit", "[cli][hostile][limits][query]") {
  // Found by fuzzing (fuzz_query): Lua runs finalizers with hooks off, so an
  // endless __gc hung the tool at exit. The sandbox refuses __gc metatables.
  fs::path dir = scratch("query_gc");
  std::string m = model_file(dir);
  spit(dir / "gc.lua", "setmetatable({}, {__gc = function() while true do end end})\n");
  Run r = run("query " + m + " " + quote((dir / "gc.lua").string()) + " --timeout 1", 20);
  CHECK(r.status == 1);  // a script error; -1 would mean killed after 20 s
  CHECK_THAT(r.err, Catch::Contains("__gc"));
}

TEST_CASE("limits: render --max-nodes refuses a big diagram and raises the limit", "[cli][hostile][limits]") {
  fs::path dir = scratch("render_nodes");
  std::string m = model_file(dir, generated_model(30));
  fs::path out = dir / "out.dot";
  Run r = run("render " + m + " -o " + quote(out.string()) + " --max-nodes 10 --at 2026-01-01");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("more than --max-nodes 10"));
  CHECK_FALSE(fs::exists(out));
  CHECK(run("render " + m + " -o " + quote(out.string()) + " --max-nodes 100 --at 2026-01-01").status == 0);
  CHECK(fs::file_size(out) > 0);
}

TEST_CASE("limits: render --timeout and --memory-limit stop layout with a clear error",
          "[cli][hostile][limits]") {
  fs::path dir = scratch("render_time");
  std::string m = model_file(dir, generated_model(300));
  fs::path out = dir / "out.svg";
  Run slow =
      run("render " + m + " -o " + quote(out.string()) + " --view linkage --timeout 0.05 --at 2026-01-01");
  CHECK(slow.status == 1);
  CHECK_THAT(slow.err, Catch::Contains("--timeout"));
  CHECK_FALSE(fs::exists(out));

#ifndef __SANITIZE_ADDRESS__
  // The layout process has more than 16 MiB of address space before it
  // starts drawing (Graphviz's libraries and fonts): refused before drawing,
  // with the flag to raise, the same way every time.
  // (Not under ASan: its shadow memory reserves terabytes of address space,
  // so an RLIMIT_AS limit cannot mean the same thing there.)
  Run small =
      run("render " + m + " -o " + quote(out.string()) + " --view linkage --memory-limit 16 --at 2026-01-01");
  CHECK(small.status == 1);
  CHECK_THAT(small.err,
             Catch::Contains("imozuru: error: cannot render " + out.string() +
                             ": the memory limit (--memory-limit 16) is too small: the layout process has "
                             "taken "));
  CHECK_THAT(small.err,
             Catch::Contains(" MiB of address space before it starts drawing, leaving less than 32 MiB to "
                             "draw with\n"));
  CHECK_FALSE(fs::exists(out));
#endif
}
