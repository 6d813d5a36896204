#include "model/gaps.h"

#include <algorithm>

#include "text/join.h"

namespace imozuru {
namespace {


void sort_unique(std::vector<Index>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

template <typename T>
std::string join_ids(const std::vector<T>& entities, const std::vector<Index>& v) {
  return text::join(v, ", ", [&](Index i) -> const std::string& { return entities[i].id; });
}

bool carries(const Flow& f, Index data) {
  return std::any_of(f.carries.data.begin(), f.carries.data.end(), [&](const Ref& r) { return r.index == data; });
}

class GapFinder {
 public:
  explicit GapFinder(const ModelAt& at) : at_(at), m_(at.model()) {}

  GapsResult run() {
    GapsResult result;
    result.at = at_.at();
    for (Index f : at_.flows()) unconsented_sensitive(f, result.gaps);
    for (Index f : at_.flows()) consent_not_propagated(f, result.gaps);
    unregulated_keys(result.gaps);
    for (Index f : at_.flows()) basis_not_in_force(f, result.gaps);
    for (Index f = 0; f < m_.flows.size(); ++f) comprehensive_consent(f, result.gaps);
    attach_assessments(result.gaps);
    return result;
  }

 private:
  // docs/model-format.md, "Assessments": an assessment active at the date
  // whose gap is the gap's rule and main entity.
  void attach_assessments(std::vector<Gap>& gaps) const {
    for (Index a = 0; a < m_.assessments.size(); ++a) {
      const Assessment& as = m_.assessments[a];
      if (as.gap_entity == kNone || !at_.active(EntityKind::assessment, a)) continue;
      for (Gap& g : gaps)
        if (to_string(g.rule) == as.rule() && gap_main_kind(g.rule) == as.gap_kind && g.main() == as.gap_entity)
          g.assessment = a;
    }
  }

  // Special data the flow carries; only items active at the date when `active_only`.
  std::vector<Index> special_carried(const Flow& f, bool active_only) const {
    std::vector<Index> out;
    for (const Ref& r : f.carries.data)
      if (r.index != kNone && m_.data[r.index].sensitivity == Sensitivity::special &&
          (!active_only || at_.data_active(r.index)))
        out.push_back(r.index);
    sort_unique(out);
    return out;
  }
  std::vector<Index> active_carried(const Flow& f) const {
    std::vector<Index> out;
    for (const Ref& r : f.carries.data)
      if (r.index != kNone && at_.data_active(r.index)) out.push_back(r.index);
    sort_unique(out);
    return out;
  }
  Gap flow_gap(GapRule rule, Index f) const {
    Gap g;
    g.rule = rule;
    g.flow = f;
    g.systems = {m_.flows[f].from.index, m_.flows[f].to.index};
    sort_unique(g.systems);
    return g;
  }
  std::string consent(Index f) const { return std::string(to_string(m_.flows[f].consent)); }

  void unconsented_sensitive(Index f, std::vector<Gap>& out) const {
    const Flow& flow = m_.flows[f];
    if (!is_weak_consent(flow.consent)) return;
    auto special = special_carried(flow, true);
    if (special.empty()) return;
    Gap g = flow_gap(GapRule::unconsented_sensitive, f);
    g.data = special;
    g.reason = "flow " + flow.id + " from " + flow.from.id + " to " + flow.to.id + " carries special data (" +
               join_ids(m_.data, special) + ") with consent '" + consent(f) + "'";
    out.push_back(std::move(g));
  }

  void consent_not_propagated(Index f, std::vector<Gap>& out) const {
    const Flow& flow = m_.flows[f];
    if (!is_weak_consent(flow.consent)) return;
    const std::vector<Index> special = special_carried(flow, true);
    if (special.empty()) return;
    Gap g = flow_gap(GapRule::consent_not_propagated, f);
    for (Index d : special) {
      bool received_with_consent = false;
      for (Index up : at_.flows_in(flow.from.index)) {
        if (!is_strong_consent(m_.flows[up].consent) || !carries(m_.flows[up], d)) continue;
        received_with_consent = true;
        g.upstream_flows.push_back(up);
        g.systems.push_back(m_.flows[up].from.index);
      }
      if (received_with_consent) g.data.push_back(d);
    }
    if (g.data.empty()) return;
    sort_unique(g.systems);
    sort_unique(g.upstream_flows);
    std::vector<std::string> upstream;
    for (Index up : g.upstream_flows) upstream.push_back(m_.flows[up].id + " (" + consent(up) + ")");
    g.reason = "flow " + flow.id + " passes on special data (" + join_ids(m_.data, g.data) + ") that " +
               flow.from.id + " received with consent via " + text::join(upstream, ", ") +
               ", with consent '" + consent(f) + "'";
    out.push_back(std::move(g));
  }

  void unregulated_keys(std::vector<Gap>& out) const {
    std::vector<char> holds_sensitive(m_.systems.size(), 0);
    for (Index s : at_.systems())
      for (Index d : at_.data_of(s))
        if (m_.data[d].sensitivity != Sensitivity::normal) holds_sensitive[s] = 1;
    std::vector<std::vector<Index>> keyed_flows(m_.identifiers.size());
    for (Index f : at_.flows())
      if (m_.flows[f].key && m_.flows[f].key->index != kNone) keyed_flows[m_.flows[f].key->index].push_back(f);

    for (Index i : at_.identifiers()) {
      const Identifier& id = m_.identifiers[i];
      if (id.scope != Scope::global || !id.regulated_by.empty()) continue;
      std::vector<Index> sensitive;
      for (Index s : at_.holders_of_identifier(i))
        if (holds_sensitive[s]) sensitive.push_back(s);
      bool joins = sensitive.size() >= 2;
      if (!joins && keyed_flows[i].empty()) continue;
      Gap g;
      g.rule = GapRule::unregulated_key;
      g.identifier = i;
      if (joins) g.systems = sensitive;
      for (Index f : keyed_flows[i]) {
        g.systems.push_back(m_.flows[f].from.index);
        g.systems.push_back(m_.flows[f].to.index);
      }
      sort_unique(g.systems);
      g.reason = "identifier " + id.id + " is restricted by no law";
      if (joins) g.reason += " and is held by " + std::to_string(sensitive.size()) + " systems with special or high data";
      if (!keyed_flows[i].empty()) g.reason += (joins ? "; it is" : " and is") + std::string(" the key of flow ") +
                                               join_ids(m_.flows, keyed_flows[i]);
      out.push_back(std::move(g));
    }
  }

  void basis_not_in_force(Index f, std::vector<Gap>& out) const {
    const Flow& flow = m_.flows[f];
    if (flow.basis.empty()) return;
    for (const Ref& law : flow.basis) {  // every basis law ended, or no gap
      if (law.index == kNone) return;
      const Law& l = m_.laws[law.index];
      if (!l.until || at_.at() < *l.until) return;
    }
    std::vector<std::string> ended;
    Gap g = flow_gap(GapRule::basis_not_in_force, f);
    for (const Ref& law : flow.basis) g.laws.push_back(law.index);
    sort_unique(g.laws);
    for (Index l : g.laws) ended.push_back(m_.laws[l].id + " (until " + m_.laws[l].until->written() + ")");
    g.data = active_carried(flow);
    g.reason = "flow " + flow.id + " rests only on laws that ended by " + at_.at().iso() + ": " +
               text::join(ended, ", ");
    out.push_back(std::move(g));
  }

  // The contract says "a flow" here (not "an active flow"): judged whatever the date.
  void comprehensive_consent(Index f, std::vector<Gap>& out) const {
    const Flow& flow = m_.flows[f];
    if (flow.consent != Consent::comprehensive) return;
    auto special = special_carried(flow, false);
    if (special.empty()) return;
    Gap g = flow_gap(GapRule::comprehensive_consent, f);
    g.data = special;
    g.reason = "flow " + flow.id + " carries special data (" + join_ids(m_.data, special) +
               ") under one comprehensive consent, with no per-item choice";
    out.push_back(std::move(g));
  }

  const ModelAt& at_;
  const Model& m_;
};

}  // namespace

const std::vector<std::string_view>& gap_rule_names() {
  static const std::vector<std::string_view> v{"unconsented-sensitive", "consent-not-propagated", "unregulated-key",
                                               "basis-not-in-force",    "comprehensive-consent",  "no-basis"};
  return v;
}

std::string_view to_string(GapRule rule) { return gap_rule_names()[static_cast<std::size_t>(rule)]; }

std::optional<GapRule> parse_gap_rule(std::string_view text) {
  const auto& names = gap_rule_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == text) return static_cast<GapRule>(i);
  return std::nullopt;
}

EntityKind gap_main_kind(GapRule rule) {
  return rule == GapRule::unregulated_key ? EntityKind::identifier : EntityKind::flow;
}

GapsResult find_gaps(const ModelAt& at) {
  GapsResult result = GapFinder(at).run();
  result.person = at.person();
  return result;
}

bool gap_is_open(const Model& m, const Gap& g) {
  return g.assessment == kNone || m.assessments[g.assessment].decision == AssessmentStatus::disputed;
}

}  // namespace imozuru
