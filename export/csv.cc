// CSV tables (RFC 4180) for spreadsheets: one row per active entity, plus a
// holdings table with one row per (system, item) of the effective holdings.
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

}  // namespace

const std::vector<std::string_view>& csv_table_names() {
  static const std::vector<std::string_view> names{"systems", "identifiers", "data", "flows", "holdings"};
  return names;
}

std::vector<CsvTable> export_csv_tables(const ModelAt& at, CsvCells cells) {
  const Model& m = at.model();
  std::vector<CsvTable> tables;

  CsvWriter systems(cells);
  systems.row({"id", "name", "name_en", "sector", "kind", "operator", "status", "since", "until", "note"});
  for (Index s : at.systems()) {
    const System& x = m.systems[s];
    systems.row({x.id, x.name, x.name_en, x.sector, to_string(x.kind), ref_id(x.operator_), to_string(x.status),
                 written(x.since), written(x.until), x.note});
  }
  tables.push_back({"systems", systems.take()});

  CsvWriter identifiers(cells);
  identifiers.row({"id", "name", "name_en", "kind", "scope", "visible", "universal", "unique", "issuer",
                   "regulated_by", "composed_of", "match_error", "status", "since", "until", "note"});
  for (Index i : at.identifiers()) {
    const Identifier& x = m.identifiers[i];
    identifiers.row({x.id, x.name, x.name_en, to_string(x.kind), to_string(x.scope), bool_text(x.visible),
                     bool_text(x.universal), bool_text(x.unique), ref_id(x.issuer), joined_ids(x.regulated_by),
                     joined_ids(x.composed_of), number_text(x.match_error), to_string(x.status), written(x.since),
                     written(x.until), x.note});
  }
  tables.push_back({"identifiers", identifiers.take()});

  CsvWriter data(cells);
  data.row({"id", "name", "name_en", "category", "sensitivity", "status", "since", "until", "note"});
  for (Index d : at.data()) {
    const DataItem& x = m.data[d];
    data.row({x.id, x.name, x.name_en, x.category, to_string(x.sensitivity), to_string(x.status), written(x.since),
              written(x.until), x.note});
  }
  tables.push_back({"data", data.take()});

  CsvWriter flows(cells);
  flows.row({"id", "name", "name_en", "from", "to", "carries_identifiers", "carries_data", "key", "basis", "consent",
             "mode", "purpose", "status", "since", "until", "note"});
  for (Index f : at.flows()) {
    const Flow& x = m.flows[f];
    flows.row({x.id, x.name, x.name_en, x.from.id, x.to.id, joined_ids(x.carries.identifiers),
               joined_ids(x.carries.data), ref_id(x.key), joined_ids(x.basis), to_string(x.consent), x.mode,
               x.purpose, to_string(x.status), written(x.since), written(x.until), x.note});
  }
  tables.push_back({"flows", flows.take()});

  CsvWriter holdings(cells);
  holdings.row({"system", "kind", "item", "holding"});
  for (Index s : at.systems()) {
    for (Index i : at.identifiers_of(s))
      holdings.row({m.systems[s].id, "identifier", m.identifiers[i].id, to_string(identifier_origin(at, s, i))});
    for (Index d : at.data_of(s))
      holdings.row({m.systems[s].id, "data", m.data[d].id, to_string(data_origin(at, s, d))});
  }
  tables.push_back({"holdings", holdings.take()});
  return tables;
}

}  // namespace imozuru
