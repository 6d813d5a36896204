#include "output/analysis_csv.h"

#include <fmt/format.h>

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

std::string to_csv(const Model& m, const GapsResult& r) {
  std::string out = "rule,main_kind,main_id,systems,data,reason\r\n";
  for (const Gap& g : r.gaps) {
    bool flow = g.flow != kNone;
    out += fmt::format("{},{},{},{},{},{}\r\n", to_string(g.rule), flow ? "flow" : "identifier",
                       csv_field(flow ? m.flows[g.flow].id : m.identifiers[g.identifier].id),
                       csv_field(id_list(m.systems, g.systems)), csv_field(id_list(m.data, g.data)),
                       csv_field(g.reason));
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
