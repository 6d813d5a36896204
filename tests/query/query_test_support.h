// Running Lua text against a model and capturing what it writes.
#pragma once

#include <cstdio>
#include <string>

#include "model/load.h"
#include "query/query.h"

namespace imozuru::query::testing {

struct Run {
  QueryResult result;
  std::string out;
};

// The small hand-checked model of tests/fixtures/query/small.yaml.
inline const Model& small_model() {
  static const Model model = [] {
    LoadResult loaded = load_model(std::string(IMOZURU_FIXTURES) + "/query/small.yaml");
    if (!loaded.model) throw std::runtime_error("tests/fixtures/query/small.yaml does not load");
    return std::move(*loaded.model);
  }();
  return model;
}

inline Run run_lua(const std::string& text, Limits limits = {}, const char* at = "2026-01-01",
                   const Model& model = small_model()) {
  Run run;
  std::FILE* out = std::tmpfile();
  QueryOptions options;
  options.script_path = "test.lua";
  options.at = *Date::parse(at);
  options.limits = limits;
  options.out = out;
  run.result = run_query_text(model, text, options);
  std::fflush(out);
  std::rewind(out);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, out)) > 0) run.out.append(buf, n);
  std::fclose(out);
  return run;
}

}  // namespace imozuru::query::testing
