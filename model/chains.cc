#include "model/chains.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <iterator>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>

#include "model/linkage_adjacency.h"
#include "model/sort_unique.h"

namespace imozuru {
namespace {

using Vertex = LinkageGraph::Vertex;

// One step of a chain in the search graph: the linkage graph plus a virtual
// source (the start) and sink (the target).
struct Arc {
  Vertex from = 0, to = 0;
  Index flow = kNone;  // distinguishes parallel flows
  int cost = 0;        // 1 when entering a system: chains are counted in systems
  bool has_hop = false;
  ChainHop hop;
};

// Ties are broken on this per step: the id entered, then its kind, then the flow id.
using StepKey = std::tuple<std::string_view, int, std::string_view>;

struct Path {
  std::vector<Arc> arcs;
  std::vector<StepKey> keys;
  int cost = 0;
  friend bool operator<(const Path& a, const Path& b) {
    return a.cost != b.cost ? a.cost < b.cost : a.keys < b.keys;
  }
};

class ChainSearch {
 public:
  ChainSearch(const LinkageGraph& graph, const EntityRef& from, const EntityRef& to,
              const ChainOptions& options)
      : graph_(graph), at_(graph.at()), m_(graph.model()), g_(adjacency_of(graph)), options_(options) {
    n_ = boost::num_vertices(g_);
    source_ = n_;
    sink_ = n_ + 1;
    always_banned_.assign(n_ + 2, 0);
    // Identifiers the options exclude are taken out of the graph, so every
    // search below (and its lower bounds) sees only the chains allowed.
    if (options_.open_only || options_.max_match_error)
      for (Index i : at_.identifiers())
        if (!joinable_through(at_, i, options_)) always_banned_[graph_.identifier_vertex(i)] = 1;
    source_arc_.assign(n_, -1);
    is_target_.assign(n_, 0);
    target_arc_.resize(n_);
    dist_.assign(n_ + 2, 0);
    stamp_.assign(n_ + 2, 0);
    done_.assign(n_ + 2, 0);
    banned_stamp_.assign(n_ + 2, 0);
    set_start(from);
    set_target(to);
    compute_ranks();
    compute_lower_bounds();
    steps_.resize(n_ + 2);
    steps_built_.assign(n_ + 2, 0);
    fail_round_.assign(n_ + 2, 0);
    fail_budget_.assign(n_ + 2, 0);
    scan_limit_ = 2 * (boost::num_edges(g_) + n_ + source_arcs_.size()) + 1024;
  }

  // 0 turns the forward search off (tests compare it with the reference one).
  void set_scan_limit(std::size_t limit) { scan_limit_ = limit; }

  std::vector<Path> k_shortest(std::size_t k, int max_cost) {
    std::vector<Path> accepted;
    std::set<Path> accepted_set, candidates;
    Path first;
    if (!spur_path({}, source_, {}, max_cost, &first)) return accepted;
    accepted_set.insert(first);
    accepted.push_back(std::move(first));
    while (accepted.size() < k) {
      const Path prev = accepted.back();
      int root_cost = 0;
      for (std::size_t i = 0; i < prev.arcs.size(); ++i) {
        Vertex spur = prev.arcs[i].from;
        std::vector<Arc> root(prev.arcs.begin(), prev.arcs.begin() + i);
        std::vector<std::pair<Vertex, Index>> banned_arcs;
        for (const Path& p : accepted)
          if (p.arcs.size() > i && same_arcs(p.arcs, prev.arcs, i))
            banned_arcs.push_back({p.arcs[i].to, p.arcs[i].flow});
        std::vector<Vertex> banned_vertices;
        for (const Arc& a : root) banned_vertices.push_back(a.from);
        // A candidate costlier than the `need`-th best one already found can
        // never be accepted: bound the spur search by it.
        int bound = max_cost - root_cost;
        const std::size_t need = k - accepted.size();
        if (candidates.size() >= need)
          bound = std::min(bound, std::next(candidates.begin(), need - 1)->cost - root_cost);
        Path spur_part;
        if (spur_path(banned_vertices, spur, banned_arcs, bound, &spur_part)) {
          Path total;
          total.arcs = root;
          total.arcs.insert(total.arcs.end(), spur_part.arcs.begin(), spur_part.arcs.end());
          finish(total);
          if (!accepted_set.count(total)) candidates.insert(std::move(total));
        }
        root_cost += prev.arcs[i].cost;
      }
      if (candidates.empty()) break;
      accepted_set.insert(*candidates.begin());
      accepted.push_back(*candidates.begin());
      candidates.erase(candidates.begin());
    }
    return accepted;
  }

  Chain to_chain(const Path& p) const {
    Chain c;
    for (const Arc& a : p.arcs) {
      if (a.has_hop) c.hops.push_back(a.hop);
      if (a.to < n_ && graph_.is_system(a.to)) ++c.length;
    }
    describe_joins(at_, c);
    return c;
  }

 private:
  static bool same_arcs(const std::vector<Arc>& a, const std::vector<Arc>& b, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      if (a[i].to != b[i].to || a[i].flow != b[i].flow) return false;
    return true;
  }

  void set_start(const EntityRef& from) {
    Index i = m_.find(from);
    if (i == kNone || !at_.active(from)) return;
    auto add = [&](Index s, ChainHop hop, bool has_hop) {
      Arc a{source_, graph_.system_vertex(s), kNone, 1, has_hop, hop};
      source_arc_[a.to] = static_cast<int>(source_arcs_.size());
      source_arcs_.push_back(a);
    };
    for_each_end_system(from.kind, i, /*is_start=*/true, add);
  }

  void set_target(const EntityRef& to) {
    Index i = m_.find(to);
    if (i == kNone || !at_.active(to)) return;
    auto add = [&](Index s, ChainHop hop, bool has_hop) {
      Vertex v = graph_.system_vertex(s);
      is_target_[v] = 1;
      target_arc_[v] = Arc{v, sink_, kNone, 0, has_hop, hop};
      target_systems_.push_back(v);
    };
    for_each_end_system(to.kind, i, /*is_start=*/false, add);
  }

  // The systems at one end of a chain: the system itself, the holders of an
  // identifier the chain joins through, or the holders of a data item; calls
  // add(system, hop, has_hop) for each. The end identifier itself is never
  // passed through mid-chain.
  template <class F>
  void for_each_end_system(EntityKind kind, Index i, bool is_start, F&& add) {
    switch (kind) {
      case EntityKind::system:
        add(i, ChainHop{}, false);
        break;
      case EntityKind::identifier:
        always_banned_[graph_.identifier_vertex(i)] = 1;
        // A holder-scope start joins nothing. The target's holds hop names
        // it, so a chain joins through the target as well as the start.
        if (is_start && m_.identifiers[i].scope != Scope::global) break;
        if (!joinable_through(at_, i, options_)) break;
        for (Index s : at_.holders_of_identifier(i))
          add(s, ChainHop{ChainHop::Kind::holds, s, i, kNone, kNone}, true);
        break;
      case EntityKind::data:
        for (Index s : at_.holders_of_data(i))
          add(s, ChainHop{ChainHop::Kind::holds, s, kNone, i, kNone}, true);
        break;
      default:
        break;  // an EntityRef names one of the three kinds above
    }
  }

  // rank_[v] orders vertices as key_of orders the ids they enter (the sink's
  // empty id first), so sorting arcs needs no string comparison.
  void compute_ranks() {
    std::vector<Vertex> order(n_);
    for (Vertex v = 0; v < n_; ++v) order[v] = v;
    auto less = [&](Vertex a, Vertex b) {
      return key_of(Arc{0, a, kNone, 0, false, {}}) < key_of(Arc{0, b, kNone, 0, false, {}});
    };
    auto mid = order.begin() + static_cast<std::ptrdiff_t>(m_.systems.size());
    if (!std::is_sorted(order.begin(), mid, less)) std::sort(order.begin(), mid, less);
    if (!std::is_sorted(mid, order.end(), less)) std::sort(mid, order.end(), less);
    std::inplace_merge(order.begin(), mid, order.end(), less);
    rank_.assign(n_ + 2, 0);
    rank_[sink_] = 0;
    for (std::size_t r = 0; r < n_; ++r) rank_[order[r]] = static_cast<int>(r) + 1;
    rank_[source_] = static_cast<int>(n_) + 1;
  }

  StepKey key_of(const Arc& a) const {
    if (a.to == sink_) return {std::string_view(), 0, std::string_view()};
    const LinkageVertex& v = g_[a.to];
    std::string_view flow = a.flow == kNone ? std::string_view() : std::string_view(m_.flows[a.flow].id);
    if (v.kind == EntityKind::system) return {m_.systems[v.index].id, 1, flow};
    return {m_.identifiers[v.index].id, 0, flow};
  }

  void finish(Path& p) const {
    p.cost = 0;
    p.keys.clear();
    for (const Arc& a : p.arcs) {
      p.cost += a.cost;
      p.keys.push_back(key_of(a));
    }
  }

  // Calls f(arc) for each arc out of v.
  template <typename F>
  void out_arcs(Vertex v, F&& f) const {
    if (v == source_) {
      for (const Arc& a : source_arcs_) f(a);
      return;
    }
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g_))) {
      Vertex t = boost::target(e, g_);
      const LinkageEdge& edge = g_[e];
      Arc a{v, t, edge.flow, graph_.is_system(t) ? 1 : 0, true, {}};
      if (edge.kind == LinkageEdge::Kind::flow) {
        a.hop = ChainHop{ChainHop::Kind::flow, kNone, kNone, kNone, edge.flow};
      } else {
        Vertex s = graph_.is_system(v) ? v : t, id = graph_.is_system(v) ? t : v;
        a.hop = ChainHop{ChainHop::Kind::holds, g_[s].index, g_[id].index, kNone, kNone};
      }
      f(a);
    }
    if (v < n_ && is_target_[v]) f(target_arc_[v]);
  }

  // Calls f(from, cost, flow) for each arc into v.
  template <typename F>
  void in_arcs(Vertex v, F&& f) const {
    if (v == sink_) {
      for (Vertex s : target_systems_) f(s, 0, kNone);
      return;
    }
    if (v == source_) return;
    int cost = graph_.is_system(v) ? 1 : 0;
    for (auto e : boost::make_iterator_range(boost::in_edges(v, g_)))
      f(boost::source(e, g_), cost, g_[e].flow);
    if (graph_.is_system(v) && source_arc_[v] >= 0) f(source_, 1, kNone);
  }

  bool banned(Vertex v) const { return always_banned_[v] || banned_stamp_[v] == round_; }
  bool arc_banned(Vertex from, Vertex to, Index flow, Vertex spur,
                  const std::vector<std::pair<Vertex, Index>>& banned_arcs) const {
    if (from != spur) return false;
    return std::find(banned_arcs.begin(), banned_arcs.end(), std::make_pair(to, flow)) != banned_arcs.end();
  }

  // The lexicographically smallest shortest path spur → sink avoiding the
  // banned vertices and arcs, of cost <= bound.
  bool spur_path(const std::vector<Vertex>& banned_vertices, Vertex spur,
                 const std::vector<std::pair<Vertex, Index>>& banned_arcs, int bound, Path* out) {
    ++round_;
    for (Vertex v : banned_vertices) banned_stamp_[v] = round_;
    if (bound < 0) return false;
    if (scan_limit_ != 0) {
      scanned_ = 0;
      switch (spur_path_dfs(spur, banned_arcs, bound, out)) {
        case Outcome::found:
          return true;
        case Outcome::none:
          return false;
        case Outcome::gave_up:
          break;
      }
    }
    return spur_path_bfs(spur, banned_arcs, bound, out);
  }

  // Distances to the sink in the graph without any Yen ban (only the start
  // and target identifiers removed): a lower bound on every banned search.
  void compute_lower_bounds() {
    lower_.assign(n_ + 2, kUnreached);
    std::deque<Vertex> queue;
    lower_[sink_] = 0;
    queue.push_back(sink_);
    std::vector<char> done(n_ + 2, 0);
    while (!queue.empty()) {
      Vertex v = queue.front();
      queue.pop_front();
      if (done[v]) continue;
      done[v] = 1;
      int d = lower_[v];
      in_arcs(v, [&](Vertex u, int cost, Index) {
        if (always_banned_[u] || lower_[u] <= d + cost) return;
        lower_[u] = d + cost;
        if (cost == 0)
          queue.push_front(u);
        else
          queue.push_back(u);
      });
    }
  }

  // One arc out of a vertex, as the forward search walks it.
  struct Step {
    Vertex to;
    Index flow;
  };

  // The arcs out of v in key order (built on first use, kept for the search).
  const std::vector<Step>& sorted_steps(Vertex v) {
    std::vector<Step>& steps = steps_[v];
    if (steps_built_[v]) return steps;
    steps_built_[v] = 1;
    out_arcs(v, [&](const Arc& a) { steps.push_back({a.to, a.flow}); });
    std::sort(steps.begin(), steps.end(), [&](const Step& a, const Step& b) {
      if (rank_[a.to] != rank_[b.to]) return rank_[a.to] < rank_[b.to];
      if (a.flow == b.flow) return false;
      if (a.flow == kNone || b.flow == kNone) return a.flow == kNone;
      return m_.flows[a.flow].id < m_.flows[b.flow].id;
    });
    return steps;
  }

  // The arc of v → step, with its hop, as out_arcs builds it.
  Arc arc_of(Vertex v, const Step& step) const {
    std::optional<Arc> found;
    if (step.to == sink_) return target_arc_[v];
    if (v == source_) return source_arcs_[source_arc_[step.to]];
    out_arcs(v, [&](const Arc& a) {
      if (!found && a.to == step.to && a.flow == step.flow) found = a;
    });
    return *found;
  }

  enum class Outcome { found, none, gave_up };

  // Forward depth-first search in key order with budgets raised one at a
  // time from the lower bound: the first path found within the smallest
  // feasible budget is the lexicographically smallest shortest one (the
  // greedy walk of spur_path_bfs). Budgets known to fail from a vertex are
  // remembered for this spur; they depend only on the banned graph.
  Outcome spur_path_dfs(Vertex spur, const std::vector<std::pair<Vertex, Index>>& banned_arcs, int bound,
                        Path* out) {
    if (lower_[spur] > bound) return Outcome::none;
    std::vector<Step> steps;
    for (int budget = lower_[spur]; budget <= bound; ++budget) {
      if (budget > kMaxDfsBudget) return Outcome::gave_up;  // recursion depth is at most 2 * budget + 2
      steps.clear();
      bool ok = false;
      if (!dfs(spur, budget, spur, banned_arcs, &steps, &ok)) return Outcome::gave_up;
      if (ok) {
        out->arcs.clear();
        Vertex v = spur;
        for (const Step& s : steps) {
          out->arcs.push_back(arc_of(v, s));
          v = s.to;
        }
        finish(*out);
        return Outcome::found;
      }
    }
    return Outcome::none;
  }

  // Sets *ok when a path v → sink of cost <= budget exists (appending it to
  // *steps); returns false when the scan limit was hit.
  bool dfs(Vertex v, int budget, Vertex spur, const std::vector<std::pair<Vertex, Index>>& banned_arcs,
           std::vector<Step>* steps, bool* ok) {
    if (v == sink_) {
      *ok = true;
      return true;
    }
    const std::vector<Step>& out = sorted_steps(v);
    scanned_ += out.size() + 1;
    if (scanned_ > scan_limit_) return false;
    for (const Step& s : out) {
      Vertex w = s.to;
      int left = budget - (w < n_ && graph_.is_system(w) ? 1 : 0);
      if (lower_[w] > left || banned(w)) continue;
      if (fail_round_[w] == round_ && fail_budget_[w] >= left) continue;
      if (v == spur && arc_banned(v, w, s.flow, spur, banned_arcs)) continue;
      steps->push_back(s);
      if (!dfs(w, left, spur, banned_arcs, steps, ok)) return false;
      if (*ok) return true;
      steps->pop_back();
    }
    fail_round_[v] = round_;
    fail_budget_[v] = budget;
    return true;
  }

  // The reference search: costs from a backward 0-1 BFS over the banned
  // graph, then a greedy walk. Used when the forward search scans too much.
  bool spur_path_bfs(Vertex spur, const std::vector<std::pair<Vertex, Index>>& banned_arcs, int bound,
                     Path* out) {
    std::deque<Vertex> queue;
    auto reached = [&](Vertex v) { return stamp_[v] == round_; };
    auto final_ = [&](Vertex v) { return reached(v) && done_[v] == round_; };
    stamp_[sink_] = round_;
    dist_[sink_] = 0;
    queue.push_back(sink_);
    int spur_dist = -1;
    while (!queue.empty()) {
      Vertex v = queue.front();
      queue.pop_front();
      if (done_[v] == round_) continue;
      int d = dist_[v];
      if (d > bound || (spur_dist >= 0 && d > spur_dist)) break;
      done_[v] = round_;
      if (v == spur) spur_dist = d;
      in_arcs(v, [&](Vertex u, int cost, Index flow) {
        if (banned(u) || arc_banned(u, v, flow, spur, banned_arcs)) return;
        int nd = d + cost;
        if (reached(u) && dist_[u] <= nd) return;
        stamp_[u] = round_;
        dist_[u] = nd;
        if (cost == 0)
          queue.push_front(u);
        else
          queue.push_back(u);
      });
    }
    if (spur_dist < 0) return false;
    out->arcs.clear();
    Vertex v = spur;
    while (v != sink_) {
      std::optional<Arc> best;
      StepKey best_key;
      out_arcs(v, [&](const Arc& a) {
        if (banned(a.to) || arc_banned(v, a.to, a.flow, spur, banned_arcs)) return;
        if (!final_(a.to) || dist_[a.to] + a.cost != dist_[v]) return;
        StepKey k = key_of(a);
        if (!best || k < best_key) {
          best = a;
          best_key = k;
        }
      });
      if (!best) return false;  // cannot happen: dist_[v] came from such an arc
      out->arcs.push_back(*best);
      v = best->to;
    }
    finish(*out);
    return true;
  }

  const LinkageGraph& graph_;
  const ModelAt& at_;
  const Model& m_;
  const LinkageAdjacency& g_;
  const ChainOptions options_;
  std::size_t n_ = 0;
  Vertex source_ = 0, sink_ = 0;
  std::vector<Arc> source_arcs_;
  std::vector<int> source_arc_;  // system vertex → index in source_arcs_, or -1
  std::vector<char> is_target_, always_banned_;
  std::vector<Arc> target_arc_;
  std::vector<Vertex> target_systems_;
  std::vector<int> dist_;
  std::vector<unsigned> stamp_, done_, banned_stamp_;
  unsigned round_ = 0;
  static constexpr int kUnreached = 1 << 29;
  static constexpr int kMaxDfsBudget = 2000;
  std::vector<int> lower_, rank_, fail_budget_;
  std::vector<unsigned> fail_round_;
  std::vector<std::vector<Step>> steps_;
  std::vector<char> steps_built_;
  std::size_t scanned_ = 0, scan_limit_ = 0;
};

}  // namespace

ChainsResult chains(const LinkageGraph& graph, const EntityRef& from, const EntityRef& to,
                    const ChainOptions& options) {
  return detail::chains_with_scan_limit(graph, from, to, options, -1);
}

namespace detail {

ChainsResult chains_with_scan_limit(const LinkageGraph& graph, const EntityRef& from, const EntityRef& to,
                                    const ChainOptions& options, long scan_limit) {
  ChainsResult result;
  result.at = graph.at().at();
  result.person = graph.at().person();
  result.open_only = options.open_only;
  result.max_match_error = options.max_match_error;
  result.from = from;
  result.to = to;
  if (options.k == 0) return result;
  if (from == to) {
    // Knowing a thing already is a chain of nothing (one system for a system):
    // it joins through nothing, so it is open and exact.
    if (graph.at().active(from)) {
      Chain nothing;
      nothing.length = from.kind == EntityKind::system ? 1 : 0;
      result.chains.push_back(nothing);
    }
    return result;
  }
  ChainSearch search(graph, from, to, options);
  if (scan_limit >= 0) search.set_scan_limit(static_cast<std::size_t>(scan_limit));
  for (const Path& p : search.k_shortest(options.k, options.max_hops + 1))
    result.chains.push_back(search.to_chain(p));
  return result;
}

}  // namespace detail

bool joinable_through(const ModelAt& at, Index identifier, const ChainOptions& options) {
  if (options.open_only && at.identifier_restricted(identifier)) return false;
  if (options.max_match_error &&
      at.model().identifiers[identifier].match_error.value_or(0) > *options.max_match_error)
    return false;
  return true;
}

void describe_joins(const ModelAt& at, Chain& chain) {
  // docs/model-format.md, "Joins, restricted and fuzzy": the distinct
  // identifiers of the holds hops, the start's included.
  std::vector<Index> through;
  for (const ChainHop& h : chain.hops)
    if (h.kind == ChainHop::Kind::holds && h.identifier != kNone) through.push_back(h.identifier);
  sort_unique(through);
  chain.restricted_by.clear();
  double error = 0;
  for (Index i : through) {
    for (Index l : at.restricting_laws(i)) chain.restricted_by.push_back(l);
    // 1 - (1 - error)(1 - e), written so that one key gives exactly its e.
    const double e = at.model().identifiers[i].match_error.value_or(0);
    error += e * (1 - error);
  }
  sort_unique(chain.restricted_by);
  chain.open = chain.restricted_by.empty();
  // Rounded to 12 decimals so that 0.01 and 0.1 give 0.109, not 0.10900000000000001.
  chain.match_error = std::round(error * 1e12) / 1e12;
}

}  // namespace imozuru
