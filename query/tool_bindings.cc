// The C primitives of the `imozuru` table: JSON through nlohmann, raw output,
// display width.
// Everything else in the table is Lua (query/lua/imozuru.lua).
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "query/bindings.h"
#include "query/lua_support.h"
#include "query/sandbox.h"
#include "text/width.h"

#ifndef IMOZURU_VERSION
#error "IMOZURU_VERSION is the project version, defined by query/CMakeLists.txt"
#endif

namespace imozuru::query {
namespace {

// The JSON text, refused as soon as it grows past --max-lua-string (the
// memory budget counts it too, query/cxx_memory.h).
class CappedText : public nlohmann::detail::output_adapter_protocol<char> {
 public:
  struct TooLong {};
  CappedText(std::string& text, std::size_t cap) : text_(text), cap_(cap) {}
  void write_character(char c) override {
    if (text_.size() >= cap_) throw TooLong{};
    text_.push_back(c);
  }
  void write_characters(const char* s, std::size_t n) override {
    if (n > cap_ - text_.size()) throw TooLong{};
    text_.append(s, n);
  }

 private:
  std::string& text_;
  std::size_t cap_;
};

// Encodes the value at index 1 into a boxed string left on the stack;
// `what` names the function in messages.
std::string* encode_json(lua_State* L, const char* what) {
  luaL_checkany(L, 1);
  bool pretty = true;
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_getfield(L, 2, "pretty");
    if (!lua_isnil(L, -1)) pretty = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  auto* json = new_box<nlohmann::json>(L);
  ErrorText error;
  if (!lua_to_json(L, 1, *json, error)) luaL_error(L, "%s: %s", what, error.text);
  auto* text = new_box<std::string>(L);
  const size_t cap = runtime_of(L).limits.max_string_bytes;
  bool too_long = false;
  const bool ok = cxx(error, [&] {
    try {
      // A final newline must fit too.
      auto out = std::make_shared<CappedText>(*text, cap > 0 ? cap - 1 : 0);
      nlohmann::detail::serializer<nlohmann::json> serializer(out, ' ',
                                                              nlohmann::json::error_handler_t::strict);
      serializer.dump(*json, pretty, false, pretty ? 2 : 0);
      text->push_back('\n');
    } catch (const CappedText::TooLong&) {
      too_long = true;
    }
  });
  *json = nlohmann::json();  // the tree is not needed any more
  if (!ok) {
    if (runtime_of(L).memory_tripped) raise_tripped_limit(L);
    luaL_error(L, "%s: %s", what, error.text);
  }
  if (too_long) {
    *text = std::string();
    luaL_error(L, "%s: the text would be more than %I bytes (raise it with --max-lua-string)", what,
               lua_Integer(cap));
  }
  return text;
}

// imozuru.to_json(value [, {pretty = true}]) → text (with a final newline).
int tool_to_json(lua_State* L) {
  std::string* text = encode_json(L, "imozuru.json");
  lua_pushlstring(L, text->data(), text->size());
  return 1;
}

// imozuru.json(value [, {pretty = true}]): writes the JSON text to standard output.
int tool_json(lua_State* L) {
  std::string* text = encode_json(L, "imozuru.json");
  write_output(L, text->data(), text->size());
  return 0;
}

// imozuru.write(...): writes strings (or numbers) with no separator or newline.
int tool_write(lua_State* L) {
  for (int i = 1, n = lua_gettop(L); i <= n; ++i) {
    size_t len;
    const char* s = luaL_checklstring(L, i, &len);
    write_output(L, s, len);
  }
  return 0;
}

// imozuru.usage(message): ends the script with `message` and exit status 2,
// without a traceback: for a mistake in the script's arguments.
int tool_usage(lua_State* L) {
  size_t len;
  const char* message = luaL_checklstring(L, 1, &len);
  Runtime& rt = runtime_of(L);
  std::snprintf(rt.bad_reference, sizeof rt.bad_reference, "%.*s", int(len < 500 ? len : 500), message);
  rt.usage_error = true;
  lua_settop(L, 1);
  return lua_error(L);
}

// imozuru.width(text): terminal columns of UTF-8 text (a CJK character is
// two), as the tool's own text output lines up.
int tool_width(lua_State* L) {
  size_t len;
  const char* text = luaL_checklstring(L, 1, &len);
  lua_pushinteger(L, static_cast<lua_Integer>(text::display_width(std::string_view(text, len))));
  return 1;
}

const luaL_Reg kToolFunctions[] = {{"to_json", tool_to_json}, {"json", tool_json},   {"write", tool_write},
                                   {"usage", tool_usage},     {"width", tool_width}, {nullptr, nullptr}};

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
