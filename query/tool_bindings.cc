// The C primitives of the `imozuru` table: JSON through nlohmann, raw output.
// Everything else in the table is Lua (query/lua/imozuru.lua).
#include <string>

#include "query/bindings.h"
#include "query/lua_support.h"
#include "query/sandbox.h"

#ifndef IMOZURU_VERSION
#define IMOZURU_VERSION "0.1.0"
#endif

namespace imozuru::query {
namespace {

// Encodes the value at index 1 into a boxed string left on the stack.
std::string* encode_json(lua_State* L) {
  luaL_checkany(L, 1);
  bool pretty = true;
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_getfield(L, 2, "pretty");
    if (!lua_isnil(L, -1)) pretty = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  auto* json = new_box<nlohmann::json>(L);
  ErrorText error;
  if (!lua_to_json(L, 1, *json, error)) luaL_error(L, "imozuru.json: %s", error.text);
  auto* text = new_box<std::string>(L);
  const size_t cap = runtime_of(L).limits.max_string_bytes;
  if (!cxx(error, [&] {
        *text = json->dump(pretty ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::strict);
        text->push_back('\n');
      }))
    luaL_error(L, "imozuru.json: %s", error.text);
  if (text->size() > cap) luaL_error(L, "imozuru.json: the text would be more than %I bytes (raise it with --max-lua-string)", lua_Integer(cap));
  return text;
}

// imozuru.to_json(value [, {pretty = true}]) → text (with a final newline).
int tool_to_json(lua_State* L) {
  std::string* text = encode_json(L);
  lua_pushlstring(L, text->data(), text->size());
  return 1;
}

// imozuru.json(value [, {pretty = true}]): writes the JSON text to standard output.
int tool_json(lua_State* L) {
  std::string* text = encode_json(L);
  std::fwrite(text->data(), 1, text->size(), runtime_of(L).out);
  return 0;
}

// imozuru.write(...): writes strings (or numbers) with no separator or newline.
int tool_write(lua_State* L) {
  std::FILE* out = runtime_of(L).out;
  for (int i = 1, n = lua_gettop(L); i <= n; ++i) {
    size_t len;
    const char* s = luaL_checklstring(L, i, &len);
    std::fwrite(s, 1, len, out);
  }
  return 0;
}

const luaL_Reg kToolFunctions[] = {
    {"to_json", tool_to_json}, {"json", tool_json}, {"write", tool_write}, {nullptr, nullptr}};

}  // namespace

void open_tool(lua_State* L, const std::string& output_dir) {
  runtime_of(L).output_dir = output_dir;
  lua_newtable(L);
  luaL_setfuncs(L, kToolFunctions, 0);
  lua_pushliteral(L, IMOZURU_VERSION);
  lua_setfield(L, -2, "version");
  lua_setglobal(L, "imozuru");
}

}  // namespace imozuru::query
