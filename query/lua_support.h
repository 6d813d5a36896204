// What every binding needs to keep C++ and Lua's longjmp apart: C++ objects
// boxed in userdata (destroyed by __gc, so an error raised while they are
// alive leaks nothing and skips no destructor), and C++ calls that turn
// exceptions into a message raised only after the call has returned.
#pragma once

#include <cstdio>
#include <exception>
#include <lua.hpp>
#include <new>
#include <nlohmann/json.hpp>
#include <utility>

#include "query/cxx_memory.h"
#include "query/sandbox.h"

namespace imozuru::query {

struct BoxHeader {
  void (*destroy)(void*) = nullptr;  // set once the object is constructed
};
template <typename T>
struct Boxed {
  BoxHeader header;
  T value;
};

// Pushes a metatable `name` whose __gc destroys a boxed object.
void push_box_metatable(lua_State* L, const char* name);

// Creates a T in a new userdata at the top of the stack and returns it.
// The C++ memory a box owns counts against --memory (query/cxx_memory.h);
// boxes that are garbage are collected first when that memory has grown.
template <typename T, typename... Args>
T* new_box(lua_State* L, const char* metatable, Args&&... args) {
  collect_if_cxx_grew(L);
  auto* box = static_cast<Boxed<T>*>(lua_newuserdatauv(L, sizeof(Boxed<T>), 0));
  box->header.destroy = nullptr;
  push_box_metatable(L, metatable);
  lua_setmetatable(L, -2);
  bool constructed = false;
  try {
    CxxMayFail may_fail;
    new (&box->value) T(std::forward<Args>(args)...);
    constructed = true;
  } catch (...) {
  }
  if (!constructed) {
    if (runtime_of(L).memory_tripped) raise_tripped_limit(L);
    luaL_error(L, "out of memory");
  }
  box->header.destroy = [](void* p) { static_cast<Boxed<T>*>(p)->value.~T(); };
  return &box->value;
}
template <typename T>
T* new_box(lua_State* L) {
  return new_box<T>(L, "imozuru.box");
}

// An error message built in C++ and raised after the C++ code has finished.
struct ErrorText {
  char text[512] = {0};
  bool failed() const { return text[0] != '\0'; }
};

// Runs `f`, catching every exception into `error`. `f` must not call Lua.
// An allocation past --memory throws std::bad_alloc inside `f`; the run then
// ends with the memory limit whatever the caller does with `error`.
template <typename F>
bool cxx(ErrorText& error, F&& f) {
  try {
    CxxMayFail may_fail;
    f();
    return true;
  } catch (const std::bad_alloc&) {
    std::snprintf(error.text, sizeof error.text, "out of memory");
  } catch (const std::exception& e) {
    std::snprintf(error.text, sizeof error.text, "%s", e.what());
  } catch (...) {
    std::snprintf(error.text, sizeof error.text, "unknown error");
  }
  return false;
}

// JSON ↔ Lua: objects are tables with string keys, arrays are sequences.
void push_json(lua_State* L, const nlohmann::ordered_json& value);
// Converts the Lua value at `index` into `out`; an empty table becomes [].
// On failure fills `error` (a cycle, a function, a key that is not a string).
bool lua_to_json(lua_State* L, int index, nlohmann::json& out, ErrorText& error);

}  // namespace imozuru::query
