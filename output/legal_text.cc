#include "output/legal_text.h"

#include "output/labels.h"
#include "output/messages.h"

namespace imozuru {
namespace {

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// The text without a trailing parenthetical remark: "番号法（行政手続…）" → "番号法".
std::string_view without_remark(std::string_view s) {
  for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"（", "）"}, {"(", ")"}}) {
    if (!ends_with(s, close)) continue;
    std::size_t at = s.rfind(open);
    if (at == std::string_view::npos || at == 0) continue;
    s = s.substr(0, at);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  }
  return s;
}

bool ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// True when `name` ends with `article` as a whole word: "…, art. 9" ends
// with "9", "Act 2019" does not.
bool ends_with_article(std::string_view name, std::string_view article) {
  name = without_remark(name);
  if (!ends_with(name, article)) return false;
  if (name.size() == article.size()) return true;
  return !(ascii_alnum(name[name.size() - article.size() - 1]) && ascii_alnum(article.front()));
}

// True when `name` (without its remark) ends with the number the article
// starts with, as a word: an English name "My Number Act, Art. 19 (…)" already
// says what the article "19条各号" says in Japanese.
bool ends_with_article_number(std::string_view name, std::string_view article) {
  std::size_t digits = 0;
  while (digits < article.size() && article[digits] >= '0' && article[digits] <= '9') ++digits;
  if (digits == 0) return false;
  return ends_with_article(name, article.substr(0, digits));
}

std::string quoted(const std::string& name, Lang lang) { return say(lang, Msg::gap_quoted, name); }

template <typename T>
std::string names(const std::vector<T>& entities, const std::vector<Index>& v, Lang lang) {
  std::vector<std::string> out;
  for (Index i : v) out.push_back(entities[i].display_name(lang));
  return join_list(out, lang);
}

std::string flow_names(const Model& m, const std::vector<Index>& flows, Lang lang) {
  std::vector<std::string> out;
  for (Index f : flows) out.push_back(quoted(m.flows[f].display_name(lang), lang));
  return join_list(out, lang);
}

// The gap's laws of a kind that can (or cannot) be a legal basis, each with its state.
std::string gap_laws(const Model& m, const Gap& g, Lang lang, bool basis_kind) {
  std::vector<std::string> out;
  for (const GapLaw& l : g.laws) {
    const Law& law = m.laws[l.law];
    if (law.can_be_basis() == basis_kind) out.push_back(law_with_state(m, law, l.state, lang));
  }
  return join_list(out, lang);
}

std::string key_reason(const Model& m, const Gap& g, Lang lang) {
  const std::string id = m.identifiers[g.identifier].display_name(lang);
  const std::string restricting = gap_laws(m, g, lang, true), other = gap_laws(m, g, lang, false);
  std::string out = !restricting.empty() ? say(lang, Msg::gap_reason_key_laws_not_in_force, id, restricting)
                    : !other.empty()     ? say(lang, Msg::gap_reason_key_not_laws, id, other)
                                         : say(lang, Msg::gap_reason_key_no_law, id);
  if (!g.holders.empty())
    out += say(lang, Msg::gap_reason_key_holders, g.holders.size(), names(m.systems, g.holders, lang));
  if (!g.key_flows.empty())
    out += say(lang, g.key_flows.size() == 1 ? Msg::gap_reason_key_flows_one : Msg::gap_reason_key_flows,
               flow_names(m, g.key_flows, lang));
  return out;
}

}  // namespace

std::string law_label(const Model& m, const Law& law, Lang lang) {
  const std::string& name = law.display_name(lang);
  std::string out;
  if (law.parent && law.parent->index != kNone) {
    std::string_view parent = without_remark(m.laws[law.parent->index].display_name(lang));
    if (!parent.empty() && name.find(parent) == std::string::npos) out = std::string(parent) + " ";
  }
  out += name;
  if (!law.article.empty() && !ends_with_article(name, law.article) &&
      !ends_with_article_number(name, law.article))
    out += " " + law.article;
  return out;
}

std::string law_state_text(const Law& law, LawState state, Lang lang) {
  switch (state) {
    case LawState::in_force:
      // A policy or judgment has no force of law: it is current, not in force.
      return say(lang, law.can_be_basis() ? Msg::law_state_in_force : Msg::law_state_current);
    case LawState::not_yet:
      return say(lang, Msg::law_state_not_yet, law.since ? law.since->written() : "");
    case LawState::ended:
      return say(lang, Msg::law_state_ended, law.until ? law.until->written() : "");
    case LawState::planned:
      return say(lang, Msg::law_state_planned);
    case LawState::proposed:
      return say(lang, Msg::law_state_proposed);
  }
  return "";
}

std::string law_with_state(const Model& m, const Law& law, LawState state, Lang lang) {
  return say(lang, Msg::law_with_state, law_label(m, law, lang), law_state_text(law, state, lang));
}

std::string law_with_state(const Model& m, const Law& law, const Date& at, Lang lang) {
  return law_with_state(m, law, law_state(law, at), lang);
}

std::string law_with_period(const Model& m, const Law& law, Lang lang) {
  if (!law.can_be_basis()) return say(lang, Msg::law_not_a_law, law_label(m, law, lang));
  if (law.status == Status::planned || law.status == Status::proposed)
    return say(lang, Msg::law_with_state, law_label(m, law, lang),
               say(lang, law.status == Status::planned ? Msg::law_state_planned : Msg::law_state_proposed));
  const std::string period = period_text(law);
  return period.empty() ? law_label(m, law, lang)
                        : say(lang, Msg::law_in_force_period, law_label(m, law, lang), period);
}

std::string laws_with_state(const Model& m, const Refs& laws, const Date& at, Lang lang) {
  std::vector<std::string> out;
  for (const Ref& l : laws)
    if (l.index != kNone) out.push_back(law_with_state(m, m.laws[l.index], at, lang));
  return out.empty() ? say(lang, Msg::word_none) : join_list(out, lang);
}

std::string gap_laws_text(const Model& m, const Gap& g, Lang lang) {
  std::vector<std::string> out;
  for (const GapLaw& l : g.laws) out.push_back(law_with_state(m, m.laws[l.law], l.state, lang));
  return out.empty() ? say(lang, Msg::word_none) : join_list(out, lang);
}

const Entity& gap_main_entity(const Model& m, const Gap& g) {
  return g.flow != kNone ? static_cast<const Entity&>(m.flows[g.flow]) : m.identifiers[g.identifier];
}

std::string gap_key(const Model& m, const Gap& g) {
  return std::string(to_string(g.rule)) + ":" + std::string(to_string(gap_main_kind(g.rule))) + ":" +
         gap_main_entity(m, g).id;
}

std::string gap_rule_description(GapRule rule, Lang lang) {
  static constexpr Msg kHelp[] = {
      Msg::gap_rule_help_unconsented_sensitive, Msg::gap_rule_help_consent_not_propagated,
      Msg::gap_rule_help_unregulated_key,       Msg::gap_rule_help_basis_not_in_force,
      Msg::gap_rule_help_comprehensive_consent, Msg::gap_rule_help_no_basis};
  const auto i = static_cast<std::size_t>(rule);
  return i < std::size(kHelp) ? say(lang, kHelp[i]) : std::string();
}

std::string severity_text(GapSeverity severity, Lang lang) {
  return say(lang, severity == GapSeverity::high ? Msg::gap_severity_high : Msg::gap_severity_medium);
}

std::string assessment_status_text(AssessmentStatus s, Lang lang) {
  switch (s) {
    case AssessmentStatus::accepted:
      return say(lang, Msg::gap_assessment_status_accepted);
    case AssessmentStatus::mitigated:
      return say(lang, Msg::gap_assessment_status_mitigated);
    case AssessmentStatus::disputed:
      return say(lang, Msg::gap_assessment_status_disputed);
  }
  return "";
}

std::string gap_subject(const Model& m, const Gap& g, Lang lang) {
  if (g.flow == kNone)
    return say(lang, Msg::gap_subject_identifier, m.identifiers[g.identifier].display_name(lang));
  const Flow& f = m.flows[g.flow];
  return say(lang, Msg::gap_subject_flow, f.display_name(lang), m.systems[f.from.index].display_name(lang),
             m.systems[f.to.index].display_name(lang));
}

std::string gap_reason(const Model& m, const Gap& g, Lang lang) {
  if (g.rule == GapRule::unregulated_key) return key_reason(m, g, lang);
  const Flow& f = m.flows[g.flow];
  const std::string from = m.systems[f.from.index].display_name(lang);
  const std::string subject =
      say(lang, Msg::gap_reason_flow, f.display_name(lang), from, m.systems[f.to.index].display_name(lang));
  const std::string consent = consent_label(f.consent, lang), data = names(m.data, g.data, lang);
  switch (g.rule) {
    case GapRule::unconsented_sensitive:
      return say(lang, Msg::gap_reason_unconsented_sensitive, subject, data, consent);
    case GapRule::consent_not_propagated: {
      std::vector<std::string> upstream;
      for (Index u : g.upstream_flows)
        upstream.push_back(say(lang, Msg::gap_reason_upstream_flow, m.flows[u].display_name(lang),
                               consent_label(m.flows[u].consent, lang)));
      return say(lang, Msg::gap_reason_consent_not_propagated, subject, from, join_list(upstream, lang), data,
                 consent);
    }
    case GapRule::basis_not_in_force:
      return say(lang, Msg::gap_reason_basis_not_in_force, subject, consent, gap_laws(m, g, lang, true));
    case GapRule::comprehensive_consent:
      return say(lang, Msg::gap_reason_comprehensive_consent, subject, data);
    case GapRule::no_basis: {
      std::string out = say(lang, Msg::gap_reason_no_basis, subject, consent);
      const std::string other = gap_laws(m, g, lang, false);
      if (!other.empty()) out += say(lang, Msg::gap_reason_no_basis_policies, other);
      return out;
    }
    case GapRule::unregulated_key:
      break;
  }
  return "";
}

void set_gap_reasons(const Model& m, GapsResult& r, Lang lang) {
  for (Gap& g : r.gaps) g.reason = gap_reason(m, g, lang);
}

void set_gap_reasons(const Model& m, DiffResult& r, Lang lang) {
  for (auto* gaps : {&r.gaps_appeared, &r.gaps_disappeared})
    for (Gap& g : *gaps) g.reason = gap_reason(m, g, lang);
}

std::string assessment_text(const Model& m, const Assessment& a, const Date& at, Lang lang) {
  const std::string who = a.by.empty() ? a.id : a.id + say(lang, Msg::list_separator) + a.by;
  std::string out =
      say(lang, Msg::gap_assessment_text, assessment_status_text(a.decision, lang), who, a.justification);
  if (!a.laws.empty()) out += say(lang, Msg::gap_assessment_laws, laws_with_state(m, a.laws, at, lang));
  return out;
}

}  // namespace imozuru
