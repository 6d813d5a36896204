// The resolved model at a date as JSON: every key always present (null when
// absent), lists sorted, keys in alphabetical order (std::map) — byte-stable.
#include <nlohmann/json.hpp>

#include "export/export.h"
#include "export/export_common.h"

namespace imozuru {
namespace {

using export_detail::sorted_ids;
using nlohmann::json;

json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json date_or_null(const std::optional<Date>& d) { return d ? json(d->written()) : json(nullptr); }
json ref_or_null(const std::optional<Ref>& r) { return r ? json(r->id) : json(nullptr); }

json entity_json(const Entity& e) {
  json sources = json::array();
  for (const Citation& c : e.sources)
    sources.push_back(json{{"source", c.source}, {"at", text_or_null(c.at)}});
  return json{{"id", e.id},
              {"name", e.name},
              {"name_en", text_or_null(e.name_en)},
              {"note", text_or_null(e.note)},
              {"sources", std::move(sources)},
              {"since", date_or_null(e.since)},
              {"until", date_or_null(e.until)},
              {"status", to_string(e.status)}};
}

json holdings_json(const Holdings& h) {
  return json{{"identifiers", sorted_ids(h.identifiers)}, {"data", sorted_ids(h.data)}};
}

json ids_json(const Model& m, const std::vector<Index>& indices, bool identifiers) {
  json out = json::array();
  for (Index i : indices) out.push_back(identifiers ? m.identifiers[i].id : m.data[i].id);
  return out;
}

}  // namespace

std::string export_json(const ModelAt& at) {
  const Model& m = at.model();
  json systems = json::array(), identifiers = json::array(), data = json::array(), flows = json::array(),
       laws = json::array(), actors = json::array(), sources = json::array();

  for (Index s : at.systems()) {
    const System& sys = m.systems[s];
    json j = entity_json(sys);
    j["sector"] = sys.sector;
    j["kind"] = to_string(sys.kind);
    j["operator"] = ref_or_null(sys.operator_);
    j["holds"] = holdings_json(sys.holds);
    j["effective_holdings"] = json{{"identifiers", ids_json(m, at.identifiers_of(s), true)},
                                   {"data", ids_json(m, at.data_of(s), false)}};
    systems.push_back(std::move(j));
  }
  for (Index i : at.identifiers()) {
    const Identifier& id = m.identifiers[i];
    json j = entity_json(id);
    j["kind"] = to_string(id.kind);
    j["issuer"] = ref_or_null(id.issuer);
    j["visible"] = id.visible;
    j["universal"] = id.universal;
    j["unique"] = id.unique;
    j["scope"] = to_string(id.scope);
    j["regulated_by"] = sorted_ids(id.regulated_by);
    j["composed_of"] = sorted_ids(id.composed_of);
    j["match_error"] = id.match_error ? json(*id.match_error) : json(nullptr);
    j["holders"] = json::array();
    for (Index s : at.holders_of_identifier(i)) j["holders"].push_back(m.systems[s].id);
    identifiers.push_back(std::move(j));
  }
  for (Index d : at.data()) {
    const DataItem& item = m.data[d];
    json j = entity_json(item);
    j["category"] = text_or_null(item.category);
    j["sensitivity"] = to_string(item.sensitivity);
    j["holders"] = json::array();
    for (Index s : at.holders_of_data(d)) j["holders"].push_back(m.systems[s].id);
    data.push_back(std::move(j));
  }
  for (Index f : at.flows()) {
    const Flow& flow = m.flows[f];
    json j = entity_json(flow);
    j["from"] = flow.from.id;
    j["to"] = flow.to.id;
    j["carries"] = holdings_json(flow.carries);
    j["key"] = ref_or_null(flow.key);
    j["basis"] = sorted_ids(flow.basis);
    j["consent"] = to_string(flow.consent);
    j["mode"] = text_or_null(flow.mode);
    j["purpose"] = text_or_null(flow.purpose);
    flows.push_back(std::move(j));
  }
  for (Index l = 0; l < m.laws.size(); ++l) {
    if (!at.law_active(l)) continue;
    json j = entity_json(m.laws[l]);
    j["article"] = text_or_null(m.laws[l].article);
    laws.push_back(std::move(j));
  }
  for (const Actor& a : m.actors) {
    if (!is_active(a, at.at(), at.include_planned())) continue;
    json j = entity_json(a);
    j["kind"] = to_string(a.kind);
    j["parent"] = ref_or_null(a.parent);
    actors.push_back(std::move(j));
  }
  // Sources are citations, not things in force: all of them, whatever the date.
  for (const Source& s : m.sources) {
    json j = entity_json(s);
    j["title"] = s.title;
    j["author"] = text_or_null(s.author);
    j["date"] = text_or_null(s.date);
    j["url"] = text_or_null(s.url);
    j["publisher"] = text_or_null(s.publisher);
    sources.push_back(std::move(j));
  }

  json model_info = nullptr;
  if (m.info)
    model_info = json{{"name", text_or_null(m.info->name)},
                      {"description", text_or_null(m.info->description)},
                      {"default_lang", to_string(m.info->default_lang)}};

  json root{{"format", "imozuru-model-at"},
            {"format_version", 1},
            {"at", at.at().iso()},
            {"include_planned", at.include_planned()},
            {"model", std::move(model_info)},
            {"systems", std::move(systems)},
            {"identifiers", std::move(identifiers)},
            {"data", std::move(data)},
            {"flows", std::move(flows)},
            {"laws", std::move(laws)},
            {"actors", std::move(actors)},
            {"sources", std::move(sources)}};
  // Invalid UTF-8 becomes U+FFFD rather than an exception half-way through.
  return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace imozuru
