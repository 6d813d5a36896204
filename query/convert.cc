#include <cstring>

#include "query/lua_support.h"

namespace imozuru::query {
namespace {

int destroy_box(lua_State* L) {
  auto* header = static_cast<BoxHeader*>(lua_touserdata(L, 1));
  if (header && header->destroy) {
    header->destroy(header);
    header->destroy = nullptr;
  }
  return 0;
}

constexpr int kMaxDepth = 100;

bool to_json(lua_State* L, int index, nlohmann::json& out, int depth, ErrorText& error) {
  index = lua_absindex(L, index);
  switch (lua_type(L, index)) {
    case LUA_TNIL: out = nullptr; return true;
    case LUA_TBOOLEAN: out = lua_toboolean(L, index) != 0; return true;
    case LUA_TNUMBER:
      if (lua_isinteger(L, index))
        out = static_cast<std::int64_t>(lua_tointeger(L, index));
      else
        out = lua_tonumber(L, index);
      return true;
    case LUA_TSTRING: {
      size_t len;
      const char* s = lua_tolstring(L, index, &len);
      out = std::string(s, len);
      return true;
    }
    case LUA_TTABLE: break;
    default:
      std::snprintf(error.text, sizeof error.text, "cannot write a %s value as JSON", luaL_typename(L, index));
      return false;
  }
  if (depth > kMaxDepth) {
    std::snprintf(error.text, sizeof error.text, "tables nested deeper than %d (a cycle?) cannot be written as JSON",
                  kMaxDepth);
    return false;
  }
  luaL_checkstack(L, 4, "JSON conversion");
  const lua_Unsigned length = lua_rawlen(L, index);
  lua_Unsigned count = 0;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    ++count;
    lua_pop(L, 1);
  }
  if (count == length) {  // a sequence (or empty)
    out = nlohmann::json::array();
    for (lua_Unsigned i = 1; i <= length; ++i) {
      lua_rawgeti(L, index, static_cast<lua_Integer>(i));
      out.push_back(nullptr);
      bool ok = to_json(L, -1, out.back(), depth + 1, error);
      lua_pop(L, 1);
      if (!ok) return false;
    }
    return true;
  }
  out = nlohmann::json::object();
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    const int key_type = lua_type(L, -2);
    if (key_type != LUA_TSTRING && key_type != LUA_TNUMBER) {
      std::snprintf(error.text, sizeof error.text, "a JSON object key must be a string, not a %s",
                    luaL_typename(L, -2));
      lua_pop(L, 2);
      return false;
    }
    lua_pushvalue(L, -2);  // tolstring on the key itself would confuse lua_next
    size_t len;
    const char* key = lua_tolstring(L, -1, &len);
    nlohmann::json& slot = out[std::string(key, len)];
    lua_pop(L, 1);
    bool ok = to_json(L, -1, slot, depth + 1, error);
    lua_pop(L, 1);
    if (!ok) {
      lua_pop(L, 1);
      return false;
    }
  }
  return true;
}

}  // namespace

void push_box_metatable(lua_State* L, const char* name) {
  if (luaL_newmetatable(L, name)) {
    lua_pushcfunction(L, destroy_box);
    lua_setfield(L, -2, "__gc");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
  }
}

void push_json(lua_State* L, const nlohmann::ordered_json& value) {
  luaL_checkstack(L, 3, "JSON conversion");
  switch (value.type()) {
    case nlohmann::ordered_json::value_t::object: {
      lua_createtable(L, 0, static_cast<int>(value.size()));
      for (auto it = value.begin(); it != value.end(); ++it) {
        const std::string& key = it.key();
        lua_pushlstring(L, key.data(), key.size());
        push_json(L, it.value());
        lua_rawset(L, -3);
      }
      return;
    }
    case nlohmann::ordered_json::value_t::array: {
      lua_createtable(L, static_cast<int>(value.size()), 0);
      lua_Integer i = 0;
      for (auto it = value.begin(); it != value.end(); ++it) {
        push_json(L, *it);
        lua_rawseti(L, -2, ++i);
      }
      return;
    }
    case nlohmann::ordered_json::value_t::string: {
      const auto& s = value.get_ref<const std::string&>();
      lua_pushlstring(L, s.data(), s.size());
      return;
    }
    case nlohmann::ordered_json::value_t::boolean: lua_pushboolean(L, value.get<bool>()); return;
    case nlohmann::ordered_json::value_t::number_integer: lua_pushinteger(L, value.get<std::int64_t>()); return;
    case nlohmann::ordered_json::value_t::number_unsigned:
      lua_pushinteger(L, static_cast<lua_Integer>(value.get<std::uint64_t>()));
      return;
    case nlohmann::ordered_json::value_t::number_float: lua_pushnumber(L, value.get<double>()); return;
    default: lua_pushnil(L); return;
  }
}

bool lua_to_json(lua_State* L, int index, nlohmann::json& out, ErrorText& error) {
  bool ok = false;
  try {
    ok = to_json(L, index, out, 0, error);
  } catch (const std::exception& e) {
    std::snprintf(error.text, sizeof error.text, "%s", e.what());
    ok = false;
  }
  return ok;
}

}  // namespace imozuru::query
