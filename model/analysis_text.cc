#include "model/analysis_text.h"

#include <fmt/format.h>

namespace imozuru {
namespace {

std::string dates(const Entity& e, Lang lang) {
  if (!e.since && !e.until) return "";
  return (e.since ? e.since->written() : "") + "〜" + (e.until ? e.until->written() : "");
}

std::string law_names(const Model& m, const Refs& laws, Lang lang) {
  std::string out;
  for (const Ref& l : laws) {
    if (l.index == kNone) continue;
    const Law& law = m.laws[l.index];
    out += (out.empty() ? "" : lang == Lang::ja ? "、" : ", ") + law.display_name(lang);
    if (!law.article.empty()) out += " " + law.article;
  }
  return out;
}

std::string identifier_name(const Model& m, Index i, Lang lang) {
  return (lang == Lang::ja ? "「" : "[") + m.identifiers[i].display_name(lang) + (lang == Lang::ja ? "」" : "]");
}
std::string data_name(const Model& m, Index d, Lang lang) {
  return (lang == Lang::ja ? "『" : "{") + m.data[d].display_name(lang) + (lang == Lang::ja ? "』" : "}");
}

std::string ref_name(const Model& m, const EntityRef& r, Lang lang) {
  Index i = m.find(r);
  if (i == kNone) return r.str();
  switch (r.kind) {
    case EntityKind::identifier: return identifier_name(m, i, lang);
    case EntityKind::data: return data_name(m, i, lang);
    case EntityKind::system: return m.systems[i].display_name(lang);
    default: break;  // an EntityRef names one of the three kinds above
  }
  return r.str();
}

std::string flow_annotation(const Model& m, const Flow& f, Lang lang) {
  std::string note = f.display_name(lang) + "; " + std::string(consent_label(f.consent, lang));
  std::string basis = law_names(m, f.basis, lang);
  note += "; " + std::string(lang == Lang::ja ? "根拠: " : "basis: ") + (basis.empty() ? (lang == Lang::ja ? "なし" : "none") : basis);
  std::string when = dates(f, lang);
  if (!when.empty()) note += "; " + when;
  return note;
}

std::string identifier_annotation(const Model& m, Index i, Lang lang) {
  std::string out = identifier_name(m, i, lang);
  const Identifier& id = m.identifiers[i];
  std::string laws = law_names(m, id.regulated_by, lang);
  std::string extra = laws.empty() ? std::string(lang == Lang::ja ? "法規制なし" : "no law restricts it") : laws;
  std::string when = dates(id, lang);
  if (!when.empty()) extra += "; " + when;
  return out + " (" + extra + ")";
}

template <typename T>
std::string names(const std::vector<T>& entities, const std::vector<Index>& v, Lang lang) {
  std::string out;
  for (Index i : v) out += (out.empty() ? "" : lang == Lang::ja ? "、" : ", ") + entities[i].display_name(lang);
  return out;
}

std::string csv_list(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ";") + s;
  return out;
}

template <typename T>
std::vector<std::string> id_list(const std::vector<T>& entities, const std::vector<Index>& v) {
  std::vector<std::string> out;
  for (Index i : v) out.push_back(entities[i].id);
  return out;
}

std::string gap_line(const Model& m, const Gap& g) {
  std::string main = g.flow != kNone ? "flow:" + m.flows[g.flow].id : "identifier:" + m.identifiers[g.identifier].id;
  return fmt::format("[{}] {}: {}\n", to_string(g.rule), main, g.reason);
}

}  // namespace

std::string chain_line(const Model& m, const Chain& chain, const EntityRef& from, Lang lang) {
  std::string out = ref_name(m, from, lang);
  // The last thing printed: a system, or the identifier / data item a holds hop starts from.
  Index last_system = from.kind == EntityKind::system ? m.find(from) : kNone;
  for (const ChainHop& h : chain.hops) {
    if (h.kind == ChainHop::Kind::flow) {
      const Flow& f = m.flows[h.flow];
      out += " ═[" + flow_annotation(m, f, lang) + "]⇒ " + m.systems[f.to.index].display_name(lang);
      last_system = f.to.index;
    } else if (h.system == last_system) {
      out += " → " + (h.identifier != kNone ? identifier_annotation(m, h.identifier, lang) : data_name(m, h.data, lang));
      last_system = kNone;
    } else {
      out += " → " + m.systems[h.system].display_name(lang);
      last_system = h.system;
    }
  }
  return out;
}

std::string to_text(const Model& m, const ReachResult& r, Lang lang) {
  std::size_t special = 0;
  for (Index d : r.data) special += m.data[d].sensitivity == Sensitivity::special;
  std::string from;
  for (const EntityRef& e : r.from) from += (from.empty() ? "" : ", ") + ref_name(m, e, lang);
  std::string out = lang == Lang::ja
                        ? fmt::format("{} 時点、{} から\n到達: {} システム、識別子 {}、データ {} 件（うち要配慮 {} 件）\n",
                                      r.at.iso(), from, r.systems.size(), r.identifiers.size(), r.data.size(), special)
                        : fmt::format("as of {}, from {}\nreachable: {} systems, {} identifiers, {} data items ({} special-category)\n",
                                      r.at.iso(), from, r.systems.size(), r.identifiers.size(), r.data.size(), special);
  int max_depth = 0;
  for (const auto& s : r.systems) max_depth = std::max(max_depth, s.depth);
  for (int d = 0; d <= max_depth; ++d) {
    std::vector<Index> at_depth;
    for (const auto& s : r.systems)
      if (s.depth == d) at_depth.push_back(s.system);
    if (at_depth.empty()) continue;
    out += fmt::format(lang == Lang::ja ? "  深さ {}: {}\n" : "  depth {}: {}\n", d, names(m.systems, at_depth, lang));
  }
  if (!r.identifiers.empty())
    out += std::string(lang == Lang::ja ? "  識別子: " : "  identifiers: ") + names(m.identifiers, r.identifiers, lang) + "\n";
  std::vector<Index> special_data;
  for (Index d : r.data)
    if (m.data[d].sensitivity == Sensitivity::special) special_data.push_back(d);
  if (!special_data.empty())
    out += std::string(lang == Lang::ja ? "  要配慮データ: " : "  special-category data: ") + names(m.data, special_data, lang) + "\n";
  return out;
}

std::string to_text(const Model& m, const ChainsResult& r, Lang lang) {
  std::string out = lang == Lang::ja ? fmt::format("{} 時点、{} → {}: {} 本の連鎖\n", r.at.iso(), ref_name(m, r.from, lang),
                                                   ref_name(m, r.to, lang), r.chains.size())
                                     : fmt::format("as of {}, {} → {}: {} chain(s)\n", r.at.iso(), ref_name(m, r.from, lang),
                                                   ref_name(m, r.to, lang), r.chains.size());
  for (std::size_t i = 0; i < r.chains.size(); ++i)
    out += fmt::format(lang == Lang::ja ? "{}. ({} システム) {}\n" : "{}. ({} systems) {}\n", i + 1, r.chains[i].length,
                       chain_line(m, r.chains[i], r.from, lang));
  return out;
}

std::string to_text(const Model& m, const DownstreamResult& r, Lang lang) {
  const std::string system = m.systems[r.from_system].display_name(lang), item = data_name(m, r.data, lang);
  if (!r.held)
    return fmt::format(lang == Lang::ja ? "{} 時点で {} は {} を保有していない\n" : "as of {}, {} does not hold {}\n", r.at.iso(),
                       system, item);
  std::string out = fmt::format(lang == Lang::ja ? "{} 時点、{} の {} の流れ先: {} システム、{} 本のフロー\n"
                                                 : "as of {}, {} held at {} flows on to {} systems along {} flows\n",
                                r.at.iso(), lang == Lang::ja ? system : item, lang == Lang::ja ? item : system,
                                r.systems.size(), r.flows.size());
  for (Index f : r.flows) {
    const Flow& flow = m.flows[f];
    out += fmt::format("  {} ═[{}]⇒ {}\n", m.systems[flow.from.index].display_name(lang), flow_annotation(m, flow, lang),
                       m.systems[flow.to.index].display_name(lang));
  }
  return out;
}

std::string to_text(const Model& m, const GapsResult& r, Lang lang) {
  std::string out = fmt::format(lang == Lang::ja ? "{} 時点の同意の欠落: {} 件\n" : "consent gaps as of {}: {}\n", r.at.iso(),
                                r.gaps.size());
  for (const Gap& g : r.gaps) out += gap_line(m, g);
  return out;
}

std::string to_text(const Model& m, const DiffResult& r, Lang lang) {
  std::string out = fmt::format(lang == Lang::ja ? "{} → {} の変化\n" : "changes from {} to {}\n", r.from.iso(), r.to.iso());
  auto section = [&](const char* ja, const char* en, const auto& entities, const ActiveSetChange& c) {
    if (!c.added.empty()) out += fmt::format("  + {}: {}\n", lang == Lang::ja ? ja : en, names(entities, c.added, lang));
    if (!c.removed.empty()) out += fmt::format("  - {}: {}\n", lang == Lang::ja ? ja : en, names(entities, c.removed, lang));
  };
  section("システム", "systems", m.systems, r.systems);
  section("識別子", "identifiers", m.identifiers, r.identifiers);
  section("データ", "data", m.data, r.data);
  section("フロー", "flows", m.flows, r.flows);
  section("法令", "laws", m.laws, r.laws);
  auto pairs = [&](const char* sign, const std::vector<JoinablePair>& v) {
    for (const JoinablePair& p : v)
      out += fmt::format("  {} {} ⇔ {} ({})\n", sign, m.systems[p.a].display_name(lang), m.systems[p.b].display_name(lang),
                         names(m.identifiers, p.through, lang));
  };
  out += fmt::format(lang == Lang::ja ? "突合可能になった組: {}、不能になった組: {}{}\n" : "became joinable: {} pairs, stopped: {} pairs{}\n",
                     r.became_joinable.size(), r.ceased_joinable.size(),
                     r.pairs_truncated ? (lang == Lang::ja ? "（上限で打ち切り）" : " (truncated at the limit)") : "");
  pairs("+", r.became_joinable);
  pairs("-", r.ceased_joinable);
  out += fmt::format(lang == Lang::ja ? "同意の欠落: 新規 {}、解消 {}\n" : "consent gaps: {} appeared, {} disappeared\n",
                     r.gaps_appeared.size(), r.gaps_disappeared.size());
  for (const Gap& g : r.gaps_appeared) out += "  + " + gap_line(m, g);
  for (const Gap& g : r.gaps_disappeared) out += "  - " + gap_line(m, g);
  return out;
}

std::string csv_field(std::string_view text, CsvCells cells) {
  const bool formula = cells == CsvCells::spreadsheet_safe && !text.empty() &&
                       std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
  const bool quote = formula || text.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) return std::string(text);
  std::string out = formula ? "\"'" : "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string to_csv(const Model& m, const GapsResult& r) {
  std::string out = "rule,main_kind,main_id,systems,data,reason\r\n";
  for (const Gap& g : r.gaps) {
    bool flow = g.flow != kNone;
    out += fmt::format("{},{},{},{},{},{}\r\n", to_string(g.rule), flow ? "flow" : "identifier",
                       csv_field(flow ? m.flows[g.flow].id : m.identifiers[g.identifier].id),
                       csv_field(csv_list(id_list(m.systems, g.systems))), csv_field(csv_list(id_list(m.data, g.data))),
                       csv_field(g.reason));
  }
  return out;
}

std::string to_csv(const Model& m, const DiffResult& r) {
  std::string out = "section,change,kind,id,other,detail\r\n";
  auto row = [&](const std::string& section, const std::string& change, const std::string& kind, const std::string& id,
                 const std::string& other, const std::string& detail) {
    out += csv_field(section) + "," + csv_field(change) + "," + csv_field(kind) + "," + csv_field(id) + "," +
           csv_field(other) + "," + csv_field(detail) + "\r\n";
  };
  auto entities = [&](const char* kind, const auto& list, const ActiveSetChange& c) {
    for (Index i : c.added) row("entity", "added", kind, list[i].id, "", "");
    for (Index i : c.removed) row("entity", "removed", kind, list[i].id, "", "");
  };
  entities("system", m.systems, r.systems);
  entities("identifier", m.identifiers, r.identifiers);
  entities("data", m.data, r.data);
  entities("flow", m.flows, r.flows);
  entities("law", m.laws, r.laws);
  for (const JoinablePair& p : r.became_joinable)
    row("joinable", "became", "pair", m.systems[p.a].id, m.systems[p.b].id, csv_list(id_list(m.identifiers, p.through)));
  for (const JoinablePair& p : r.ceased_joinable)
    row("joinable", "ceased", "pair", m.systems[p.a].id, m.systems[p.b].id, csv_list(id_list(m.identifiers, p.through)));
  if (r.pairs_truncated) row("joinable", "truncated", "", "", "", "");
  auto gap_rows = [&](const char* change, const std::vector<Gap>& gaps) {
    for (const Gap& g : gaps)
      row("gap", change, std::string(to_string(g.rule)),
          g.flow != kNone ? m.flows[g.flow].id : m.identifiers[g.identifier].id, "", g.reason);
  };
  gap_rows("appeared", r.gaps_appeared);
  gap_rows("disappeared", r.gaps_disappeared);
  return out;
}

}  // namespace imozuru
