// The reference model in flows/ against the chain-link (芋づる) scenarios of
// tests/scenarios/scenarios.yaml (expectations worked out by hand under the
// contract §5–§7), plus named tests for the scenarios of issue 6, each
// asserting something specific about the chain it finds.
#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
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

using namespace imozuru;

namespace {

using Strings = std::vector<std::string>;

const Model& reference_model() {
  static const Model model = [] {
    LoadResult r = load_model(std::string(IMOZURU_SOURCE_DIR) + "/flows");
    std::ostringstream diagnostics;
    r.diagnostics.print(diagnostics);
    if (!r.model) FAIL("flows/ does not load:\n" << diagnostics.str());
    return std::move(*r.model);
  }();
  return model;
}

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
  CHECK(checked == 12);
}

TEST_CASE("include_planned matters for the planned EHR scenarios", "[reference]") {
  // The 2025 医療法改正 (passed 2025-12-05) flows are planned: without
  // --include-planned they are not in the model as of 2026-01-01.
  for (const char* id : {"e_ehr_to_payment_fund", "e_ehr_to_private"}) {
    YAML::Node s = scenario(id);
    REQUIRE(s["include_planned"].as<bool>());
    Analysis a("2026-01-01", false);
    INFO(id);
    CHECK(a.chains(s["from"].as<std::string>(), s["to"].as<std::string>()).chains.empty());
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

TEST_CASE("certificate serial reaches medical data through the portal or the eligibility system", "[reference]") {
  const Model& m = reference_model();
  Analysis a("2026-01-01", false);
  auto r = a.chains("identifier:jpki_serial", "data:medication_history", 3);
  REQUIRE_FALSE(r.chains.empty());
  // The shortest chain is one system that holds both the serial and the
  // medication history: マイナポータル (it receives 薬剤情報 from オン資).
  const Chain& c = r.chains[0];
  INFO(describe(m, c));
  CHECK(c.length == 1);
  CHECK(describe(m, c) == " [mynaportal]:jpki_serial [mynaportal]/medication_history");
  // Every one of the three shortest chains goes through the portal or オン資.
  for (const auto& ch : r.chains) {
    Strings sys = systems_on(m, ch);
    INFO(describe(m, ch));
    CHECK((contains(sys, "mynaportal") || contains(sys, "online_eligibility")));
  }
}

TEST_CASE("certificate serial to the insurance number: オン資 is a one-system crosswalk from 2021-10-20", "[reference]") {
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
  // The portal learns it along f_network_to_portal (2017-11-13).
  Index portal = m.find_system("mynaportal");
  bool via_network = false;
  for (Index f : a.at.flows_in(portal)) {
    for (const auto& d : m.flows[f].carries.data)
      if (d.id == "payer_institution" && m.flows[f].id == "f_network_to_portal") via_network = true;
  }
  CHECK(via_network);
  // The same route also reaches the public-assistance and child-allowance records.
  CHECK(a.at.holds_data(portal, m.find_data("public_assistance")));
  // Not before the portal existed.
  Analysis before("2017-11-12", false);
  auto early = before.chains("identifier:jpki_serial", "data:payer_institution");
  if (!early.chains.empty()) CHECK_FALSE(contains(systems_on(m, early.chains[0]), "mynaportal"));
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
  // It holds data of many sectors: medical, welfare, infant check-ups.
  for (const char* d : {"medication_history", "public_assistance", "infant_checkup", "payer_institution"}) {
    INFO(d);
    CHECK(a.at.holds_data(portal, m.find_data(d)));
  }
  // Fewer before オン資 (2021-10-20).
  Analysis early("2018-01-01", false);
  std::set<std::string> early_sources;
  for (Index f : early.at.flows_in(portal)) early_sources.insert(m.systems[m.flows[f].from.index].id);
  CHECK(early_sources.size() < sources.size());
  CHECK_FALSE(early.at.holds_data(portal, m.find_data("medication_history")));
}

TEST_CASE("immigration receives My Number-linked information only from 2023-06-02", "[reference]") {
  const Model& m = reference_model();
  CHECK(Analysis("2023-06-01", false).chains("identifier:my_number", "system:immigration_system").chains.empty());
  Analysis a("2023-06-02", false);
  auto r = a.chains("identifier:my_number", "system:immigration_system");
  REQUIRE(r.chains.size() == 1);
  const Chain& c = r.chains[0];
  INFO(describe(m, c));
  // The last step is a flow from the information-provision network into the
  // immigration system.
  REQUIRE(c.hops.back().kind == ChainHop::Kind::flow);
  const Flow& last = m.flows[c.hops.back().flow];
  CHECK(last.to.id == "immigration_system");
  CHECK(last.from.id == "info_network");
  CHECK(contains(systems_on(m, c), "info_network"));
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

TEST_CASE("imozuru validate flows --strict passes", "[reference]") {
  int status = 0;
  std::string out = run_capture(std::string("'") + IMOZURU_BINARY + "' validate '" + IMOZURU_SOURCE_DIR +
                                    "/flows' --strict",
                                status);
  INFO(out);
  CHECK(status == 0);
}
