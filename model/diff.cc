#include "model/diff.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <tuple>
#include <unordered_set>
#include <utility>

namespace imozuru {
namespace {

template <typename T, typename Before, typename After>
ActiveSetChange active_change(const std::vector<T>& entities, Before before, After after) {
  ActiveSetChange c;
  for (Index i = 0; i < entities.size(); ++i) {
    bool a = before(i), b = after(i);
    if (!a && b) c.added.push_back(i);
    if (a && !b) c.removed.push_back(i);
  }
  return c;
}

// Whether two ascending lists share an element (shared(a, b) non-empty).
bool intersects(IndexSpan a, IndexSpan b) {
  auto i = a.begin(), j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i < *j)
      ++i;
    else if (*j < *i)
      ++j;
    else
      return true;
  }
  return false;
}

// Each system's global identifiers at a date (empty when inactive), one
// flat row per system.
IndexRows global_identifiers_of_all(const ModelAt& at) {
  const Model& m = at.model();
  IndexRows out;
  out.offsets.reserve(m.systems.size() + 1);
  for (Index s = 0; s < m.systems.size(); ++s) {
    for (Index i : at.identifiers_of(s))
      if (m.identifiers[i].scope == Scope::global) out.values.push_back(i);
    out.end_row();
  }
  return out;
}

std::vector<Index> shared(IndexSpan a, IndexSpan b) {
  std::vector<Index> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// Pairs joinable at `now` and not at `then`. Only pairs where at least one
// side newly holds a shared identifier can be new, so only those are tried.
std::vector<JoinablePair> new_pairs(const ModelAt& now, const IndexRows& ids_then, const IndexRows& ids_now,
                                    std::size_t max_pairs, bool* truncated) {
  const Model& m = now.model();
  std::unordered_set<std::uint64_t> seen;
  std::vector<JoinablePair> out;
  for (Index i : now.identifiers()) {
    if (m.identifiers[i].scope != Scope::global) continue;
    const IndexSpan holders = now.holders_of_identifier(i);
    std::vector<Index> newcomers;
    for (Index s : holders) {
      const IndexSpan then = ids_then[s];
      if (!std::binary_search(then.begin(), then.end(), i)) newcomers.push_back(s);
    }
    for (Index a : newcomers) {
      for (Index b : holders) {
        if (a == b) continue;
        auto key = std::minmax(a, b);
        const std::uint64_t packed = (std::uint64_t{key.first} << 32) | key.second;
        if (seen.count(packed)) continue;
        if (intersects(ids_then[key.first], ids_then[key.second])) continue;
        if (out.size() >= max_pairs) {
          *truncated = true;
          goto done;
        }
        seen.insert(packed);
        out.push_back({key.first, key.second, shared(ids_now[key.first], ids_now[key.second])});
      }
    }
  }
done:
  std::sort(out.begin(), out.end(), [](const JoinablePair& x, const JoinablePair& y) {
    return std::make_pair(x.a, x.b) < std::make_pair(y.a, y.b);
  });
  return out;
}

bool gap_less(const Gap& a, const Gap& b) {
  return std::make_tuple(a.rule, a.flow, a.identifier) < std::make_tuple(b.rule, b.flow, b.identifier);
}

std::vector<Gap> gaps_only_in(const std::vector<Gap>& x, const std::vector<Gap>& y) {
  std::vector<Gap> out;
  for (const Gap& g : x)
    if (!std::binary_search(y.begin(), y.end(), g, gap_less)) out.push_back(g);
  return out;
}

}  // namespace

DiffResult diff(const Model& model, Date from, Date to, const DiffOptions& options) {
  ModelAt before(model, from, options.include_planned, options.person),
      after(model, to, options.include_planned, options.person);
  DiffResult r;
  r.from = from;
  r.to = to;
  r.person = options.person;
  r.systems = active_change(
      model.systems, [&](Index i) { return before.system_active(i); },
      [&](Index i) { return after.system_active(i); });
  r.identifiers = active_change(
      model.identifiers, [&](Index i) { return before.identifier_active(i); },
      [&](Index i) { return after.identifier_active(i); });
  r.data = active_change(
      model.data, [&](Index i) { return before.data_active(i); },
      [&](Index i) { return after.data_active(i); });
  r.flows = active_change(
      model.flows, [&](Index i) { return before.flow_active(i); },
      [&](Index i) { return after.flow_active(i); });
  r.laws = active_change(
      model.laws, [&](Index i) { return before.law_active(i); },
      [&](Index i) { return after.law_active(i); });
  const auto ids_before = global_identifiers_of_all(before), ids_after = global_identifiers_of_all(after);
  r.became_joinable = new_pairs(after, ids_before, ids_after, options.max_pairs, &r.pairs_truncated);
  r.ceased_joinable = new_pairs(before, ids_after, ids_before, options.max_pairs, &r.pairs_truncated);

  auto gaps_before = find_gaps(before).gaps, gaps_after = find_gaps(after).gaps;
  std::sort(gaps_before.begin(), gaps_before.end(), gap_less);
  std::sort(gaps_after.begin(), gaps_after.end(), gap_less);
  r.gaps_appeared = gaps_only_in(gaps_after, gaps_before);
  r.gaps_disappeared = gaps_only_in(gaps_before, gaps_after);
  return r;
}

}  // namespace imozuru
