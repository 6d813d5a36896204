// The entity methods of the Lua model (docs/lua-api.md): entity tables as
// the kind table describes them (model/kinds.h), effective holdings, flows,
// names and model:at.
#include <cstdio>
#include <string_view>

#include "model/kinds.h"
#include "query/model_handle.h"
#include "query/sandbox.h"

namespace imozuru::query {
namespace {

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
void push_index_ids(lua_State* L, IndexSpan indices, EntityKind kind, const Model& m) {
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

int flows_of(lua_State* L, bool out) {
  ModelHandle* h = check_model(L);
  RefArg ref = check_ref(L, 2, int(EntityKind::system), bit(EntityKind::system), *h->model);
  const IndexSpan flows = out ? h->at.flows_out(ref.index) : h->at.flows_in(ref.index);
  lua_createtable(L, static_cast<int>(flows.size()), 0);
  lua_Integer k = 0;
  for (Index f : flows) {
    push_entity(L, *h, EntityKind::flow, f);
    lua_rawseti(L, -2, ++k);
  }
  return 1;
}

}  // namespace

void push_iso(lua_State* L, const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  lua_pushstring(L, buf);
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

}  // namespace imozuru::query
