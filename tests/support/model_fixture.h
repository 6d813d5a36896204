// Loading a model of tests/fixtures/, or the reference model flows/, for a
// test: a model that does not load fails the test with its diagnostics.
#pragma once

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <utility>

#include "model/load.h"

namespace imozuru::testing {

// `relative`: a path below tests/fixtures/, e.g. "analysis/quasi.yaml".
inline Model load_fixture(const std::string& relative) {
  LoadResult r = load_model(std::string(IMOZURU_FIXTURES) + "/" + relative);
  std::ostringstream diagnostics;
  r.diagnostics.print(diagnostics);
  INFO(diagnostics.str());
  REQUIRE(r.model);
  return std::move(*r.model);
}

// The reference model (flows/), loaded once per test program.
inline const Model& reference_model() {
  static const Model model = [] {
    LoadResult r = load_model(std::string(IMOZURU_SOURCE_DIR) + "/flows");
    std::ostringstream diagnostics;
    r.diagnostics.print(diagnostics);
    if (!r.model) FAIL("flows/ does not load:\n" << diagnostics.str());
    return std::move(*r.model);
  }();
  return model;
}

}  // namespace imozuru::testing
