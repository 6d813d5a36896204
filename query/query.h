// imozuru query: runs a Lua script against a model at a date, sandboxed.
//
// Exit statuses: 0 the script finished; 1 a syntax or runtime error in the
// script (or an unreadable script); 2 a bad reference reached the API and
// the script did not catch it (an unknown id given on the command line);
// 3 the time limit; 4 the memory limit.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "model/date.h"
#include "model/model.h"
#include "query/sandbox.h"

namespace imozuru::query {

inline constexpr int kExitScriptError = 1;
inline constexpr int kExitBadReference = 2;
inline constexpr int kExitTimeLimit = 3;
inline constexpr int kExitMemoryLimit = 4;

struct QueryOptions {
  std::string script_path;        // arg[0] and the chunk name in messages
  std::vector<std::string> args;  // arg[1..n] and the chunk's `...`
  Date at;
  bool include_planned = false;
  Index person = kNone;  // the global model is the model for this person
  Limits limits;
  std::string output_dir = ".";  // where model:render may write
  std::FILE* out = stdout;       // print, imozuru.json, imozuru.csv
};

struct QueryResult {
  Outcome outcome = Outcome::ok;
  int exit_code = 0;
  std::string message;  // "script.lua:LINE: message" and a traceback; empty on success
};

int exit_code(Outcome outcome);

// Reads `options.script_path` and runs it.
QueryResult run_query_file(const Model& model, const QueryOptions& options);
// Runs `text` as if it were the file `options.script_path`.
QueryResult run_query_text(const Model& model, std::string_view text, const QueryOptions& options);

}  // namespace imozuru::query
