// Output hygiene against hostile names, end to end through the CLI (issue 19,
// items 13 and 14; docs/security.md, "Text from the model in output"):
// control characters never reach a terminal raw, and every XML output stays
// well-formed XML whatever characters a name holds.
#include <catch2/catch.hpp>
#include <string>

#include "hostile_support.h"

using namespace imozuru::hostile;

namespace {

// Names with terminal escape sequences, a CR, a newline, a C1 CSI and a
// right-to-left override.
const std::string kHostile = std::string(IMOZURU_FIXTURES) + "/output/hostile.yaml";

// Bytes a terminal acts on: ESC, BEL, CR, the C1 CSI (U+009B) and the
// right-to-left override (U+202E).
bool has_raw_controls(const std::string& s) {
  return s.find('\x1b') != std::string::npos || s.find('\x07') != std::string::npos ||
         s.find('\r') != std::string::npos || s.find("\xC2\x9B") != std::string::npos ||
         s.find("\xE2\x80\xAE") != std::string::npos;
}

std::string model_file(const fs::path& dir, const std::string& text) {
  fs::path p = dir / "model.yaml";
  spit(p, text);
  return quote(p.string());
}

// Runs python3 on `script`; its exit status and standard output.
Run python(const fs::path& dir, const std::string& script) {
  fs::path py = dir / "check.py", out = dir / "py.out";
  spit(py, script);
  int raw = std::system(("python3 " + quote(py.string()) + " >" + quote(out.string()) + " 2>&1").c_str());
  Run r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(out);
  return r;
}

}  // namespace

TEST_CASE("output hygiene: the text output of info and every analysis escapes control characters",
          "[cli][hostile][output]") {
  std::string m = quote(kHostile);
  const std::string at = " --at 2026-01-01";
  for (const std::string& args : {"info " + m + at, "reach " + m + " --from identifier:a" + at,
                                  "reach " + m + " --from identifier:a --lang en" + at,
                                  "chains " + m + " --from system:s1 --to data:d" + at,
                                  "downstream " + m + " --from system:s1 --data d" + at, "gaps " + m + at,
                                  "diff " + m + " --from 2016-01-01 --to 2026-01-01", "validate " + m}) {
    INFO(args);
    Run r = run(args);
    CHECK(r.status == 0);
    CHECK_FALSE(has_raw_controls(r.out));
    CHECK_FALSE(has_raw_controls(r.err));
    // A name's newline is shown, not obeyed: no output line starts with the fake prefix.
    CHECK(r.out.find("\nimozuru: fake line") == std::string::npos);
  }
  Run info = run("info " + m + at);
  CHECK_THAT(info.out, Catch::StartsWith("evil\\x1b]0;pwned\\x07 model at 2026-01-01\n"));
  CHECK_THAT(info.out, Catch::Contains("  tax\\x1b[31m: 1\n"));
  Run reach = run("reach " + m + " --from identifier:a" + at);
  CHECK_THAT(reach.out, Catch::Contains("「A\\x1b[2K\\rvalid: 0 errors」"));
  CHECK_THAT(reach.out, Catch::Contains("S1\\x1b]0;title\\x07"));
  CHECK_THAT(reach.out, Catch::Contains("S2\\u202etxt"));
  CHECK_THAT(reach.out, Catch::Contains("  要配慮データ: D\\u009b31m\n"));
  Run chains = run("chains " + m + " --from system:s1 --to data:d" + at);
  CHECK_THAT(chains.out, Catch::Contains("S1\\x1b]0;title\\x07 → 「A\\x1b[2K\\rvalid: 0 errors」"));
  Run diff = run("diff " + m + " --from 2016-01-01 --to 2026-01-01");
  CHECK_THAT(diff.out, Catch::Contains("  + システム: S2\\u202etxt\n"));
  CHECK_THAT(diff.out, Catch::Contains("  + フロー: F\\nimozuru: fake line\n"));
}

TEST_CASE(
    "output hygiene: validate shows a source line's control characters escaped with the caret still under "
    "the column",
    "[cli][hostile][output]") {
  fs::path dir = scratch("caret");
  // A raw ESC in the line, before the reference the error points at.
  std::string m = model_file(
      dir,
      "systems:\n  - {id: x, name: \"\x1b[2J\x1b]0;t\x07\", sector: tax, holds: {identifiers: [nope]}}\n");
  Run r = run("validate " + m);
  CHECK(r.status == 2);
  CHECK_FALSE(has_raw_controls(r.err));
  const std::string shown =
      "  - {id: x, name: \"\\x1b[2J\\x1b]0;t\\x07\", sector: tax, holds: {identifiers: [nope]}}\n";
  auto line = r.err.find(shown);
  REQUIRE(line != std::string::npos);
  std::string caret = r.err.substr(line + shown.size());
  caret = caret.substr(0, caret.find('\n'));
  CHECK(caret.size() == shown.find("nope") + 1);
  CHECK(caret.back() == '^');
}

TEST_CASE("output hygiene: errors and warnings quoting input are escaped", "[cli][hostile][output]") {
  std::string m = quote(kHostile);
  Run r = run("reach " + m + " --from " + quote("identifier:a\x1b]0;x\x07"));
  CHECK(r.status == 2);
  CHECK_FALSE(has_raw_controls(r.err));
  CHECK_THAT(r.err, Catch::Contains("no identifier 'a\\x1b]0;x\\x07' in the model"));
}

TEST_CASE("output hygiene: characters XML 1.0 forbids never reach GraphML or SVG or HTML",
          "[cli][hostile][output][xml]") {
  fs::path dir = scratch("xml");
  // U+FFFE and U+FFFF are valid UTF-8 but not XML characters; neither are C0 controls.
  std::string m =
      model_file(dir,
                 "model: {name: \"M\\uFFFE\"}\n"
                 "identifiers:\n"
                 "  - {id: a, name: \"A\\uFFFF\\x01\", kind: national}\n"
                 "systems:\n"
                 "  - {id: s1, name: \"S\\uFFFE\\uFFFF\", sector: \"t\\uFFFF\", note: \"n\\x02\\uFFFE\", "
                 "holds: {identifiers: [a]}}\n"
                 "  - {id: s2, name: S2, sector: t, holds: {identifiers: [a]}}\n");
  const std::string graphml = (dir / "m.graphml").string(), svg = (dir / "m.svg").string(),
                    report = (dir / "r.html").string(), page = (dir / "p.html").string();
  REQUIRE(run("export " + m + " --format graphml -o " + quote(graphml)).status == 0);
  REQUIRE(run("render " + m + " --view linkage -o " + quote(svg)).status == 0);
  REQUIRE(run("report " + m + " -o " + quote(report)).status == 0);
  REQUIRE(run("html " + m + " -o " + quote(page)).status == 0);
  for (const std::string& file : {graphml, svg, report, page}) {
    INFO(file);
    std::string text = slurp(file);
    CHECK(text.find("\xEF\xBF\xBE") == std::string::npos);  // U+FFFE
    CHECK(text.find("\xEF\xBF\xBF") == std::string::npos);  // U+FFFF
    CHECK(text.find('\x01') == std::string::npos);
    CHECK(text.find('\x02') == std::string::npos);
  }
  // Both XML files parse (expat, as networkx uses), and the names show U+FFFD where the characters were.
  Run py = python(dir,
                  "import networkx as nx, xml.etree.ElementTree as ET\n"
                  "ET.parse(" +
                      quote(svg) +
                      ")\n"
                      "g = nx.read_graphml(" +
                      quote(graphml) +
                      ")\n"
                      "for name in sorted(ascii(d['name']) for _, d in g.nodes(data=True)): print(name)\n"
                      "print(ascii(g.graph['model']))\n");
  CHECK(py.status == 0);
  CHECK(py.out == "'A\\ufffd\\ufffd'\n'S2'\n'S\\ufffd\\ufffd'\n'M\\ufffd'\n");
}
