// The globals a query script sees: `model` (the model at a date, with its
// analyses) and `imozuru` (writing JSON/CSV, rendering, helpers).
#pragma once

#include <string>

#include "model/date.h"
#include "model/model.h"

struct lua_State;

namespace imozuru::query {

// Registers the Model metatable and pushes a model handle for `model` at
// `at` (for `person`, an index into model.persons, or kNone for everyone).
// `model` must outlive the Lua state.
void push_model(lua_State* L, const Model& model, const Date& at, bool include_planned, Index person = kNone);

// Creates the global `imozuru` table with the C primitives; the Lua part
// (query/lua/imozuru.lua) is added when the sandbox is sealed.
void open_tool(lua_State* L, const std::string& output_dir);

}  // namespace imozuru::query
