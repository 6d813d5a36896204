// Helpers shared by the exports (not part of the public API).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/as_of.h"
#include "model/model.h"

namespace imozuru::export_detail {

// How a system came to hold an item at the date.
enum class HoldingOrigin { declared, received, derived };
std::string_view to_string(HoldingOrigin);
// `declared` in `holds`, `received` through an active flow into it, or
// `derived` (a quasi identifier whose components it holds).
HoldingOrigin identifier_origin(const ModelAt& at, Index system, Index identifier);
HoldingOrigin data_origin(const ModelAt& at, Index system, Index data);

// The ids of `refs`, sorted and without repeats.
std::vector<std::string> sorted_ids(const Refs& refs);
// The same, joined with ";" (for one CSV / GraphML cell).
std::string joined_ids(const Refs& refs);
std::string ref_id(const std::optional<Ref>& ref);            // "" when absent
std::string written(const std::optional<Date>& date);         // "" when absent
std::string bool_text(bool value);                            // "true" / "false"
std::string number_text(const std::optional<double>& value);  // "" when absent

// --- The graph exports (GraphML, GEXF): one attribute table for both -----------
// Attribute types as GraphML's attr.type and GEXF's attribute type name them.
enum class AttrType { boolean, integer, real, text };
std::string_view graphml_type(AttrType);  // boolean, int, double, string
std::string_view gexf_type(AttrType);     // boolean, integer, double, string
struct AttrDef {
  std::string_view name;
  AttrType type;
};
// Every node attribute and every edge attribute, in the order they are written.
const std::vector<AttrDef>& node_attrs();
const std::vector<AttrDef>& edge_attrs();
AttrType node_attr_type(std::string_view name);
AttrType edge_attr_type(std::string_view name);

// The attributes of one node or edge that apply to it, in table order, as
// plain text (not escaped; booleans "true"/"false", numbers in C locale). An
// absent optional value (no name_en, no since, no note) is left out.
struct AttrValue {
  std::string_view name;
  std::string value;
};
using AttrValues = std::vector<AttrValue>;

// Node ids are the references the command line takes (system:ID,
// identifier:ID, data:ID); a holder-scoped identifier, a different value in
// each holder that joins nothing, is one node per holder, holder:SYSTEM:ID,
// as in the linkage view (render/diagram.cc).
std::string system_node_id(const Model& m, Index s);
std::string identifier_node_id(const Model& m, Index i);  // global identifiers
std::string holder_node_id(const Model& m, Index s, Index i);
std::string data_node_id(const Model& m, Index d);
// Edge ids: holds:SYSTEM:identifier:ID, holds:SYSTEM:data:ID, flow:ID.
std::string holds_identifier_edge_id(const Model& m, Index s, Index i);
std::string holds_data_edge_id(const Model& m, Index s, Index d);
std::string flow_edge_id(const Model& m, Index f);

AttrValues system_attrs(const Model& m, Index s, Lang lang);
AttrValues identifier_attrs(const Model& m, Index i, Lang lang);
// A holder-scoped identifier in one holder: kind "holder", `holder` the system.
AttrValues holder_attrs(const Model& m, Index s, Index i, Lang lang);
AttrValues data_attrs(const Model& m, Index d, Lang lang);
AttrValues flow_attrs(const Model& m, Index f, Lang lang);
// A holding edge: relation "holds" (its origin, `holding`, depends on the date).
AttrValues holds_attrs();

}  // namespace imozuru::export_detail
