// The model userdata and the argument checks its methods share
// (query/model_handle.h).
#include "query/model_handle.h"

#include <cstdio>
#include <cstring>
#include <utility>

#include "model/diagnostics.h"
#include "model/linkage_graph.h"
#include "model/person.h"
#include "query/sandbox.h"

namespace imozuru::query {

ModelHandle::ModelHandle(const Model& m, Date d, bool planned, Index person, std::vector<Index> withdrawn)
    : model(&m), at(m, d, planned, person, std::move(withdrawn)) {}
ModelHandle::~ModelHandle() = default;

ModelHandle* check_model(lua_State* L, int index) {
  auto* box = static_cast<Boxed<ModelHandle>*>(luaL_checkudata(L, index, kModelMeta));
  if (!box->header.destroy) luaL_argerror(L, index, "model is not open");
  return &box->value;
}

ModelHandle* new_model(lua_State* L, const Model& model, const Date& at, bool include_planned, Index person,
                       std::vector<Index> withdrawn) {
  return new_box<ModelHandle>(L, kModelMeta, model, at, include_planned, person, std::move(withdrawn));
}

const LinkageGraph* linkage(lua_State* L, ModelHandle* h) {
  ErrorText error;
  if (!h->graph && !cxx(error, [&] { h->graph = std::make_unique<LinkageGraph>(h->at); }))
    luaL_error(L, "%s", error.text);
  return h->graph.get();
}

namespace {

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

}  // namespace

// Reads the reference at `index` (made absolute). `implied` is the kind of a
// bare id (kNoKind: a kind is required). `allowed` is a bit set of kinds.
// With `must_exist`, an unknown entity raises; otherwise index is kNone.
RefArg check_ref(lua_State* L, int index, int implied, unsigned allowed, const Model& m, bool must_exist) {
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

}  // namespace imozuru::query
