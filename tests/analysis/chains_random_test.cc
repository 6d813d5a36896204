// chains() cross-checked on many small random models against a brute-force
// reference kept here: every loop-free chain enumerated, ordered by length
// (systems) then by the sequence of ids entered (docs/cli.md#chains), the first k
// kept. Also checks the forward spur search against the backward one it
// replaced, and the fallback between them part-way through a search; and
// the effective holdings of ModelAt against their definition
// (docs/model-format.md#dates-the-model-as-of-a-date); and the k shortest open chains, or those avoiding
// fuzzy keys, against the allowed ones among all chains enumerated (docs/model-format.md, "Joins, restricted
// and fuzzy").
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <functional>
#include <limits>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "model/chains.h"
#include "model/load.h"
#include "support/as_of_definition.h"

using namespace imozuru;

namespace {

// A random model: systems s0.., global identifiers g0.. (g0 a hub held by
// most systems), one holder-scope token, two quasi identifiers, data d0..,
// flows, and some entities inactive at 2025-01-01. With `joins`, laws in
// force, ended, not yet in force and a policy, identifiers regulated by
// some of them, and match errors.
std::string random_model(std::mt19937& rng, bool joins = false) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  auto chance = [&](int percent) { return pick(100) < percent; };
  const int n_systems = 3 + pick(6), n_ids = 1 + pick(4), n_data = 3 + pick(3), n_flows = pick(10);
  std::ostringstream y;
  // Regulation and match error of an identifier, when `joins`.
  auto join_fields = [&]() {
    if (!joins) return std::string();
    std::string out;
    std::vector<std::string> laws;
    for (const char* l : {"l_in_force", "l_ended", "l_later", "l_policy"})
      if (chance(30)) laws.push_back(l);
    if (!laws.empty()) {
      out += ", regulated_by: [";
      for (std::size_t k = 0; k < laws.size(); ++k) out += (k ? ", " : "") + laws[k];
      out += "]";
    }
    const char* errors[] = {"", "", ", match_error: 0.01", ", match_error: 0.2"};
    return out + errors[pick(4)];
  };
  y << "model: {name: random}\n";
  if (joins)
    y << "laws:\n"
         "  - {id: l_in_force, name: L1, since: 2020-01-01}\n"
         "  - {id: l_ended, name: L2, kind: order, until: 2024-06-01}\n"
         "  - {id: l_later, name: L3, since: 2030-01-01}\n"
         "  - {id: l_policy, name: L4, kind: policy}\n";
  y << "data:\n";
  for (int d = 0; d < n_data; ++d)
    y << "  - {id: d" << d << ", name: D" << d << (d == 0 ? ", sensitivity: special" : "")
      << (chance(10) ? ", since: 2030-01-01" : "") << "}\n";
  y << "identifiers:\n";
  for (int i = 0; i < n_ids; ++i)
    y << "  - {id: g" << i << ", name: G" << i << ", kind: sectoral"
      << (chance(10) ? ", since: 2030-01-01" : "") << join_fields() << "}\n";
  y << "  - {id: tok, name: T, kind: token, scope: holder" << join_fields() << "}\n";
  y << "  - {id: q, name: Q, kind: quasi, composed_of: [d0, d1]" << join_fields() << "}\n";
  y << "  - {id: q2, name: Q2, kind: quasi, composed_of: [d1, d2]" << join_fields() << "}\n";
  y << "systems:\n";
  for (int s = 0; s < n_systems; ++s) {
    std::vector<std::string> ids, data;
    if (chance(70)) ids.push_back("g0");
    for (int i = 1; i < n_ids; ++i)
      if (chance(35)) ids.push_back("g" + std::to_string(i));
    if (chance(20)) ids.push_back("tok");
    for (int d = 0; d < n_data; ++d)
      if (chance(35)) data.push_back("d" + std::to_string(d));
    y << "  - {id: s" << s << ", name: S" << s << ", sector: tax" << (chance(8) ? ", since: 2030-01-01" : "")
      << ", holds: {identifiers: [";
    for (std::size_t k = 0; k < ids.size(); ++k) y << (k ? ", " : "") << ids[k];
    y << "], data: [";
    for (std::size_t k = 0; k < data.size(); ++k) y << (k ? ", " : "") << data[k];
    y << "]}}\n";
  }
  if (n_flows > 0) y << "flows:\n";
  for (int f = 0; f < n_flows; ++f) {
    int from = pick(n_systems), to = pick(n_systems);
    if (from == to) to = (to + 1) % n_systems;
    y << "  - {id: f" << f << ", name: F" << f << ", from: s" << from << ", to: s" << to << ", carries: {";
    if (chance(40)) y << "identifiers: [g" << pick(n_ids) << "], ";
    y << "data: [d" << pick(n_data) << "]}, consent: none" << (chance(15) ? ", since: 2030-01-01" : "")
      << "}\n";
  }
  return y.str();
}

using Key = std::tuple<std::string, int, std::string>;

struct RefPath {
  int cost = 0;
  std::vector<Key> keys;
  std::vector<ChainHop> hops;
};

// Every loop-free chain from `from` to `to`, sorted as docs/cli.md#chains orders them, first k.
std::vector<RefPath> brute_force(const ModelAt& at, const EntityRef& from, const EntityRef& to, std::size_t k,
                                 int max_cost) {
  const Model& m = at.model();
  std::vector<RefPath> out;
  Index fi = m.find(from), ti = m.find(to);
  if (fi == kNone || ti == kNone || !at.active(from) || !at.active(to)) return out;
  auto global = [&](Index i) { return m.identifiers[i].scope == Scope::global; };
  Index banned_id = kNone, banned_id2 = kNone;
  if (from.kind == EntityKind::identifier) banned_id = fi;
  if (to.kind == EntityKind::identifier) banned_id2 = ti;

  // Start arcs: (system, hop, has_hop).
  std::vector<std::tuple<Index, ChainHop, bool>> starts;
  if (from.kind == EntityKind::system) starts.push_back({fi, {}, false});
  if (from.kind == EntityKind::identifier && global(fi))
    for (Index s : at.holders_of_identifier(fi))
      starts.push_back({s, {ChainHop::Kind::holds, s, fi, kNone, kNone}, true});
  if (from.kind == EntityKind::data)
    for (Index s : at.holders_of_data(fi))
      starts.push_back({s, {ChainHop::Kind::holds, s, kNone, fi, kNone}, true});
  auto target_hop = [&](Index s, ChainHop* hop) {
    switch (to.kind) {
      case EntityKind::system:
        return s == ti ? (*hop = {}, 1) : 0;
      case EntityKind::identifier:
        return at.holds_identifier(s, ti) ? (*hop = {ChainHop::Kind::holds, s, ti, kNone, kNone}, 2) : 0;
      case EntityKind::data:
        return at.holds_data(s, ti) ? (*hop = {ChainHop::Kind::holds, s, kNone, ti, kNone}, 2) : 0;
      default:
        return 0;  // an EntityRef names one of the three kinds above
    }
    return 0;
  };

  std::vector<char> on_path_s(m.systems.size(), 0), on_path_i(m.identifiers.size(), 0);
  RefPath cur;
  // At system s (already on the path): end here, or go on.
  std::function<void(Index)> at_system = [&](Index s) {
    ChainHop hop;
    if (int t = target_hop(s, &hop)) {
      RefPath p = cur;
      p.keys.push_back({"", 0, ""});
      if (t == 2) p.hops.push_back(hop);
      out.push_back(std::move(p));
    }
    for (Index i : at.identifiers_of(s)) {
      if (!global(i) || i == banned_id || i == banned_id2 || on_path_i[i]) continue;
      on_path_i[i] = 1;
      cur.keys.push_back({m.identifiers[i].id, 0, ""});
      cur.hops.push_back({ChainHop::Kind::holds, s, i, kNone, kNone});
      for (Index s2 : at.holders_of_identifier(i)) {
        if (on_path_s[s2] || cur.cost + 1 > max_cost) continue;
        on_path_s[s2] = 1;
        ++cur.cost;
        cur.keys.push_back({m.systems[s2].id, 1, ""});
        cur.hops.push_back({ChainHop::Kind::holds, s2, i, kNone, kNone});
        at_system(s2);
        cur.hops.pop_back();
        cur.keys.pop_back();
        --cur.cost;
        on_path_s[s2] = 0;
      }
      cur.hops.pop_back();
      cur.keys.pop_back();
      on_path_i[i] = 0;
    }
    for (Index f : at.flows_out(s)) {
      Index s2 = m.flows[f].to.index;
      if (on_path_s[s2] || cur.cost + 1 > max_cost) continue;
      on_path_s[s2] = 1;
      ++cur.cost;
      cur.keys.push_back({m.systems[s2].id, 1, m.flows[f].id});
      cur.hops.push_back({ChainHop::Kind::flow, kNone, kNone, kNone, f});
      at_system(s2);
      cur.hops.pop_back();
      cur.keys.pop_back();
      --cur.cost;
      on_path_s[s2] = 0;
    }
  };
  for (const auto& [s, hop, has_hop] : starts) {
    if (max_cost < 1) break;
    on_path_s[s] = 1;
    cur.cost = 1;
    cur.keys = {{m.systems[s].id, 1, ""}};
    cur.hops.clear();
    if (has_hop) cur.hops.push_back(hop);
    at_system(s);
    on_path_s[s] = 0;
  }
  std::sort(out.begin(), out.end(), [](const RefPath& a, const RefPath& b) {
    return std::tie(a.cost, a.keys) < std::tie(b.cost, b.keys);
  });
  if (out.size() > k) out.resize(k);
  return out;
}

// Whether a chain with these hops is allowed by the options, computed from
// the definitions: the identifiers of its holds hops, each restricted when
// a regulated_by law other than a policy or judgment is in force.
bool restricted_here(const ModelAt& at, Index i) {
  const Model& m = at.model();
  for (const Ref& l : m.identifiers[i].regulated_by) {
    const Law& law = m.laws[l.index];
    if (law.kind != LawKind::policy && law.kind != LawKind::judgment && is_active(law, at.at(), false))
      return true;
  }
  return false;
}

bool allowed(const ModelAt& at, const std::vector<ChainHop>& hops, const ChainOptions& o) {
  for (const ChainHop& h : hops) {
    if (h.kind != ChainHop::Kind::holds || h.identifier == kNone) continue;
    if (o.open_only && restricted_here(at, h.identifier)) return false;
    if (o.max_match_error &&
        at.model().identifiers[h.identifier].match_error.value_or(0) > *o.max_match_error)
      return false;
  }
  return true;
}

// The laws restricting a chain and its match error, from the definitions.
std::string joins_of(const ModelAt& at, const std::vector<ChainHop>& hops) {
  const Model& m = at.model();
  std::set<Index> through;
  for (const ChainHop& h : hops)
    if (h.kind == ChainHop::Kind::holds && h.identifier != kNone) through.insert(h.identifier);
  std::set<std::string> laws;
  double exact = 1;
  for (Index i : through) {
    for (const Ref& l : m.identifiers[i].regulated_by)
      if (m.laws[l.index].can_be_basis() && is_active(m.laws[l.index], at.at(), false)) laws.insert(l.id);
    exact *= 1 - m.identifiers[i].match_error.value_or(0);
  }
  std::string s = laws.empty() ? " open" : " restricted:";
  for (const auto& l : laws) s += " " + l;
  char error[32];
  std::snprintf(error, sizeof error, " e=%.9f", 1 - exact);
  return s + error;
}

std::string describe(const Model& m, const std::vector<ChainHop>& hops, int length) {
  std::string s = std::to_string(length) + ":";
  for (const ChainHop& h : hops) {
    if (h.kind == ChainHop::Kind::flow)
      s += " " + m.flows[h.flow].id;
    else
      s += " " + m.systems[h.system].id +
           (h.identifier != kNone ? ":" + m.identifiers[h.identifier].id : "/" + m.data[h.data].id);
  }
  return s;
}

std::vector<std::string> describe(const Model& m, const ChainsResult& r) {
  std::vector<std::string> out;
  for (const Chain& c : r.chains) out.push_back(describe(m, c.hops, c.length));
  return out;
}

// The chains with what the engine says of their joins.
std::vector<std::string> describe_with_joins(const Model& m, const ChainsResult& r) {
  std::vector<std::string> out;
  for (const Chain& c : r.chains) {
    std::string s = describe(m, c.hops, c.length) + (c.open ? " open" : " restricted:");
    for (Index l : c.restricted_by) s += " " + m.laws[l].id;
    char error[32];
    std::snprintf(error, sizeof error, " e=%.9f", c.match_error);
    out.push_back(s + error);
  }
  return out;
}

}  // namespace

TEST_CASE("chains: k shortest equal a brute-force enumeration on random models", "[chains][random]") {
  int compared = 0, nonempty = 0;
  for (unsigned seed = 1; seed <= 400; ++seed) {
    std::mt19937 rng(seed);
    std::string text = random_model(rng);
    LoadResult loaded = load_model_text(text, "random.yaml");
    std::ostringstream diagnostics;
    loaded.diagnostics.print(diagnostics);
    INFO("seed " << seed << "\n" << text << diagnostics.str());
    REQUIRE(loaded.model);
    const Model& m = *loaded.model;
    ModelAt at(m, *Date::parse("2025-01-01"));
    LinkageGraph g(at);

    std::vector<std::string> ends;
    for (const auto& s : m.systems) ends.push_back("system:" + s.id);
    for (const auto& i : m.identifiers) ends.push_back("identifier:" + i.id);
    for (const auto& d : m.data) ends.push_back("data:" + d.id);
    for (int q = 0; q < 6; ++q) {
      EntityRef from = *EntityRef::parse(ends[rng() % ends.size()]);
      EntityRef to = *EntityRef::parse(ends[rng() % ends.size()]);
      if (from == to) continue;
      std::size_t k = 1 + rng() % 8;
      int max_hops = rng() % 4 == 0 ? static_cast<int>(rng() % 4) : 20;
      INFO(from.str() << " -> " << to.str() << " k=" << k << " max_hops=" << max_hops);
      ChainOptions options{k, max_hops};
      std::vector<std::string> expected;
      for (const RefPath& p : brute_force(at, from, to, k, max_hops + 1))
        expected.push_back(describe(m, p.hops, p.cost));
      CHECK(describe(m, chains(g, from, to, options)) == expected);
      CHECK(describe(m, detail::chains_with_scan_limit(g, from, to, options, 0)) == expected);
      CHECK(describe(m, detail::chains_with_scan_limit(g, from, to, options, 1 + rng() % 40)) == expected);
      ++compared;
      if (!expected.empty()) ++nonempty;
    }
  }
  CHECK(compared > 1500);
  CHECK(nonempty > 500);
}

TEST_CASE("ModelAt: effective holdings equal their definition on random models", "[as_of][random]") {
  // Several dates and --include-planned: some entities start in 2030.
  std::size_t compared = 0;
  for (unsigned seed = 1; seed <= 300; ++seed) {
    std::mt19937 rng(seed);
    std::string text = random_model(rng, seed % 2 == 0);
    LoadResult loaded = load_model_text(text, "random.yaml");
    INFO("seed " << seed << "\n" << text);
    REQUIRE(loaded.model);
    const Model& m = *loaded.model;
    for (const char* date : {"2019-01-01", "2025-01-01", "2031-01-01"})
      for (bool planned : {false, true}) {
        INFO("at " << date << (planned ? " with planned" : ""));
        ModelAt at(m, *Date::parse(date), planned);
        compared += testing::check_as_of_by_definition(m, at);
        if (seed % 10 == 0) testing::check_graph_by_definition(LinkageGraph(at));
      }
  }
  CHECK(compared > 10000);
}

TEST_CASE("chains: the k shortest open chains equal the open ones among all chains on random models",
          "[chains][random][joins]") {
  int compared = 0, nonempty = 0, differs = 0;
  for (unsigned seed = 1; seed <= 400; ++seed) {
    std::mt19937 rng(seed);
    std::string text = random_model(rng, true);
    LoadResult loaded = load_model_text(text, "random.yaml");
    std::ostringstream diagnostics;
    loaded.diagnostics.print(diagnostics);
    INFO("seed " << seed << "\n" << text << diagnostics.str());
    REQUIRE(loaded.model);
    const Model& m = *loaded.model;
    ModelAt at(m, *Date::parse("2025-01-01"));
    LinkageGraph g(at);

    std::vector<std::string> ends;
    for (const auto& s : m.systems) ends.push_back("system:" + s.id);
    for (const auto& i : m.identifiers) ends.push_back("identifier:" + i.id);
    for (const auto& d : m.data) ends.push_back("data:" + d.id);
    for (int q = 0; q < 6; ++q) {
      EntityRef from = *EntityRef::parse(ends[rng() % ends.size()]);
      EntityRef to = *EntityRef::parse(ends[rng() % ends.size()]);
      if (from == to) continue;
      ChainOptions options{1 + rng() % 8, rng() % 4 == 0 ? static_cast<int>(rng() % 4) : 20};
      options.open_only = rng() % 3 != 0;
      const double limits[] = {-1, 0.005, 0.05, 0.5};
      if (double x = limits[rng() % 4]; x >= 0) options.max_match_error = x;
      INFO(from.str() << " -> " << to.str() << " k=" << options.k << " max_hops=" << options.max_hops
                      << " open_only=" << options.open_only
                      << " max_match_error=" << options.max_match_error.value_or(-1));
      std::vector<std::string> expected, allowed_plain, unfiltered;
      for (const RefPath& p :
           brute_force(at, from, to, std::numeric_limits<std::size_t>::max(), options.max_hops + 1)) {
        if (unfiltered.size() < options.k) unfiltered.push_back(describe(m, p.hops, p.cost));
        if (expected.size() < options.k && allowed(at, p.hops, options)) {
          allowed_plain.push_back(describe(m, p.hops, p.cost));
          expected.push_back(allowed_plain.back() + joins_of(at, p.hops));
        }
      }
      CHECK(describe_with_joins(m, chains(g, from, to, options)) == expected);
      CHECK(describe_with_joins(m, detail::chains_with_scan_limit(g, from, to, options, 0)) == expected);
      ++compared;
      if (!expected.empty()) ++nonempty;
      if (allowed_plain != unfiltered) ++differs;  // the constraint changed the answer
    }
  }
  CHECK(compared > 1500);
  CHECK(nonempty > 300);
  CHECK(differs > 300);
}
