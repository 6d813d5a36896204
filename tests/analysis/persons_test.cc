// The model for a person and restricted and fuzzy joins (docs/model-format.md,
// "The model for a person" and "Joins, restricted and fuzzy") on the hand-
// written fixtures persons.yaml and open_only.yaml; every expected answer
// below was worked out by hand from those files.
#include <catch2/catch.hpp>
#include <sstream>

#include "model/chains.h"
#include "model/diff.h"
#include "model/downstream.h"
#include "model/gaps.h"
#include "model/load.h"
#include "model/person.h"
#include "model/reach.h"
#include "output/analysis_json.h"
#include "output/analysis_text.h"
#include "output/person_output.h"
#include "support/model_fixture.h"

using namespace imozuru;

namespace {

Model fixture(const std::string& name) { return testing::load_fixture("analysis/" + name); }

const Model& persons() {
  static const Model m = fixture("persons.yaml");
  return m;
}

Date day(const char* s) { return *Date::parse(s); }
using Strings = std::vector<std::string>;

template <typename T>
Strings ids(const std::vector<T>& entities, IndexSpan v) {
  Strings out;
  for (Index i : v) out.push_back(entities[i].id);
  return out;
}

ModelAt for_person(const char* person, const char* date, std::vector<Index> withdrawn = {}) {
  const Model& m = persons();
  Index p = m.find_person(person);
  REQUIRE(p != kNone);
  return ModelAt(m, day(date), false, p, std::move(withdrawn));
}

Strings holdings(const ModelAt& at, const char* system) {
  const Model& m = at.model();
  Index s = m.find_system(system);
  Strings out = ids(m.identifiers, at.identifiers_of(s));
  for (const auto& d : ids(m.data, at.data_of(s))) out.push_back("/" + d);
  return out;
}

bool flow_on(const ModelAt& at, const char* flow) { return at.flow_active(at.model().find_flow(flow)); }
bool system_on(const ModelAt& at, const char* system) {
  return at.system_active(at.model().find_system(system));
}

std::vector<EntityRef> refs(std::initializer_list<const char*> texts) {
  std::vector<EntityRef> out;
  for (const char* t : texts) out.push_back(*EntityRef::parse(t));
  return out;
}

Strings systems_of(const Model& m, const ReachResult& r) {
  Strings out;
  for (const auto& s : r.systems) out.push_back(m.systems[s.system].id + "@" + std::to_string(s.depth));
  return out;
}

// Each hop as "s:x" (holds identifier), "s/d" (holds data) or "f" (flow).
Strings hops_of(const Model& m, const Chain& c) {
  Strings out;
  for (const ChainHop& h : c.hops) {
    if (h.kind == ChainHop::Kind::flow)
      out.push_back(m.flows[h.flow].id);
    else if (h.identifier != kNone)
      out.push_back(m.systems[h.system].id + ":" + m.identifiers[h.identifier].id);
    else
      out.push_back(m.systems[h.system].id + "/" + m.data[h.data].id);
  }
  return out;
}

ChainsResult chains_at(const ModelAt& at, const char* from, const char* to, ChainOptions options = {}) {
  LinkageGraph g(at);
  return chains(g, *EntityRef::parse(from), *EntityRef::parse(to), options);
}

}  // namespace

TEST_CASE("person: an opt-in act switches its flow on while it is done, and off once withdrawn", "[person]") {
  // hanako registered the card for insurance on 2021-10-01 and de-registered on 2025-03-01.
  CHECK_FALSE(flow_on(for_person("hanako", "2021-09-30"), "registration"));
  ModelAt registered = for_person("hanako", "2021-10-01");
  CHECK(flow_on(registered, "registration"));
  CHECK(holdings(registered, "eligibility") == Strings{"insured_no", "serial"});
  ModelAt withdrawn = for_person("hanako", "2025-03-01");
  CHECK_FALSE(flow_on(withdrawn, "registration"));
  CHECK(holdings(withdrawn, "eligibility") == Strings{"insured_no"});
  // Without a person, consent acts filter nothing: the flow is what can happen.
  CHECK(flow_on(ModelAt(persons(), day("2026-01-01")), "registration"));
  // taro never registered.
  CHECK_FALSE(flow_on(for_person("taro", "2023-01-01"), "registration"));
}

TEST_CASE("person: an opt-out act switches its flow off for whoever has done it", "[person]") {
  CHECK(flow_on(for_person("hanako", "2025-01-01"), "pension_account"));
  ModelAt refused = for_person("taro", "2025-01-01");
  CHECK_FALSE(flow_on(refused, "pension_account"));
  CHECK(holdings(refused, "payments") == Strings{"my_number"});
  CHECK(holdings(for_person("hanako", "2025-01-01"), "payments") == Strings{"account", "my_number"});
}

TEST_CASE("person: group membership holds on since <= D < until", "[person]") {
  // maria is a foreign resident from 2019-04-01 until 2024-04-01.
  CHECK_FALSE(system_on(for_person("maria", "2019-03-31"), "immigration"));
  ModelAt member = for_person("maria", "2019-04-01");
  CHECK(system_on(member, "immigration"));
  CHECK(flow_on(member, "residence_notice"));
  CHECK(holdings(member, "registry") ==
        Strings{"basic4", "my_number", "residence_card", "/address", "/birth", "/name", "/sex"});
  CHECK(system_on(for_person("maria", "2024-03-31"), "immigration"));
  ModelAt left = for_person("maria", "2024-04-01");
  CHECK_FALSE(system_on(left, "immigration"));
  CHECK(holdings(left, "registry") == Strings{"basic4", "my_number", "/address", "/birth", "/name", "/sex"});
  // taro is under 18 until 2022-04-01.
  CHECK(ids(persons().groups, for_person("taro", "2022-03-31").person_groups()) ==
        Strings{"card_holder", "child"});
  CHECK(ids(persons().groups, for_person("taro", "2022-04-01").person_groups()) == Strings{"card_holder"});
}

TEST_CASE("person: applies_to on a system and on a flow", "[person]") {
  // The card system keeps records of card holders only.
  CHECK(system_on(for_person("hanako", "2023-01-01"), "card"));
  ModelAt maria = for_person("maria", "2023-01-01");
  CHECK_FALSE(system_on(maria, "card"));
  CHECK_FALSE(flow_on(maria, "registration"));  // its sender is not active for maria
  // The child allowance flow moves records of children only, between systems everyone is in.
  ModelAt child = for_person("taro", "2022-03-31");
  CHECK(flow_on(child, "child_allowance"));
  CHECK(holdings(child, "welfare") == Strings{"my_number", "/address", "/name"});
  ModelAt adult = for_person("hanako", "2022-03-31");
  CHECK(system_on(adult, "registry"));
  CHECK(system_on(adult, "welfare"));
  CHECK_FALSE(flow_on(adult, "child_allowance"));
  CHECK(holdings(adult, "welfare") == Strings{"my_number"});
  // Without a person, applies_to filters nothing.
  ModelAt everyone(persons(), day("2023-01-01"));
  CHECK(system_on(everyone, "card"));
  CHECK(system_on(everyone, "immigration"));
  CHECK(flow_on(everyone, "child_allowance"));
}

TEST_CASE("person: withdrawn acts are taken as not done at the date", "[person]") {
  const Model& m = persons();
  ModelAt what_if = for_person("hanako", "2022-01-01", {m.find_consent_act("insurance_registration")});
  CHECK_FALSE(flow_on(what_if, "registration"));
  CHECK(ids(m.consent_acts, what_if.withdrawn_acts()) == Strings{"insurance_registration"});
  CHECK(what_if.person_acts().empty());
  // Withdrawing an opt-out act switches its flow back on.
  ModelAt back_on = for_person("taro", "2025-01-01", {m.find_consent_act("account_refusal")});
  CHECK(flow_on(back_on, "pension_account"));
}

TEST_CASE("person: an unknown person or one not active at the date is refused", "[person]") {
  const Model& m = persons();
  CHECK(find_person_at(m, "hanako", day("2020-01-01"), false).person == m.find_person("hanako"));
  PersonLookup typo = find_person_at(m, "hanaco", day("2020-01-01"), false);
  CHECK(typo.person == kNone);
  CHECK(typo.error == "no person 'hanaco' in the model (did you mean 'hanako'?)");
  PersonLookup unborn = find_person_at(m, "baby", day("2024-01-01"), false);
  CHECK(unborn.person == kNone);
  CHECK(unborn.error == "person 'baby' is not active at 2024-01-01 (since 2025-05-01)");
  CHECK(find_person_at(m, "baby", day("2025-05-01"), false).error.empty());
}

TEST_CASE("restricted joins: a law restricts only while in force, a policy never", "[joins]") {
  const Model& m = persons();
  ModelAt early(m, day("2015-12-31")), in_force(m, day("2023-12-31")), ended(m, day("2024-01-01"));
  Index my_number = m.find_identifier("my_number"), insured = m.find_identifier("insured_no"),
        serial = m.find_identifier("serial");
  CHECK_FALSE(early.identifier_restricted(my_number));  // 番号法 from 2016
  CHECK(in_force.identifier_restricted(my_number));
  CHECK(ids(m.laws, in_force.restricting_laws(insured)) == Strings{"insured_rule"});
  CHECK_FALSE(ended.identifier_restricted(insured));
  CHECK(ended.restricting_laws(insured).empty());
  // The serial's only regulated_by entry is a policy: nothing restricts it.
  CHECK_FALSE(in_force.identifier_restricted(serial));
}

TEST_CASE("chains: a chain restricted by a law that ends becomes open", "[chains][joins]") {
  const Model& m = persons();
  ChainsResult before = chains_at(ModelAt(m, day("2023-12-31")), "identifier:serial", "data:claims");
  REQUIRE(before.chains.size() == 1);
  const Chain& c = before.chains[0];
  CHECK(hops_of(m, c) ==
        Strings{"eligibility:serial", "eligibility:insured_no", "insurer:insured_no", "insurer/claims"});
  CHECK_FALSE(c.open);
  CHECK(ids(m.laws, c.restricted_by) == Strings{"insured_rule"});  // not the serial's policy
  CHECK(c.match_error == 0);

  ChainsResult after = chains_at(ModelAt(m, day("2024-01-01")), "identifier:serial", "data:claims");
  REQUIRE(after.chains.size() == 1);
  CHECK(hops_of(m, after.chains[0]) == hops_of(m, c));
  CHECK(after.chains[0].open);
  CHECK(after.chains[0].restricted_by.empty());
  // On a chain line an identifier regulated only by a policy is labelled as
  // restricted by no law, so the label agrees with the chain's "open".
  Chain through_serial;
  through_serial.hops = {{ChainHop::Kind::holds, m.find_system("card"), m.find_identifier("serial")},
                         {ChainHop::Kind::holds, m.find_system("eligibility"), m.find_identifier("serial")}};
  const std::string line =
      chain_line(m, through_serial, *EntityRef::parse("system:card"), day("2024-01-01"), Lang::en);
  CHECK(line == "Card system → [Certificate serial] (no law in the model restricts it) → Eligibility check");

  Json json = to_json(m, before)["chains"][0];
  CHECK(json["open"] == false);
  CHECK(json["restricted_by"] == Json::array({"insured_rule"}));
  CHECK(json["match_error"] == 0.0);
  CHECK(chain_joins(m, c, Lang::en) == "restricted by Insured-number rule");
  CHECK(chain_joins(m, c, Lang::ja) == "制限あり — 被保険者番号規則");
  CHECK(chain_joins(m, after.chains[0], Lang::en) == "open — no law in the model restricts these joins");
  CHECK(chain_joins(m, after.chains[0], Lang::ja) == "制限なし — これらの突合を制限する法律はモデルにない");
}

TEST_CASE("chains: the start identifier counts among the joins", "[chains][joins]") {
  const Model& m = persons();
  ChainsResult r = chains_at(ModelAt(m, day("2025-01-01")), "identifier:my_number", "data:income");
  REQUIRE(r.chains.size() == 1);
  CHECK(hops_of(m, r.chains[0]) == Strings{"tax:my_number", "tax/income"});
  CHECK(ids(m.laws, r.chains[0].restricted_by) == Strings{"mn_act"});
  ChainOptions open;
  open.open_only = true;
  CHECK(chains_at(ModelAt(m, day("2025-01-01")), "identifier:my_number", "data:income", open).chains.empty());
}

TEST_CASE("person: the registration chain exists for a person only while registered", "[chains][person]") {
  const Model& m = persons();
  CHECK(chains_at(for_person("hanako", "2022-01-01"), "identifier:serial", "data:claims").chains.size() == 1);
  ChainsResult gone = chains_at(for_person("hanako", "2026-01-01"), "identifier:serial", "data:claims");
  CHECK(gone.chains.empty());
  CHECK(gone.person == m.find_person("hanako"));
  CHECK(to_json(m, gone)["person"] == "hanako");
}

TEST_CASE("chains: the match error of a chain through two fuzzy keys", "[chains][joins]") {
  const Model& m = persons();
  ChainsResult r = chains_at(ModelAt(m, day("2025-01-01")), "identifier:account", "data:ad_profile");
  REQUIRE(r.chains.size() == 1);
  const Chain& c = r.chains[0];
  CHECK(hops_of(m, c) ==
        Strings{"bank:account", "bank:basic4", "shop:basic4", "shop:email", "ads:email", "ads/ad_profile"});
  // 1 - (1 - 0.01)(1 - 0.1) = 0.109: basic four (0.01) and the e-mail address (0.1).
  CHECK(c.match_error == Approx(0.109).epsilon(1e-12));
  CHECK(c.open);
  CHECK(dump_json(to_json(m, r)["chains"][0]["match_error"]) == "0.109\n");
  CHECK(chain_joins(m, c, Lang::en) ==
        "open — no law in the model restricts these joins; match error 10.9% (about 1 in 9)");
  CHECK(chain_joins(m, c, Lang::ja) ==
        "制限なし — これらの突合を制限する法律はモデルにない; 誤突合の確率 10.9%（約 9 件に 1 件）");
}

TEST_CASE("a match error reads as a percentage and as about 1 in N", "[text][joins]") {
  CHECK(match_error_text(0.01, Lang::en) == "1% (about 1 in 100)");
  CHECK(match_error_text(0.109, Lang::en) == "10.9% (about 1 in 9)");
  // The seeds' 1,069 wrong links among 15.15 million registrations.
  CHECK(match_error_text(1069.0 / 15150000, Lang::en) == "0.00706% (about 1 in 14,000)");
  CHECK(match_error_text(1069.0 / 15150000, Lang::ja) == "0.00706%（約 14,000 件に 1 件）");
  CHECK(match_error_text(1, Lang::en) == "100% (about 1 in 1)");
}

TEST_CASE("chains: --max-match-error never joins through a fuzzier key", "[chains][joins]") {
  const Model& m = persons();
  ModelAt at(m, day("2025-01-01"));
  ChainOptions strict;
  strict.max_match_error = 0.005;  // cuts basic four
  CHECK(chains_at(at, "identifier:account", "data:ad_profile", strict).chains.empty());
  strict.max_match_error = 0.05;  // cuts the e-mail address
  CHECK(chains_at(at, "identifier:account", "data:ad_profile", strict).chains.empty());
  strict.max_match_error = 0.1;  // "exceeds" is strict: 0.1 itself is allowed
  CHECK(chains_at(at, "identifier:account", "data:ad_profile", strict).chains.size() == 1);
  // A fuzzy start is not joined through either.
  strict.max_match_error = 0.05;
  CHECK(chains_at(at, "identifier:email", "data:ad_profile", strict).chains.empty());
  ChainsResult r = chains_at(at, "identifier:email", "data:ad_profile");
  REQUIRE(r.chains.size() == 1);
  CHECK(r.chains[0].match_error == Approx(0.1));
}

TEST_CASE("reach: --max-match-error and --open-only list such identifiers but go no further",
          "[reach][joins]") {
  const Model& m = persons();
  ModelAt taro = for_person("taro", "2025-01-01");  // refused the payment account: no pension flow
  LinkageGraph g(taro);
  ReachResult all = reach(g, refs({"identifier:account"}));
  CHECK(systems_of(m, all) ==
        Strings{"ads@3", "bank@1", "card@3", "payments@3", "registry@2", "shop@2", "tax@3", "welfare@3"});
  CHECK(ids(m.identifiers, all.identifiers) == Strings{"account", "basic4", "email", "my_number", "serial"});

  ReachOptions exact;
  exact.max_match_error = 0.005;
  ReachResult cut = reach(g, refs({"identifier:account"}), exact);
  CHECK(systems_of(m, cut) == Strings{"bank@1"});
  CHECK(ids(m.identifiers, cut.identifiers) == Strings{"account", "basic4"});
  CHECK(ids(m.data, cut.data) == Strings{"address", "birth", "name", "sex"});

  ReachOptions open;
  open.open_only = true;
  ReachResult unrestricted = reach(g, refs({"identifier:account"}), open);
  CHECK(systems_of(m, unrestricted) == Strings{"ads@3", "bank@1", "registry@2", "shop@2"});
  CHECK(ids(m.identifiers, unrestricted.identifiers) == Strings{"account", "basic4", "email", "my_number"});
  CHECK(ids(m.data, unrestricted.data) ==
        Strings{"ad_profile", "address", "birth", "name", "purchases", "sex"});
  Json json = to_json(m, unrestricted);
  CHECK(json["person"] == "taro");
  CHECK(json["open_only"] == true);

  // A restricted start is learnt and reaches nothing.
  ReachResult start = reach(g, refs({"identifier:my_number"}), open);
  CHECK(start.systems.empty());
  CHECK(ids(m.identifiers, start.identifiers) == Strings{"my_number"});
}

TEST_CASE("chains: --open-only finds the shortest open chain, not the open ones among the shortest",
          "[chains][joins]") {
  Model m = fixture("open_only.yaml");
  ModelAt at(m, day("2025-01-01"));
  ChainOptions two;
  two.k = 2;
  ChainsResult all = chains_at(at, "identifier:k", "data:d", two);
  REQUIRE(all.chains.size() == 2);
  CHECK(hops_of(m, all.chains[0]) == Strings{"s1:k", "s1:r", "s2:r", "s2:t", "s5:t", "s5/d"});
  CHECK_FALSE(all.chains[0].open);
  CHECK(all.chains[1].open);
  ChainOptions open;
  open.open_only = true;
  ChainsResult r = chains_at(at, "identifier:k", "data:d", open);
  REQUIRE(r.chains.size() == 1);
  CHECK(r.chains[0].length == 4);
  CHECK(hops_of(m, r.chains[0]) == Strings{"s1:k", "s1:o", "s3:o", "s3:p", "s4:p", "s4:t", "s5:t", "s5/d"});
  CHECK(to_json(m, r)["open_only"] == true);
}

TEST_CASE("every analysis result names its person", "[person][json]") {
  const Model& m = persons();
  ModelAt at = for_person("hanako", "2022-01-01");
  CHECK(to_json(m, downstream(at, m.find_system("registry"), m.find_data("name")))["person"] == "hanako");
  CHECK(to_json(m, find_gaps(at), Lang::en)["person"] == "hanako");
  DiffOptions o;
  o.person = m.find_person("hanako");
  DiffResult d = diff(m, day("2022-01-01"), day("2026-01-01"), o);
  CHECK(to_json(m, d, Lang::en)["person"] == "hanako");
  CHECK(ids(m.flows, d.flows.removed) == Strings{"registration"});
  // Without a person, no "person" key.
  CHECK_FALSE(to_json(m, find_gaps(ModelAt(m, day("2022-01-01"))), Lang::en).contains("person"));
  CHECK(
      to_text(m, find_gaps(at), Lang::en).rfind("consent gaps as of 2022-01-01, for Hanako (hanako): ", 0) ==
      0);
}

TEST_CASE("person: the systems holding the person's records, what each holds, and the flows", "[person]") {
  const Model& m = persons();
  PersonResult r = person_exposure(for_person("hanako", "2022-01-01"));
  Json json = to_json(m, r);
  CHECK(json["at"] == "2022-01-01");
  CHECK(json["person"] == "hanako");
  CHECK(json["groups"] == Json::array({"card_holder"}));
  CHECK(json["acts"] == Json::array({"insurance_registration"}));
  Strings systems;
  for (const auto& s : json["systems"]) systems.push_back(s["id"]);
  CHECK(systems == Strings{"ads", "bank", "card", "eligibility", "insurer", "payments", "registry", "shop",
                           "tax", "welfare"});
  CHECK(json["systems"][3] ==
        Json{{"id", "eligibility"}, {"identifiers", {"insured_no", "serial"}}, {"data", Json::array()}});
  CHECK(json["systems"][4] == Json{{"id", "insurer"}, {"identifiers", {"insured_no"}}, {"data", {"claims"}}});
  CHECK(json["flows"] == Json::array({"pension_account", "registration"}));
  CHECK_FALSE(json.contains("withdrawn"));
}

TEST_CASE("person: comparing the same person before and after de-registering", "[person]") {
  const Model& m = persons();
  PersonComparison c = compare_exposures(person_exposure(for_person("hanako", "2024-01-01")),
                                         person_exposure(for_person("hanako", "2026-01-01")));
  REQUIRE(c.only_first.systems.size() == 1);
  CHECK(m.systems[c.only_first.systems[0].system].id == "eligibility");
  CHECK_FALSE(c.only_first.systems[0].whole);
  CHECK(ids(m.identifiers, c.only_first.systems[0].identifiers) == Strings{"serial"});
  CHECK(ids(m.flows, c.only_first.flows) == Strings{"registration"});
  CHECK(c.only_second.empty());
  CHECK(exposure_label(m, c.first, c.second, Lang::en) == "as of 2024-01-01");

  // The same date, the act taken as withdrawn: the same difference.
  PersonComparison what_if = compare_exposures(
      person_exposure(for_person("hanako", "2024-01-01")),
      person_exposure(for_person("hanako", "2024-01-01", {m.find_consent_act("insurance_registration")})));
  CHECK(ids(m.flows, what_if.only_first.flows) == Strings{"registration"});
  CHECK(exposure_label(m, what_if.first, what_if.second, Lang::en) == "as recorded");
  CHECK(exposure_label(m, what_if.second, what_if.first, Lang::en) ==
        "after withdrawing Insurance-card registration");
  CHECK(to_json(m, what_if)["second"]["withdrawn"] == Json::array({"insurance_registration"}));

  // Two persons: maria's residence records are hers alone, as whole records.
  PersonComparison two = compare_exposures(person_exposure(for_person("maria", "2020-01-01")),
                                           person_exposure(for_person("hanako", "2020-01-01")));
  Strings whole;
  for (const auto& s : two.only_first.systems)
    if (s.whole) whole.push_back(m.systems[s.system].id);
  CHECK(whole == Strings{"immigration"});
  CHECK(exposure_label(m, two.first, two.second, Lang::ja) == "マリア（maria）");
}
