// Analysis results as Lua tables: the JSON shape (docs/cli.md) that output/analysis_json.h
// writes (write_result), built straight into Lua without a JSON document.
#pragma once

#include <lua.hpp>

#include "model/chains.h"
#include "model/diff.h"
#include "model/downstream.h"
#include "model/gaps.h"
#include "model/person.h"
#include "model/reach.h"

namespace imozuru::query {

// Each pushes one table and returns 1. Every system, identifier and data id
// is one Lua string per model, made on first use and kept in the registry
// (with the similar ids of a large model, hashing fresh strings into Lua's
// string table was a quarter of a loop over reach). A memory error raises a
// Lua error and leaks nothing: no C++ object with a destructor is alive.
int push_result(lua_State* L, const Model& model, const ReachResult& result);
int push_result(lua_State* L, const Model& model, const ChainsResult& result);
int push_result(lua_State* L, const Model& model, const DownstreamResult& result);
int push_result(lua_State* L, const Model& model, const GapsResult& result);
int push_result(lua_State* L, const Model& model, const DiffResult& result);
int push_result(lua_State* L, const Model& model, const PersonResult& result);

}  // namespace imozuru::query
