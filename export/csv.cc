// CSV tables (RFC 4180) for spreadsheets: one row per active entity, plus a
// holdings table with one row per (system, item) of the effective holdings,
// and the sources every row cites, so a finding can be traced to its source
// from a spreadsheet (docs/export.md).
#include <initializer_list>

#include "export/export.h"
#include "export/export_common.h"
#include "text/join.h"

namespace imozuru {
namespace {

using namespace export_detail;

class CsvWriter {
 public:
  explicit CsvWriter(CsvCells cells) : cells_(cells) {}
  void row(std::initializer_list<std::string_view> fields) {
    text_ += text::join(fields, ",", [&](std::string_view f) { return csv_field(f, cells_); });
    text_ += "\r\n";
  }
  std::string take() { return std::move(text_); }

 private:
  CsvCells cells_;
  std::string text_;
};

// One item of a list cell: ";" and "\\" escaped with "\\", so the items
// can be split again (the rule of imozuru.csv, docs/lua-api.md).
std::string list_item(std::string_view item) {
  std::string out;
  for (char c : item) {
    if (c == ';' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The citations of an entity: "source" or "source (where)", joined with ";".
std::string cited(const std::vector<Citation>& sources) {
  return text::join(sources, ";", [](const Citation& c) {
    return list_item(c.at.empty() ? c.source : c.source + " (" + c.at + ")");
  });
}

// Group memberships or consent acts of a person: "id" or "id (since–until)".
std::string dated(const DatedRefs& refs) {
  return text::join(refs, ";", [](const DatedRef& r) {
    if (!r.since && !r.until) return r.ref.id;
    return r.ref.id + " (" + written(r.since) + "\u2013" + written(r.until) + ")";
  });
}

}  // namespace

const std::vector<std::string_view>& csv_table_names() {
  static const std::vector<std::string_view> names{"systems",  "identifiers",  "data",       "flows",
                                                   "holdings", "laws",         "sources",    "groups",
                                                   "persons",  "consent_acts", "assessments"};
  return names;
}

std::vector<CsvTable> export_csv_tables(const ModelAt& at, CsvCells cells) {
  const Model& m = at.model();
  std::vector<CsvTable> tables;

  CsvWriter systems(cells);
  systems.row(
      {"id", "name", "name_en", "sector", "kind", "operator", "status", "since", "until", "note", "sources"});
  for (Index s : at.systems()) {
    const System& x = m.systems[s];
    systems.row({x.id, x.name, x.name_en, x.sector, to_string(x.kind), ref_id(x.operator_),
                 to_string(x.status), written(x.since), written(x.until), x.note, cited(x.sources)});
  }
  tables.push_back({"systems", systems.take()});

  CsvWriter identifiers(cells);
  identifiers.row({"id", "name", "name_en", "kind", "scope", "visible", "universal", "unique", "issuer",
                   "regulated_by", "composed_of", "match_error", "status", "since", "until", "note",
                   "sources"});
  for (Index i : at.identifiers()) {
    const Identifier& x = m.identifiers[i];
    identifiers.row({x.id, x.name, x.name_en, to_string(x.kind), to_string(x.scope), bool_text(x.visible),
                     bool_text(x.universal), bool_text(x.unique), ref_id(x.issuer),
                     joined_ids(x.regulated_by), joined_ids(x.composed_of), number_text(x.match_error),
                     to_string(x.status), written(x.since), written(x.until), x.note, cited(x.sources)});
  }
  tables.push_back({"identifiers", identifiers.take()});

  CsvWriter data(cells);
  data.row(
      {"id", "name", "name_en", "category", "sensitivity", "status", "since", "until", "note", "sources"});
  for (Index d : at.data()) {
    const DataItem& x = m.data[d];
    data.row({x.id, x.name, x.name_en, x.category, to_string(x.sensitivity), to_string(x.status),
              written(x.since), written(x.until), x.note, cited(x.sources)});
  }
  tables.push_back({"data", data.take()});

  CsvWriter flows(cells);
  flows.row({"id", "name", "name_en", "from", "to", "carries_identifiers", "carries_data", "key", "basis",
             "consent", "mode", "purpose", "status", "since", "until", "note", "sources"});
  for (Index f : at.flows()) {
    const Flow& x = m.flows[f];
    flows.row({x.id, x.name, x.name_en, x.from.id, x.to.id, joined_ids(x.carries.identifiers),
               joined_ids(x.carries.data), ref_id(x.key), joined_ids(x.basis), to_string(x.consent), x.mode,
               x.purpose, to_string(x.status), written(x.since), written(x.until), x.note, cited(x.sources)});
  }
  tables.push_back({"flows", flows.take()});

  CsvWriter holdings(cells);
  holdings.row({"system", "kind", "item", "holding"});
  for (Index s : at.systems()) {
    for (Index i : at.identifiers_of(s))
      holdings.row(
          {m.systems[s].id, "identifier", m.identifiers[i].id, to_string(identifier_origin(at, s, i))});
    for (Index d : at.data_of(s))
      holdings.row({m.systems[s].id, "data", m.data[d].id, to_string(data_origin(at, s, d))});
  }
  tables.push_back({"holdings", holdings.take()});

  // The kinds below are listed whole when the model has no dates for them
  // (sources), otherwise as the entity tables above: active at the date.
  auto active = [&at, &m](EntityKind kind) {
    std::vector<Index> out;
    for (Index i = 0; i < m.size(kind); ++i)
      if (at.active(kind, i)) out.push_back(i);
    return out;
  };

  CsvWriter laws(cells);
  laws.row({"id", "name", "name_en", "kind", "article", "parent", "enacted", "can_be_basis", "status",
            "since", "until", "note", "sources"});
  for (Index l : active(EntityKind::law)) {
    const Law& x = m.laws[l];
    laws.row({x.id, x.name, x.name_en, to_string(x.kind), x.article, ref_id(x.parent), written(x.enacted),
              bool_text(x.can_be_basis()), to_string(x.status), written(x.since), written(x.until), x.note,
              cited(x.sources)});
  }
  tables.push_back({"laws", laws.take()});

  CsvWriter sources(cells);
  sources.row({"id", "title", "author", "publisher", "date", "url", "note"});
  for (const Source& x : m.sources)
    sources.row({x.id, x.title, x.author, x.publisher, x.date, x.url, x.note});
  tables.push_back({"sources", sources.take()});

  CsvWriter groups(cells);
  groups.row({"id", "name", "name_en", "status", "since", "until", "note", "sources"});
  for (Index g : active(EntityKind::group)) {
    const Group& x = m.groups[g];
    groups.row({x.id, x.name, x.name_en, to_string(x.status), written(x.since), written(x.until), x.note,
                cited(x.sources)});
  }
  tables.push_back({"groups", groups.take()});

  CsvWriter persons(cells);
  persons.row({"id", "name", "name_en", "groups", "acts", "status", "since", "until", "note", "sources"});
  for (Index p : active(EntityKind::person)) {
    const Person& x = m.persons[p];
    persons.row({x.id, x.name, x.name_en, dated(x.groups), dated(x.acts), to_string(x.status),
                 written(x.since), written(x.until), x.note, cited(x.sources)});
  }
  tables.push_back({"persons", persons.take()});

  CsvWriter acts(cells);
  acts.row({"id", "name", "name_en", "kind", "status", "since", "until", "note", "sources"});
  for (Index a : active(EntityKind::consent_act)) {
    const ConsentAct& x = m.consent_acts[a];
    acts.row({x.id, x.name, x.name_en, to_string(x.kind), to_string(x.status), written(x.since),
              written(x.until), x.note, cited(x.sources)});
  }
  tables.push_back({"consent_acts", acts.take()});

  CsvWriter assessments(cells);
  assessments.row({"id", "name", "name_en", "gap", "decision", "justification", "laws", "by", "since",
                   "until", "note", "sources"});
  for (Index a : active(EntityKind::assessment)) {
    const Assessment& x = m.assessments[a];
    assessments.row({x.id, x.name, x.name_en, x.gap, to_string(x.decision), x.justification,
                     joined_ids(x.laws), x.by, written(x.since), written(x.until), x.note, cited(x.sources)});
  }
  tables.push_back({"assessments", assessments.take()});
  return tables;
}

}  // namespace imozuru
