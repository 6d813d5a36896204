#include "model/gaps.h"

#include <algorithm>

#include "model/sort_unique.h"

namespace imozuru {
namespace {

bool carries(const Flow& f, Index data) {
  return std::any_of(f.carries.data.begin(), f.carries.data.end(),
                     [&](const Ref& r) { return r.index == data; });
}

// Each rule of docs/model-format.md, "Consent gaps", on what is active at
// the date: active flows (whose systems are active), the data items and
// identifiers active at the date, the laws in force at the date.
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
    for (Index f : at_.flows()) comprehensive_consent(f, result.gaps);
    for (Index f : at_.flows()) no_basis(f, result.gaps);
    attach_assessments(result.gaps);
    return result;
  }

 private:
  // An assessment active at the date whose gap is the gap's rule and main
  // entity (docs/model-format.md, "Assessments").
  void attach_assessments(std::vector<Gap>& gaps) const {
    for (Index a = 0; a < m_.assessments.size(); ++a) {
      const Assessment& as = m_.assessments[a];
      if (as.gap_entity == kNone || !at_.active(EntityKind::assessment, a)) continue;
      for (Gap& g : gaps)
        if (to_string(g.rule) == as.rule() && gap_main_kind(g.rule) == as.gap_kind &&
            g.main() == as.gap_entity)
          g.assessment = a;
    }
  }

  std::vector<GapLaw> laws(const Refs& refs) const {
    std::vector<GapLaw> out;
    for (const Ref& r : refs)
      if (r.index != kNone)
        out.push_back(GapLaw{r.index, at_.law_active(r.index), law_state(m_.laws[r.index], at_.at())});
    return out;
  }

  // The special data items the flow carries that are active at the date.
  std::vector<Index> special_carried(const Flow& f) const {
    std::vector<Index> out;
    for (const Ref& r : f.carries.data)
      if (r.index != kNone && m_.data[r.index].sensitivity == Sensitivity::special &&
          at_.data_active(r.index))
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
    g.laws = laws(m_.flows[f].basis);
    return g;
  }

  // 1. Special data moved with consent none, notice or opt_out.
  void unconsented_sensitive(Index f, std::vector<Gap>& out) const {
    const Flow& flow = m_.flows[f];
    if (!is_weak_consent(flow.consent)) return;
    auto special = special_carried(flow);
    if (special.empty()) return;
    Gap g = flow_gap(GapRule::unconsented_sensitive, f);
    g.data = special;
    out.push_back(std::move(g));
  }

  // 2. B → C without the person's choice, passing on special data B received
  //    with opt_in, card or comprehensive consent.
  void consent_not_propagated(Index f, std::vector<Gap>& out) const {
    const Flow& flow = m_.flows[f];
    if (!is_weak_consent(flow.consent)) return;
    const std::vector<Index> special = special_carried(flow);
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
    out.push_back(std::move(g));
  }

  // 3. A global identifier no law in force restricts, that joins two or more
  //    systems with special or high data or is the key of a flow.
  void unregulated_keys(std::vector<Gap>& out) const {
    std::vector<char> holds_sensitive(m_.systems.size(), 0);
    for (Index s : at_.systems())
      for (Index d : at_.data_of(s))
        if (m_.data[d].sensitivity != Sensitivity::normal) holds_sensitive[s] = 1;
    std::vector<std::vector<Index>> keyed_flows(m_.identifiers.size());
    for (Index f : at_.flows())
      if (m_.flows[f].key && m_.flows[f].key->index != kNone)
        keyed_flows[m_.flows[f].key->index].push_back(f);

    for (Index i : at_.identifiers()) {
      const Identifier& id = m_.identifiers[i];
      if (id.scope != Scope::global || at_.identifier_restricted(i)) continue;
      std::vector<Index> sensitive;
      for (Index s : at_.holders_of_identifier(i))
        if (holds_sensitive[s]) sensitive.push_back(s);
      const bool joins = sensitive.size() >= 2;
      if (!joins && keyed_flows[i].empty()) continue;
      Gap g;
      g.rule = GapRule::unregulated_key;
      g.identifier = i;
      g.laws = laws(id.regulated_by);
      if (joins) g.holders = sensitive;
      g.key_flows = keyed_flows[i];
      g.systems = g.holders;
      for (Index f : keyed_flows[i]) {
        g.systems.push_back(m_.flows[f].from.index);
        g.systems.push_back(m_.flows[f].to.index);
      }
      sort_unique(g.systems);
      out.push_back(std::move(g));
    }
  }

  // 4. No choice, and a basis naming laws (not policies or judgments) none of
  //    which is in force: every one has ended or not yet come into force.
  void basis_not_in_force(Index f, std::vector<Gap>& out) const {
    const Flow& flow = m_.flows[f];
    if (!is_weak_consent(flow.consent)) return;
    bool names_a_law = false;
    for (const Ref& law : flow.basis) {
      if (law.index == kNone || !m_.laws[law.index].can_be_basis()) continue;
      if (at_.law_active(law.index)) return;
      names_a_law = true;
    }
    if (!names_a_law) return;
    Gap g = flow_gap(GapRule::basis_not_in_force, f);
    g.data = active_carried(flow);
    out.push_back(std::move(g));
  }

  // 5. Special data under one comprehensive consent.
  void comprehensive_consent(Index f, std::vector<Gap>& out) const {
    const Flow& flow = m_.flows[f];
    if (flow.consent != Consent::comprehensive) return;
    auto special = special_carried(flow);
    if (special.empty()) return;
    Gap g = flow_gap(GapRule::comprehensive_consent, f);
    g.data = special;
    out.push_back(std::move(g));
  }

  // 6. No choice, and a basis that is empty or names only policies and judgments.
  void no_basis(Index f, std::vector<Gap>& out) const {
    const Flow& flow = m_.flows[f];
    if (!is_weak_consent(flow.consent)) return;
    for (const Ref& law : flow.basis)
      if (law.index != kNone && m_.laws[law.index].can_be_basis()) return;
    Gap g = flow_gap(GapRule::no_basis, f);
    g.data = active_carried(flow);
    out.push_back(std::move(g));
  }

  const ModelAt& at_;
  const Model& m_;
};

}  // namespace

const std::vector<std::string_view>& gap_rule_names() {
  static const std::vector<std::string_view> v{"unconsented-sensitive", "consent-not-propagated",
                                               "unregulated-key",       "basis-not-in-force",
                                               "comprehensive-consent", "no-basis"};
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

GapSeverity gap_severity(GapRule rule) {
  switch (rule) {
    case GapRule::unconsented_sensitive:
    case GapRule::consent_not_propagated:
    case GapRule::unregulated_key:
      return GapSeverity::high;
    case GapRule::basis_not_in_force:
    case GapRule::comprehensive_consent:
    case GapRule::no_basis:
      return GapSeverity::medium;
  }
  return GapSeverity::high;
}

std::string_view to_string(GapSeverity s) { return s == GapSeverity::high ? "high" : "medium"; }

std::optional<GapSeverity> parse_gap_severity(std::string_view text) {
  if (text == "high") return GapSeverity::high;
  if (text == "medium") return GapSeverity::medium;
  return std::nullopt;
}

GapsResult find_gaps(const ModelAt& at) {
  GapsResult result = GapFinder(at).run();
  result.person = at.person();
  return result;
}

bool gap_is_open(const Model& m, const Gap& g) {
  return g.assessment == kNone || m.assessments[g.assessment].decision == AssessmentStatus::disputed;
}

std::optional<GapStatusFilter> parse_gap_status_filter(std::string_view text) {
  if (text == "all") return GapStatusFilter::all;
  if (text == "open") return GapStatusFilter::open;
  return std::nullopt;
}

void filter_gaps(const Model& m, GapsResult& result, GapStatusFilter filter) {
  if (filter == GapStatusFilter::all) return;
  result.gaps.erase(std::remove_if(result.gaps.begin(), result.gaps.end(),
                                   [&](const Gap& g) { return !gap_is_open(m, g); }),
                    result.gaps.end());
}

bool has_open_gap(const Model& m, const GapsResult& result, GapSeverity severity) {
  return std::any_of(result.gaps.begin(), result.gaps.end(),
                     [&](const Gap& g) { return g.severity() >= severity && gap_is_open(m, g); });
}

}  // namespace imozuru
