// The engine's semantics (docs/model-format.md and docs/cli.md) on small hand-written models, one
// per rule; every expected answer below was worked out by hand.
#include <catch2/catch.hpp>
#include <sstream>

#include "model/chains.h"
#include "model/diff.h"
#include "model/downstream.h"
#include "model/gaps.h"
#include "model/load.h"
#include "model/reach.h"
#include "output/analysis_csv.h"
#include "output/analysis_json.h"
#include "output/analysis_text.h"
#include "support/model_fixture.h"
#include "text/escape.h"

using namespace imozuru;

namespace {

Model fixture(const std::string& name) { return testing::load_fixture("analysis/" + name); }

Date day(const char* s) { return *Date::parse(s); }

std::vector<EntityRef> refs(std::initializer_list<const char*> texts) {
  std::vector<EntityRef> out;
  for (const char* t : texts) out.push_back(*EntityRef::parse(t));
  return out;
}

// "id@depth" for each reached system, in output order.
std::vector<std::string> systems_of(const Model& m, const ReachResult& r) {
  std::vector<std::string> out;
  for (const auto& s : r.systems) out.push_back(m.systems[s.system].id + "@" + std::to_string(s.depth));
  return out;
}

template <typename T>
std::vector<std::string> ids(const std::vector<T>& entities, IndexSpan v) {
  std::vector<std::string> out;
  for (Index i : v) out.push_back(entities[i].id);
  return out;
}

using Strings = std::vector<std::string>;

ReachResult reach_at(const Model& m, const char* date, std::initializer_list<const char*> from,
                     bool planned = false) {
  ModelAt at(m, day(date), planned);
  LinkageGraph g(at);
  return reach(g, refs(from));
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

}  // namespace

TEST_CASE("reach: holder-scope tokens are learnt but join nothing", "[reach]") {
  Model m = fixture("holder_scope.yaml");
  auto r = reach_at(m, "2025-01-01", {"identifier:mn"});
  CHECK(systems_of(m, r) == Strings{"a@1", "c@1"});
  CHECK(ids(m.identifiers, r.identifiers) == Strings{"mn", "token"});

  auto t = reach_at(m, "2025-01-01", {"identifier:token"});
  CHECK(t.systems.empty());
  CHECK(ids(m.identifiers, t.identifiers) == Strings{"token"});

  auto b = reach_at(m, "2025-01-01", {"system:b"});
  CHECK(systems_of(m, b) == Strings{"b@0"});
  CHECK(ids(m.identifiers, b.identifiers) == Strings{"token"});
}

TEST_CASE("reach: a quasi identifier is known once all parts are, wherever learnt", "[reach]") {
  Model m = fixture("quasi.yaml");
  auto both = reach_at(m, "2025-01-01", {"identifier:id1", "identifier:id2"});
  CHECK(systems_of(m, both) == Strings{"a@1", "b@1", "c@2"});
  CHECK(ids(m.identifiers, both.identifiers) == Strings{"basic2", "id1", "id2"});
  CHECK(ids(m.data, both.data) == Strings{"address", "claims", "name"});

  auto one = reach_at(m, "2025-01-01", {"identifier:id1"});
  CHECK(systems_of(m, one) == Strings{"a@1"});
  CHECK(ids(m.data, one.data) == Strings{"name"});

  auto data = reach_at(m, "2025-01-01", {"data:name", "data:address"});
  CHECK(systems_of(m, data) == Strings{"c@1"});
  CHECK(ids(m.identifiers, data.identifiers) == Strings{"basic2"});
}

TEST_CASE("reach: since/until boundaries and planned entities", "[reach][dates]") {
  Model m = fixture("dates.yaml");
  CHECK(systems_of(m, reach_at(m, "2020-05-31", {"identifier:mn"})) == Strings{"new_db@1", "old_db@1"});
  CHECK(systems_of(m, reach_at(m, "2020-06-01", {"identifier:mn"})) == Strings{"new_db@1"});
  auto before = reach_at(m, "2015-12-31", {"identifier:mn"});  // mn not yet introduced
  CHECK(before.systems.empty());
  CHECK(before.identifiers.empty());
  CHECK(systems_of(m, reach_at(m, "2025-01-01", {"identifier:mn"})) == Strings{"new_db@1"});
  CHECK(systems_of(m, reach_at(m, "2025-01-01", {"identifier:mn"}, true)) == Strings{"future@1", "new_db@1"});
  CHECK(systems_of(m, reach_at(m, "2023-12-31", {"identifier:mn"}, true)) == Strings{"new_db@1"});
}

TEST_CASE("chains: flow hops respect direction", "[chains]") {
  Model m = fixture("flow_direction.yaml");
  ModelAt at(m, day("2025-01-01"));
  LinkageGraph g(at);
  auto r = chains(g, *EntityRef::parse("identifier:x"), *EntityRef::parse("data:claims"));
  REQUIRE(r.chains.size() == 1);
  CHECK(r.chains[0].length == 2);
  CHECK(hops_of(m, r.chains[0]) == Strings{"a:x", "f1", "b/claims"});
  CHECK(chains(g, *EntityRef::parse("system:b"), *EntityRef::parse("system:a")).chains.empty());
  CHECK(chains(g, *EntityRef::parse("system:a"), *EntityRef::parse("system:b")).chains.size() == 1);

  // Before the flow started there is no chain at all.
  ModelAt early(m, day("2017-06-30"));
  LinkageGraph g_early(early);
  CHECK(chains(g_early, *EntityRef::parse("identifier:x"), *EntityRef::parse("data:claims")).chains.empty());
}

TEST_CASE("chains: k shortest, ties broken by ids, --max-hops", "[chains]") {
  Model m = fixture("flow_direction.yaml");
  ModelAt at(m, day("2025-01-01"));
  LinkageGraph g(at);
  auto from = *EntityRef::parse("identifier:x"), to = *EntityRef::parse("data:z");
  auto r = chains(g, from, to, ChainOptions{3, 20});
  REQUIRE(r.chains.size() == 2);
  CHECK(hops_of(m, r.chains[0]) == Strings{"a:x", "a:y", "p:y", "p/z"});
  CHECK(hops_of(m, r.chains[1]) == Strings{"a:x", "a:y", "q:y", "q/z"});
  CHECK(r.chains[1].length == 2);
  CHECK(chains(g, from, to, ChainOptions{1, 20}).chains.size() == 1);
  CHECK(chains(g, from, to, ChainOptions{3, 0}).chains.empty());
  CHECK(chains(g, from, to, ChainOptions{3, 1}).chains.size() == 2);

  auto json = to_json(m, r);
  CHECK(json["chains"][0]["hops"][0] == Json{{"kind", "holds"}, {"system", "a"}, {"identifier", "x"}});
}

TEST_CASE("chains: a flow hop carries id, ends, consent and basis", "[chains][json]") {
  Model m = fixture("flow_direction.yaml");
  ModelAt at(m, day("2025-01-01"));
  LinkageGraph g(at);
  auto r = chains(g, *EntityRef::parse("identifier:x"), *EntityRef::parse("data:claims"));
  CHECK(dump_json(to_json(m, r)["chains"][0]["hops"][1]) ==
        "{\n  \"kind\": \"flow\",\n  \"flow\": \"f1\",\n  \"from\": \"a\",\n  \"to\": \"b\",\n  \"consent\": "
        "\"notice\",\n"
        "  \"basis\": [\n    \"law1\"\n  ]\n}\n");
  CHECK(chain_line(m, r.chains[0], r.from, r.at, Lang::en) ==
        "[Number X] → Sender ═[Claims transfer; notice only; basis: My Number Act 19 (in force); 2017-07〜]⇒ "
        "Receiver → "
        "{Medical claims}");
}

TEST_CASE("downstream: only active flows carrying the item, transitively", "[downstream]") {
  Model m = fixture("downstream.yaml");
  ModelAt at(m, day("2025-01-01"));
  auto r = downstream(at, m.find_system("s"), m.find_data("d"));
  CHECK(r.held);
  Strings systems;
  for (auto& s : r.systems) systems.push_back(m.systems[s.system].id + "@" + std::to_string(s.depth));
  CHECK(systems == Strings{"t@1", "u@2"});
  CHECK(ids(m.flows, r.flows) == Strings{"f_st", "f_tu", "f_us"});

  ModelAt early(m, day("2019-01-01"));
  auto e = downstream(early, m.find_system("s"), m.find_data("d"));
  CHECK(ids(m.flows, e.flows) == Strings{"f_st", "f_sw", "f_tu", "f_us"});

  auto not_held = downstream(at, m.find_system("v"), m.find_data("d"));
  CHECK_FALSE(not_held.held);
  CHECK(not_held.systems.empty());
}

TEST_CASE("gaps: each rule once, near misses not", "[gaps]") {
  Model m = fixture("gaps.yaml");
  ModelAt at(m, day("2025-01-01"));
  auto r = find_gaps(at);
  Strings got;
  for (const Gap& g : r.gaps) {
    std::string main = g.flow != kNone ? m.flows[g.flow].id : m.identifiers[g.identifier].id;
    std::string systems;
    for (auto& s : ids(m.systems, g.systems)) systems += s + " ";
    std::string data;
    for (auto& d : ids(m.data, g.data)) data += d + " ";
    got.push_back(std::string(to_string(g.rule)) + " " + main + " | " + systems + "| " + data);
  }
  CHECK(got == Strings{
                   "unconsented-sensitive f_out | clinic vendor | health ",
                   "consent-not-propagated f_out | clinic portal vendor | health ",
                   "unregulated-key free_id | clinic insurer | ",
                   "unregulated-key keyed_id | clinic portal vendor | ",
                   "basis-not-in-force f_old | archive insurer | plain ",
                   "comprehensive-consent f_comp | portal vendor | health ",
                   "no-basis f_policy | archive insurer | income ",
               });

  // Before old_law ended the flow resting on it is no gap.
  ModelAt earlier(m, day("2019-12-31"));
  for (const Gap& g : find_gaps(earlier).gaps) CHECK(g.rule != GapRule::basis_not_in_force);
}

TEST_CASE("gaps: CSV quotes fields as RFC 4180 says", "[gaps][csv]") {
  CHECK(text::csv_field("plain") == "plain");
  CHECK(text::csv_field("a,b") == "\"a,b\"");
  CHECK(text::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(text::csv_field("two\nlines") == "\"two\nlines\"");
  Model m = fixture("gaps.yaml");
  ModelAt at(m, day("2025-01-01"));
  std::string csv = to_csv(m, find_gaps(at), Lang::en);
  CHECK(csv.rfind("rule,severity,open,main_kind,main_id,name,consent,laws,law_ids,systems,data,assessment,"
                  "assessment_status,justification,reason,sources\r\n",
                  0) == 0);
  CHECK(csv.find("\r\nunregulated-key,high,false,identifier,free_id,Unrestricted number,,,,\"Clinic, "
                 "Insurer\",,a_free,"
                 "accepted,") != std::string::npos);
}

TEST_CASE("diff: active sets, joinable pairs, gaps between two dates", "[diff]") {
  Model m = fixture("dates.yaml");
  auto r = diff(m, day("2020-05-01"), day("2025-01-01"), DiffOptions{true, 100});
  CHECK(ids(m.systems, r.systems.added) == Strings{"future"});
  CHECK(ids(m.systems, r.systems.removed) == Strings{"old_db"});
  REQUIRE(r.became_joinable.size() == 1);
  CHECK(m.systems[r.became_joinable[0].a].id == "future");
  CHECK(m.systems[r.became_joinable[0].b].id == "new_db");
  CHECK(ids(m.identifiers, r.became_joinable[0].through) == Strings{"mn"});
  REQUIRE(r.ceased_joinable.size() == 1);
  CHECK(m.systems[r.ceased_joinable[0].a].id == "new_db");
  CHECK(m.systems[r.ceased_joinable[0].b].id == "old_db");
  CHECK_FALSE(r.pairs_truncated);

  auto capped = diff(m, day("2020-05-01"), day("2025-01-01"), DiffOptions{true, 0});
  CHECK(capped.pairs_truncated);
  CHECK(capped.became_joinable.empty());

  Model g = fixture("gaps.yaml");
  auto gd = diff(g, day("2019-12-31"), day("2025-01-01"));
  REQUIRE(gd.gaps_appeared.size() == 1);
  CHECK(gd.gaps_appeared[0].rule == GapRule::basis_not_in_force);
  CHECK(gd.gaps_disappeared.empty());
}
