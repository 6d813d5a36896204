// The JSON Schema of one model file, generated from the kind table
// (model/kinds.h), so the schema can never disagree with the loader about
// which fields exist, their types, enums and required fields.
#include <nlohmann/json.hpp>

#include "export/export.h"
#include "model/kinds.h"
#include "model/model.h"

namespace imozuru {
namespace {

using json = nlohmann::ordered_json;

json def(std::string_view name) { return json{{"$ref", "#/$defs/" + std::string(name)}}; }

// `{"description": ..., rest...}`, or `rest` alone when there is no description.
json described(std::string_view description, json rest) {
  if (description.empty()) return rest;
  json out{{"description", description}};
  for (auto& [k, v] : rest.items()) out[k] = std::move(v);
  return out;
}

json field_schema(const FieldSpec& f) {
  switch (f.type) {
    case FieldType::id:
      return def("id");
    case FieldType::text:
      return described(f.description, def("text"));
    case FieldType::boolean:
      return described(f.description, json{{"type", "boolean"}});
    case FieldType::fraction:
      return described(f.description, json{{"type", "number"}, {"minimum", 0}, {"maximum", 1}});
    case FieldType::date:
      return described(f.description, def("date"));
    case FieldType::enumeration:
      if (f.values == &status_values()) return def("status");
      return described(f.description, json{{"enum", *f.values}});
    case FieldType::ref:
      return described(f.description, def("id"));
    case FieldType::refs:
      return described(f.description, json{{"type", "array"}, {"items", def("id")}});
    case FieldType::holdings:
      return described(f.description, def("holdings"));
    case FieldType::citations:
      return def("citations");
    case FieldType::dated_refs: {
      const std::string key(f.item_key);
      json entry{{"type", "object"},
                 {"properties", {{key, def("id")}, {"since", def("date")}, {"until", def("date")}}},
                 {"required", {key}},
                 {"additionalProperties", false}};
      return described(f.description, json{{"type", "array"}, {"items", {{"anyOf", {def("id"), entry}}}}});
    }
  }
  return json::object();
}

json kind_schema(const KindSpec& k) {
  json properties = json::object();
  json required = json::array();
  for (const FieldSpec& f : k.fields) {
    properties[std::string(f.name)] = field_schema(f);
    if (f.required) required.push_back(f.name);
  }
  json out{{"description", k.description},
           {"type", "object"},
           {"properties", std::move(properties)},
           {"required", std::move(required)},
           {"additionalProperties", false}};
  if (k.kind == EntityKind::identifier) {
    // docs/model-format.md: `composed_of` is required for, and only for, quasi identifiers.
    out["if"] = json{{"required", {"kind"}}, {"properties", {{"kind", {{"const", "quasi"}}}}}};
    out["then"] = json{{"required", {"composed_of"}},
                       {"properties", {{"composed_of", {{"type", "array"}, {"minItems", 1}}}}}};
    out["else"] = json{{"not", {{"required", {"composed_of"}}}}};
  }
  return out;
}

}  // namespace

std::string model_json_schema() {
  json properties{{"model", def("model")}};
  for (const KindSpec& k : entity_kinds())
    properties[std::string(k.section)] = json{{"type", "array"}, {"items", def(k.schema_name)}};

  json defs;
  defs["id"] = json{{"description", "An id: [a-z0-9][a-z0-9_.-]*, unique within its kind"},
                    {"anyOf",
                     {{{"type", "string"}, {"pattern", "^[a-z0-9][a-z0-9_.-]*$"}},
                      {{"description", "an all-digit id, which YAML reads as a number"},
                       {"type", "number"},
                       {"minimum", 0}}}}};
  defs["text"] = json{{"description", "Text (a bare YAML number or true/false is read as text too)"},
                      {"anyOf", {{{"type", "string"}}, {{"type", "number"}}, {{"type", "boolean"}}}}};
  defs["date"] =
      json{{"description", "YYYY, YYYY-MM or YYYY-MM-DD; a partial date means its first day"},
           {"anyOf",
            {{{"type", "string"}, {"pattern", "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"}},
             {{"description", "a bare year, which YAML reads as a number"},
              {"type", "integer"},
              {"minimum", 1000},
              {"maximum", 9999}}}}};
  defs["status"] = json{{"description", "operational (default), pilot, planned, proposed or abolished"},
                        {"enum", status_values()}};
  defs["citations"] = json{{"description", "Sources: source ids, or {source: ID, at: \"slide 34\"}"},
                           {"type", "array"},
                           {"items",
                            {{"anyOf",
                              {def("id"),
                               {{"type", "object"},
                                {"properties", {{"source", def("id")}, {"at", def("text")}}},
                                {"required", {"source"}},
                                {"additionalProperties", false}}}}}}};
  defs["holdings"] =
      json{{"type", "object"},
           {"properties",
            {{"identifiers", {{"description", "identifier ids"}, {"type", "array"}, {"items", def("id")}}},
             {"data", {{"description", "data item ids"}, {"type", "array"}, {"items", def("id")}}}}},
           {"additionalProperties", false}};
  defs["model"] =
      json{{"description", "The model itself (at most once in the whole model)"},
           {"type", "object"},
           {"properties",
            {{"name", def("text")},
             {"name_en",
              {{"description", "English name, for titles drawn with --lang en"}, {"$ref", "#/$defs/text"}}},
             {"description", def("text")},
             {"default_lang", {{"description", "Language of names by default"}, {"enum", {"ja", "en"}}}}}},
           {"additionalProperties", false}};
  for (const KindSpec& k : entity_kinds()) defs[std::string(k.schema_name)] = kind_schema(k);

  json root{
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"title", "imozuru model file"},
      {"description",
       "One YAML file of an imozuru model (docs/model-format.md). Checks fields, types, enums, id and date "
       "syntax; references between entities and files are checked by `imozuru validate` only."},
      {"type", "object"},
      {"properties", std::move(properties)},
      {"additionalProperties", false},
      {"$defs", std::move(defs)}};
  return root.dump(2, ' ', false) + "\n";
}

}  // namespace imozuru
