#include "output/analysis_text.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "output/labels.h"
#include "output/legal_text.h"
#include "output/messages.h"
#include "text/escape.h"
#include "text/join.h"

namespace imozuru {
namespace {

std::string show(std::string_view model_text) { return text::terminal_text(model_text); }

std::string name(const Entity& e, Lang lang) { return show(e.display_name(lang)); }

// "1 system" / "3 systems" (Japanese does not inflect: both entries agree).
std::string count_text(Lang lang, std::size_t n, Msg one, Msg many) {
  return say(lang, n == 1 ? one : many, n);
}

template <typename T>
std::string names(const std::vector<T>& entities, const std::vector<Index>& v, Lang lang) {
  return text::join(v, say(lang, Msg::list_separator), [&](Index i) { return name(entities[i], lang); });
}

// Laws with where each stands at the date: "番号法 19条（施行中）".
std::string law_names(const Model& m, const Refs& laws, const Date& at, Lang lang) {
  std::vector<std::string> out;
  for (const Ref& l : laws)
    if (l.index != kNone) out.push_back(show(law_with_state(m, m.laws[l.index], at, lang)));
  return join_list(out, lang);
}

std::string identifier_annotation(const Model& m, Index i, const Date& at, Lang lang) {
  const Identifier& id = m.identifiers[i];
  // Only laws can restrict an identifier: a policy or judgment in its
  // regulated_by is not named here (docs/model-format.md, "laws"), so the
  // label agrees with the chain's "open — no law in the model restricts these joins".
  Refs laws_only;
  for (const Ref& l : id.regulated_by)
    if (l.index != kNone && m.laws[l.index].can_be_basis()) laws_only.push_back(l);
  std::string laws = law_names(m, laws_only, at, lang);
  std::string extra = laws.empty() ? say(lang, Msg::text_no_law) : laws;
  std::string when = period_text(id);
  if (!when.empty()) extra += "; " + when;
  return identifier_name(m, i, lang) + " (" + extra + ")";
}

// "花子（hanako）について、" / "for Hanako (hanako), " in a header; "" for everyone.
std::string for_person(const Model& m, Index person, Lang lang) {
  if (person == kNone) return "";
  return say(lang, Msg::text_for_person, person_name(m, person, lang));
}

// What the join options left out of a reach or chains: "" when nothing.
std::string join_limits(bool open_only, const std::optional<double>& max_error, Lang lang) {
  std::vector<std::string> parts;
  if (open_only) parts.push_back(say(lang, Msg::text_limits_open_only));
  if (max_error) parts.push_back(say(lang, Msg::text_limits_max_error, percent_text(*max_error)));
  if (parts.empty()) return "";
  return say(lang, Msg::text_limits, text::join(parts, say(lang, Msg::list_separator_compact)));
}

// One line of a gap in diff: rule, severity, main entity, reason (set by set_gap_reasons).
std::string gap_line(const Model& m, const Gap& g, Lang lang) {
  return say(lang, Msg::text_diff_gap, to_string(g.rule), severity_text(g.severity(), lang),
             show(std::string(to_string(gap_main_kind(g.rule))) + ":" + gap_main_entity(m, g).id),
             show(g.reason.empty() ? gap_reason(m, g, lang) : g.reason)) +
         "\n";
}

}  // namespace

std::string ref_name(const Model& m, const EntityRef& r, Lang lang) {
  Index i = m.find(r);
  if (i == kNone) return show(r.str());
  switch (r.kind) {
    case EntityKind::identifier:
      return identifier_name(m, i, lang);
    case EntityKind::data:
      return data_name(m, i, lang);
    case EntityKind::system:
      return name(m.systems[i], lang);
    default:
      break;  // an EntityRef names one of the three kinds above
  }
  return show(r.str());
}

std::string identifier_name(const Model& m, Index i, Lang lang) {
  return say(lang, Msg::text_identifier_name, name(m.identifiers[i], lang));
}
std::string data_name(const Model& m, Index d, Lang lang) {
  return say(lang, Msg::text_data_name, name(m.data[d], lang));
}

std::string flow_annotation(const Model& m, const Flow& f, const Date& at, Lang lang) {
  std::string basis = law_names(m, f.basis, at, lang);
  std::string note = name(f, lang) + "; " + consent_label(f.consent, lang) + "; " +
                     say(lang, Msg::text_flow_basis, basis.empty() ? say(lang, Msg::word_none) : basis);
  std::string when = period_text(f);
  if (!when.empty()) note += "; " + when;
  return note;
}

std::string person_name(const Model& m, Index person, Lang lang) {
  const Person& p = m.persons[person];
  return say(lang, Msg::text_person_name, name(p, lang), show(p.id));
}

std::string percent_text(double fraction) { return fmt::format("{:.3g}%", fraction * 100); }

std::string match_error_text(double error, Lang lang) {
  const std::string percent = percent_text(error);
  if (error <= 0) return percent;
  // About 1 in N, N to two significant figures once it is large: "1 in 14,000".
  double n = 1 / error;
  if (n >= 100) {
    const double scale = std::pow(10.0, std::floor(std::log10(n)) - 1);
    n = std::round(n / scale) * scale;
  }
  const std::string digits = fmt::format("{:.0f}", n);
  std::string grouped;
  for (std::size_t k = 0; k < digits.size(); ++k) {
    if (k > 0 && (digits.size() - k) % 3 == 0) grouped += ',';
    grouped += digits[k];
  }
  return say(lang, Msg::text_match_error, percent, grouped);
}

std::string chain_joins(const Model& m, const Chain& chain, Lang lang) {
  std::string out;
  if (chain.open) {
    out = say(lang, Msg::text_joins_open);
  } else {
    std::vector<std::string> laws;
    for (Index l : chain.restricted_by) laws.push_back(show(law_label(m, m.laws[l], lang)));
    out = say(lang, Msg::text_joins_restricted, join_list(laws, lang));
  }
  if (chain.match_error > 0)
    out += say(lang, Msg::text_joins_match_error, match_error_text(chain.match_error, lang));
  return out;
}

std::string chain_line(const Model& m, const Chain& chain, const EntityRef& from, const Date& at, Lang lang) {
  std::string out = ref_name(m, from, lang);
  // The last thing printed: a system, or the identifier / data item a holds hop starts from.
  Index last_system = from.kind == EntityKind::system ? m.find(from) : kNone;
  for (const ChainHop& h : chain.hops) {
    if (h.kind == ChainHop::Kind::flow) {
      const Flow& f = m.flows[h.flow];
      out += " ═[" + flow_annotation(m, f, at, lang) + "]⇒ " + name(m.systems[f.to.index], lang);
      last_system = f.to.index;
    } else if (h.system == last_system) {
      out += " → " + (h.identifier != kNone ? identifier_annotation(m, h.identifier, at, lang)
                                            : data_name(m, h.data, lang));
      last_system = kNone;
    } else {
      out += " → " + name(m.systems[h.system], lang);
      last_system = h.system;
    }
  }
  return out;
}

std::string to_text(const Model& m, const ReachResult& r, Lang lang) {
  std::size_t special = 0;
  for (Index d : r.data) special += m.data[d].sensitivity == Sensitivity::special;
  std::string from = text::join(r.from, ", ", [&](const EntityRef& e) { return ref_name(m, e, lang); });
  std::string out = say(
      lang, Msg::text_reach_summary, r.at.iso(), for_person(m, r.person, lang), from,
      join_limits(r.open_only, r.max_match_error, lang),
      count_text(lang, r.systems.size(), Msg::text_count_systems_one, Msg::text_count_systems),
      count_text(lang, r.identifiers.size(), Msg::text_count_identifiers_one, Msg::text_count_identifiers),
      count_text(lang, r.data.size(), Msg::text_count_data_one, Msg::text_count_data), special);
  int max_depth = 0;
  for (const auto& s : r.systems) max_depth = std::max(max_depth, s.depth);
  for (int d = 0; d <= max_depth; ++d) {
    std::vector<Index> at_depth;
    for (const auto& s : r.systems)
      if (s.depth == d) at_depth.push_back(s.system);
    if (at_depth.empty()) continue;
    out += say(lang, Msg::text_reach_depth, d, names(m.systems, at_depth, lang));
  }
  if (!r.identifiers.empty())
    out += say(lang, Msg::text_reach_identifiers, names(m.identifiers, r.identifiers, lang));
  std::vector<Index> special_data;
  for (Index d : r.data)
    if (m.data[d].sensitivity == Sensitivity::special) special_data.push_back(d);
  if (!special_data.empty())
    out += say(lang, Msg::text_reach_special_data, names(m.data, special_data, lang));
  // A holder-scoped start reaches nothing, and "0 systems" alone does not say why.
  for (const EntityRef& e : r.from) {
    if (e.kind != EntityKind::identifier) continue;
    const Index i = m.find(e);
    if (i != kNone && m.identifiers[i].scope == Scope::holder)
      out += say(lang, Msg::text_reach_holder_scope, identifier_name(m, i, lang));
  }
  return out;
}

std::string to_text(const Model& m, const ChainsResult& r, Lang lang) {
  std::string out = say(
      lang, Msg::text_chains_summary, r.at.iso(), for_person(m, r.person, lang), ref_name(m, r.from, lang),
      ref_name(m, r.to, lang), join_limits(r.open_only, r.max_match_error, lang),
      count_text(lang, r.chains.size(), Msg::text_count_chains_one, Msg::text_count_chains));
  for (std::size_t i = 0; i < r.chains.size(); ++i)
    out += say(lang, Msg::text_chains_item, i + 1,
               count_text(lang, std::size_t(r.chains[i].length), Msg::text_count_systems_one,
                          Msg::text_count_systems),
               chain_joins(m, r.chains[i], lang), chain_line(m, r.chains[i], r.from, r.at, lang));
  return out;
}

std::string to_text(const Model& m, const DownstreamResult& r, Lang lang) {
  const std::string system = name(m.systems[r.from_system], lang), item = data_name(m, r.data, lang);
  const std::string person = for_person(m, r.person, lang);
  if (!r.held) return say(lang, Msg::text_downstream_not_held, r.at.iso(), person, system, item);
  std::string out = say(lang, Msg::text_downstream_summary, r.at.iso(), system, item, r.systems.size(),
                        r.flows.size(), person);
  for (Index f : r.flows) {
    const Flow& flow = m.flows[f];
    out += fmt::format("  {} ═[{}]⇒ {}\n", name(m.systems[flow.from.index], lang),
                       flow_annotation(m, flow, r.at, lang), name(m.systems[flow.to.index], lang));
  }
  return out;
}

// docs/cli.md, "gaps": one block per gap, for a brief.
std::string to_text(const Model& m, const GapsResult& r, Lang lang, std::size_t hidden) {
  // The counts are of every gap at the date; `hidden` of them (closed by an
  // assessment) were left out by --status open.
  std::size_t open = 0;
  for (const Gap& g : r.gaps) open += gap_is_open(m, g);
  const std::size_t total = r.gaps.size() + hidden, closed = total - open;
  std::string out = r.person == kNone ? say(lang, Msg::text_gaps_summary, r.at.iso(), total, open, closed)
                                      : say(lang, Msg::text_gaps_summary_person, r.at.iso(),
                                            person_name(m, r.person, lang), total, open, closed);
  if (hidden > 0) out += say(lang, hidden == 1 ? Msg::text_gaps_hidden_one : Msg::text_gaps_hidden, hidden);
  out += "\n";
  for (std::size_t k = 0; k < r.gaps.size(); ++k) {
    const Gap& g = r.gaps[k];
    auto line = [&](Msg label, const std::string& value) {
      out += say(lang, Msg::text_gap_line, say(lang, label), show(value)) + "\n";
    };
    out += "\n" +
           say(lang, Msg::text_gap_heading, k + 1, severity_text(g.severity(), lang),
               gap_rule_label(g.rule, lang), show(gap_key(m, g))) +
           "\n";
    out += "   " + show(gap_reason(m, g, lang)) + "\n";
    if (g.flow != kNone) {
      line(Msg::text_gap_consent, consent_label(m.flows[g.flow].consent, lang));
      line(Msg::text_gap_basis, gap_laws_text(m, g, lang));
    } else {
      line(Msg::text_gap_restricting_laws, gap_laws_text(m, g, lang));
    }
    line(Msg::text_gap_systems, names(m.systems, g.systems, lang));
    if (!g.data.empty()) line(Msg::text_gap_data, names(m.data, g.data, lang));
    line(Msg::text_gap_sources, citations_text(m, {&gap_main_entity(m, g)}, lang));
    line(Msg::text_gap_assessment, g.assessment == kNone
                                       ? say(lang, Msg::text_gap_not_assessed)
                                       : assessment_text(m, m.assessments[g.assessment], r.at, lang));
  }
  return out;
}

std::string to_text(const Model& m, const DiffResult& r, Lang lang) {
  std::string out =
      say(lang, Msg::text_diff_summary, for_person(m, r.person, lang), r.from.iso(), r.to.iso());
  auto section = [&](Msg title, const auto& entities, const ActiveSetChange& c) {
    if (!c.added.empty())
      out += fmt::format("  + {}: {}\n", say(lang, title), names(entities, c.added, lang));
    if (!c.removed.empty())
      out += fmt::format("  - {}: {}\n", say(lang, title), names(entities, c.removed, lang));
  };
  section(Msg::text_diff_systems, m.systems, r.systems);
  section(Msg::text_diff_identifiers, m.identifiers, r.identifiers);
  section(Msg::text_diff_data, m.data, r.data);
  section(Msg::text_diff_flows, m.flows, r.flows);
  section(Msg::text_diff_laws, m.laws, r.laws);
  auto pairs = [&](const char* sign, const std::vector<JoinablePair>& v) {
    for (const JoinablePair& p : v)
      out += fmt::format("  {} {} ⇔ {} ({})\n", sign, name(m.systems[p.a], lang), name(m.systems[p.b], lang),
                         names(m.identifiers, p.through, lang));
  };
  out += say(lang, Msg::text_diff_pairs, r.became_joinable.size(), r.ceased_joinable.size(),
             r.pairs_truncated ? say(lang, Msg::text_diff_pairs_truncated) : "");
  pairs("+", r.became_joinable);
  pairs("-", r.ceased_joinable);
  out += say(lang, Msg::text_diff_gaps, r.gaps_appeared.size(), r.gaps_disappeared.size());
  for (const Gap& g : r.gaps_appeared) out += "  + " + gap_line(m, g, lang);
  for (const Gap& g : r.gaps_disappeared) out += "  - " + gap_line(m, g, lang);
  return out;
}

}  // namespace imozuru
