// --person on every analysis and output, the person command, and --open-only
// / --max-match-error, end to end on tests/fixtures/analysis/persons.yaml.
#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
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

std::string model() { return std::string(IMOZURU_FIXTURES) + "/analysis/persons.yaml"; }

nlohmann::json json_of(const std::string& args) {
  Run r = run(args);
  INFO(args << "\n" << r.out);
  REQUIRE(r.status == 0);
  return nlohmann::json::parse(r.out);
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char name[] = "/tmp/imozuru-persons-XXXXXX";
    REQUIRE(mkdtemp(name));
    path = name;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("a person not active at the date, or unknown, exits 2 on every analysis", "[cli][person]") {
  const std::string at = " --person baby --at 2024-01-01";
  for (const std::string& command :
       {"reach " + model() + " --from identifier:account",
        "chains " + model() + " --from identifier:account --to data:income",
        "downstream " + model() + " --from system:registry --data name", "gaps " + model(), "info " + model(),
        "export " + model() + " --format json", "person " + model(),
        "render " + model() + " -o /tmp/never.dot", "report " + model() + " -o /tmp/never.md"}) {
    INFO(command);
    Run r = run(command + at, true);
    CHECK(r.status == 2);
    CHECK(contains(r.out,
                   "imozuru: error: --person: person 'baby' is not active at 2024-01-01 (since 2025-05-01)"));
  }
  Run typo = run("reach " + model() + " --from identifier:account --person hanaco", true);
  CHECK(typo.status == 2);
  CHECK(contains(typo.out, "--person: no person 'hanaco' in the model (did you mean 'hanako'?)"));
  // diff: the person must be someone at both dates.
  Run diff = run("diff " + model() + " --from 2024-01-01 --to 2026-01-01 --person baby", true);
  CHECK(diff.status == 2);
  CHECK(contains(diff.out, "person 'baby' is not active at 2024-01-01"));
  CHECK(run("diff " + model() + " --from 2025-06-01 --to 2026-01-01 --person baby").status == 0);
}

TEST_CASE("the person command: JSON of the contract, and readable text by sector", "[cli][person]") {
  Run r = run("person " + model() + " --person hanako --at 2022-01-01 --format json");
  CHECK(r.status == 0);
  CHECK(r.out == golden("person_hanako_2022.json"));
  Run en = run("person " + model() + " --person hanako --at 2022-01-01 --lang en");
  CHECK(en.status == 0);
  CHECK(en.out == golden("person_hanako_2022_en.txt"));
  Run ja = run("person " + model() + " --person hanako --at 2022-01-01 --lang ja");
  CHECK(contains(ja.out, "花子（hanako）、2022-01-01 時点\n"));
  CHECK(contains(ja.out,
                 "医療・健康\n  資格確認: 「被保険者番号」、「シリアル番号」\n  保険者: "
                 "「被保険者番号」、『レセプト』●\n"));
  CHECK(contains(ja.out, "● 要配慮個人情報\n"));
}

TEST_CASE("the person command compares two dates, a withdrawn act, or two persons", "[cli][person]") {
  Run dates = run("person " + model() + " --person hanako --at 2024-01-01 --compare-at 2026-01-01 --lang en");
  CHECK(dates.status == 0);
  CHECK(dates.out == golden("person_hanako_2024_2026_en.txt"));
  nlohmann::json what_if =
      json_of("person " + model() +
              " --person hanako --at 2024-01-01 --withdraw insurance_registration --format json");
  CHECK(what_if["second"]["withdrawn"] == nlohmann::json::array({"insurance_registration"}));
  CHECK(what_if["only_first"]["flows"] == nlohmann::json::array({"registration"}));
  CHECK(what_if["only_second"]["systems"].empty());
  nlohmann::json two =
      json_of("person " + model() + " --person maria --compare hanako --at 2020-01-01 --format json");
  CHECK(two["first"]["person"] == "maria");
  CHECK(two["second"]["person"] == "hanako");
  CHECK(two["only_first"]["systems"][0]["id"] == "immigration");
  CHECK(two["only_first"]["systems"][0]["whole"] == true);
  Run bad = run("person " + model() + " --person hanako --withdraw insurance_registraton", true);
  CHECK(bad.status == 2);
  CHECK(contains(bad.out,
                 "--withdraw: no consent act 'insurance_registraton' in the model (did you mean "
                 "'insurance_registration'?)"));
  Run nothing =
      run("person " + model() + " --person taro --withdraw insurance_registration --at 2023-01-01", true);
  CHECK(nothing.status == 0);
  CHECK(contains(nothing.out,
                 "warning: taro has not done 'insurance_registration' at 2023-01-01; withdrawing it "
                 "changes nothing"));
}

TEST_CASE("every analysis names its person in JSON and text", "[cli][person]") {
  const std::string p = " --person hanako --at 2022-01-01";
  CHECK(json_of("reach " + model() + " --from identifier:account --format json" + p)["person"] == "hanako");
  CHECK(json_of("chains " + model() + " --from identifier:serial --to data:claims --format json" +
                p)["person"] == "hanako");
  CHECK(json_of("downstream " + model() + " --from system:registry --data name --format json" +
                p)["person"] == "hanako");
  CHECK(json_of("gaps " + model() + " --format json" + p)["person"] == "hanako");
  CHECK(json_of("diff " + model() +
                " --from 2022-01-01 --to 2026-01-01 --person hanako --format json")["person"] == "hanako");
  CHECK(json_of("info " + model() + " --format json" + p)["person"] == "hanako");
  CHECK(json_of("export " + model() + " --format json" + p)["person"] == "hanako");
  CHECK(contains(run("export " + model() + " --format mermaid" + p).out,
                 "%% imozuru export at 2022-01-01 for person hanako"));
  CHECK(contains(run("export " + model() + " --format graphml" + p).out, "hanako"));
  CHECK(contains(run("reach " + model() + " --from identifier:account --lang en" + p).out,
                 "as of 2022-01-01, for Hanako (hanako), from [Account number]\n"));
  CHECK(contains(run("chains " + model() + " --from identifier:serial --to data:claims --lang ja" + p).out,
                 "2022-01-01 時点、花子（hanako）について、「シリアル番号」 → 『レセプト』: 1 本の連鎖\n"));
  CHECK(contains(run("info " + model() + p).out, "at 2022-01-01, for Hanako (hanako)\n"));
  // Without --person, nothing is said of one.
  CHECK_FALSE(json_of("reach " + model() + " --from identifier:account --format json --at 2022-01-01")
                  .contains("person"));
}

TEST_CASE("chain lines say whether a law restricts the joins, and the match error", "[cli][joins]") {
  Run restricted =
      run("chains " + model() + " --from identifier:serial --to data:claims --at 2023-01-01 --lang en");
  CHECK(
      contains(restricted.out, "1. (2 systems; restricted by Insured-number rule) [Certificate serial] → "));
  Run open =
      run("chains " + model() + " --from identifier:serial --to data:claims --at 2024-01-01 --lang ja");
  CHECK(contains(open.out,
                 "1. (2 システム; 制限なし — これらの突合を制限する法律はモデルにない) 「シリアル番号」 → "));
  Run fuzzy =
      run("chains " + model() + " --from identifier:account --to data:ad_profile --at 2025-01-01 --lang en");
  CHECK(contains(
      fuzzy.out,
      "1. (3 systems; open — no law in the model restricts these joins; match error 10.9% (about 1 in 9)) "
      "[Account number]"));
  nlohmann::json j = json_of("chains " + model() +
                             " --from identifier:account --to data:ad_profile --at 2025-01-01 --format json");
  CHECK(j["chains"][0]["open"] == true);
  CHECK(j["chains"][0]["restricted_by"].empty());
  CHECK(j["chains"][0]["match_error"] == 0.109);
}

TEST_CASE("reach and chains take --open-only and --max-match-error", "[cli][joins]") {
  nlohmann::json open =
      json_of("reach " + model() +
              " --from identifier:account --person taro --at 2025-01-01 --open-only --format json");
  CHECK(open["open_only"] == true);
  std::vector<std::string> systems;
  for (const auto& s : open["systems"]) systems.push_back(s["id"]);
  CHECK(systems == std::vector<std::string>{"ads", "bank", "registry", "shop"});
  nlohmann::json cut = json_of(
      "reach " + model() +
      " --from identifier:account --person taro --at 2025-01-01 --max-match-error 0.005 --format json");
  CHECK(cut["systems"].size() == 1);
  CHECK(cut["identifiers"] == nlohmann::json::array({"account", "basic4"}));
  CHECK(json_of("chains " + model() +
                " --from identifier:account --to data:ad_profile --at 2025-01-01 --max-match-error 0.005 "
                "--format json")["chains"]
            .empty());
  nlohmann::json none =
      json_of("chains " + model() +
              " --from identifier:serial --to data:claims --at 2023-01-01 --open-only --format json");
  CHECK(none["open_only"] == true);
  CHECK(none["chains"].empty());
  CHECK(contains(run("chains " + model() +
                     " --from identifier:serial --to data:claims --at 2023-01-01 --open-only --lang en")
                     .out,
                 "(open joins only): 0 chains"));
}

TEST_CASE("render: the person view, and chains with open and restricted joins told apart",
          "[cli][render][person]") {
  TempDir dir;
  auto dot = [&](const std::string& args) {
    std::filesystem::path out = dir.path / "d.dot";
    Run r = run("render " + model() + " -o " + out.string() + " " + args, true);
    INFO(args << "\n" << r.out);
    CHECK(r.status == 0);
    // Labels wrap at --label-width: read the DOT with its line breaks as
    // spaces (<BR/>, or a node label's next row: render/label_lines.h) and
    // without the labels' other tags.
    const std::string dot_text = slurp(out);
    std::string text;
    for (std::size_t i = 0; i < dot_text.size();) {
      if (dot_text[i] != '<') {
        text += dot_text[i++];
        continue;
      }
      const std::size_t end = dot_text.find('>', i);
      if (end == std::string::npos) break;
      const std::string tag = dot_text.substr(i, end - i + 1);
      if (tag == "<BR/>" || tag == "</TR>") text += ' ';
      i = end + 1;
    }
    return text;
  };
  std::string person = dot("--view person --person hanako --at 2022-01-01 --lang en");
  CHECK(contains(
      person,
      "Systems holding this person&#39;s records, and their flows, as of 2022-01-01, for Hanako (hanako)"));
  CHECK(contains(person, "Eligibility check"));
  CHECK(contains(person, "consent act: Insurance-card registration"));
  CHECK_FALSE(contains(person, "Residence management"));  // maria's, not hanako's
  Run no_person = run("render " + model() + " -o " + (dir.path / "x.dot").string() + " --view person", true);
  CHECK(no_person.status == 2);
  CHECK(contains(no_person.out, "--view person needs --person P"));

  std::string restricted =
      dot("--view chain --from identifier:serial --to data:claims --at 2023-01-01 --lang en");
  CHECK(contains(restricted, "chain 1: restricted by Insured-number rule"));
  CHECK(contains(restricted, "dashed join: a law in force restricts it"));
  CHECK(contains(restricted, "restricted: Insured-number rule"));
  std::string open = dot("--view chain --from identifier:serial --to data:claims --at 2024-01-01 --lang en");
  CHECK(contains(open, "chain 1: open — no law in the model restricts these joins"));
  CHECK(contains(open, "solid join: no law in the model restricts it"));
  CHECK_FALSE(contains(open, "dashed join"));
}

TEST_CASE("report: the person's records, and open reach beside full reach", "[cli][report][person]") {
  TempDir dir;
  std::filesystem::path out = dir.path / "r.md";
  Run r =
      run("report " + model() + " -o " + out.string() + " --person hanako --at 2022-01-01 --lang en", true);
  INFO(r.out);
  CHECK(r.status == 0);
  std::string md = slurp(out);
  CHECK(contains(md, "(Hanako)"));
  CHECK(contains(md, "## Records of Hanako (hanako)"));
  CHECK(contains(md, "Open reach: systems (sectors)"));
}

TEST_CASE("query --person: the script's model is the person's", "[cli][query][person]") {
  TempDir dir;
  std::filesystem::path script = dir.path / "p.lua";
  std::ofstream(script) << "print(model:info().person, #model:person().systems, model:chains{from = "
                           "'identifier:serial', to = 'data:claims'}.chains[1].open)\n";
  Run r = run("query " + model() + " " + script.string() + " --person hanako --at 2023-01-01");
  CHECK(r.status == 0);
  CHECK(r.out == "hanako\t10\tfalse\n");
  Run gone = run("query " + model() + " " + script.string() + " --person baby --at 2023-01-01", true);
  CHECK(gone.status == 2);
}

TEST_CASE("Lua: model:person{}, persons(), groups(), consent_acts() and the join fields of results",
          "[cli][query][person]") {
  const std::string script = std::string(IMOZURU_FIXTURES) + "/analysis/persons_api.lua";
  Run r = run("query " + model() + " --at 2023-01-01 " + script);
  CHECK(r.status == 0);
  CHECK(r.out ==
        // The person shape of the JSON, and the same with an act withdrawn.
        "2022-01-01\thanako\t10\tpension_account,registration\tinsurance_registration\tcard_holder\n"
        "pension_account\tinsurance_registration\n"
        // baby is not active in 2023: persons() lists the active ones.
        "3\t4\t3\t2\n"
        // Through the insured number, restricted until 2024 by an order.
        "hanako\t1\tfalse\tinsured_rule\t0.0\n"
        "0\ttrue\n"
        // Through e-mail (0.1), then through 基本4情報 (0.01) and e-mail: 1 - 0.99 * 0.9.
        "2\ttrue\t0.1000\n"
        "3\ttrue\t0.1090\n"
        "3\ttrue\t0.1090\n"
        "0\t0.05\n"
        // Open-only reach from the serial stops at the restricted My Number and insured number.
        "hanako\ttrue\t2\n"
        "taro\ttaro\n"
        "false\t" +
            script +
            ":19: person: no person 'nobody' in the model\n"
            "false\t" +
            script + ":20: reach: max_match_error must be a number from 0 to 1\n");
}

TEST_CASE("scripts/person_exposure.lua: the exposure and what withdrawing an act changes",
          "[cli][query][person]") {
  const std::string town = std::string(IMOZURU_SOURCE_DIR) + "/docs/examples/town_persons.yaml";
  const std::string script = std::string(IMOZURU_SOURCE_DIR) + "/scripts/person_exposure.lua";
  Run r = run("query " + town + " --at 2023-01-01 " + script + " hanako --lang en");
  CHECK(r.status == 0);
  CHECK(contains(r.out,
                 "Hanako (hanako), 2023-01-01: 5 systems hold this person's records; 2 flows move them\n"));
  CHECK(contains(r.out, "    Eligibility check: Certificate serial, Insured number, Prescriptions ●\n"));
  CHECK(contains(r.out,
                 "Withdrawing Insurance-card registration (insurance_registration):\n"
                 "  no longer held or moved:\n"
                 "    Eligibility check no longer holds Certificate serial\n"
                 "    flow Insurance-card registration: Card centre → Eligibility check\n"
                 "  newly held or moved:\n"
                 "    nothing\n"));
  Run json = run("query " + town + " --at 2023-01-01 " + script + " hanako --json");
  CHECK(json.status == 0);
  nlohmann::json j = nlohmann::json::parse(json.out);
  CHECK(j["withdraw"] == "insurance_registration");
  CHECK(j["lost"]["flows"] == nlohmann::json::array({"registration"}));
  CHECK(j["after"]["withdrawn"] == nlohmann::json::array({"insurance_registration"}));
  // Jiro refused the payment account (opt-out): withdrawing the refusal
  // puts his account in the registry.
  Run jiro = run("query " + town + " --at 2023-01-01 " + script + " jiro --lang en");
  CHECK(jiro.status == 0);
  CHECK(contains(jiro.out,
                 "Withdrawing Refusing the payment account (account_refusal):\n"
                 "  no longer held or moved:\n"
                 "    nothing\n"
                 "  newly held or moved:\n"
                 "    Payment-account registry now holds Account number\n"
                 "    flow Payment-account registration: Bank → Payment-account registry\n"));
  // Before Hanako registered there is nothing to withdraw.
  Run early = run("query " + town + " --at 2021-01-01 " + script + " hanako --lang en");
  CHECK(early.status == 0);
  CHECK(contains(early.out, "No consent act done at this date: nothing to withdraw.\n"));
  Run bad = run("query " + town + " --at 2023-01-01 " + script + " hanako account_refusal", true);
  CHECK(bad.status == 2);
  CHECK(contains(bad.out, "hanako has not done 'account_refusal' at 2023-01-01"));
}
