// `imozuru validate` and `imozuru info` as a user runs them: output, exit codes.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;

namespace {

struct Run {
  int status = -1;
  std::string out, err;
};

// One directory per process: ctest runs test cases in parallel, and a
// shared out/err file let one test read another's output.
fs::path scratch_dir() {
  return fs::temp_directory_path() / ("imozuru_cli_validate_" + std::to_string(getpid()));
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs the built imozuru with `args` (shell words), capturing both streams.
Run run(const std::string& args) {
  fs::path dir = scratch_dir();
  fs::create_directories(dir);
  fs::path out = dir / "out", err = dir / "err";
  std::string cmd =
      std::string("'") + IMOZURU_BINARY + "' " + args + " >'" + out.string() + "' 2>'" + err.string() + "'";
  int raw = std::system(cmd.c_str());
  Run r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

const std::string kExample = IMOZURU_FIXTURES "/loader/example.yaml";

fs::path write_model(const std::string& name, const std::string& text) {
  fs::path p = scratch_dir() / name;
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

}  // namespace

TEST_CASE("validate: a valid model prints a one-line summary and exits 0", "[cli][validate]") {
  Run r = run("validate '" + kExample + "' --lang en");
  CHECK(r.status == 0);
  CHECK(r.err == "");
  // English counts take the singular for one.
  CHECK(r.out ==
        kExample + ": valid: 4 systems, 3 identifiers, 3 data items, 2 flows, 1 law, 2 actors, 1 source\n");
  // Without --lang: the model's default_lang (ja).
  r = run("validate '" + kExample + "'");
  CHECK(r.status == 0);
  CHECK(r.out ==
        kExample +
            ": 問題なし: システム 4、識別子 3、データ項目 3、データの流れ 2、法令 1、主体 2、出典 1\n");
}

TEST_CASE("validate: the summary counts the kinds of contract v2 when the model has them",
          "[cli][validate][persons]") {
  const std::string persons = std::string(IMOZURU_FIXTURES) + "/analysis/persons.yaml";
  Run r = run("validate '" + persons + "' --lang en");
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Matches(
                        ".*: valid: .* sources?, [0-9]+ groups?, [0-9]+ consent acts?, [0-9]+ persons?\n"));
  r = run("validate '" + persons + "' --lang ja");
  CHECK_THAT(r.out, Catch::Contains("、集団 "));
  CHECK_THAT(r.out, Catch::Contains("、人物 "));
}

TEST_CASE("validate: an invalid model lists every problem and exits 2", "[cli][validate]") {
  fs::path bad = write_model("bad.yaml",
                             "systems:\n"
                             "  - {id: a, name: A, sector: x, kind: databse}\n"
                             "flows:\n"
                             "  - {id: f, name: F, from: a, to: b}\n");
  Run r = run("validate '" + bad.string() + "'");
  CHECK(r.status == 2);
  CHECK(r.out == "");
  CHECK(r.err ==
        bad.string() +
            ":2:39: error: invalid kind 'databse' (did you mean 'database'?); expected one of: database, "
            "registry, portal, network, hub, card, app, actor\n"
            "  - {id: a, name: A, sector: x, kind: databse}\n"
            "                                      ^\n" +
            bad.string() +
            ":4:35: error: unknown system 'b' in 'to'\n"
            "  - {id: f, name: F, from: a, to: b}\n"
            "                                  ^\n");
}

TEST_CASE("validate: warnings pass, --strict makes them fail with exit 2", "[cli][validate]") {
  fs::path warn = write_model("warn.yaml", "systems: [{id: a, name: A, sector: x}]\n");
  Run lenient = run("validate '" + warn.string() + "'");
  CHECK(lenient.status == 0);
  CHECK(lenient.err == warn.string() +
                           ":1:16: warning: system 'a' has no sources\n"
                           "systems: [{id: a, name: A, sector: x}]\n"
                           "               ^\n");
  Run strict = run("validate --strict '" + warn.string() + "'");
  CHECK(strict.status == 2);
  CHECK(strict.out == "");
  CHECK(strict.err == lenient.err + "imozuru: error: 1 warning(s) with --strict\n");
}

TEST_CASE("validate: an unreadable path exits 1", "[cli][validate]") {
  Run r = run("validate /nonexistent/model.yaml");
  CHECK(r.status == 1);
  CHECK(r.err == "/nonexistent/model.yaml: error: cannot read: No such file or directory\n");
}

TEST_CASE("validate: a limit flag is honoured", "[cli][validate]") {
  Run r = run("validate --max-depth 2 '" + kExample + "'");
  CHECK(r.status == 2);
  CHECK(r.err.find("nesting deeper than 2 levels (--max-depth)") != std::string::npos);
}

TEST_CASE("info: counts active entities at a date, text and byte-stable JSON", "[cli][info]") {
  Run text = run("info '" + kExample + "' --at 2018-01-01");
  CHECK(text.status == 0);
  CHECK(text.out ==
        "マイナンバー連携の例 at 2018-01-01\n"
        "active:\n"
        "  systems: 3\n"
        "  identifiers: 3\n"
        "  data: 3\n"
        "  flows: 2\n"
        "  laws: 1\n"
        "  actors: 2\n"
        "  sources: 1\n"
        "systems by sector:\n"
        "  identity: 1\n"
        "  local_government: 1\n"
        "  portal: 1\n"
        "by status:\n"
        "  operational: 15\n");

  Run json = run("info '" + kExample + "' --at 2016-01-01 --format json");
  CHECK(json.status == 0);
  CHECK(json.out ==
        "{\n"
        "  \"active\": {\n"
        "    \"actors\": 2,\n"
        "    \"data\": 3,\n"
        "    \"flows\": 0,\n"
        "    \"identifiers\": 3,\n"
        "    \"laws\": 1,\n"
        "    \"sources\": 1,\n"
        "    \"systems\": 1\n"
        "  },\n"
        "  \"at\": \"2016-01-01\",\n"
        "  \"by_status\": {\n"
        "    \"operational\": 11\n"
        "  },\n"
        "  \"include_planned\": false,\n"
        "  \"model\": \"マイナンバー連携の例\",\n"
        "  \"systems_by_sector\": {\n"
        "    \"local_government\": 1\n"
        "  }\n"
        "}\n");
  CHECK(run("info '" + kExample + "' --at 2016-01-01 --format json").out == json.out);

  Run planned = run("info '" + kExample + "' --at 2028-01-01 --include-planned --format json");
  CHECK(planned.out.find("\"planned\": 1") != std::string::npos);
  CHECK(planned.out.find("\"systems\": 4") != std::string::npos);
}

TEST_CASE("info: a bad date exits 2, --help and --version answer", "[cli][info]") {
  Run bad = run("info '" + kExample + "' --at 2023-02-30");
  CHECK(bad.status == 2);
  CHECK(bad.err == "imozuru: error: --at: '2023-02-30' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)\n");
  Run help = run("info --help");
  CHECK(help.status == 0);
  CHECK(help.out.find("--include-planned") != std::string::npos);
  Run vhelp = run("validate --help");
  CHECK(vhelp.status == 0);
  CHECK(vhelp.out.find("--strict") != std::string::npos);
  Run version = run("--version");
  CHECK(version.status == 0);
  CHECK(version.out.rfind("imozuru ", 0) == 0);
}
