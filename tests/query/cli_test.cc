// `imozuru query` as a user runs it: arguments reach the script, exit codes,
// and the shipped scripts on the reference model in flows/.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/run_imozuru.h"

namespace {

using Command = imozuru::testing::Run;  // stdout and stderr together
Command run(const std::string& args) {
  return imozuru::testing::run_imozuru(args, imozuru::testing::Stderr::merged,
                                       imozuru::testing::Directory::source);
}

const std::string kSmall = std::string(IMOZURU_FIXTURES) + "/query/small.yaml";
const std::string kScripts = std::string(IMOZURU_FIXTURES) + "/query/";

}  // namespace

TEST_CASE("script arguments, including option-like ones, reach arg") {
  Command c = run("query " + kSmall + " " + kScripts + "print_args.lua --at 2020 one --two -3 --at x");
  INFO(c.out);
  CHECK(c.status == 0);
  // --at before the first script argument is imozuru's; from there on everything is the script's.
  CHECK(c.out == "arg[0]=" + kScripts + "print_args.lua\n" + "arg[1]=one\narg[2]=--two\narg[3]=-3\n" +
                     "arg[4]=--at\narg[5]=x\n...=5\ndate=2020-01-01\n");
  c = run("query " + kSmall + " " + kScripts + "print_args.lua -- --timeout 1");
  CHECK(c.out.find("arg[1]=--timeout\narg[2]=1\n...=2\n") != std::string::npos);
  // Only the first `--` is imozuru's: a second one is the script's, and the
  // script's own arguments before the first come first.
  c = run("query " + kSmall + " " + kScripts + "print_args.lua one -- -- --at x");
  CHECK(c.status == 0);
  CHECK(c.out.find("arg[1]=one\narg[2]=--\narg[3]=--at\narg[4]=x\n...=4\n") != std::string::npos);
}

TEST_CASE("hundreds of script arguments reach arg and ...") {
  // More than LUA_MINSTACK (20) arguments once overflowed the Lua stack.
  std::string args;
  for (int i = 1; i <= 300; ++i) args += " a" + std::to_string(i);
  Command c = run("query " + kSmall + " " + kScripts + "print_args.lua" + args);
  INFO(c.out.substr(0, 2000));
  CHECK(c.status == 0);
  CHECK(c.out.find("arg[300]=a300\n...=300\n") != std::string::npos);
}

TEST_CASE("exit codes of imozuru query") {
  Command c = run("query " + kSmall + " " + kScripts + "runtime_error.lua");
  CHECK(c.status == 1);
  CHECK(c.out.find(kScripts + "runtime_error.lua:4: no such thing\nstack traceback:") == 0);
  c = run("query " + kSmall + " " + kScripts + "print_args.lua --timeout 0.2 loop");
  CHECK(c.status == 3);
  CHECK(c.out.find("time limit of 0.2 s exceeded") != std::string::npos);
  c = run("query " + kSmall + " " + kScripts + "print_args.lua --memory 16M hog");
  CHECK(c.status == 4);
  CHECK(c.out.find("memory limit of 16 MiB exceeded") != std::string::npos);
  c = run("query " + kSmall + " scripts/imozuru.lua identifier:my_numbr");
  CHECK(c.status == 2);
  CHECK(c.out.find("no identifier 'my_numbr' in the model (did you mean 'identifier:my_number'?)") !=
        std::string::npos);
  c = run("query " + kSmall + " /nonexistent/x.lua");
  CHECK(c.status == 1);
  CHECK(c.out == "cannot read the script '/nonexistent/x.lua'\n");
  c = run("query " + kSmall + " " + kScripts + "print_args.lua --at 2020-13-01");
  CHECK(c.status == 2);
}

TEST_CASE("a script stuck in one C call is stopped by the watchdog") {
  // string.find with a pathological pattern never returns to the VM, so the
  // count hook cannot fire; the watchdog ends the process 1 s after the limit.
  Command c = run("query " + kSmall + " " + kScripts + "print_args.lua --timeout 0.2 stuck");
  INFO(c.out);
  CHECK(c.status == 3);
  CHECK(c.out ==
        "before\n" + kScripts +
            "print_args.lua: time limit of 0.2 s exceeded inside a single library call that cannot be "
            "interrupted (such as string.find with a pathological pattern); stopped (raise it with "
            "--timeout)\n");
}

TEST_CASE("query --max-lua-string caps one string.rep result") {
  Command c = run("query " + kSmall + " " + kScripts + "print_args.lua --max-lua-string 1K rep");
  INFO(c.out);
  CHECK(c.status == 1);
  CHECK(c.out.find(kScripts +
                   "print_args.lua:7: string.rep: the result would be 2000 bytes, more than the 1024 allowed "
                   "(raise it with --max-lua-string)") == 0);
  c = run("query " + kSmall + " " + kScripts + "print_args.lua --max-lua-string 2000 rep");
  CHECK(c.status == 0);
  CHECK(c.out.find("2000\n") == 0);
}

TEST_CASE("model:render writes its file atomically below --output-dir") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("imozuru_query_render_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Command c =
      run("query " + kSmall + " " + kScripts + "render.lua --at 2026-01-01 --output-dir " + dir.string());
  INFO(c.out);
  CHECK(c.status == 0);
  CHECK(c.out == (dir / "reach.svg").string() + "\n");
  std::ifstream svg(dir / "reach.svg");
  std::string head(5, '\0');
  REQUIRE(svg.read(head.data(), 5));
  CHECK(head == "<?xml");
  // Only the file itself: no temporary file left beside it.
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  CHECK(names == std::vector<std::string>{"reach.svg"});
  fs::remove_all(dir);
}

TEST_CASE("model:render writes a time-lapse's frames below --output-dir and returns their paths") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("imozuru_query_frames_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Command c = run("query " + kSmall + " " + kScripts + "timelapse.lua --output-dir " + dir.string());
  INFO(c.out);
  CHECK(c.status == 0);
  CHECK(c.out == (dir / "talk-01.svg").string() + "\n" + (dir / "talk-02.svg").string() + "\n" +
                     (dir / "talk.pdf").string() + "\n");
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"talk-01.svg", "talk-02.svg", "talk.pdf"});
  fs::remove_all(dir);
}

// The shipped scripts on the reference model (flows/), at a fixed date.
TEST_CASE("scripts/imozuru.lua ranks what the card joins") {
  Command c = run("query flows scripts/imozuru.lua --at 2026-01-01");
  INFO(c.out);
  REQUIRE(c.status == 0);
  CHECK(c.out.find(
            "芋づる from what マイナンバーカード（個人番号カード） (myna_card) reveals, at 2026-01-01\n") ==
        0);
  CHECK(c.out.find("rank  steps  special  high  system\n") != std::string::npos);
  CHECK(c.out.find("[mynaportal] (portal)") != std::string::npos);
  CHECK(c.out.find("[online_eligibility] (health)") != std::string::npos);
  Command json = run("query flows scripts/imozuru.lua --at 2026-01-01 identifier:my_number --json");
  REQUIRE(json.status == 0);
  CHECK(json.out.find("\"from\": [\n    \"identifier:my_number\"\n  ]") != std::string::npos);
  // Before My Number existed it reaches nothing.
  Command early = run("query flows scripts/imozuru.lua --at 2014-01-01 identifier:my_number");
  REQUIRE(early.status == 0);
  CHECK(early.out.find("0 systems, 0 identifiers, 0 data items") != std::string::npos);
}

TEST_CASE("scripts/consent_gaps.lua writes the gaps as CSV by law") {
  Command c = run("query flows scripts/consent_gaps.lua --at 2026-01-01");
  INFO(c.out);
  REQUIRE(c.status == 0);
  CHECK(c.out.find("law,law_name,consent,rule,flow_or_identifier,name,systems,data,reason\n") == 0);
  CHECK(c.out.find("(unregulated),,-,unregulated-key,identifier:jpki_serial,") != std::string::npos);
  Command summary = run("query flows scripts/consent_gaps.lua --at 2026-01-01 --summary");
  REQUIRE(summary.status == 0);
  CHECK(summary.out.find("law,consent,gaps\n") == 0);
}

TEST_CASE("scripts/dv_exposure.lua finds the paying municipality behind the portal") {
  Command c = run("query flows scripts/dv_exposure.lua --at 2026-01-01");
  INFO(c.out);
  REQUIRE(c.status == 0);
  CHECK(c.out.find("[payer_institution] location/high") != std::string::npos);
  CHECK(c.out.find("(no DV protection on this path)") != std::string::npos);
  CHECK(c.out.find("DV protection (dv_protection) is held by dv_support") != std::string::npos);
}

TEST_CASE("scripts/timeline.lua lists 2015 to 2026") {
  Command c = run("query flows scripts/timeline.lua --at 2026-01-01 --csv");
  INFO(c.out);
  REQUIRE(c.status == 0);
  CHECK(c.out.find("year,systems,new_systems,new_identifiers,became_joinable,through,new_gaps,reach_systems,"
                   "reach_data\n2015,") == 0);
  CHECK(c.out.find("\n2026,") != std::string::npos);
  CHECK(c.out.find("\n2016,") != std::string::npos);
}

TEST_CASE(
    "shipped scripts find their defaults from the model and answer a mistake with usage, not a traceback") {
  // On a small unrelated model: timeline's REF is the most-held national identifier.
  Command t = run("query " + kSmall + " --at 2026-01-01 scripts/timeline.lua 2020 2022");
  INFO(t.out);
  REQUIRE(t.status == 0);
  CHECK(t.out.find("reach from identifier:my_number)\n2020 ") != std::string::npos);
  // dv_exposure: the small model's only portal is planned, so it names what is missing.
  Command d = run("query " + kSmall + " --at 2026-01-01 scripts/dv_exposure.lua");
  CHECK(d.status == 2);
  CHECK(d.out.find("no active system of sector 'portal' at 2026-01-01: name one as PORTAL_REF") !=
        std::string::npos);
  // imozuru.lua: a --diagram path model:render would refuse is refused before any output.
  Command diagram = run("query flows --at 2026-01-01 scripts/imozuru.lua --diagram /tmp/x.svg");
  CHECK(diagram.status == 2);
  CHECK(diagram.out.find("--diagram '/tmp/x.svg' must be a relative path without '..'") == 0);
  CHECK(run("query flows --at 2026-01-01 scripts/imozuru.lua --diagram out.txt")
            .out.find("--diagram 'out.txt' must end in .svg, .png, .pdf or .dot") == 0);
  Command no_card = run("query " + kSmall + " --at 2026-01-01 scripts/imozuru.lua");
  CHECK(no_card.status == 2);
  CHECK(no_card.out.find("no active system of kind 'card'") != std::string::npos);
  for (const char* script : {"timeline.lua", "dv_exposure.lua", "imozuru.lua"}) {
    Command bad = run("query flows scripts/" + std::string(script) + " --bogus");
    INFO(script << "\n" << bad.out);
    CHECK(bad.status == 2);
    CHECK(bad.out.find("unknown argument '--bogus'\nusage: imozuru query MODEL scripts/" +
                       std::string(script)) != std::string::npos);
    CHECK(bad.out.find("stack traceback") == std::string::npos);
    Command lang = run("query flows scripts/" + std::string(script) + " --lang fr");
    CHECK(lang.status == 2);
    CHECK(lang.out.find("--lang must be ja or en") != std::string::npos);
  }
}

TEST_CASE("imozuru.version is the version imozuru --version prints") {
  Command version = run("--version");
  REQUIRE(version.status == 0);
  Command c = run("query " + kSmall + " " + kScripts + "print_version.lua");
  CHECK(c.status == 0);
  CHECK(version.out == "imozuru " + c.out);
}
