#include "output/analysis_csv.h"

#include <fmt/format.h>

#include "output/labels.h"
#include "output/legal_text.h"
#include "output/messages.h"
#include "text/escape.h"
#include "text/join.h"

namespace imozuru {
namespace {

using text::csv_field;

// Ids of `v`, ";"-separated in one cell.
template <typename T>
std::string id_list(const std::vector<T>& entities, const std::vector<Index>& v) {
  return text::join(v, ";", [&](Index i) -> const std::string& { return entities[i].id; });
}

}  // namespace

// docs/cli.md, "gaps": one row per gap; names, laws and reasons in `lang`.
std::string to_csv(const Model& m, const GapsResult& r, Lang lang) {
  std::string out =
      "rule,severity,open,main_kind,main_id,name,consent,laws,law_ids,systems,data,assessment,assessment_"
      "status,"
      "justification,reason,sources\r\n";
  auto names = [&](const auto& entities, const std::vector<Index>& v) {
    return text::join(v, say(lang, Msg::list_separator),
                      [&](Index i) { return entities[i].display_name(lang); });
  };
  for (const Gap& g : r.gaps) {
    const Entity& main = gap_main_entity(m, g);
    const Assessment* a = g.assessment == kNone ? nullptr : &m.assessments[g.assessment];
    const std::string law_ids =
        text::join(g.laws, ";", [&](const GapLaw& l) -> const std::string& { return m.laws[l.law].id; });
    const std::string cells[] = {std::string(to_string(g.rule)),
                                 std::string(to_string(g.severity())),
                                 gap_is_open(m, g) ? "true" : "false",
                                 std::string(to_string(gap_main_kind(g.rule))),
                                 main.id,
                                 main.display_name(lang),
                                 g.flow != kNone ? consent_label(m.flows[g.flow].consent, lang) : "",
                                 g.laws.empty() ? "" : gap_laws_text(m, g, lang),
                                 law_ids,
                                 names(m.systems, g.systems),
                                 names(m.data, g.data),
                                 a ? a->id : "",
                                 a ? std::string(to_string(a->decision)) : "",
                                 a ? a->justification : "",
                                 gap_reason(m, g, lang),
                                 citations_text(m, {&main}, lang)};
    bool first = true;
    for (const std::string& cell : cells) {
      out += (first ? "" : ",") + csv_field(cell);
      first = false;
    }
    out += "\r\n";
  }
  return out;
}

std::string to_csv(const Model& m, const DiffResult& r) {
  std::string out = "section,change,kind,id,other,detail\r\n";
  auto row = [&](std::string_view section, std::string_view change, std::string_view kind,
                 std::string_view id, std::string_view other, std::string_view detail) {
    out += fmt::format("{},{},{},{},{},{}\r\n", csv_field(section), csv_field(change), csv_field(kind),
                       csv_field(id), csv_field(other), csv_field(detail));
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
    row("joinable", "became", "pair", m.systems[p.a].id, m.systems[p.b].id,
        id_list(m.identifiers, p.through));
  for (const JoinablePair& p : r.ceased_joinable)
    row("joinable", "ceased", "pair", m.systems[p.a].id, m.systems[p.b].id,
        id_list(m.identifiers, p.through));
  if (r.pairs_truncated) row("joinable", "truncated", "", "", "", "");
  auto gap_rows = [&](const char* change, const std::vector<Gap>& gaps) {
    for (const Gap& g : gaps)
      row("gap", change, to_string(g.rule),
          g.flow != kNone ? m.flows[g.flow].id : m.identifiers[g.identifier].id, "", g.reason);
  };
  gap_rows("appeared", r.gaps_appeared);
  gap_rows("disappeared", r.gaps_disappeared);
  return out;
}

}  // namespace imozuru
