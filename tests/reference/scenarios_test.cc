// The reference model in flows/ against the chain-link (芋づる) scenarios of
// tests/scenarios/scenarios.yaml (expectations worked out by hand under the
// docs/model-format.md and docs/cli.md), plus named tests for the scenarios of issues 6 and 16, each
// asserting something specific about the chain it finds or about a fact of
// the seeds the model must keep (dates of operation, not of passage).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "model/chains.h"
#include "model/diff.h"
#include "model/gaps.h"
#include "model/load.h"
#include "model/reach.h"
#include "support/model_fixture.h"

using namespace imozuru;

namespace {

using Strings = std::vector<std::string>;

using testing::reference_model;

Date day(const std::string& s) {
  auto d = Date::parse(s);
  if (!d) FAIL("bad date " << s);
  return *d;
}

EntityRef ref(const std::string& s) {
  auto r = EntityRef::parse(s);
  if (!r) FAIL("bad reference " << s);
  if (reference_model().find(*r) == kNone) FAIL("no such entity in flows/: " << s);
  return *r;
}

// A chain as text, e.g. "jpki_serial > [mynaportal] > medication_history"
// or "... [a] -f_x-> [b] ...", for messages and for asserting exact routes.
std::string describe(const Model& m, const Chain& c) {
  std::string out;
  for (const auto& h : c.hops) {
    if (h.kind == ChainHop::Kind::flow) {
      out += " -" + m.flows[h.flow].id + "->";
      continue;
    }
    out += " [" + m.systems[h.system].id + "]";
    if (h.identifier != kNone) out += ":" + m.identifiers[h.identifier].id;
    if (h.data != kNone) out += "/" + m.data[h.data].id;
  }
  return out;
}

// The systems a chain passes through, in order, without repeats.
Strings systems_on(const Model& m, const Chain& c) {
  Strings out;
  auto add = [&](Index s) {
    const std::string& id = m.systems[s].id;
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  };
  for (const auto& h : c.hops) {
    if (h.kind == ChainHop::Kind::flow) {
      add(m.flows[h.flow].from.index);
      add(m.flows[h.flow].to.index);
    } else {
      add(h.system);
    }
  }
  return out;
}

Strings flows_on(const Model& m, const Chain& c) {
  Strings out;
  for (const auto& h : c.hops)
    if (h.kind == ChainHop::Kind::flow) out.push_back(m.flows[h.flow].id);
  return out;
}

struct Analysis {
  ModelAt at;
  LinkageGraph graph;
  Analysis(const std::string& date, bool planned) : at(reference_model(), day(date), planned), graph(at) {}
  ChainsResult chains(const std::string& from, const std::string& to, std::size_t k = 1) const {
    ChainOptions o;
    o.k = k;
    return imozuru::chains(graph, ref(from), ref(to), o);
  }
  ReachResult reach(const std::string& from) const { return imozuru::reach(graph, {ref(from)}); }
};

YAML::Node scenarios() {
  static const YAML::Node root =
      YAML::LoadFile(std::string(IMOZURU_SOURCE_DIR) + "/tests/scenarios/scenarios.yaml");
  return root["scenarios"];
}

YAML::Node scenario(const std::string& id) {
  for (const auto& s : scenarios())
    if (s["id"].as<std::string>() == id) return s;
  FAIL("no scenario " << id << " in scenarios.yaml");
  return {};
}

Strings dates_of(const YAML::Node& s, const char* key) {
  Strings out;
  if (s[key])
    for (const auto& d : s[key]) out.push_back(d.as<std::string>());
  return out;
}

bool contains(const Strings& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

std::string run_capture(const std::string& command, int& status) {
  std::string out;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  status = pclose(p);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// Every scenario of scenarios.yaml, as written there.

TEST_CASE("every chain scenario is joinable at its joinable_at dates and not before", "[reference]") {
  const Model& m = reference_model();
  int checked = 0;
  for (const auto& s : scenarios()) {
    if (s["kind"].as<std::string>() != "chain") continue;
    const std::string id = s["id"].as<std::string>();
    const std::string from = s["from"].as<std::string>(), to = s["to"].as<std::string>();
    const bool planned = s["include_planned"] && s["include_planned"].as<bool>();
    const Strings yes = dates_of(s, "joinable_at"), no = dates_of(s, "not_joinable_at");
    REQUIRE_FALSE(yes.empty());
    REQUIRE_FALSE(no.empty());
    for (const auto& d : yes) {
      Analysis a(d, planned);
      auto r = a.chains(from, to);
      INFO(id << ": " << from << " → " << to << " at " << d << (planned ? " (with planned)" : ""));
      CHECK(r.chains.size() == 1);
      if (!r.chains.empty()) CHECK(r.chains[0].length >= 0);
    }
    for (const auto& d : no) {
      Analysis a(d, planned);
      auto r = a.chains(from, to);
      std::string found = r.chains.empty() ? "" : describe(m, r.chains[0]);
      INFO(id << ": " << from << " → " << to << " must not be joinable at " << d << "; found" << found);
      CHECK(r.chains.empty());
    }
    ++checked;
  }
  CHECK(checked == 20);
}

TEST_CASE("include_planned matters for the planned scenarios", "[reference]") {
  // The 2025 医療法改正 (passed 2025-12-05) flows, the immigration linkage of
  // the 2023/2025 amendments and the portal's infant check-up view have only a
  // passage or plan date in the seeds: without --include-planned they are not
  // in the model as of 2026-01-01.
  for (const char* id :
       {"e_ehr_to_payment_fund", "e_anonymised_to_private", "d_immigration_receives", "c_portal_infant"}) {
    YAML::Node s = scenario(id);
    REQUIRE(s["include_planned"].as<bool>());
    Analysis a("2026-01-01", false);
    auto r = a.chains(s["from"].as<std::string>(), s["to"].as<std::string>());
    INFO(id);
    if (std::string(id) == "c_portal_infant") {
      // Without the planned view the portal reaches infant check-ups only
      // through the card serial and My Number, never by holding them.
      REQUIRE_FALSE(r.chains.empty());
      CHECK(r.chains[0].length > 1);
      CHECK_FALSE(a.at.holds_data(reference_model().find_system("mynaportal"),
                                  reference_model().find_data("infant_checkup")));
    } else {
      CHECK(r.chains.empty());
    }
  }
}

TEST_CASE("reach_growth scenario: the numbers of reached systems", "[reference]") {
  YAML::Node s = scenario("f_reach_growth");
  const std::string from = s["from"].as<std::string>();
  const Strings dates = dates_of(s, "dates");
  REQUIRE(dates.size() == 2);
  std::vector<std::size_t> counts;
  for (const auto& d : dates) {
    Analysis a(d, s["include_planned"].as<bool>());
    counts.push_back(a.reach(from).systems.size());
    INFO(from << " at " << d);
    CHECK(counts.back() == s["computed"][d].as<std::size_t>());
  }
  REQUIRE(s["expect"].as<std::string>() == "increase");
  CHECK(counts[1] > counts[0]);
}

// ---------------------------------------------------------------------------
// Named scenarios of issue 6.

TEST_CASE("certificate serial reaches medical data through the eligibility system, for registered cards",
          "[reference]") {
  const Model& m = reference_model();
  Analysis a("2026-01-01", false);
  auto r = a.chains("identifier:jpki_serial", "data:medication_history", 3);
  REQUIRE_FALSE(r.chains.empty());
  // The shortest chain is one system that holds both the serial and the
  // medication history: オン資, where the serial is linked by 利用登録.
  const Chain& c = r.chains[0];
  INFO(describe(m, c));
  CHECK(c.length == 1);
  CHECK(describe(m, c) == " [online_eligibility]:jpki_serial [online_eligibility]/medication_history");
  for (const auto& ch : r.chains) {
    INFO(describe(m, ch));
    CHECK(contains(systems_on(m, ch), "online_eligibility"));
  }
  // オン資 declares no serial: it holds it only through the opt-in
  // registration flow (and the card readers that query it).
  Index eligibility = m.find_system("online_eligibility");
  Index serial = m.find_identifier("jpki_serial");
  for (const auto& held : m.systems[eligibility].holds.identifiers) CHECK(held.id != "jpki_serial");
  Index registration = m.find_flow("f_insurance_use_registration");
  REQUIRE(registration != kNone);
  CHECK(m.flows[registration].consent == Consent::opt_in);
  CHECK(a.at.flow_active(registration));
  CHECK(a.at.holds_identifier(eligibility, serial));
  // The portal's own view of medication is only planned in the seeds.
  Index portal = m.find_system("mynaportal");
  Index medication = m.find_data("medication_history");
  CHECK_FALSE(a.at.holds_data(portal, medication));
  CHECK(Analysis("2026-01-01", true).at.holds_data(portal, medication));
}

TEST_CASE("certificate serial to the insurance number: オン資 is a one-system crosswalk from 2021-10-20",
          "[reference]") {
  const Model& m = reference_model();
  {
    Analysis a("2022-01-01", false);
    auto r = a.chains("identifier:jpki_serial", "identifier:insured_no");
    REQUIRE(r.chains.size() == 1);
    INFO(describe(m, r.chains[0]));
    CHECK(r.chains[0].length == 1);
    CHECK(systems_on(m, r.chains[0]) == Strings{"online_eligibility"});
  }
  {
    // The day before オン資 started: only the longer, fuzzy route.
    Analysis a("2021-10-19", false);
    auto r = a.chains("identifier:jpki_serial", "identifier:insured_no");
    REQUIRE(r.chains.size() == 1);
    INFO(describe(m, r.chains[0]));
    CHECK(r.chains[0].length > 1);
    CHECK_FALSE(contains(systems_on(m, r.chains[0]), "online_eligibility"));
  }
}

TEST_CASE("certificate serial to MyKey ID: only from the MyKey platform's start 2017-09-25", "[reference]") {
  const Model& m = reference_model();
  CHECK(Analysis("2017-09-24", false).chains("identifier:jpki_serial", "identifier:mykey_id").chains.empty());
  Analysis a("2017-09-25", false);
  auto r = a.chains("identifier:jpki_serial", "identifier:mykey_id", 2);
  REQUIRE_FALSE(r.chains.empty());
  INFO(describe(m, r.chains[0]));
  CHECK(r.chains[0].length == 1);
  Strings one_system;
  for (const auto& c : r.chains)
    if (c.length == 1) one_system.push_back(systems_on(m, c)[0]);
  CHECK(contains(one_system, "mykey_platform"));
  // And the MyKey ID leads to the library and course records.
  auto records = a.chains("identifier:jpki_serial", "data:mykey_records");
  REQUIRE_FALSE(records.chains.empty());
  CHECK(records.chains[0].length <= 2);
}

TEST_CASE("DV: a family member's card reaches the municipality paying the victim's benefits", "[reference]") {
  const Model& m = reference_model();
  Analysis a("2026-01-01", false);
  auto r = a.chains("identifier:jpki_serial", "data:payer_institution");
  REQUIRE(r.chains.size() == 1);
  const Chain& c = r.chains[0];
  INFO(describe(m, c));
  // One system: the portal, where the benefit history (with the paying
  // municipality) arrives from the network.
  CHECK(c.length == 1);
  CHECK(systems_on(m, c) == Strings{"mynaportal"});
  CHECK(c.hops.back().data == m.find_data("payer_institution"));
  // The portal learns it along f_network_to_portal_child_allowance (and the
  // public-assistance flow), confirmed by the seeds by 2023-06-21 (the 総点検
  // of data viewable in the portal).
  Index portal = m.find_system("mynaportal");
  bool via_network = false;
  for (Index f : a.at.flows_in(portal)) {
    for (const auto& d : m.flows[f].carries.data)
      if (d.id == "payer_institution" && m.flows[f].id == "f_network_to_portal_child_allowance")
        via_network = true;
  }
  CHECK(via_network);
  // The same route also reaches the public-assistance and child-allowance records.
  CHECK(a.at.holds_data(portal, m.find_data("public_assistance")));
  CHECK(a.at.holds_data(portal, m.find_data("child_allowance_history")));
  Analysis confirmed("2023-06-21", false);
  auto at_confirmation = confirmed.chains("identifier:jpki_serial", "data:payer_institution");
  REQUIRE(at_confirmation.chains.size() == 1);
  CHECK(systems_on(m, at_confirmation.chains[0]) == Strings{"mynaportal"});
  // Not through the portal before it existed: earlier chains join only
  // through My Number, which no family member can follow.
  Analysis before("2017-11-12", false);
  auto early = before.chains("identifier:jpki_serial", "data:payer_institution");
  REQUIRE_FALSE(early.chains.empty());
  INFO(describe(m, early.chains[0]));
  CHECK_FALSE(contains(systems_on(m, early.chains[0]), "mynaportal"));
  bool through_my_number = false;
  for (const auto& h : early.chains[0].hops)
    if (h.kind == ChainHop::Kind::holds && h.identifier == m.find_identifier("my_number"))
      through_my_number = true;
  CHECK(through_my_number);
}

TEST_CASE("Mynaportal gathers data from many systems (seed001 slide 34)", "[reference]") {
  const Model& m = reference_model();
  Analysis a("2026-01-01", false);
  Index portal = m.find_system("mynaportal");
  std::set<std::string> sources;
  for (Index f : a.at.flows_in(portal)) sources.insert(m.systems[m.flows[f].from.index].id);
  INFO("systems flowing into mynaportal at 2026-01-01: " << sources.size());
  CHECK(sources.size() >= 5);
  for (const char* s : {"info_network", "online_eligibility", "myna_card"}) {
    INFO(s);
    CHECK(sources.count(s) == 1);
  }
  // It holds data of several sectors that the seeds confirm: welfare,
  // insurance, tax, the exchange log, registered accounts.
  for (const char* d : {"public_assistance", "payer_institution", "insurance_entitlement", "local_tax",
                        "access_log", "payment_account"}) {
    INFO(d);
    CHECK(a.at.holds_data(portal, m.find_data(d)));
  }
  // Medical and infant check-up views are plans in the seeds (seed003, as of
  // 2020): held only with planned entities.
  Analysis planned("2026-01-01", true);
  for (const char* d : {"medication_history", "infant_checkup"}) {
    INFO(d);
    CHECK_FALSE(a.at.holds_data(portal, m.find_data(d)));
    CHECK(planned.at.holds_data(portal, m.find_data(d)));
  }
  // Fewer in 2018: only the exchange log (2017-11-13) and the card login.
  Analysis early("2018-01-01", false);
  std::set<std::string> early_sources;
  for (Index f : early.at.flows_in(portal)) early_sources.insert(m.systems[m.flows[f].from.index].id);
  CHECK(early_sources.size() < sources.size());
  CHECK(early.at.holds_data(portal, m.find_data("access_log")));
  CHECK_FALSE(early.at.holds_data(portal, m.find_data("public_assistance")));
}

TEST_CASE("immigration's My Number linkage is planned: passage dates only, no items", "[reference]") {
  const Model& m = reference_model();
  // The seeds give the 2023 and 2025 amendments' passage, not a start of the
  // linkage: without planned entities there is no chain, even in 2026.
  CHECK(Analysis("2026-01-01", false)
            .chains("identifier:my_number", "system:immigration_system")
            .chains.empty());
  // With planned entities, not before the network existed: the flow has no
  // date of its own, only its basis laws' passage (enacted).
  CHECK(Analysis("2017-11-12", true)
            .chains("identifier:my_number", "system:immigration_system")
            .chains.empty());
  Analysis a("2026-01-01", true);
  auto r = a.chains("identifier:my_number", "system:immigration_system");
  REQUIRE(r.chains.size() == 1);
  const Chain& c = r.chains[0];
  INFO(describe(m, c));
  // The last step is a flow from the information-provision network into the
  // immigration system, carrying no data item (the seeds name none).
  REQUIRE(c.hops.back().kind == ChainHop::Kind::flow);
  const Flow& last = m.flows[c.hops.back().flow];
  CHECK(last.to.id == "immigration_system");
  CHECK(last.from.id == "info_network");
  CHECK(last.status == Status::planned);
  CHECK(last.carries.data.empty());
  CHECK_FALSE(last.since);
  for (const Ref& b : last.basis) {
    INFO(b.id);
    REQUIRE(m.laws[b.index].enacted);
  }
  CHECK(contains(systems_on(m, c), "info_network"));
}

TEST_CASE("the special residence card is two card functions, not a crosswalk", "[reference]") {
  // seed004 西邑-1: the My Number and residence-card functions are not linked
  // inside the card. No system holds both numbers, even with planned entities.
  const Model& m = reference_model();
  Analysis a("2026-04-01", true);
  Index residence_no = m.find_identifier("residence_card_no"), my_number = m.find_identifier("my_number");
  for (Index s : a.at.holders_of_identifier(residence_no)) {
    INFO(m.systems[s].id);
    CHECK_FALSE(a.at.holds_identifier(s, my_number));
  }
  CHECK(a.at.system_active(m.find_system("tokutei_residence_card")));
  CHECK(a.at.system_active(m.find_system("tokutei_mynumber_function")));
}

TEST_CASE("EHR records go to the Payment Fund without consent after the 2025 医療法改正", "[reference]") {
  const Model& m = reference_model();
  Index flow = m.find_flow("f_ehr_to_payment_fund");
  REQUIRE(flow != kNone);
  CHECK(m.flows[flow].consent == Consent::none);
  auto gaps_of_flow = [&](const char* date) {
    ModelAt at(m, day(date), true);
    std::set<std::string> rules;
    for (const auto& g : find_gaps(at).gaps)
      if (g.flow == flow) rules.insert(std::string(to_string(g.rule)));
    return rules;
  };
  std::set<std::string> rules = gaps_of_flow("2026-01-01");
  CHECK((rules.count("unconsented-sensitive") == 1 || rules.count("comprehensive-consent") == 1));
  CHECK(rules.count("unconsented-sensitive") == 1);
  // Not before the amendment passed.
  CHECK(gaps_of_flow("2025-06-01").empty());
  // The chain: the provider hands the records to the EHR sharing service.
  Analysis a("2026-01-01", true);
  auto r = a.chains("system:medical_providers", "system:ehr_sharing_service");
  REQUIRE(r.chains.size() == 1);
  INFO(describe(m, r.chains[0]));
  CHECK(r.chains[0].length == 2);
  // ... along the unconsented flow itself (a flow hop sorts before the
  // holds route through insured_no).
  CHECK(flows_on(m, r.chains[0]) == Strings{"f_ehr_to_payment_fund"});
  CHECK(r.chains[0].hops.size() == 1);
}

TEST_CASE("2026 reaches much more than 2016 from the certificate serial", "[reference]") {
  Analysis a2016("2016-01-01", false), a2026("2026-01-01", false), planned("2026-01-01", true);
  auto r16 = a2016.reach("identifier:jpki_serial");
  auto r26 = a2026.reach("identifier:jpki_serial");
  auto rp = planned.reach("identifier:jpki_serial");
  INFO(r16.systems.size() << " systems in 2016, " << r26.systems.size() << " in 2026, " << rp.systems.size()
                          << " with planned");
  CHECK(r26.systems.size() > r16.systems.size());
  CHECK(r26.identifiers.size() > r16.identifiers.size());
  CHECK(rp.systems.size() > r26.systems.size());
  // Systems reached in 2026 that were not in 2016 include the portal, オン資 and the MyKey platform.
  const Model& m = reference_model();
  std::set<std::string> s16, s26;
  for (const auto& s : r16.systems) s16.insert(m.systems[s.system].id);
  for (const auto& s : r26.systems) s26.insert(m.systems[s.system].id);
  for (const char* s : {"mynaportal", "online_eligibility", "mykey_platform"}) {
    INFO(s);
    CHECK(s16.count(s) == 0);
    CHECK(s26.count(s) == 1);
  }
  // More system pairs became joinable than ceased.
  DiffResult d = diff(m, day("2016-01-01"), day("2026-01-01"));
  CHECK(d.became_joinable.size() > d.ceased_joinable.size());
}

// ---------------------------------------------------------------------------
// Facts of the seeds the model must keep (issue 16): dates of operation, not
// of passage; lifecycles; regulation only as the seeds give it.

TEST_CASE("laws are in force from an operational date, or planned when the seeds give only their passage",
          "[reference]") {
  const Model& m = reference_model();
  auto law = [&](const char* id) -> const Law& {
    Index l = m.find_law(id);
    if (l == kNone) FAIL("no law " << id);
    return m.laws[l];
  };
  // 番号法: passed 2013-05-24, promulgated 2013-05-31, in force 2015-10-05.
  REQUIRE(law("bangou_hou").since);
  CHECK(law("bangou_hou").since->iso() == "2015-10-05");
  // The seeds give only the passage of these.
  for (const char* id :
       {"bangou_hou_2025", "iryo_hou_2025", "nyukan_hou_2024", "income_tax_2019", "jlis_act_2017",
        "digital_basic_act_2024", "economic_security_act_2024", "standardisation_act_2021"}) {
    INFO(id);
    CHECK(law(id).status == Status::planned);
  }
  // Later operational effects given by the seeds.
  CHECK(law("koseki_2019").since->iso() == "2024-03-01");
  CHECK(law("road_traffic_act_2022").since->iso() == "2025-03-24");
  CHECK(law("kenpo_2019").since->iso() == "2021-10-20");
  CHECK(law("koukin_account_act_2021").since->iso() == "2022-06-30");
  // Policies are never the basis of a flow.
  for (const Flow& f : m.flows)
    for (const Ref& b : f.basis) {
      INFO(f.id);
      CHECK(b.id != "honebuto_2022");
      CHECK(b.id != "anti_fraud_package_2024");
    }
}

TEST_CASE("the paper health-insurance card lifecycle and the eligibility certificate", "[reference]") {
  const Model& m = reference_model();
  Index issue = m.find_flow("f_insurer_issues_paper_card"), card = m.find_system("paper_insurance_card");
  Index certificate = m.find_system("shikaku_kakuninsho");
  REQUIRE(issue != kNone);
  // Issuance ended on 2024-12-01 (seed004 年表 2024/12/1).
  CHECK(ModelAt(m, day("2024-12-01")).flow_active(issue));
  CHECK_FALSE(ModelAt(m, day("2024-12-02")).flow_active(issue));
  // Use ended 2025-12-01, accepted provisionally to 2026-03-31.
  CHECK(ModelAt(m, day("2026-03-31")).system_active(card));
  CHECK_FALSE(ModelAt(m, day("2026-04-01")).system_active(card));
  // 資格確認書 from the end of paper-card issuance.
  CHECK_FALSE(ModelAt(m, day("2024-11-30")).system_active(certificate));
  CHECK(ModelAt(m, day("2024-12-01")).system_active(certificate));
  // A person without a registered card is still reached by the insurance
  // number through the certificate.
  Analysis a("2026-01-01", false);
  auto r = a.chains("system:shikaku_kakuninsho", "system:medical_providers");
  REQUIRE(r.chains.size() == 1);
  CHECK(r.chains[0].length == 2);
}

TEST_CASE("the FY2022 children's data pilots are not active in 2026", "[reference]") {
  const Model& m = reference_model();
  Index pilot = m.find_system("kodomo_data_linkage");
  CHECK(ModelAt(m, day("2022-06-01")).system_active(pilot));
  CHECK_FALSE(ModelAt(m, day("2023-04-01")).system_active(pilot));
  for (const char* f :
       {"f_schools_to_kodomo", "f_welfare_to_kodomo", "f_health_to_kodomo", "f_kodomo_to_guidance"}) {
    INFO(f);
    CHECK_FALSE(ModelAt(m, day("2026-01-01"), true).flow_active(m.find_flow(f)));
  }
}

TEST_CASE("regulation as the seeds give it: empty only where a seed says no law restricts the number",
          "[reference]") {
  const Model& m = reference_model();
  auto regulated = [&](const char* id) { return m.identifiers[m.find_identifier(id)].regulated_by.size(); };
  // Seeds say so: the certificate serial (a quoted newspaper column) and the MyKey ID.
  CHECK(regulated("jpki_serial") == 0);
  CHECK(regulated("mykey_id") == 0);
  // Seeds are silent: the issuer's law is kept, never an empty list.
  for (const char* id : {"residence_card_no", "licence_no", "account_no", "kihon4", "insured_no"}) {
    INFO(id);
    CHECK(regulated(id) > 0);
  }
  // 基本4情報 is a fuzzy key: 1,069 wrong links among 15.15 M (seed002 §2).
  const Identifier& kihon4 = m.identifiers[m.find_identifier("kihon4")];
  REQUIRE(kihon4.match_error);
  CHECK(*kihon4.match_error == Approx(1069.0 / 15150000.0).epsilon(0.01));
}

TEST_CASE("consent gaps the seeds do not support are gone", "[reference]") {
  // The DV support measures are a protective flow at the victim's request;
  // public assistance is not special data as such (医療扶助 is).
  const Model& m = reference_model();
  ModelAt at(m, day("2026-01-01"));
  Index dv = m.find_flow("f_dv_between_municipalities");
  for (const auto& g : find_gaps(at).gaps) {
    INFO(to_string(g.rule));
    CHECK(g.flow != dv);
  }
  CHECK(m.data[m.find_data("public_assistance")].sensitivity == Sensitivity::high);
  CHECK(m.data[m.find_data("medical_aid")].sensitivity == Sensitivity::special);
  // Qualification holders cannot refuse: consent none, not card.
  CHECK(m.flows[m.find_flow("f_card_to_qualification")].consent == Consent::none);
  CHECK(m.flows[m.find_flow("f_simplified_check")].consent == Consent::opt_in);
}

TEST_CASE("C10: sex, full birth date and a rare diagnosis pick out a pseudonymised record", "[reference]") {
  // MHLW's own example of 仮名化情報 keeps all three (seed004 吉田); the
  // pseudonymised public DB is planned by the 2025 law.
  const Model& m = reference_model();
  std::vector<EntityRef> known = {ref("data:sex"), ref("data:birth_date"), ref("data:diagnosis")};
  Analysis planned("2026-01-01", true);
  ReachResult r = imozuru::reach(planned.graph, known);
  Strings systems;
  for (const auto& s : r.systems) systems.push_back(m.systems[s.system].id);
  INFO("reached: " << systems.size());
  CHECK(contains(systems, "public_db_pseudonymised"));
  CHECK(std::find(r.data.begin(), r.data.end(), m.find_data("pseudonymised_medical")) != r.data.end());
  CHECK(std::find(r.identifiers.begin(), r.identifiers.end(), m.find_identifier("medical_quasi")) !=
        r.identifiers.end());
  // Not before the law passed, and not without planned entities.
  Analysis before("2025-06-01", true), now("2026-01-01", false);
  for (const Analysis* a : {&before, &now}) {
    ReachResult early = imozuru::reach(a->graph, known);
    for (const auto& s : early.systems) CHECK(m.systems[s.system].id != "public_db_pseudonymised");
  }
}

TEST_CASE("C06: the provider learns the cost-ceiling bracket only from the start of オン資", "[reference]") {
  const Model& m = reference_model();
  Index providers = m.find_system("medical_providers"), bracket = m.find_data("cost_ceiling");
  CHECK_FALSE(ModelAt(m, day("2021-10-19")).holds_data(providers, bracket));
  ModelAt at(m, day("2021-10-20"));
  CHECK(at.holds_data(providers, bracket));
  CHECK(at.flow_active(m.find_flow("f_eligibility_cost_ceiling")));
}

TEST_CASE("C17: the illegal re-outsourcing has no legal basis and ends with its disclosure", "[reference]") {
  const Model& m = reference_model();
  for (const char* id :
       {"f_pension_reoutsourcing", "f_tax_reoutsourcing_national", "f_tax_reoutsourcing_local"}) {
    const Flow& f = m.flows[m.find_flow(id)];
    INFO(id);
    CHECK(f.basis.empty());
    CHECK(f.status == Status::abolished);
    REQUIRE(f.since);
    REQUIRE(f.until);
  }
  // Carrying My Numbers, not before My Number use began.
  CHECK(m.flows[m.find_flow("f_pension_reoutsourcing")].since->iso() == "2018-03-01");
}

// ---------------------------------------------------------------------------
// Contract v2 content of the reference model (issue 16, part B).

TEST_CASE("laws v2: kinds, the articles of 番号法 the seeds cite, enactment and the judgments",
          "[reference]") {
  const Model& m = reference_model();
  auto law = [&](const char* id) -> const Law& {
    Index l = m.find_law(id);
    if (l == kNone) FAIL("no law " << id);
    return m.laws[l];
  };
  // Articles cited in the seeds (seed004 2014slide; seed001 slide 5).
  const std::vector<std::pair<const char*, const char*>> articles = {
      {"bangou_hou_2_14", "2条14項"}, {"bangou_hou_9", "9条"},
      {"bangou_hou_16", "16条"},      {"bangou_hou_16_2", "16条の2"},
      {"bangou_hou_19", "19条各号"},  {"bangou_hou_20", "20条"},
      {"bangou_hou_28", "28条"},      {"bangou_hou_fusoku_6_5", "附則6条5項"},
      {"bangou_beppyo1", "別表第一"}, {"bangou_beppyo2", "別表第二"}};
  for (const auto& [id, article] : articles) {
    INFO(id);
    CHECK(law(id).article == article);
    REQUIRE(law(id).parent);
    CHECK(law(id).parent->id == "bangou_hou");
  }
  CHECK(law("bangou_shumu_ordinance").kind == LawKind::order);
  CHECK(law("registration_guideline_2023").kind == LawKind::guideline);
  for (const char* id : {"honebuto_2022", "anti_fraud_package_2024", "appi_review_2026"}) {
    INFO(id);
    CHECK(law(id).kind == LawKind::policy);
  }
  CHECK(law("sc_jukinet_2008").kind == LawKind::judgment);
  CHECK(law("sc_mynumber_2023").kind == LawKind::judgment);
  CHECK(law("sc_mynumber_2023").since->iso() == "2023-03-09");
  // Passage is `enacted`, never `since`, where the seeds give no entry into force.
  REQUIRE(law("bangou_hou").enacted);
  CHECK(law("bangou_hou").enacted->iso() == "2013-05-24");
  CHECK(law("bangou_hou_2023").enacted->iso() == "2023-06-02");
  CHECK(law("iryo_hou_2025").enacted->iso() == "2025-12-05");
  // My Number is restricted by the articles the seeds cite; the 2023 judgment
  // is listed for display (a judgment never restricts).
  Strings regulated;
  for (const Ref& l : m.identifiers[m.find_identifier("my_number")].regulated_by) regulated.push_back(l.id);
  for (const char* id : {"bangou_hou_9", "bangou_hou_19", "bangou_hou_20", "sc_mynumber_2023"}) {
    INFO(id);
    CHECK(contains(regulated, id));
  }
  // No flow rests on a policy or a judgment, and none starts on the day its
  // basis was enacted.
  for (const Flow& f : m.flows)
    for (const Ref& b : f.basis) {
      INFO(f.id << " basis " << b.id);
      CHECK(m.laws[b.index].can_be_basis());
      if (f.since && m.laws[b.index].enacted) CHECK_FALSE(*f.since == *m.laws[b.index].enacted);
    }
}

TEST_CASE("persons of the seeds' scenarios, with groups and consent acts", "[reference]") {
  const Model& m = reference_model();
  auto person = [&](const std::string& id) -> const Person& {
    for (const Person& p : m.persons)
      if (p.id == id) return p;
    FAIL("no person " << id);
    return m.persons.front();
  };
  auto in_group = [](const Person& p, const std::string& g) {
    return std::any_of(p.groups.begin(), p.groups.end(), [&](const DatedRef& x) { return x.ref.id == g; });
  };
  auto did = [](const Person& p, const std::string& a) {
    return std::any_of(p.acts.begin(), p.acts.end(), [&](const DatedRef& x) { return x.ref.id == a; });
  };
  for (const char* id :
       {"p_registered", "p_deregistered", "p_no_card", "p_foreign_resident", "p_dv_parent", "p_dv_child"}) {
    INFO(id);
    CHECK_FALSE(person(id).note.empty());
    CHECK_FALSE(person(id).sources.empty());
  }
  CHECK(did(person("p_registered"), "myna_hoken_registration"));
  CHECK_FALSE(in_group(person("p_no_card"), "card_holders"));
  CHECK(in_group(person("p_no_card"), "no_registered_card"));
  CHECK(in_group(person("p_foreign_resident"), "foreign_residents"));
  CHECK(in_group(person("p_dv_parent"), "dv_protected"));
  CHECK(in_group(person("p_dv_child"), "children"));
  // De-registration (登録解除) is the end of the registration act.
  bool ended = false;
  for (const DatedRef& x : person("p_deregistered").acts)
    if (x.ref.id == "myna_hoken_registration" && x.until) ended = x.until->iso() == "2024-11-01";
  CHECK(ended);
  // The registration is opt-in, the special account registration opt-out.
  for (const ConsentAct& a : m.consent_acts) {
    INFO(a.id);
    if (a.id == "myna_hoken_registration") CHECK(a.kind == ActKind::opt_in);
    if (a.id == "koukin_special_registration_refusal") CHECK(a.kind == ActKind::opt_out);
  }
  const Flow& registration = m.flows[m.find_flow("f_insurance_use_registration")];
  REQUIRE(registration.consent_act);
  CHECK(registration.consent_act->id == "myna_hoken_registration");
  const System& card = m.systems[m.find_system("myna_card")];
  REQUIRE(card.applies_to.size() == 1);
  CHECK(card.applies_to[0].id == "card_holders");
}

static Index person_index(const char* id) {
  const Model& m = reference_model();
  for (Index p = 0; p < m.persons.size(); ++p)
    if (m.persons[p].id == id) return p;
  FAIL("no person " << id);
  return kNone;
}

TEST_CASE("per person: registration links the serial, a person without a card has no serial chain",
          "[reference]") {
  const Model& m = reference_model();
  Index eligibility = m.find_system("online_eligibility"), serial = m.find_identifier("jpki_serial");
  // C01 for someone who registered the card for insurance use.
  ModelAt registered(m, day("2026-01-01"), false, person_index("p_registered"));
  CHECK(registered.flow_active(m.find_flow("f_insurance_use_registration")));
  CHECK(registered.holds_identifier(eligibility, serial));
  LinkageGraph registered_graph(registered);
  CHECK(imozuru::chains(registered_graph, ref("identifier:jpki_serial"), ref("data:medication_history"), {})
            .chains.front()
            .length == 1);
  // Someone without a card: no system holds a certificate serial of theirs.
  ModelAt no_card(m, day("2026-01-01"), false, person_index("p_no_card"));
  CHECK_FALSE(no_card.system_active(m.find_system("myna_card")));
  CHECK(no_card.holders_of_identifier(serial).empty());
  LinkageGraph no_card_graph(no_card);
  CHECK(imozuru::chains(no_card_graph, ref("identifier:jpki_serial"), ref("data:medication_history"), {})
            .chains.empty());
  // ... and receives a 資格確認書 instead (issued without application).
  CHECK(no_card.system_active(m.find_system("shikaku_kakuninsho")));
  CHECK(no_card.flow_active(m.find_flow("f_insurer_issues_kakuninsho")));
  // The paper card was still accepted before 2026-04 for everyone.
  CHECK(ModelAt(m, day("2026-03-31"), false, person_index("p_no_card"))
            .flow_active(m.find_flow("f_paper_card_to_provider")));
}

TEST_CASE("per person: de-registration ends the link, and a 資格確認書 follows", "[reference]") {
  const Model& m = reference_model();
  Index eligibility = m.find_system("online_eligibility"), serial = m.find_identifier("jpki_serial");
  Index person = person_index("p_deregistered");
  ModelAt before(m, day("2024-10-01"), false, person), after(m, day("2025-01-01"), false, person);
  CHECK(before.holds_identifier(eligibility, serial));
  CHECK_FALSE(after.flow_active(m.find_flow("f_insurance_use_registration")));
  CHECK_FALSE(after.flow_active(m.find_flow("f_reader_to_eligibility")));
  CHECK_FALSE(after.holds_identifier(eligibility, serial));
  CHECK_FALSE(before.system_active(m.find_system("shikaku_kakuninsho")));
  CHECK(after.system_active(m.find_system("shikaku_kakuninsho")));
}

TEST_CASE("per person: the DV child's portal shows the household's benefit history, others' do not",
          "[reference]") {
  const Model& m = reference_model();
  Index portal = m.find_system("mynaportal");
  Index payer = m.find_data("payer_institution"), allowance = m.find_data("child_allowance_history");
  ModelAt child(m, day("2026-01-01"), false, person_index("p_dv_child"));
  CHECK(child.holds_data(portal, payer));
  CHECK(child.holds_data(portal, allowance));
  LinkageGraph child_graph(child);
  auto r = imozuru::chains(child_graph, ref("identifier:jpki_serial"), ref("data:payer_institution"), {});
  REQUIRE(r.chains.size() == 1);
  CHECK(systems_on(m, r.chains[0]) == Strings{"mynaportal"});
  // The DV support measures cover the parent, not this path.
  ModelAt parent(m, day("2026-01-01"), false, person_index("p_dv_parent"));
  CHECK(parent.system_active(m.find_system("dv_support")));
  CHECK(parent.flow_active(m.find_flow("f_dv_between_municipalities")));
  // A card holder outside the allowance households sees no such history.
  ModelAt registered(m, day("2026-01-01"), false, person_index("p_registered"));
  CHECK_FALSE(registered.holds_data(portal, allowance));
  CHECK_FALSE(registered.holds_data(m.find_system("info_network"), allowance));
}

TEST_CASE("per person: immigration concerns foreign residents only", "[reference]") {
  const Model& m = reference_model();
  ModelAt foreign(m, day("2026-04-01"), true, person_index("p_foreign_resident"));
  CHECK(foreign.system_active(m.find_system("immigration_system")));
  CHECK(foreign.system_active(m.find_system("tokutei_residence_card")));
  CHECK(foreign.flow_active(m.find_flow("f_tokutei_card_issue_isa")));
  ModelAt citizen(m, day("2026-04-01"), true, person_index("p_registered"));
  CHECK_FALSE(citizen.system_active(m.find_system("immigration_system")));
  CHECK_FALSE(citizen.flow_active(m.find_flow("f_network_to_immigration")));
}

TEST_CASE("every assessment names a gap the model has, and accepted ones cite a statute", "[reference]") {
  const Model& m = reference_model();
  ModelAt at(m, day("2026-01-01"), true);
  std::set<std::string> gaps;
  for (const auto& g : find_gaps(at).gaps) {
    const std::string main =
        g.flow != kNone ? "flow:" + m.flows[g.flow].id : "identifier:" + m.identifiers[g.identifier].id;
    gaps.insert(std::string(to_string(g.rule)) + ":" + main);
  }
  REQUIRE_FALSE(m.assessments.empty());
  for (const Assessment& a : m.assessments) {
    INFO(a.id << " " << a.gap);
    CHECK(gaps.count(a.gap) == 1);
    if (a.decision == AssessmentStatus::accepted) {
      REQUIRE_FALSE(a.laws.empty());
      for (const Ref& l : a.laws) CHECK(m.laws[l.index].can_be_basis());
    }
    // The gaps the seeds criticise stay open: no assessment for them.
    CHECK(a.gap != "comprehensive-consent:flow:f_eligibility_medical_view");
    CHECK(a.gap != "unregulated-key:identifier:jpki_serial");
    CHECK(a.gap != "unregulated-key:identifier:mykey_id");
  }
}

TEST_CASE("imozuru validate flows --strict passes", "[reference]") {
  int status = 0;
  std::string out = run_capture(
      std::string("'") + IMOZURU_BINARY + "' validate '" + IMOZURU_SOURCE_DIR + "/flows' --strict", status);
  INFO(out);
  CHECK(status == 0);
}
