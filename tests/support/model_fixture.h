// Loading a model of tests/fixtures/ for a test: a model that does not load
// fails the test with its diagnostics.
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

}  // namespace imozuru::testing
