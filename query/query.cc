#include "query/query.h"

#include <fstream>
#include <lua.hpp>
#include <sstream>
#include <stdexcept>

#include "query/bindings.h"

namespace imozuru::query {

int exit_code(Outcome outcome) {
  switch (outcome) {
    case Outcome::ok:
      return 0;
    case Outcome::script_error:
      return kExitScriptError;
    case Outcome::bad_reference:
      return kExitBadReference;
    case Outcome::time_limit:
      return kExitTimeLimit;
    case Outcome::memory_limit:
      return kExitMemoryLimit;
  }
  return kExitScriptError;
}

QueryResult run_query_text(const Model& model, std::string_view text, const QueryOptions& options) {
  QueryResult result;
  // A first line starting with '#' (#!/usr/bin/env ...) is skipped, as lua does; the newline stays
  // so line numbers do not move.
  if (!text.empty() && text[0] == '#') {
    size_t eol = text.find('\n');
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol);
  }
  try {
    Sandbox sandbox(options.limits, options.out);
    lua_State* L = sandbox.state();
    push_model(L, model, options.at, options.include_planned, options.person);
    lua_setglobal(L, "model");
    open_tool(L, options.output_dir);
    lua_createtable(L, static_cast<int>(options.args.size()), 1);
    lua_pushlstring(L, options.script_path.data(), options.script_path.size());
    lua_rawseti(L, -2, 0);
    for (size_t i = 0; i < options.args.size(); ++i) {
      lua_pushlstring(L, options.args[i].data(), options.args[i].size());
      lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
    }
    lua_setglobal(L, "arg");
    sandbox.seal();
    // The arguments also become the chunk's `...`: room for them on the stack
    // first (Lua guarantees only LUA_MINSTACK = 20 free slots).
    if (options.args.size() > 100000 || !lua_checkstack(L, static_cast<int>(options.args.size()) + 4))
      throw std::runtime_error("too many script arguments (" + std::to_string(options.args.size()) + ")");
    for (const std::string& a : options.args) lua_pushlstring(L, a.data(), a.size());
    result.outcome =
        sandbox.run(text, "@" + options.script_path, static_cast<int>(options.args.size()), result.message);
  } catch (const std::exception& e) {
    result.outcome = Outcome::script_error;
    result.message = e.what();
  }
  result.exit_code = exit_code(result.outcome);
  return result;
}

QueryResult run_query_file(const Model& model, const QueryOptions& options) {
  std::ifstream in(options.script_path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    QueryResult result;
    result.outcome = Outcome::script_error;
    result.exit_code = kExitScriptError;
    result.message = "cannot read the script '" + options.script_path + "'";
    return result;
  }
  return run_query_text(model, text.str(), options);
}

}  // namespace imozuru::query
