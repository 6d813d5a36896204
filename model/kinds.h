// One description of every entity kind (docs/model-format.md, "Kinds"): its
// name, its section key and its fields (name, type, required, default, the
// kind a reference points to). The loader, the validator, the JSON Schema,
// the Lua bindings and the exports are all driven by this table, so adding a
// kind or a field is one entry here plus the code that gives it meaning.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace imozuru {

struct Entity;
struct Model;
using Index = std::uint32_t;

// Every kind of entity. The first three are the kinds an analysis reference
// (`identifier:ID`, `system:ID`, `data:ID`) can name.
enum class EntityKind : std::uint8_t {
  identifier,
  system,
  data,
  flow,
  law,
  actor,
  source,
  group,
  consent_act,
  person,
  assessment
};
inline constexpr std::size_t kEntityKindCount = 11;

// How a field is written in YAML and stored in its entity.
enum class FieldType : std::uint8_t {
  id,           // std::string; the entity's own id
  text,         // std::string
  boolean,      // bool
  fraction,     // std::optional<double>, a number from 0 to 1
  date,         // std::optional<Date>
  enumeration,  // an enum whose enumerators are in the order of `values`
  ref,          // Ref when required, std::optional<Ref> otherwise; `target` kind
  refs,         // Refs (a list of ids of `target` kind)
  holdings,     // Holdings: {identifiers: [ids], data: [ids]}
  citations,    // std::vector<Citation>: source ids or {source: ID, at: "..."}
  dated_refs,   // DatedRefs: ids of `target` kind, or {ITEM_KEY: ID, since: D, until: D}
};

struct FieldSpec {
  std::string_view name;  // as written in YAML
  FieldType type = FieldType::text;
  bool required = false;
  EntityKind target = EntityKind::source;                 // ref, refs
  const std::vector<std::string_view>* values = nullptr;  // enumeration: spellings
  std::string_view item_key;                              // dated_refs: "group", "act"
  std::string_view default_value;                         // as documented; empty: none
  std::string_view description;                           // for the JSON Schema
  std::string_view member;                                // the C++ member that stores it
  // Shown (exports, Lua, reports) but given no meaning by any analysis; a
  // field that is not descriptive must be read by code outside the table
  // (tests/model/kinds_test.cc checks).
  bool descriptive = false;

  // Where the value lives in an entity of this field's kind.
  void* (*storage)(Entity&) = nullptr;
  // enumeration only: the enumerator's position in `values`, and its setter.
  std::size_t (*get_enum)(const void*) = nullptr;
  void (*set_enum)(void*, std::size_t) = nullptr;

  template <typename T>
  T& get(Entity& e) const {
    return *static_cast<T*>(storage(e));
  }
  template <typename T>
  const T& get(const Entity& e) const {
    return *static_cast<const T*>(storage(const_cast<Entity&>(e)));
  }
  // The spelling of an enumeration field's value.
  std::string_view enum_text(const Entity& e) const {
    return (*values)[get_enum(storage(const_cast<Entity&>(e)))];
  }
  bool optional_ref() const { return type == FieldType::ref && !required; }
};

struct KindSpec {
  EntityKind kind;
  std::string_view name;                      // in references and JSON: "system", "data"
  std::string_view section;                   // the top-level key: "systems", "data"
  std::string_view singular;                  // in messages: "system", "data item"
  std::string_view schema_name;               // the JSON Schema definition: "system", "data_item"
  std::string_view description;               // for the JSON Schema
  std::vector<FieldSpec> fields;              // the fields every entity has first
  std::vector<std::string_view> field_names;  // `fields`' names, in order

  // The model's entities of this kind.
  std::size_t (*count)(const Model&) = nullptr;
  Entity& (*entity)(Model&, Index) = nullptr;
  Entity& (*emplace)(Model&) = nullptr;  // appends a default entity
  void (*pop)(Model&) = nullptr;         // removes the last one
  void (*sort_by_id)(Model&) = nullptr;  // stable: the first written stays first

  const FieldSpec* field(std::string_view name) const;
  const Entity& at(const Model& m, Index i) const { return entity(const_cast<Model&>(m), i); }
};

// Every kind, in the order of the sections of docs/model-format.md (sources,
// actors, laws, identifiers, data, systems, flows, groups, consent_acts,
// persons, assessments): the order of messages.
const std::vector<KindSpec>& entity_kinds();
const KindSpec& kind_spec(EntityKind kind);
const KindSpec* kind_of_section(std::string_view section);
std::string_view to_string(EntityKind kind);  // "system"
std::optional<EntityKind> parse_entity_kind(std::string_view name);

}  // namespace imozuru
