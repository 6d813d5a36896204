// `model`: entity tables, effective holdings, flows and the analyses, as
// methods of a userdata that holds a ModelAt (liolib's named-metatable shape).
#include <chrono>
#include <cstring>
#include <memory>
#include <string_view>

#include "model/as_of.h"
#include "model/chains.h"
#include "model/diagnostics.h"
#include "model/diff.h"
#include "model/downstream.h"
#include "model/gaps.h"
#include "model/linkage_graph.h"
#include "model/person.h"
#include "model/reach.h"
#include "output/legal_text.h"
#include "output/person_output.h"
#include "query/bindings.h"
#include "query/lua_support.h"
#include "query/result_tables.h"
#include "query/sandbox.h"
#include "render/render.h"

namespace imozuru::query {
namespace {

constexpr const char* kModelMeta = "imozuru.Model";

struct ModelHandle {
  const Model* model;
  ModelAt at;
  std::unique_ptr<LinkageGraph> graph;  // built on first use
  ModelHandle(const Model& m, Date d, bool planned, Index person = kNone, std::vector<Index> withdrawn = {})
      : model(&m), at(m, d, planned, person, std::move(withdrawn)) {}
};

ModelHandle* check_model(lua_State* L, int index = 1) {
  auto* box = static_cast<Boxed<ModelHandle>*>(luaL_checkudata(L, index, kModelMeta));
  if (!box->header.destroy) luaL_argerror(L, index, "model is not open");
  return &box->value;
}

ModelHandle* new_model(lua_State* L, const Model& model, const Date& at, bool include_planned,
                       Index person = kNone, std::vector<Index> withdrawn = {}) {
  return new_box<ModelHandle>(L, kModelMeta, model, at, include_planned, person, std::move(withdrawn));
}

const LinkageGraph* linkage(lua_State* L, ModelHandle* h) {
  ErrorText error;
  if (!h->graph && !cxx(error, [&] { h->graph = std::make_unique<LinkageGraph>(h->at); }))
    luaL_error(L, "%s", error.text);
  return h->graph.get();
}

// ---- references: "kind:id", a bare id where the kind is implied, or an entity table

constexpr int kNoKind = -1;

struct RefArg {
  EntityKind kind = EntityKind::system;
  const char* id = nullptr;  // points into a Lua string kept on the stack
  size_t len = 0;
  Index index = kNone;
};

// Fills the runtime's bad_reference text and raises it (exit 2 when uncaught).
[[noreturn]] void raise_unknown(lua_State* L, const Model& m, EntityKind kind, const char* id, size_t len) {
  Runtime& rt = runtime_of(L);
  ErrorText error;
  cxx(error, [&] {
    std::vector<std::string_view> ids = m.ids(kind);
    std::string_view best = closest_match(std::string_view(id, len), ids);
    const char* name = to_string(kind).data();  // the kind table's names are literals
    if (best.empty())
      std::snprintf(rt.bad_reference, sizeof rt.bad_reference, "no %s '%.*s' in the model", name, int(len),
                    id);
    else
      std::snprintf(rt.bad_reference, sizeof rt.bad_reference,
                    "no %s '%.*s' in the model (did you mean '%s:%.*s'?)", name, int(len), id, name,
                    int(best.size()), best.data());
  });
  if (error.failed()) std::snprintf(rt.bad_reference, sizeof rt.bad_reference, "%s", error.text);
  luaL_error(L, "%s", rt.bad_reference);
  std::abort();
}

[[noreturn]] void raise_malformed(lua_State* L, const char* text) {
  Runtime& rt = runtime_of(L);
  std::snprintf(rt.bad_reference, sizeof rt.bad_reference,
                "'%.200s' is not a reference; write identifier:ID, system:ID or data:ID", text);
  luaL_error(L, "%s", rt.bad_reference);
  std::abort();
}

// Reads the reference at `index` (made absolute). `implied` is the kind of a
// bare id (kNoKind: a kind is required). `allowed` is a bit set of kinds.
// With `must_exist`, an unknown entity raises; otherwise index is kNone.
RefArg check_ref(lua_State* L, int index, int implied, unsigned allowed, const Model& m,
                 bool must_exist = true) {
  index = lua_absindex(L, index);
  if (lua_type(L, index) == LUA_TTABLE) {  // an entity table: its `ref` field
    if (lua_getfield(L, index, "ref") != LUA_TSTRING)
      luaL_argerror(L, index, "an entity table needs a string field 'ref' (\"system:ID\")");
    lua_replace(L, index);
  }
  if (lua_type(L, index) != LUA_TSTRING)
    luaL_argerror(L, index, lua_pushfstring(L, "reference expected, got %s", luaL_typename(L, index)));
  size_t len;
  const char* text = lua_tolstring(L, index, &len);
  RefArg ref;
  const char* colon = static_cast<const char*>(std::memchr(text, ':', len));
  if (colon) {
    auto kind = parse_entity_kind(std::string_view(text, colon - text));
    if (!kind) raise_malformed(L, text);
    ref.kind = *kind;
    ref.id = colon + 1;
    ref.len = len - (colon + 1 - text);
  } else {
    if (implied == kNoKind) raise_malformed(L, text);
    ref.kind = EntityKind(implied);
    ref.id = text;
    ref.len = len;
  }
  if (!(allowed & (1u << unsigned(ref.kind)))) {
    luaL_argerror(L, index,
                  lua_pushfstring(L, "a %s reference is not accepted here", to_string(ref.kind).data()));
  }
  ref.index = m.find(ref.kind, std::string_view(ref.id, ref.len));
  if (ref.index == kNone && must_exist) raise_unknown(L, m, ref.kind, ref.id, ref.len);
  return ref;
}

constexpr unsigned bit(EntityKind k) { return 1u << unsigned(k); }
constexpr unsigned kAnyKind = (1u << kEntityKindCount) - 1;
constexpr unsigned kAnalysisKinds =
    bit(EntityKind::identifier) | bit(EntityKind::system) | bit(EntityKind::data);

// ---- options tables

// Raises on a key not in `known` (a typo must not pass silently).
void check_options(lua_State* L, int index, const char* function, std::initializer_list<const char*> known) {
  if (lua_isnoneornil(L, index)) return;
  luaL_checktype(L, index, LUA_TTABLE);
  index = lua_absindex(L, index);
  lua_pushnil(L);
  while (lua_next(L, index)) {
    lua_pop(L, 1);
    bool ok = false;
    if (lua_type(L, -1) == LUA_TSTRING)
      for (const char* k : known) ok = ok || std::strcmp(k, lua_tostring(L, -1)) == 0;
    if (!ok) {
      lua_pushvalue(L, -1);
      luaL_error(L, "%s: unknown option '%s'", function, luaL_tolstring(L, -1, nullptr));
    }
  }
}

// Pushes opts[key] (nil when opts is absent).
int get_option(lua_State* L, int index, const char* key) {
  if (lua_type(L, index) != LUA_TTABLE) {
    lua_pushnil(L);
    return LUA_TNIL;
  }
  return lua_getfield(L, index, key);
}

Date check_date(lua_State* L, int index, const char* what) {
  const char* text = luaL_checkstring(L, index);
  auto date = Date::parse(text);
  if (!date) luaL_error(L, "%s: '%s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", what, text);
  return *date;
}

// The person named at `index` (a `persons` id), checked at the date: an
// unknown person or one not active then raises a bad reference (exit 2 when
// uncaught), as --person does.
Index check_person(lua_State* L, int index, const Model& m, const Date& at, bool planned,
                   const char* function) {
  size_t len;
  const char* id = luaL_checklstring(L, index, &len);
  Runtime& rt = runtime_of(L);
  ErrorText error;
  Index person = kNone;
  bool looked_up = false;
  {
    // Everything with a destructor ends in this block: luaL_error longjmps.
    PersonLookup found;
    looked_up = cxx(error, [&] { found = find_person_at(m, std::string_view(id, len), at, planned); });
    if (looked_up) {
      person = found.person;
      if (person == kNone)
        std::snprintf(rt.bad_reference, sizeof rt.bad_reference, "%s: %s", function, found.error.c_str());
    }
  }
  if (!looked_up) luaL_error(L, "%s", error.text);
  if (person != kNone) return person;
  luaL_error(L, "%s", rt.bad_reference);
  std::abort();
}

// The handle an analysis runs on: `self`, or a new one when opts.at,
// opts.include_planned or opts.person asks for another date or person (left
// on the stack). A new date keeps the handle's person, who must be active then.
ModelHandle* handle_for(lua_State* L, ModelHandle* self, int opts, const char* function) {
  Date at = self->at.at();
  bool planned = self->at.include_planned();
  Index person = self->at.person();
  bool other = false;
  if (get_option(L, opts, "at") != LUA_TNIL) {
    at = check_date(L, -1, function);
    other = true;
  }
  lua_pop(L, 1);
  if (get_option(L, opts, "include_planned") != LUA_TNIL) {
    planned = lua_toboolean(L, -1);
    other = true;
  }
  lua_pop(L, 1);
  if (get_option(L, opts, "person") == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
    person = kNone;  // person = false: everyone
    other = true;
  } else if (!lua_isnil(L, -1)) {
    person = check_person(L, -1, *self->model, at, planned, function);
    other = true;
  } else if (other && person != kNone) {
    lua_pushstring(L, self->model->persons[person].id.c_str());
    check_person(L, -1, *self->model, at, planned, function);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (!other) return self;
  check_deadline(L);
  return new_model(L, *self->model, at, planned, person, self->at.withdrawn_acts());
}

bool option_flag(lua_State* L, int opts, const char* key) {
  const bool on = get_option(L, opts, key) != LUA_TNIL && lua_toboolean(L, -1);
  lua_pop(L, 1);
  return on;
}

// opts.max_match_error: a number from 0 to 1, or absent.
std::optional<double> option_fraction(lua_State* L, int opts, const char* key, const char* function) {
  std::optional<double> out;
  if (get_option(L, opts, key) != LUA_TNIL) {
    if (!lua_isnumber(L, -1)) luaL_error(L, "%s: %s must be a number from 0 to 1", function, key);
    const double x = lua_tonumber(L, -1);
    if (!(x >= 0 && x <= 1)) luaL_error(L, "%s: %s must be a number from 0 to 1", function, key);
    out = x;
  }
  lua_pop(L, 1);
  return out;
}

// ---- entity tables

void set_string(lua_State* L, const char* key, std::string_view value) {
  lua_pushlstring(L, value.data(), value.size());
  lua_setfield(L, -2, key);
}
void set_nonempty(lua_State* L, const char* key, const std::string& value) {
  if (!value.empty()) set_string(L, key, value);
}
void set_bool(lua_State* L, const char* key, bool value) {
  lua_pushboolean(L, value);
  lua_setfield(L, -2, key);
}
void push_iso(lua_State* L, const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  lua_pushstring(L, buf);
}
void set_date(lua_State* L, const char* key, const std::optional<Date>& d) {
  if (!d) return;
  push_iso(L, *d);
  lua_setfield(L, -2, key);
}
void set_refs(lua_State* L, const char* key, const Refs& refs) {
  lua_createtable(L, static_cast<int>(refs.size()), 0);
  for (size_t i = 0; i < refs.size(); ++i) {
    lua_pushlstring(L, refs[i].id.data(), refs[i].id.size());
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_setfield(L, -2, key);
}
void set_ref(lua_State* L, const char* key, const std::optional<Ref>& ref) {
  if (ref) set_string(L, key, ref->id);
}
void set_holdings(lua_State* L, const char* key, const Holdings& h) {
  lua_createtable(L, 0, 2);
  set_refs(L, "identifiers", h.identifiers);
  set_refs(L, "data", h.data);
  lua_setfield(L, -2, key);
}
void push_index_ids(lua_State* L, const std::vector<Index>& indices, EntityKind kind, const Model& m) {
  lua_createtable(L, static_cast<int>(indices.size()), 0);
  lua_Integer n = 0;
  for (Index i : indices) {
    const std::string& id = m.entity(kind, i).id;
    lua_pushlstring(L, id.data(), id.size());
    lua_rawseti(L, -2, ++n);
  }
}

// One field of an entity table, as the kind table describes it.
void set_field(lua_State* L, const FieldSpec& f, const Entity& e) {
  const char* key = f.name.data();  // the kind table's names are literals
  switch (f.type) {
    case FieldType::id:
    case FieldType::text:
      if (f.required)
        set_string(L, key, f.get<std::string>(e));
      else
        set_nonempty(L, key, f.get<std::string>(e));
      return;
    case FieldType::boolean:
      set_bool(L, key, f.get<bool>(e));
      return;
    case FieldType::fraction:
      if (const auto& x = f.get<std::optional<double>>(e)) {
        lua_pushnumber(L, *x);
        lua_setfield(L, -2, key);
      }
      return;
    case FieldType::date:
      set_date(L, key, f.get<std::optional<Date>>(e));
      return;
    case FieldType::enumeration:
      set_string(L, key, f.enum_text(e));
      return;
    case FieldType::ref:
      if (f.optional_ref())
        set_ref(L, key, f.get<std::optional<Ref>>(e));
      else
        set_string(L, key, f.get<Ref>(e).id);
      return;
    case FieldType::refs:
      set_refs(L, key, f.get<Refs>(e));
      return;
    case FieldType::holdings:
      set_holdings(L, key, f.get<Holdings>(e));
      return;
    case FieldType::dated_refs: {
      // {{group = "ID", since = "YYYY-MM-DD", until = ...}, ...}
      const DatedRefs& list = f.get<DatedRefs>(e);
      const std::string item_key(f.item_key);
      lua_createtable(L, static_cast<int>(list.size()), 0);
      for (size_t i = 0; i < list.size(); ++i) {
        lua_createtable(L, 0, 3);
        set_string(L, item_key.c_str(), list[i].ref.id);
        set_date(L, "since", list[i].since);
        set_date(L, "until", list[i].until);
        lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
      }
      lua_setfield(L, -2, key);
      return;
    }
    case FieldType::citations:
      // `sources`: the source ids; `citations`: {source, at} tables.
      lua_createtable(L, static_cast<int>(e.sources.size()), 0);
      for (size_t i = 0; i < e.sources.size(); ++i) {
        lua_pushlstring(L, e.sources[i].source.data(), e.sources[i].source.size());
        lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
      }
      lua_setfield(L, -2, key);
      lua_createtable(L, static_cast<int>(e.sources.size()), 0);
      for (size_t i = 0; i < e.sources.size(); ++i) {
        lua_createtable(L, 0, 2);
        set_string(L, "source", e.sources[i].source);
        set_nonempty(L, "at", e.sources[i].at);
        lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
      }
      lua_setfield(L, -2, "citations");
      return;
  }
}

// An entity table: every field of its kind, plus type, ref, active and where
// it was written.
void push_entity(lua_State* L, const ModelHandle& h, EntityKind kind, Index i) {
  const KindSpec& spec = kind_spec(kind);
  const Entity& e = spec.at(*h.model, i);
  lua_createtable(L, 0, static_cast<int>(spec.fields.size()) + 6);
  set_string(L, "type", spec.name);
  set_string(L, "id", e.id);
  lua_pushfstring(L, "%s:%s", spec.name.data(), e.id.c_str());
  lua_setfield(L, -2, "ref");
  for (const FieldSpec& f : spec.fields) set_field(L, f, e);
  set_bool(L, "active", h.at.active(kind, i));
  if (kind == EntityKind::law) {
    // docs/lua-api.md: whether the law is in force at the date, and if not, why.
    const Law& law = h.model->laws[i];
    set_bool(L, "in_force", h.at.law_active(i));
    set_string(L, "state", to_string(law_state(law, h.at.at())));
  }
  if (!e.pos.file().empty()) {
    set_string(L, "file", e.pos.file());
    lua_pushinteger(L, e.pos.line);
    lua_setfield(L, -2, "line");
  }
}

// model:systems{all = false} and the other lists: entity tables ascending by id.
int list_entities(lua_State* L, EntityKind kind) {
  ModelHandle* h = check_model(L);
  check_options(L, 2, "list", {"all"});
  const bool all = get_option(L, 2, "all") != LUA_TNIL && lua_toboolean(L, -1);
  lua_pop(L, 1);
  const size_t n = h->model->size(kind);
  lua_createtable(L, static_cast<int>(n), 0);
  lua_Integer k = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!all && !h->at.active(kind, static_cast<Index>(i))) continue;
    push_entity(L, *h, kind, static_cast<Index>(i));
    lua_rawseti(L, -2, ++k);
  }
  return 1;
}

int m_systems(lua_State* L) { return list_entities(L, EntityKind::system); }
int m_identifiers(lua_State* L) { return list_entities(L, EntityKind::identifier); }
int m_data(lua_State* L) { return list_entities(L, EntityKind::data); }
int m_flows(lua_State* L) { return list_entities(L, EntityKind::flow); }
int m_laws(lua_State* L) { return list_entities(L, EntityKind::law); }
int m_actors(lua_State* L) { return list_entities(L, EntityKind::actor); }
int m_sources(lua_State* L) { return list_entities(L, EntityKind::source); }
int m_persons(lua_State* L) { return list_entities(L, EntityKind::person); }
int m_groups(lua_State* L) { return list_entities(L, EntityKind::group); }
int m_consent_acts(lua_State* L) { return list_entities(L, EntityKind::consent_act); }

// model:get("system:ID") → entity table, or nil when there is none.
int m_get(lua_State* L) {
  ModelHandle* h = check_model(L);
  RefArg ref = check_ref(L, 2, kNoKind, kAnyKind, *h->model, false);
  if (ref.index == kNone) return 0;
  push_entity(L, *h, ref.kind, ref.index);
  return 1;
}

// model:active("system:ID") → whether the entity is active at the date.
int m_active(lua_State* L) {
  ModelHandle* h = check_model(L);
  RefArg ref = check_ref(L, 2, kNoKind, kAnyKind, *h->model);
  lua_pushboolean(L, h->at.active(ref.kind, ref.index));
  return 1;
}

// model:holdings("system:ID") → {identifiers = {...}, data = {...}}, effective at the date.
int m_holdings(lua_State* L) {
  ModelHandle* h = check_model(L);
  RefArg ref = check_ref(L, 2, int(EntityKind::system), bit(EntityKind::system), *h->model);
  lua_createtable(L, 0, 2);
  push_index_ids(L, h->at.identifiers_of(ref.index), EntityKind::identifier, *h->model);
  lua_setfield(L, -2, "identifiers");
  push_index_ids(L, h->at.data_of(ref.index), EntityKind::data, *h->model);
  lua_setfield(L, -2, "data");
  return 1;
}

// model:holders("identifier:ID" | "data:ID") → ids of active systems holding it.
int m_holders(lua_State* L) {
  ModelHandle* h = check_model(L);
  RefArg ref = check_ref(L, 2, int(EntityKind::identifier),
                         bit(EntityKind::identifier) | bit(EntityKind::data), *h->model);
  push_index_ids(L,
                 ref.kind == EntityKind::identifier ? h->at.holders_of_identifier(ref.index)
                                                    : h->at.holders_of_data(ref.index),
                 EntityKind::system, *h->model);
  return 1;
}

int flows_of(lua_State* L, bool out) {
  ModelHandle* h = check_model(L);
  RefArg ref = check_ref(L, 2, int(EntityKind::system), bit(EntityKind::system), *h->model);
  const std::vector<Index>& flows = out ? h->at.flows_out(ref.index) : h->at.flows_in(ref.index);
  lua_createtable(L, static_cast<int>(flows.size()), 0);
  lua_Integer k = 0;
  for (Index f : flows) {
    push_entity(L, *h, EntityKind::flow, f);
    lua_rawseti(L, -2, ++k);
  }
  return 1;
}
int m_flows_in(lua_State* L) { return flows_of(L, false); }
int m_flows_out(lua_State* L) { return flows_of(L, true); }

// model:name(entity_or_ref, "en") → display name (name_en falls back to name).
int m_name(lua_State* L) {
  ModelHandle* h = check_model(L);
  RefArg ref = check_ref(L, 2, kNoKind, kAnyKind, *h->model);
  Lang lang = h->model->default_lang();
  if (!lua_isnoneornil(L, 3)) {
    const char* text = luaL_checkstring(L, 3);
    auto parsed = parse_lang(text);
    if (!parsed) luaL_argerror(L, 3, "language must be 'ja' or 'en'");
    lang = *parsed;
  }
  const std::string& name = h->model->entity(ref.kind, ref.index).display_name(lang);
  lua_pushlstring(L, name.data(), name.size());
  return 1;
}

// model:date() → "YYYY-MM-DD"; model:include_planned() → boolean.
int m_date(lua_State* L) {
  push_iso(L, check_model(L)->at.at());
  return 1;
}
int m_include_planned(lua_State* L) {
  lua_pushboolean(L, check_model(L)->at.include_planned());
  return 1;
}

// model:info() → {name, description, default_lang}.
int m_info(lua_State* L) {
  ModelHandle* h = check_model(L);
  lua_createtable(L, 0, 3);
  set_string(L, "name", h->model->model_name());
  if (h->model->info) set_nonempty(L, "description", h->model->info->description);
  set_string(L, "default_lang", to_string(h->model->default_lang()));
  if (h->at.person() != kNone) set_string(L, "person", h->model->persons[h->at.person()].id);
  return 1;
}

// model:at("2016-01-01" [, {include_planned = true}]) → the model as of that date.
int m_at(lua_State* L) {
  ModelHandle* h = check_model(L);
  Date at = check_date(L, 2, "model:at");
  check_options(L, 3, "model:at", {"include_planned", "person"});
  bool planned = h->at.include_planned();
  if (get_option(L, 3, "include_planned") != LUA_TNIL) planned = lua_toboolean(L, -1);
  lua_pop(L, 1);
  // The model keeps its person (who must be active at the new date) unless
  // opts.person names another, or is false for everyone.
  Index person = h->at.person();
  if (get_option(L, 3, "person") == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
    person = kNone;
  } else if (!lua_isnil(L, -1)) {
    person = check_person(L, -1, *h->model, at, planned, "model:at");
  } else if (person != kNone) {
    lua_pushstring(L, h->model->persons[person].id.c_str());
    check_person(L, -1, *h->model, at, planned, "model:at");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  check_deadline(L);
  new_model(L, *h->model, at, planned, person,
            person == h->at.person() ? h->at.withdrawn_acts() : std::vector<Index>{});
  return 1;
}

// Reads a list of references (or one) at `index` into a boxed vector.
std::vector<EntityRef>* check_ref_list(lua_State* L, int index, const Model& m, const char* what) {
  index = lua_absindex(L, index);
  auto* refs = new_box<std::vector<EntityRef>>(L);
  const int box = lua_gettop(L);
  auto add = [&](int at) {
    RefArg ref = check_ref(L, at, kNoKind, kAnalysisKinds, m);
    ErrorText error;
    if (!cxx(error, [&] { refs->push_back(EntityRef{ref.kind, std::string(ref.id, ref.len)}); }))
      luaL_error(L, "%s", error.text);
  };
  if (lua_type(L, index) == LUA_TTABLE) {
    lua_getfield(L, index, "ref");  // one entity table, or a list of references
    const bool entity = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (entity) {
      lua_pushvalue(L, index);
      add(lua_gettop(L));
    } else {
      const lua_Integer n = luaL_len(L, index);
      for (lua_Integer i = 1; i <= n; ++i) {
        lua_geti(L, index, i);
        add(lua_gettop(L));
        lua_settop(L, box);
      }
    }
  } else if (lua_type(L, index) == LUA_TSTRING) {
    lua_pushvalue(L, index);
    add(lua_gettop(L));
  } else {
    luaL_error(L, "%s: expected a reference or a list of references", what);
  }
  lua_settop(L, box);
  if (refs->empty()) luaL_error(L, "%s: no references given", what);
  return refs;
}

// model:reach{from = {"identifier:ID", ...}, at = D, include_planned = b}
int m_reach(lua_State* L) {
  ModelHandle* self = check_model(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  check_options(L, 2, "reach", {"from", "at", "include_planned", "person", "open_only", "max_match_error"});
  ModelHandle* h = handle_for(L, self, 2, "reach");
  ReachOptions options;
  options.open_only = option_flag(L, 2, "open_only");
  options.max_match_error = option_fraction(L, 2, "max_match_error", "reach");
  lua_getfield(L, 2, "from");
  std::vector<EntityRef>* from = check_ref_list(L, -1, *h->model, "reach: from");
  const LinkageGraph* graph = linkage(L, h);
  check_deadline(L);
  auto* result = new_box<ReachResult>(L);
  ErrorText error;
  if (!cxx(error, [&] { *result = reach(*graph, *from, options); })) luaL_error(L, "reach: %s", error.text);
  check_deadline(L);
  return push_result(L, *h->model, *result);
}

// model:chains{from = REF, to = REF, k = 1, max_hops = 20, at = D}
int m_chains(lua_State* L) {
  ModelHandle* self = check_model(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  check_options(
      L, 2, "chains",
      {"from", "to", "k", "max_hops", "at", "include_planned", "person", "open_only", "max_match_error"});
  ModelHandle* h = handle_for(L, self, 2, "chains");
  auto* ends = new_box<std::pair<EntityRef, EntityRef>>(L);
  const char* names[] = {"from", "to"};
  for (int i = 0; i < 2; ++i) {
    if (lua_getfield(L, 2, names[i]) == LUA_TNIL) luaL_error(L, "chains: '%s' is required", names[i]);
    RefArg ref = check_ref(L, -1, kNoKind, kAnalysisKinds, *h->model);
    EntityRef& end = i == 0 ? ends->first : ends->second;
    ErrorText error;
    if (!cxx(error, [&] { end = EntityRef{ref.kind, std::string(ref.id, ref.len)}; }))
      luaL_error(L, "%s", error.text);
    lua_pop(L, 1);
  }
  ChainOptions options;
  if (get_option(L, 2, "k") != LUA_TNIL) {
    lua_Integer k = luaL_checkinteger(L, -1);
    if (k < 1 || k > lua_Integer(kMaxChainCount))
      luaL_error(L, "chains: k must be a whole number from 1 to %d", int(kMaxChainCount));
    options.k = static_cast<size_t>(k);
  }
  lua_pop(L, 1);
  if (get_option(L, 2, "max_hops") != LUA_TNIL) {
    lua_Integer hops = luaL_checkinteger(L, -1);
    if (hops < 1 || hops > kMaxHopsLimit)
      luaL_error(L, "chains: max_hops must be a whole number from 1 to %d", kMaxHopsLimit);
    options.max_hops = static_cast<int>(hops);
  }
  lua_pop(L, 1);
  options.open_only = option_flag(L, 2, "open_only");
  options.max_match_error = option_fraction(L, 2, "max_match_error", "chains");
  const LinkageGraph* graph = linkage(L, h);
  check_deadline(L);
  auto* result = new_box<ChainsResult>(L);
  ErrorText error;
  if (!cxx(error, [&] { *result = chains(*graph, ends->first, ends->second, options); }))
    luaL_error(L, "chains: %s", error.text);
  return push_result(L, *h->model, *result);
}

// The `lang` option (ja or en; default: the model's default_lang).
Lang lang_option(lua_State* L, int opts, const Model& m, const char* function) {
  Lang lang = m.default_lang();
  if (get_option(L, opts, "lang") != LUA_TNIL) {
    auto parsed = parse_lang(luaL_checkstring(L, -1));
    if (!parsed) luaL_error(L, "%s: lang must be 'ja' or 'en'", function);
    lang = *parsed;
  }
  lua_pop(L, 1);
  return lang;
}

// model:gaps{at = D, status = "all" | "open", lang = "ja" | "en"}
int m_gaps(lua_State* L) {
  ModelHandle* self = check_model(L);
  check_options(L, 2, "gaps", {"at", "include_planned", "person", "status", "lang"});
  GapStatusFilter filter = GapStatusFilter::all;
  if (get_option(L, 2, "status") != LUA_TNIL) {
    auto parsed = parse_gap_status_filter(luaL_checkstring(L, -1));
    if (!parsed) luaL_error(L, "gaps: status must be 'all' or 'open', not '%s'", lua_tostring(L, -1));
    filter = *parsed;
  }
  lua_pop(L, 1);
  ModelHandle* h = handle_for(L, self, 2, "gaps");
  const Lang lang = lang_option(L, 2, *h->model, "gaps");
  check_deadline(L);
  auto* result = new_box<GapsResult>(L);
  ErrorText error;
  if (!cxx(error, [&] {
        *result = find_gaps(h->at);
        filter_gaps(*h->model, *result, filter);
        set_gap_reasons(*h->model, *result, lang);
      }))
    luaL_error(L, "gaps: %s", error.text);
  return push_result(L, *h->model, *result);
}

// model:downstream{system = REF, data = REF, at = D}
int m_downstream(lua_State* L) {
  ModelHandle* self = check_model(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  check_options(L, 2, "downstream", {"system", "data", "at", "include_planned", "person"});
  ModelHandle* h = handle_for(L, self, 2, "downstream");
  if (lua_getfield(L, 2, "system") == LUA_TNIL) luaL_error(L, "downstream: 'system' is required");
  RefArg system = check_ref(L, -1, int(EntityKind::system), bit(EntityKind::system), *h->model);
  if (lua_getfield(L, 2, "data") == LUA_TNIL) luaL_error(L, "downstream: 'data' is required");
  RefArg data = check_ref(L, -1, int(EntityKind::data), bit(EntityKind::data), *h->model);
  check_deadline(L);
  auto* result = new_box<DownstreamResult>(L);
  ErrorText error;
  if (!cxx(error, [&] { *result = downstream(h->at, system.index, data.index); }))
    luaL_error(L, "downstream: %s", error.text);
  return push_result(L, *h->model, *result);
}

// model:diff{from = D1, to = D2, lang = L} (from defaults to the model's date), or model:diff(D2).
int m_diff(lua_State* L) {
  ModelHandle* h = check_model(L);
  Date from = h->at.at(), to = from;
  if (lua_type(L, 2) == LUA_TSTRING) {
    to = check_date(L, 2, "diff");
  } else {
    luaL_checktype(L, 2, LUA_TTABLE);
    check_options(L, 2, "diff", {"from", "to", "person", "lang"});
    if (get_option(L, 2, "from") != LUA_TNIL) from = check_date(L, -1, "diff: from");
    if (get_option(L, 2, "to") == LUA_TNIL) luaL_error(L, "diff: 'to' is required");
    to = check_date(L, -1, "diff: to");
  }
  const Lang lang =
      lua_type(L, 2) == LUA_TTABLE ? lang_option(L, 2, *h->model, "diff") : h->model->default_lang();
  DiffOptions options;
  options.include_planned = h->at.include_planned();
  options.person = h->at.person();
  if (lua_type(L, 2) == LUA_TTABLE && get_option(L, 2, "person") != LUA_TNIL) {
    // The person must be someone at both dates, as for the diff command.
    options.person = check_person(L, -1, *h->model, from, options.include_planned, "diff");
    check_person(L, -1, *h->model, to, options.include_planned, "diff");
  }
  check_deadline(L);
  auto* result = new_box<DiffResult>(L);
  ErrorText error;
  if (!cxx(error, [&] {
        *result = diff(*h->model, from, to, options);
        set_gap_reasons(*h->model, *result, lang);
      }))
    luaL_error(L, "diff: %s", error.text);
  return push_result(L, *h->model, *result);
}

// model:person{person = "P", at = D, include_planned = b, withdraw = {"act", ...}}:
// the person's exposure, shaped like the `person` JSON (docs/model-format.md).
// `person` defaults to the model's own; `withdraw` takes consent acts as not
// done (what withdrawing them would change).
int m_person(lua_State* L) {
  ModelHandle* self = check_model(L);
  if (lua_isnoneornil(L, 2)) lua_newtable(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  check_options(L, 2, "person", {"person", "at", "include_planned", "withdraw"});
  Date at = self->at.at();
  bool planned = self->at.include_planned();
  if (get_option(L, 2, "at") != LUA_TNIL) at = check_date(L, -1, "person");
  lua_pop(L, 1);
  if (get_option(L, 2, "include_planned") != LUA_TNIL) planned = lua_toboolean(L, -1);
  lua_pop(L, 1);
  Index person = self->at.person();
  if (get_option(L, 2, "person") != LUA_TNIL) {
    person = check_person(L, -1, *self->model, at, planned, "person");
  } else if (person == kNone) {
    luaL_error(L, "person: 'person' is required (a persons id)");
  } else {
    lua_pushstring(L, self->model->persons[person].id.c_str());
    check_person(L, -1, *self->model, at, planned, "person");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  auto* withdrawn = new_box<std::vector<Index>>(L);
  if (get_option(L, 2, "withdraw") != LUA_TNIL) {
    if (lua_type(L, -1) == LUA_TSTRING) {
      lua_createtable(L, 1, 0);
      lua_insert(L, -2);
      lua_rawseti(L, -2, 1);
    }
    if (!lua_istable(L, -1)) luaL_error(L, "person: withdraw must be a list of consent act ids");
    const lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n; ++i) {
      lua_geti(L, -1, i);
      RefArg act = check_ref(L, -1, int(EntityKind::consent_act), bit(EntityKind::consent_act), *self->model);
      ErrorText error;
      if (!cxx(error, [&] { withdrawn->push_back(act.index); })) luaL_error(L, "%s", error.text);
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  check_deadline(L);
  ModelHandle* h = new_model(L, *self->model, at, planned, person, *withdrawn);
  auto* result = new_box<PersonResult>(L);
  ErrorText error;
  if (!cxx(error, [&] { *result = person_exposure(h->at); })) luaL_error(L, "person: %s", error.text);
  return push_result(L, *h->model, *result);
}

// ---- rendering

// Appends the strings of list opts[key] to `out`.
void read_id_list(lua_State* L, int table, const char* key, std::vector<std::string>& out) {
  if (lua_getfield(L, table, key) == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  if (!lua_istable(L, -1)) luaL_error(L, "model:render: highlight.%s must be a list of ids", key);
  const lua_Integer n = luaL_len(L, -1);
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_geti(L, -1, i);
    size_t len;
    const char* id = lua_tolstring(L, -1, &len);
    if (!id) luaL_error(L, "model:render: highlight.%s[%I] is not an id", key, i);
    ErrorText error;
    if (!cxx(error, [&] { out.emplace_back(id, len); })) luaL_error(L, "%s", error.text);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

// Copies field `key` of the table on top into `out` (empty when absent).
void read_hop_field(lua_State* L, const char* key, std::string& out) {
  if (lua_getfield(L, -1, key) == LUA_TSTRING) {
    size_t len;
    const char* s = lua_tolstring(L, -1, &len);
    ErrorText error;
    if (!cxx(error, [&] { out.assign(s, len); })) luaL_error(L, "%s", error.text);
  }
  lua_pop(L, 1);
}

void read_highlight(lua_State* L, int table, render::Highlight& h) {
  table = lua_absindex(L, table);
  read_id_list(L, table, "systems", h.systems);
  read_id_list(L, table, "identifiers", h.identifiers);
  read_id_list(L, table, "data", h.data);
  read_id_list(L, table, "flows", h.flows);
  if (lua_getfield(L, table, "system_depth") == LUA_TTABLE) {
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      if (lua_type(L, -2) == LUA_TSTRING && lua_isinteger(L, -1)) {
        const char* id = lua_tostring(L, -2);
        const int depth = static_cast<int>(lua_tointeger(L, -1));
        ErrorText error;
        if (!cxx(error, [&] { h.system_depth[id] = depth; })) luaL_error(L, "%s", error.text);
      }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  if (lua_getfield(L, table, "chains") == LUA_TTABLE) {
    const lua_Integer n = luaL_len(L, -1);
    for (lua_Integer c = 1; c <= n; ++c) {
      if (lua_geti(L, -1, c) != LUA_TTABLE)
        luaL_error(L, "model:render: highlight.chains[%I] is not a list of hops", c);
      ErrorText error;
      if (!cxx(error, [&] { h.chains.emplace_back(); })) luaL_error(L, "%s", error.text);
      const lua_Integer hops = luaL_len(L, -1);
      for (lua_Integer i = 1; i <= hops; ++i) {
        if (lua_geti(L, -1, i) != LUA_TTABLE) luaL_error(L, "model:render: a hop must be a table");
        if (!cxx(error, [&] { h.chains.back().emplace_back(); })) luaL_error(L, "%s", error.text);
        render::HighlightHop& hop = h.chains.back().back();
        lua_getfield(L, -1, "kind");
        hop.kind = lua_isstring(L, -1) && std::strcmp(lua_tostring(L, -1), "flow") == 0
                       ? render::HighlightHop::Kind::flow
                       : render::HighlightHop::Kind::holds;
        lua_pop(L, 1);
        read_hop_field(L, "system", hop.system);
        read_hop_field(L, "identifier", hop.identifier);
        read_hop_field(L, "data", hop.data);
        read_hop_field(L, "flow", hop.flow);
        read_hop_field(L, "from", hop.from);
        read_hop_field(L, "to", hop.to);
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  if (lua_getfield(L, table, "only") != LUA_TNIL) h.only = lua_toboolean(L, -1);
  lua_pop(L, 1);
}

// True for a relative path without "..": a script writes only below --output-dir.
bool safe_output_path(const char* path) {
  if (!*path || *path == '/') return false;
  for (const char* p = path; *p;) {
    const char* end = std::strchr(p, '/');
    size_t len = end ? size_t(end - p) : std::strlen(p);
    if (len == 2 && p[0] == '.' && p[1] == '.') return false;
    p += len + (end ? 1 : 0);
  }
  return true;
}

struct RenderJob {
  render::RenderOptions options;
  std::string path;
  std::string output;
};

// model:_render(options): the C half of model:render (imozuru.lua).
int m_render(lua_State* L) {
  ModelHandle* h = check_model(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  check_options(L, 2, "model:render",
                {"highlight", "output", "format", "view", "lang", "only", "caption", "dpi", "engine",
                 "include_planned", "at", "person"});
  ModelHandle* target = handle_for(L, h, 2, "model:render");
  auto* job = new_box<RenderJob>(L);
  render::RenderOptions& o = job->options;
  o.lang = target->model->default_lang();
  ErrorText error;
  if (lua_getfield(L, 2, "output") != LUA_TNIL) {
    const char* path = luaL_checkstring(L, -1);
    if (!safe_output_path(path))
      luaL_error(
          L, "model:render: output '%s' must be a relative path without '..' (files go below --output-dir)",
          path);
    auto format = render::format_from_path(path);
    if (!format) luaL_error(L, "model:render: output '%s' must end in .svg, .png, .pdf or .dot", path);
    o.format = *format;
    const std::string& dir = runtime_of(L).output_dir;
    if (!cxx(error, [&] { job->path = dir.empty() ? std::string(path) : dir + "/" + path; }))
      luaL_error(L, "%s", error.text);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "format") != LUA_TNIL) {
    const char* name = luaL_checkstring(L, -1);
    const char* formats[] = {"dot", "svg", "png", "pdf"};
    int f = -1;
    for (int i = 0; i < 4; ++i)
      if (std::strcmp(name, formats[i]) == 0) f = i;
    if (f < 0) luaL_error(L, "model:render: format must be dot, svg, png or pdf, not '%s'", name);
    if (!job->path.empty() && render::Format(f) != o.format)
      luaL_error(L, "model:render: format '%s' does not match the output's extension", name);
    o.format = render::Format(f);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "view") != LUA_TNIL) {
    const char* name = luaL_checkstring(L, -1);
    auto view = render::parse_view(name);
    if (!view)
      luaL_error(L, "model:render: view must be flows, sectors, linkage, chain or person, not '%s'", name);
    o.view = *view;
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "engine") != LUA_TNIL) {
    const char* name = luaL_checkstring(L, -1);
    auto engine = render::parse_engine(name);
    if (!engine) luaL_error(L, "model:render: engine must be auto, dot, sfdp, fdp or neato, not '%s'", name);
    o.engine = *engine;
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "lang") != LUA_TNIL) {
    auto lang = parse_lang(luaL_checkstring(L, -1));
    if (!lang) luaL_error(L, "model:render: lang must be ja or en");
    o.lang = *lang;
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "dpi") != LUA_TNIL) {
    lua_Integer dpi = luaL_checkinteger(L, -1);
    if (dpi < 36 || dpi > 1200) luaL_error(L, "model:render: dpi must be between 36 and 1200");
    o.dpi = static_cast<int>(dpi);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "highlight") != LUA_TNIL) {
    luaL_checktype(L, -1, LUA_TTABLE);
    if (!cxx(error, [&] { o.highlight.emplace(); })) luaL_error(L, "%s", error.text);
    read_highlight(L, -1, *o.highlight);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "only") != LUA_TNIL && o.highlight) o.highlight->only = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "caption") != LUA_TNIL) {
    const char* caption = luaL_checkstring(L, -1);
    if (!o.highlight) luaL_error(L, "model:render: a caption needs a result or highlight");
    if (!cxx(error, [&] { o.highlight->caption = caption; })) luaL_error(L, "%s", error.text);
  }
  lua_pop(L, 1);
  if (o.view == render::View::chain && !o.highlight)
    luaL_error(L, "model:render: the chain view needs a result or highlight");
  if (o.view == render::View::person && target->at.person() == kNone)
    luaL_error(L, "model:render: the person view needs a person (person = \"P\", or a model for a person)");
  // The diagram's time counts against the script's limit.
  const double left =
      std::chrono::duration<double>(runtime_of(L).deadline - std::chrono::steady_clock::now()).count();
  check_deadline(L);
  if (left < o.timeout_seconds) o.timeout_seconds = left > 0.5 ? left : 0.5;
  const bool to_file = !job->path.empty();
  if (!cxx(error, [&] {
        if (to_file)
          render::render_to_file(target->at, o, job->path);
        else
          job->output = render::render_diagram(target->at, o);
      }))
    luaL_error(L, "model:render: %s", error.text);
  check_deadline(L);
  if (to_file) {
    lua_pushlstring(L, job->path.data(), job->path.size());
  } else {
    lua_pushlstring(L, job->output.data(), job->output.size());
  }
  return 1;
}

int m_tostring(lua_State* L) {
  ModelHandle* h = check_model(L);
  char date[16];
  const Date& d = h->at.at();
  std::snprintf(date, sizeof date, "%04d-%02d-%02d", d.year, d.month, d.day);
  lua_pushfstring(L, "model at %s (%d active systems)", date, int(h->at.systems().size()));
  return 1;
}

const luaL_Reg kModelMethods[] = {{"systems", m_systems},     {"identifiers", m_identifiers},
                                  {"data", m_data},           {"flows", m_flows},
                                  {"laws", m_laws},           {"actors", m_actors},
                                  {"sources", m_sources},     {"get", m_get},
                                  {"active", m_active},       {"holdings", m_holdings},
                                  {"holders", m_holders},     {"flows_in", m_flows_in},
                                  {"flows_out", m_flows_out}, {"name", m_name},
                                  {"date", m_date},           {"include_planned", m_include_planned},
                                  {"info", m_info},           {"at", m_at},
                                  {"reach", m_reach},         {"chains", m_chains},
                                  {"gaps", m_gaps},           {"downstream", m_downstream},
                                  {"diff", m_diff},           {"render", m_render},
                                  {"person", m_person},       {"persons", m_persons},
                                  {"groups", m_groups},       {"consent_acts", m_consent_acts},
                                  {nullptr, nullptr}};

}  // namespace

void push_model(lua_State* L, const Model& model, const Date& at, bool include_planned, Index person) {
  push_box_metatable(L, kModelMeta);
  lua_newtable(L);  // methods; imozuru.lua adds its own when the sandbox is sealed
  luaL_setfuncs(L, kModelMethods, 0);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, "imozuru.Model.methods");
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, m_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  new_model(L, model, at, include_planned, person);
}

}  // namespace imozuru::query
