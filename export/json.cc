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

// Every field of an entity, as the kind table describes it: a field that is
// not written is null (or an empty list), so every key is always present.
json entity_json(EntityKind kind, const Entity& e) {
  json j = json::object();
  for (const FieldSpec& f : kind_spec(kind).fields) {
    const std::string key(f.name);
    switch (f.type) {
      case FieldType::id:
        j[key] = e.id;
        break;
      case FieldType::text: {
        const std::string& text = f.get<std::string>(e);
        j[key] = f.required ? json(text) : text_or_null(text);
        break;
      }
      case FieldType::boolean:
        j[key] = f.get<bool>(e);
        break;
      case FieldType::fraction: {
        const auto& x = f.get<std::optional<double>>(e);
        j[key] = x ? json(*x) : json(nullptr);
        break;
      }
      case FieldType::date: {
        const auto& d = f.get<std::optional<Date>>(e);
        j[key] = d ? json(d->written()) : json(nullptr);
        break;
      }
      case FieldType::enumeration:
        j[key] = f.enum_text(e);
        break;
      case FieldType::ref:
        if (f.optional_ref()) {
          const auto& r = f.get<std::optional<Ref>>(e);
          j[key] = r ? json(r->id) : json(nullptr);
        } else {
          j[key] = f.get<Ref>(e).id;
        }
        break;
      case FieldType::refs:
        j[key] = sorted_ids(f.get<Refs>(e));
        break;
      case FieldType::holdings: {
        const Holdings& h = f.get<Holdings>(e);
        j[key] = json{{"identifiers", sorted_ids(h.identifiers)}, {"data", sorted_ids(h.data)}};
        break;
      }
      case FieldType::dated_refs: {
        json list = json::array();
        for (const DatedRef& d : f.get<DatedRefs>(e))
          list.push_back(json{{std::string(f.item_key), d.ref.id},
                              {"since", d.since ? json(d.since->written()) : json(nullptr)},
                              {"until", d.until ? json(d.until->written()) : json(nullptr)}});
        j[key] = std::move(list);
        break;
      }
      case FieldType::citations: {
        json sources = json::array();
        for (const Citation& c : e.sources)
          sources.push_back(json{{"source", c.source}, {"at", text_or_null(c.at)}});
        j[key] = std::move(sources);
        break;
      }
    }
  }
  return j;
}

json ids_json(const Model& m, IndexSpan indices, bool identifiers) {
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
    json j = entity_json(EntityKind::system, m.systems[s]);
    j["effective_holdings"] = json{{"identifiers", ids_json(m, at.identifiers_of(s), true)},
                                   {"data", ids_json(m, at.data_of(s), false)}};
    systems.push_back(std::move(j));
  }
  for (Index i : at.identifiers()) {
    json j = entity_json(EntityKind::identifier, m.identifiers[i]);
    j["holders"] = json::array();
    for (Index s : at.holders_of_identifier(i)) j["holders"].push_back(m.systems[s].id);
    identifiers.push_back(std::move(j));
  }
  for (Index d : at.data()) {
    json j = entity_json(EntityKind::data, m.data[d]);
    j["holders"] = json::array();
    for (Index s : at.holders_of_data(d)) j["holders"].push_back(m.systems[s].id);
    data.push_back(std::move(j));
  }
  for (Index f : at.flows()) flows.push_back(entity_json(EntityKind::flow, m.flows[f]));
  for (Index l = 0; l < m.laws.size(); ++l)
    if (at.law_active(l)) laws.push_back(entity_json(EntityKind::law, m.laws[l]));
  for (Index a = 0; a < m.actors.size(); ++a)
    if (at.active(EntityKind::actor, a)) actors.push_back(entity_json(EntityKind::actor, m.actors[a]));
  // Sources are citations, not things in force: all of them, whatever the date.
  for (const Source& s : m.sources) sources.push_back(entity_json(EntityKind::source, s));

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
  // The model for a person (docs/model-format.md): only what concerns them.
  if (at.person() != kNone) root["person"] = m.persons[at.person()].id;
  // Invalid UTF-8 becomes U+FFFD rather than an exception half-way through.
  return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace imozuru
