// GraphML through Boost.Graph: one dynamic_properties names every attribute,
// and write_graphml does the XML (the same map reads it back in the tests).
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphml.hpp>
#include <boost/property_map/dynamic_property_map.hpp>
#include <sstream>

#include "export/export.h"
#include "export/export_common.h"
#include "text/escape.h"

namespace imozuru {
namespace {

using namespace export_detail;
using text::xml_safe;  // the one rule for XML output: what XML 1.0 forbids becomes U+FFFD

// Every attribute is a string: GraphML booleans written as 1/0 are misread by
// some importers, and an absent date or number must stay absent ("").
struct VertexAttrs {
  std::string kind, ref, label, name, name_en, type, sector, operator_, category, sensitivity, scope, visible,
      universal, unique, issuer, regulated_by, composed_of, match_error, status, since, until, note;
};
struct EdgeAttrs {
  std::string relation, ref, label, name, name_en, holding, consent, key, basis, carries_identifiers,
      carries_data, mode, purpose, status, since, until, note;
};
using ExportGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, VertexAttrs, EdgeAttrs>;

void set_entity(VertexAttrs& v, const Entity& e, std::string_view kind, Lang lang) {
  v.kind = std::string(kind);
  v.ref = std::string(kind) + ":" + e.id;
  v.label = xml_safe(e.display_name(lang));
  v.name = xml_safe(e.name);
  v.name_en = xml_safe(e.name_en);
  v.status = std::string(to_string(e.status));
  v.since = written(e.since);
  v.until = written(e.until);
  v.note = xml_safe(e.note);
}

void set_entity(EdgeAttrs& a, const Entity& e, Lang lang) {
  a.label = xml_safe(e.display_name(lang));
  a.name = xml_safe(e.name);
  a.name_en = xml_safe(e.name_en);
  a.status = std::string(to_string(e.status));
  a.since = written(e.since);
  a.until = written(e.until);
  a.note = xml_safe(e.note);
}

}  // namespace

std::string export_graphml(const ModelAt& at, Lang lang) {
  const Model& m = at.model();
  ExportGraph g;
  // Vertex of each active entity, by kind then id (ModelAt lists are by id).
  std::vector<ExportGraph::vertex_descriptor> system_vertex(m.systems.size()),
      identifier_vertex(m.identifiers.size()), data_vertex(m.data.size());

  for (Index s : at.systems()) {
    const System& sys = m.systems[s];
    VertexAttrs v;
    set_entity(v, sys, "system", lang);
    v.type = std::string(to_string(sys.kind));
    v.sector = xml_safe(sys.sector);
    v.operator_ = ref_id(sys.operator_);
    system_vertex[s] = boost::add_vertex(std::move(v), g);
  }
  for (Index i : at.identifiers()) {
    const Identifier& id = m.identifiers[i];
    VertexAttrs v;
    set_entity(v, id, "identifier", lang);
    v.type = std::string(to_string(id.kind));
    v.scope = std::string(to_string(id.scope));
    v.visible = bool_text(id.visible);
    v.universal = bool_text(id.universal);
    v.unique = bool_text(id.unique);
    v.issuer = ref_id(id.issuer);
    v.regulated_by = joined_ids(id.regulated_by);
    v.composed_of = joined_ids(id.composed_of);
    v.match_error = number_text(id.match_error);
    identifier_vertex[i] = boost::add_vertex(std::move(v), g);
  }
  for (Index d : at.data()) {
    const DataItem& item = m.data[d];
    VertexAttrs v;
    set_entity(v, item, "data", lang);
    v.category = xml_safe(item.category);
    v.sensitivity = std::string(to_string(item.sensitivity));
    data_vertex[d] = boost::add_vertex(std::move(v), g);
  }

  for (Index s : at.systems()) {
    for (Index i : at.identifiers_of(s)) {
      EdgeAttrs e;
      e.relation = "holds";
      e.holding = std::string(to_string(identifier_origin(at, s, i)));
      boost::add_edge(system_vertex[s], identifier_vertex[i], std::move(e), g);
    }
    for (Index d : at.data_of(s)) {
      EdgeAttrs e;
      e.relation = "holds";
      e.holding = std::string(to_string(data_origin(at, s, d)));
      boost::add_edge(system_vertex[s], data_vertex[d], std::move(e), g);
    }
  }
  for (Index f : at.flows()) {
    const Flow& flow = m.flows[f];
    EdgeAttrs e;
    e.relation = "flow";
    e.ref = "flow:" + flow.id;
    set_entity(e, flow, lang);
    e.consent = std::string(to_string(flow.consent));
    e.key = ref_id(flow.key);
    e.basis = joined_ids(flow.basis);
    e.carries_identifiers = joined_ids(flow.carries.identifiers);
    e.carries_data = joined_ids(flow.carries.data);
    e.mode = xml_safe(flow.mode);
    e.purpose = xml_safe(flow.purpose);
    boost::add_edge(system_vertex[flow.from.index], system_vertex[flow.to.index], std::move(e), g);
  }

  std::string graph_at = at.at().iso();
  std::string graph_planned = bool_text(at.include_planned());
  std::string graph_lang(to_string(lang));
  std::string graph_model = xml_safe(m.model_name());
  boost::dynamic_properties dp;
  dp.property("at", boost::ref_property_map<ExportGraph*, std::string>(graph_at));
  dp.property("include_planned", boost::ref_property_map<ExportGraph*, std::string>(graph_planned));
  dp.property("lang", boost::ref_property_map<ExportGraph*, std::string>(graph_lang));
  dp.property("model", boost::ref_property_map<ExportGraph*, std::string>(graph_model));
  std::string graph_person = at.person() == kNone ? "" : m.persons[at.person()].id;
  if (at.person() != kNone)
    dp.property("person", boost::ref_property_map<ExportGraph*, std::string>(graph_person));
#define IMOZURU_VERTEX_ATTR(field, name) dp.property(name, boost::get(&VertexAttrs::field, g))
  IMOZURU_VERTEX_ATTR(kind, "kind");
  IMOZURU_VERTEX_ATTR(ref, "ref");
  IMOZURU_VERTEX_ATTR(label, "label");
  IMOZURU_VERTEX_ATTR(name, "name");
  IMOZURU_VERTEX_ATTR(name_en, "name_en");
  IMOZURU_VERTEX_ATTR(type, "type");
  IMOZURU_VERTEX_ATTR(sector, "sector");
  IMOZURU_VERTEX_ATTR(operator_, "operator");
  IMOZURU_VERTEX_ATTR(category, "category");
  IMOZURU_VERTEX_ATTR(sensitivity, "sensitivity");
  IMOZURU_VERTEX_ATTR(scope, "scope");
  IMOZURU_VERTEX_ATTR(visible, "visible");
  IMOZURU_VERTEX_ATTR(universal, "universal");
  IMOZURU_VERTEX_ATTR(unique, "unique");
  IMOZURU_VERTEX_ATTR(issuer, "issuer");
  IMOZURU_VERTEX_ATTR(regulated_by, "regulated_by");
  IMOZURU_VERTEX_ATTR(composed_of, "composed_of");
  IMOZURU_VERTEX_ATTR(match_error, "match_error");
  IMOZURU_VERTEX_ATTR(status, "status");
  IMOZURU_VERTEX_ATTR(since, "since");
  IMOZURU_VERTEX_ATTR(until, "until");
  IMOZURU_VERTEX_ATTR(note, "note");
#undef IMOZURU_VERTEX_ATTR
#define IMOZURU_EDGE_ATTR(field, name) dp.property(name, boost::get(&EdgeAttrs::field, g))
  IMOZURU_EDGE_ATTR(relation, "relation");
  IMOZURU_EDGE_ATTR(ref, "ref");
  IMOZURU_EDGE_ATTR(label, "label");
  IMOZURU_EDGE_ATTR(name, "name");
  IMOZURU_EDGE_ATTR(name_en, "name_en");
  IMOZURU_EDGE_ATTR(holding, "holding");
  IMOZURU_EDGE_ATTR(consent, "consent");
  IMOZURU_EDGE_ATTR(key, "key");
  IMOZURU_EDGE_ATTR(basis, "basis");
  IMOZURU_EDGE_ATTR(carries_identifiers, "carries_identifiers");
  IMOZURU_EDGE_ATTR(carries_data, "carries_data");
  IMOZURU_EDGE_ATTR(mode, "mode");
  IMOZURU_EDGE_ATTR(purpose, "purpose");
  IMOZURU_EDGE_ATTR(status, "status");
  IMOZURU_EDGE_ATTR(since, "since");
  IMOZURU_EDGE_ATTR(until, "until");
  IMOZURU_EDGE_ATTR(note, "note");
#undef IMOZURU_EDGE_ATTR

  std::ostringstream out;
  boost::write_graphml(out, g, dp, /*ordered_vertices=*/true);
  return out.str();
}

}  // namespace imozuru
