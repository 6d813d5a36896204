// The export subcommand end to end: the real binary on a YAML fixture.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "support/run_imozuru.h"

namespace fs = std::filesystem;

namespace {

using imozuru::testing::Run;
Run run(const std::string& args) { return imozuru::testing::run_imozuru(args); }

const std::string kModel = std::string(IMOZURU_FIXTURES) + "/export/model.yaml";

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("imozuru-export-cli-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("export CLI: json to stdout is the model at --at, identical run to run") {
  Run a = run("export " + kModel + " --format json --at 2020-01-01");
  REQUIRE(a.status == 0);
  auto j = nlohmann::json::parse(a.out);
  CHECK(j["at"] == "2020-01-01");
  CHECK(j["systems"].size() == 2);
  CHECK(j["data"].size() == 2);  // claims from 2021-10
  CHECK(run("export " + kModel + " --format json --at 2020-01-01").out == a.out);
  auto planned =
      nlohmann::json::parse(run("export " + kModel + " --format json --at 2020 --include-planned").out);
  CHECK(planned["systems"].size() == 3);
}

TEST_CASE("export CLI: -o writes graphml and mermaid files, and --lang picks names") {
  TempDir dir;
  REQUIRE(
      run("export " + kModel + " --format graphml --at 2026-01-01 -o " + (dir.path / "m.graphml").string())
          .status == 0);
  std::string graphml = read(dir.path / "m.graphml");
  CHECK(graphml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0) == 0);
  CHECK(graphml.find("system:jumin") != std::string::npos);
  REQUIRE(run("export " + kModel + " --format mermaid --lang en --at 2026-01-01 -o " +
              (dir.path / "m.mmd").string())
              .status == 0);
  std::string mermaid = read(dir.path / "m.mmd");
  CHECK(mermaid.find("flowchart LR\n") != std::string::npos);
  CHECK(mermaid.find("[\"Basic Resident Register\"]") != std::string::npos);
  CHECK(mermaid.find("[\"Insurer\"]") != std::string::npos);
  CHECK(mermaid.find("-->|\"本人確認\"|") != std::string::npos);  // no name_en: falls back to name
  Run ja = run("export " + kModel + " --format mermaid --at 2026-01-01");
  CHECK(ja.out.find("[\"保険者 #quot;DB#quot;, 本店\"]") != std::string::npos);
}

TEST_CASE("export CLI: csv to a directory, one table, all tables, and --bom") {
  TempDir dir;
  REQUIRE(run("export " + kModel + " --format csv --at 2026-01-01 --bom -o " + (dir.path / "tables").string())
              .status == 0);
  for (const char* t : {"systems", "identifiers", "data", "flows", "holdings", "laws", "sources", "groups",
                        "persons", "consent_acts", "assessments"}) {
    std::string text = read(dir.path / "tables" / (std::string(t) + ".csv"));
    CHECK(text.rfind("\xEF\xBB\xBF", 0) == 0);
  }
  CHECK(read(dir.path / "tables" / "holdings.csv") ==
        "\xEF\xBB\xBFsystem,kind,item,holding\r\n"
        "insurer,identifier,my_number,received\r\n"
        "insurer,data,claims,declared\r\n"
        "insurer,data,name,received\r\n"
        "jumin,identifier,my_number,declared\r\n"
        "jumin,data,address,declared\r\n"
        "jumin,data,name,declared\r\n");

  Run one = run("export " + kModel + " --format csv --table systems --at 2026-01-01");
  REQUIRE(one.status == 0);
  CHECK(one.out.rfind("id,name,name_en,sector,", 0) == 0);
  CHECK(one.out.find("\"保険者 \"\"DB\"\", 本店\"") != std::string::npos);

  Run all = run("export " + kModel + " --format csv --at 2026-01-01");
  REQUIRE(all.status == 0);
  CHECK(all.out.rfind("# systems\r\nid,", 0) == 0);
  for (const char* t :
       {"\r\n\r\n# identifiers\r\n", "\r\n\r\n# data\r\n", "\r\n\r\n# flows\r\n", "\r\n\r\n# holdings\r\n",
        "\r\n\r\n# laws\r\n", "\r\n\r\n# sources\r\n", "\r\n\r\n# assessments\r\n"})
    CHECK(all.out.find(t) != std::string::npos);
}

TEST_CASE("export CLI: --csv-raw leaves formula-like cells as they are") {
  TempDir dir;
  std::string data = read(kModel);
  const std::string item = "{id: name, name: 氏名,";
  REQUIRE(data.find(item) != std::string::npos);
  data.replace(data.find(item), item.size(), "{id: name, name: \"=1+1\",");
  std::ofstream(dir.path / "m.yaml") << data;
  std::string model = (dir.path / "m.yaml").string();
  Run safe = run("export " + model + " --format csv --table data --at 2026-01-01");
  REQUIRE(safe.status == 0);
  CHECK(safe.out.find("\r\nname,\"'=1+1\",Name,") != std::string::npos);
  Run raw = run("export " + model + " --format csv --table data --csv-raw --at 2026-01-01");
  REQUIRE(raw.status == 0);
  CHECK(raw.out.find("\r\nname,=1+1,Name,") != std::string::npos);
  Run wrong =
      run("export " + model + " --format json --csv-raw");  // "--csv-raw applies to --format csv only"
  CHECK(wrong.status == 2);                                 // a usage error
  CHECK(wrong.out.empty());
}

TEST_CASE("export CLI: bad input gives a clear failure and writes nothing") {
  TempDir dir;
  fs::path out = dir.path / "x.json";
  CHECK(run("export " + kModel + " --format json --at 2021-02-30 -o " + out.string()).status == 2);
  CHECK(run("export " + kModel + " --format yaml").status != 0);
  CHECK(run("export " + kModel + " --format json --bom").status ==
        2);  // usage errors (docs/cli.md#exit-status)
  CHECK(run("export " + kModel + " --format mermaid --table flows").status == 2);
  CHECK(run("export " + std::string(IMOZURU_FIXTURES) +
            "/export/schema/bad/bad_status.yaml --format json -o " + out.string())
            .status == 2);
  CHECK_FALSE(fs::exists(out));
  std::ofstream(dir.path / "file") << "x";
  CHECK(run("export " + kModel + " --format csv -o " + (dir.path / "file").string()).status == 1);
}

TEST_CASE(
    "export CLI: a Mermaid diagram past Mermaid's default limits is written, with a warning that says what "
    "to raise",
    "[export][mermaid]") {
  TempDir dir;
  // 300 systems holding one identifier and 299 flows: 599 links, above Mermaid's 500.
  std::string yaml =
      "sources:\n  - {id: s, title: T}\nidentifiers:\n  - {id: i, name: I, kind: national, sources: [s]}\n"
      "systems:\n";
  for (int n = 0; n < 300; ++n)
    yaml += "  - {id: s" + std::to_string(n) + ", name: S" + std::to_string(n) +
            ", sector: health, holds: {identifiers: [i]}, sources: [s]}\n";
  yaml += "flows:\n";
  for (int n = 0; n < 299; ++n)
    yaml += "  - {id: f" + std::to_string(n) + ", name: F" + std::to_string(n) + ", from: s" +
            std::to_string(n) + ", to: s" + std::to_string(n + 1) +
            ", carries: {identifiers: [i]}, sources: [s]}\n";
  const fs::path model = dir.path / "big.yaml";
  std::ofstream(model) << yaml;
  const fs::path out = dir.path / "big.mmd";
  auto r = imozuru::testing::run_imozuru(
      "export " + model.string() + " --format mermaid --lang en -o " + out.string(),
      imozuru::testing::Stderr::merged);
  CHECK(r.status == 0);
  CHECK(r.out.find("599 links") != std::string::npos);
  CHECK(r.out.find("raise maxEdges and maxTextSize in Mermaid's configuration") != std::string::npos);
  CHECK(fs::file_size(out) > 0);
  // The small model stays quiet.
  auto small = imozuru::testing::run_imozuru("export " + kModel + " --format mermaid --at 2026-01-01",
                                             imozuru::testing::Stderr::merged);
  CHECK(small.out.find("Mermaid") == std::string::npos);
}

TEST_CASE("export CLI: graphml-yed and gexf are written with -o") {
  TempDir dir;
  const std::string yed = (dir.path / "m.graphml").string(), gexf = (dir.path / "m.gexf").string();
  REQUIRE(run("export " + kModel + " --format graphml-yed --at 2026-01-01 --lang en -o " + yed).status == 0);
  CHECK(read(yed).find("<y:NodeLabel>Basic Resident Register</y:NodeLabel>") != std::string::npos);
  REQUIRE(run("export " + kModel + " --format gexf --include-planned -o " + gexf).status == 0);
  CHECK(read(gexf).find("<node id=\"system:portal\" label=\"マイナポータル\" start=\"2017-01-01\">") !=
        std::string::npos);
}

static std::set<std::string> split(const std::string& text, const std::string& separator) {
  std::set<std::string> out;
  for (std::size_t from = 0;;) {
    const std::size_t to = text.find(separator, from);
    out.insert(text.substr(from, to - from));
    if (to == std::string::npos) return out;
    from = to + separator.size();
  }
}

// The man page's synopsis of export names exactly the formats --help lists.
TEST_CASE("export CLI: the man page lists every --format value of --help") {
  Run help = run("export --help");
  REQUIRE(help.status == 0);
  std::smatch m;
  REQUIRE(std::regex_search(help.out, m, std::regex(R"(--format TEXT:\{([^}]*)\})")));
  const std::set<std::string> from_help = split(m[1], ", ");

  std::string page = read(std::string(IMOZURU_SOURCE_DIR) + "/packaging/imozuru.1.in");
  std::smatch line;
  REQUIRE(std::regex_search(page, line, std::regex(R"(\n\.BI export [^\n]*)")));
  std::string synopsis = std::regex_replace(line.str(), std::regex(R"(\\f[RBI]|")"), "");
  synopsis = std::regex_replace(synopsis, std::regex(R"(\\-)"), "-");
  REQUIRE(std::regex_search(synopsis, m, std::regex(R"(--format\s+(\S+))")));
  CHECK(split(m[1], "|") == from_help);
  CHECK(from_help.count("gexf") == 1);
  CHECK(from_help.count("graphml-yed") == 1);
}
