#include <chrono>
#include <cstring>
#include <string>

#include "query/lua_support.h"
#include "query/sandbox.h"

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

// What the walk needs besides the value: the runtime (to stop at the
// deadline) and a count of the values seen so far.
struct Walk {
  Runtime& rt;
  ErrorText& error;
  std::size_t values = 0;
  bool timed_out = false;
};

// A number key as Lua's tostring writes it ("%.14g", and ".0" on a float
// that looks like an integer), made without calling Lua.
std::string number_key(lua_State* L, int index) {
  char buf[64];
  if (lua_isinteger(L, index)) {
    std::snprintf(buf, sizeof buf, LUA_INTEGER_FMT, static_cast<LUAI_UACINT>(lua_tointeger(L, index)));
  } else {
    std::snprintf(buf, sizeof buf, LUA_NUMBER_FMT, static_cast<LUAI_UACNUMBER>(lua_tonumber(L, index)));
    if (buf[std::strspn(buf, "-0123456789")] == '\0') std::strcat(buf, ".0");
  }
  return buf;
}

// Converts without any Lua call that can raise an error: a longjmp must not
// cross the C++ frames of the tree being built.
bool to_json(lua_State* L, int index, nlohmann::json& out, int depth, Walk& walk) {
  ErrorText& error = walk.error;
  // A DAG of tables is a tree of exponential size: the memory budget stops
  // it (query/cxx_memory.h), and the deadline is checked as it grows.
  if (++walk.values % 4096 == 0 && std::chrono::steady_clock::now() >= walk.rt.deadline) {
    walk.timed_out = true;
    std::snprintf(error.text, sizeof error.text, "time limit exceeded");
    return false;
  }
  index = lua_absindex(L, index);
  switch (lua_type(L, index)) {
    case LUA_TNIL:
      out = nullptr;
      return true;
    case LUA_TBOOLEAN:
      out = lua_toboolean(L, index) != 0;
      return true;
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
    case LUA_TTABLE:
      break;
    default:
      std::snprintf(error.text, sizeof error.text, "cannot write a %s value as JSON",
                    luaL_typename(L, index));
      return false;
  }
  if (depth > kMaxDepth) {
    std::snprintf(error.text, sizeof error.text,
                  "tables nested deeper than %d (a cycle?) cannot be written as JSON", kMaxDepth);
    return false;
  }
  if (!lua_checkstack(L, 4)) {
    std::snprintf(error.text, sizeof error.text, "JSON conversion: no room on the Lua stack");
    return false;
  }
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
      bool ok = to_json(L, -1, out.back(), depth + 1, walk);
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
    std::string key;
    if (key_type == LUA_TSTRING) {
      size_t len;
      const char* text = lua_tolstring(L, -2, &len);  // a string already: no conversion, no allocation
      key.assign(text, len);
    } else {
      key = number_key(L, -2);
    }
    nlohmann::json& slot = out[key];
    bool ok = to_json(L, -1, slot, depth + 1, walk);
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
    case nlohmann::ordered_json::value_t::boolean:
      lua_pushboolean(L, value.get<bool>());
      return;
    case nlohmann::ordered_json::value_t::number_integer:
      lua_pushinteger(L, value.get<std::int64_t>());
      return;
    case nlohmann::ordered_json::value_t::number_unsigned:
      lua_pushinteger(L, static_cast<lua_Integer>(value.get<std::uint64_t>()));
      return;
    case nlohmann::ordered_json::value_t::number_float:
      lua_pushnumber(L, value.get<double>());
      return;
    default:
      lua_pushnil(L);
      return;
  }
}

bool lua_to_json(lua_State* L, int index, nlohmann::json& out, ErrorText& error) {
  Walk walk{runtime_of(L), error};
  bool ok = false;
  try {
    CxxMayFail may_fail;
    ok = to_json(L, index, out, 0, walk);
  } catch (const std::bad_alloc&) {
    std::snprintf(error.text, sizeof error.text, "out of memory");
    ok = false;
  } catch (const std::exception& e) {
    std::snprintf(error.text, sizeof error.text, "%s", e.what());
    ok = false;
  }
  // Over a limit: stop the script here (a pcall around the call cannot
  // carry on), with the limit's own message.
  if (!ok) {
    Runtime& rt = walk.rt;
    if (walk.timed_out) rt.time_tripped = true;
    if (rt.memory_tripped || rt.time_tripped) raise_tripped_limit(L);
  }
  return ok;
}

}  // namespace imozuru::query
