// The analysis subcommands end to end: JSON compared byte for byte with
// tests/golden/, exit codes and messages for bad input.
#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/run_imozuru.h"

namespace {

using imozuru::testing::contains;
using imozuru::testing::golden;
using imozuru::testing::Run;

Run run(const std::string& args, bool merge = false) {
  return imozuru::testing::run_imozuru(
      args, merge ? imozuru::testing::Stderr::merged : imozuru::testing::Stderr::dropped);
}

std::string fixture(const char* name) { return std::string(IMOZURU_FIXTURES) + "/analysis/" + name; }

}  // namespace

TEST_CASE("golden JSON of each analysis command", "[cli][golden]") {
  struct Case {
    const char* golden;
    std::string args;
  };
  const Case cases[] = {
      {"reach_quasi.json", "reach " + fixture("quasi.yaml") +
                               " --from identifier:id1,identifier:id2 --at 2025-01-01 --format json"},
      {"chains_k.json", "chains " + fixture("flow_direction.yaml") +
                            " --from identifier:x --to data:z -k 3 --at 2025-01-01 --format json"},
      {"chains_flow.json", "chains " + fixture("flow_direction.yaml") +
                               " --from identifier:x --to data:claims --at 2025-01-01 --format json"},
      {"downstream.json", "downstream " + fixture("downstream.yaml") +
                              " --from system:s --data d --at 2025-01-01 --format json"},
      {"gaps.json", "gaps " + fixture("gaps.yaml") + " --at 2025-01-01 --format json"},
      {"diff.json", "diff " + fixture("dates.yaml") +
                        " --from 2020-05-01 --to 2025-01-01 --include-planned --format json"},
  };
  for (const Case& c : cases) {
    INFO(c.args);
    Run r = run(c.args);
    CHECK(r.status == 0);
    CHECK(r.out == golden(c.golden));
  }
}

TEST_CASE("bad references exit 2 with did-you-mean", "[cli]") {
  Run r = run("reach " + fixture("quasi.yaml") + " --from identifier:id3 --format json", true);
  CHECK(r.status == 2);
  CHECK(r.out.find("no identifier 'id3' in the model (did you mean 'identifier:id1'?)") != std::string::npos);
  CHECK(run("chains " + fixture("quasi.yaml") + " --from bogus --to data:name").status == 2);
  CHECK(run("downstream " + fixture("downstream.yaml") + " --from data:d --data d").status == 2);
  CHECK(run("diff " + fixture("dates.yaml") + " --from 2020-13-01 --to 2021").status == 2);
}

TEST_CASE("an inactive start warns and reaches nothing", "[cli]") {
  Run r = run("reach " + fixture("dates.yaml") + " --from identifier:mn --at 2015-01-01 --format json", true);
  CHECK(r.status == 0);
  CHECK(r.out.find("warning: identifier:mn is not active at 2015-01-01") != std::string::npos);
  CHECK(r.out.find("\"systems\": []") != std::string::npos);
}

TEST_CASE("the -k limit refuses too many chains, and raising it allows them", "[cli]") {
  std::string base =
      "chains " + fixture("flow_direction.yaml") + " --from identifier:x --to data:z --at 2025-01-01 ";
  Run r = run(base + "-k 2000", true);
  CHECK(r.status == 2);  // a usage error (docs/cli.md#exit-status)
  CHECK(r.out.find("raise it with --max-chains") != std::string::npos);
  CHECK(run(base + "-k 2000 --max-chains 2000").status == 0);
}

TEST_CASE("text output names things in the chosen language", "[cli][text]") {
  std::string base =
      "chains " + fixture("flow_direction.yaml") + " --from identifier:x --to data:claims --at 2025-01-01";
  Run ja = run(base);
  CHECK(ja.out.find("「番号X」 → 送り手 ═[レセプト送付; 通知のみ; 根拠: 番号法 19（施行中）; 2017-07〜]⇒ "
                    "受け手 → 『レセプト』") != std::string::npos);
  Run en = run(base + " --lang en");
  CHECK(en.out.find("[Number X] → Sender ═[Claims transfer; notice only; basis: My Number Act 19 (in force); "
                    "2017-07〜]⇒ Receiver → "
                    "{Medical claims}") != std::string::npos);
  Run reach = run("reach " + fixture("quasi.yaml") +
                  " --from identifier:id1,identifier:id2 --at 2025-01-01 --lang en");
  CHECK(reach.out.find("reachable: 3 systems, 3 identifiers, 3 data items (1 special-category)") !=
        std::string::npos);
}

TEST_CASE("the -o option writes the file, and gaps and diff write CSV", "[cli][csv]") {
  std::string path = (std::filesystem::temp_directory_path() / "imozuru-engine-gaps-test.csv").string();
  std::remove(path.c_str());
  Run r = run("gaps " + fixture("gaps.yaml") + " --at 2025-01-01 --format csv -o " + path);
  CHECK(r.status == 0);
  CHECK(r.out.empty());
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  CHECK(
      s.str().rfind("rule,severity,open,main_kind,main_id,name,consent,laws,law_ids,systems,data,assessment,"
                    "assessment_status,justification,reason,sources\r\nunconsented-sensitive,high,true,flow,"
                    "f_out,外部提供,",
                    0) == 0);
  std::remove(path.c_str());
  Run d = run("diff " + fixture("dates.yaml") +
              " --from 2020-05-01 --to 2025-01-01 --include-planned --format csv");
  CHECK(d.out.find("joinable,became,pair,future,new_db,mn\r\n") != std::string::npos);
}

TEST_CASE("text counts take the singular for one in English and read the same in Japanese", "[cli][text]") {
  const std::string model = std::string(IMOZURU_SOURCE_DIR) + "/docs/examples/town_persons.yaml";
  const std::string chains =
      "chains " + model + " --from system:bank --to data:tax_record --at 2023-01-01 --open-only";
  Run en = run(chains + " --lang en");
  CHECK(en.status == 0);
  CHECK(contains(en.out, "(open joins only): 1 chain\n1. (2 systems; "));
  CHECK(contains(
      run("chains " + model + " --from system:bank --to data:tax_record --at 2023-01-01 -k 2 --lang en").out,
      ": 2 chains\n"));
  CHECK(contains(run(chains + " --lang ja").out, ": 1 本の連鎖\n1. (2 システム; "));
  // Reach: "1 identifier", "1 data item"; Japanese unchanged.
  const std::string clinic = std::string(IMOZURU_SOURCE_DIR) + "/docs/examples/clinic.yaml --at 2022-01-01";
  CHECK(contains(run("reach " + clinic + " --from identifier:link_code --lang en").out,
                 "reachable: 0 systems, 1 identifier, 0 data items (0 special-category)\n"));
  CHECK(contains(run("reach " + clinic + " --from identifier:cert_serial --open-only --lang en").out,
                 "reachable: 3 systems, 4 identifiers, 1 data item (1 special-category)\n"));
  CHECK(contains(run("reach " + clinic + " --from identifier:link_code --lang ja").out,
                 "到達: 0 システム、識別子 1、データ 0 件（うち要配慮 0 件）\n"));
  // ... and a holder-scoped start says why it reaches nothing.
  CHECK(contains(run("reach " + clinic + " --from identifier:link_code --lang en").out,
                 "[Linkage code] is a different value in each holder (scope: holder), so it joins no other "
                 "system's records\n"));
  CHECK_FALSE(
      contains(run("reach " + clinic + " --from identifier:cert_serial --lang en").out, "scope: holder"));
}

TEST_CASE("a chain's restricting laws print each article once, as everywhere else", "[cli][chains][laws]") {
  // 番号法 第16条（本人確認の措置） has article 16条: the name already ends with it
  // (docs/model-format.md, `article`), so the chain line must not add it again.
  Run r =
      run("chains " + std::string(IMOZURU_SOURCE_DIR) +
          "/flows --from identifier:jpki_serial --to data:public_assistance -k 3 --at 2026-01-01 --lang ja");
  REQUIRE(r.status == 0);
  CHECK(contains(r.out, "番号法 第16条（本人確認の措置）"));
  CHECK_FALSE(contains(r.out, "（本人確認の措置） 16条"));
}
