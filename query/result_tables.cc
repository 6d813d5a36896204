#include "query/result_tables.h"

#include <cstdio>
#include <type_traits>

#include "output/analysis_json.h"
#include "output/person_output.h"

namespace imozuru::query {
namespace {

class LuaTableWriter final : public ResultWriter {
 public:
  // Pushes the registry's table of id strings for `m` (made on first use).
  LuaTableWriter(lua_State* L, const Model& m) : L_(L), m_(m) {
    luaL_checkstack(L, 4, "analysis result");
    lua_pushlightuserdata(L, const_cast<Model*>(&m));
    if (lua_rawget(L, LUA_REGISTRYINDEX) != LUA_TTABLE) {
      lua_pop(L, 1);
      lua_createtable(L, 0, 0);
      lua_pushlightuserdata(L, const_cast<Model*>(&m));
      lua_pushvalue(L, -2);
      lua_rawset(L, LUA_REGISTRYINDEX);
    }
    ids_ = lua_gettop(L);
  }
  // Leaves the written value alone on top, where the id table was.
  void finish() { lua_remove(L_, ids_); }

  void begin_object(std::size_t size) override {
    lua_createtable(L_, 0, static_cast<int>(size));
    open(false);
  }
  void begin_array(std::size_t size) override {
    lua_createtable(L_, static_cast<int>(size), 0);
    open(true);
  }
  void end() override {
    --depth_;
    attach();
  }
  void key(std::string_view key) override { lua_pushlstring(L_, key.data(), key.size()); }
  void string(std::string_view text) override {
    lua_pushlstring(L_, text.data(), text.size());
    attach();
  }
  void integer(long long value) override {
    lua_pushinteger(L_, static_cast<lua_Integer>(value));
    attach();
  }
  void boolean(bool value) override {
    lua_pushboolean(L_, value);
    attach();
  }
  void number(double value) override {
    lua_pushnumber(L_, static_cast<lua_Number>(value));
    attach();
  }
  void date(const Date& d) override {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", d.year, d.month, d.day);
    lua_pushstring(L_, text);
    attach();
  }
  void ref(EntityKind kind, std::string_view id) override {
    const std::string_view k = to_string(kind);
    lua_pushlstring(L_, k.data(), k.size());
    lua_pushliteral(L_, ":");
    lua_pushlstring(L_, id.data(), id.size());
    lua_concat(L_, 3);
    attach();
  }
  void id(EntityKind kind, Index index, std::string_view id) override {
    if (kind != EntityKind::system && kind != EntityKind::identifier && kind != EntityKind::data)
      return string(id);
    lua_Integer slot = 1 + static_cast<lua_Integer>(index);
    if (kind != EntityKind::system) slot += static_cast<lua_Integer>(m_.systems.size());
    if (kind == EntityKind::data) slot += static_cast<lua_Integer>(m_.identifiers.size());
    if (lua_rawgeti(L_, ids_, slot) == LUA_TNIL) {
      lua_pop(L_, 1);
      lua_pushlstring(L_, id.data(), id.size());
      lua_pushvalue(L_, -1);
      lua_rawseti(L_, ids_, slot);
    }
    attach();
  }

 private:
  void open(bool array) {
    if (depth_ == kMaxDepth) luaL_error(L_, "analysis result nested too deeply");
    luaL_checkstack(L_, 4, "analysis result");
    array_[depth_] = array;
    count_[depth_] = 0;
    ++depth_;
  }
  // Stores the value on top into the open container below it (under the key
  // below the value, for an object); the outermost value stays on the stack.
  void attach() {
    if (depth_ == 0) return;
    if (array_[depth_ - 1])
      lua_rawseti(L_, -2, ++count_[depth_ - 1]);
    else
      lua_rawset(L_, -3);
  }

  static constexpr int kMaxDepth = 8;
  lua_State* L_;
  const Model& m_;
  int ids_ = 0;
  int depth_ = 0;
  bool array_[kMaxDepth] = {};
  lua_Integer count_[kMaxDepth] = {};
};
// A Lua error unwinds with longjmp, past the writer: it must need no destructor.
static_assert(std::is_trivially_destructible_v<LuaTableWriter>);

template <typename Result>
int push(lua_State* L, const Model& m, const Result& r) {
  LuaTableWriter writer(L, m);
  write_result(writer, m, r);
  writer.finish();
  return 1;
}

}  // namespace

int push_result(lua_State* L, const Model& m, const ReachResult& r) { return push(L, m, r); }
int push_result(lua_State* L, const Model& m, const ChainsResult& r) { return push(L, m, r); }
int push_result(lua_State* L, const Model& m, const DownstreamResult& r) { return push(L, m, r); }
int push_result(lua_State* L, const Model& m, const GapsResult& r) { return push(L, m, r); }
int push_result(lua_State* L, const Model& m, const DiffResult& r) { return push(L, m, r); }
int push_result(lua_State* L, const Model& m, const PersonResult& r) { return push(L, m, r); }

}  // namespace imozuru::query
