#include "export/export_common.h"

#include <algorithm>
#include <sstream>

#include "model/sort_unique.h"
#include "output/labels.h"
#include "text/join.h"

namespace imozuru::export_detail {
namespace {

bool refs_contain(const Refs& refs, Index index) {
  return std::any_of(refs.begin(), refs.end(), [&](const Ref& r) { return r.index == index; });
}

template <typename Carried>
HoldingOrigin origin(const ModelAt& at, Index system, Index item, Carried carried_list) {
  const Model& m = at.model();
  if (refs_contain(carried_list(m.systems[system].holds), item)) return HoldingOrigin::declared;
  for (Index f : at.flows_in(system))
    if (refs_contain(carried_list(m.flows[f].carries), item)) return HoldingOrigin::received;
  return HoldingOrigin::derived;
}

}  // namespace

std::string_view to_string(HoldingOrigin o) {
  switch (o) {
    case HoldingOrigin::declared:
      return "declared";
    case HoldingOrigin::received:
      return "received";
    case HoldingOrigin::derived:
      return "derived";
  }
  return "";
}

HoldingOrigin identifier_origin(const ModelAt& at, Index system, Index identifier) {
  return origin(at, system, identifier, [](const Holdings& h) -> const Refs& { return h.identifiers; });
}

HoldingOrigin data_origin(const ModelAt& at, Index system, Index data) {
  return origin(at, system, data, [](const Holdings& h) -> const Refs& { return h.data; });
}

std::vector<std::string> sorted_ids(const Refs& refs) {
  std::vector<std::string> ids;
  ids.reserve(refs.size());
  for (const Ref& r : refs) ids.push_back(r.id);
  sort_unique(ids);
  return ids;
}

std::string joined_ids(const Refs& refs) { return text::join(sorted_ids(refs), ";"); }

std::string ref_id(const std::optional<Ref>& ref) { return ref ? ref->id : std::string(); }

std::string written(const std::optional<Date>& date) { return date ? date->written() : std::string(); }

std::string bool_text(bool value) { return value ? "true" : "false"; }

std::string number_text(const std::optional<double>& value) {
  if (!value) return "";
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out << *value;
  return out.str();
}

std::string_view graphml_type(AttrType t) {
  switch (t) {
    case AttrType::boolean:
      return "boolean";
    case AttrType::integer:
      return "int";
    case AttrType::real:
      return "double";
    case AttrType::text:
      return "string";
  }
  return "string";
}

std::string_view gexf_type(AttrType t) {
  switch (t) {
    case AttrType::boolean:
      return "boolean";
    case AttrType::integer:
      return "integer";
    case AttrType::real:
      return "double";
    case AttrType::text:
      return "string";
  }
  return "string";
}

const std::vector<AttrDef>& node_attrs() {
  using T = AttrType;
  static const std::vector<AttrDef> attrs = {
      {"kind", T::text},        {"ref", T::text},         {"label", T::text},
      {"name", T::text},        {"name_en", T::text},     {"holder", T::text},
      {"type", T::text},        {"sector", T::text},      {"sector_label", T::text},
      {"operator", T::text},    {"category", T::text},    {"sensitivity", T::text},
      {"scope", T::text},       {"visible", T::boolean},  {"universal", T::boolean},
      {"unique", T::boolean},   {"issuer", T::text},      {"regulated_by", T::text},
      {"composed_of", T::text}, {"match_error", T::real}, {"holders", T::integer},
      {"status", T::text},      {"since", T::text},       {"until", T::text},
      {"note", T::text},
  };
  return attrs;
}

const std::vector<AttrDef>& edge_attrs() {
  using T = AttrType;
  static const std::vector<AttrDef> attrs = {
      {"relation", T::text},     {"holding", T::text},
      {"ref", T::text},          {"label", T::text},
      {"name", T::text},         {"name_en", T::text},
      {"consent", T::text},      {"basis", T::text},
      {"key", T::text},          {"carries_identifiers", T::text},
      {"carries_data", T::text}, {"mode", T::text},
      {"purpose", T::text},      {"status", T::text},
      {"since", T::text},        {"until", T::text},
      {"note", T::text},
  };
  return attrs;
}

namespace {

AttrType type_in(const std::vector<AttrDef>& table, std::string_view name) {
  for (const AttrDef& a : table)
    if (a.name == name) return a.type;
  return AttrType::text;
}

// Adds name=value unless the value is empty (an absent optional field).
void put(AttrValues& out, std::string_view name, std::string value) {
  if (!value.empty()) out.push_back({name, std::move(value)});
}

void put_names(AttrValues& out, const Entity& e, Lang lang) {
  put(out, "label", e.display_name(lang));
  put(out, "name", e.name);
  put(out, "name_en", e.name_en);
}

void put_dates(AttrValues& out, const Entity& e) {
  put(out, "status", std::string(to_string(e.status)));
  put(out, "since", written(e.since));
  put(out, "until", written(e.until));
  put(out, "note", e.note);
}

void put_identifier(AttrValues& out, const Identifier& id) {
  put(out, "type", std::string(to_string(id.kind)));
  put(out, "scope", std::string(to_string(id.scope)));
  put(out, "visible", bool_text(id.visible));
  put(out, "universal", bool_text(id.universal));
  put(out, "unique", bool_text(id.unique));
  put(out, "issuer", ref_id(id.issuer));
  put(out, "regulated_by", joined_ids(id.regulated_by));
  put(out, "composed_of", joined_ids(id.composed_of));
  put(out, "match_error", number_text(id.match_error));
}

}  // namespace

AttrType node_attr_type(std::string_view name) { return type_in(node_attrs(), name); }
AttrType edge_attr_type(std::string_view name) { return type_in(edge_attrs(), name); }

std::string system_node_id(const Model& m, Index s) { return "system:" + m.systems[s].id; }
std::string identifier_node_id(const Model& m, Index i) { return "identifier:" + m.identifiers[i].id; }
std::string holder_node_id(const Model& m, Index s, Index i) {
  return "holder:" + m.systems[s].id + ":" + m.identifiers[i].id;
}
std::string data_node_id(const Model& m, Index d) { return "data:" + m.data[d].id; }
std::string holds_identifier_edge_id(const Model& m, Index s, Index i) {
  return "holds:" + m.systems[s].id + ":identifier:" + m.identifiers[i].id;
}
std::string holds_data_edge_id(const Model& m, Index s, Index d) {
  return "holds:" + m.systems[s].id + ":data:" + m.data[d].id;
}
std::string flow_edge_id(const Model& m, Index f) { return "flow:" + m.flows[f].id; }

AttrValues system_attrs(const Model& m, Index s, Lang lang) {
  const System& sys = m.systems[s];
  AttrValues out;
  put(out, "kind", "system");
  put(out, "ref", system_node_id(m, s));
  put_names(out, sys, lang);
  put(out, "type", std::string(to_string(sys.kind)));
  put(out, "sector", sys.sector);
  put(out, "sector_label", sector_label(sys.sector, lang));
  put(out, "operator", ref_id(sys.operator_));
  put_dates(out, sys);
  return out;
}

AttrValues identifier_attrs(const Model& m, Index i, Lang lang) {
  const Identifier& id = m.identifiers[i];
  AttrValues out;
  put(out, "kind", "identifier");
  put(out, "ref", identifier_node_id(m, i));
  put_names(out, id, lang);
  put_identifier(out, id);
  put_dates(out, id);
  return out;
}

AttrValues holder_attrs(const Model& m, Index s, Index i, Lang lang) {
  const Identifier& id = m.identifiers[i];
  AttrValues out;
  put(out, "kind", "holder");
  put(out, "ref", identifier_node_id(m, i));
  put_names(out, id, lang);
  put(out, "holder", m.systems[s].id);
  put_identifier(out, id);
  put_dates(out, id);
  return out;
}

AttrValues data_attrs(const Model& m, Index d, Lang lang) {
  const DataItem& item = m.data[d];
  AttrValues out;
  put(out, "kind", "data");
  put(out, "ref", data_node_id(m, d));
  put_names(out, item, lang);
  put(out, "category", item.category);
  put(out, "sensitivity", std::string(to_string(item.sensitivity)));
  put_dates(out, item);
  return out;
}

AttrValues flow_attrs(const Model& m, Index f, Lang lang) {
  const Flow& flow = m.flows[f];
  AttrValues out;
  put(out, "relation", "flow");
  put(out, "ref", flow_edge_id(m, f));
  put_names(out, flow, lang);
  put(out, "consent", std::string(to_string(flow.consent)));
  put(out, "basis", joined_ids(flow.basis));
  put(out, "key", ref_id(flow.key));
  put(out, "carries_identifiers", joined_ids(flow.carries.identifiers));
  put(out, "carries_data", joined_ids(flow.carries.data));
  put(out, "mode", flow.mode);
  put(out, "purpose", flow.purpose);
  put_dates(out, flow);
  return out;
}

AttrValues holds_attrs() { return {{"relation", "holds"}}; }

}  // namespace imozuru::export_detail
