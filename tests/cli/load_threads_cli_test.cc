// IMOZURU_LOAD_THREADS sets how many threads read a model directory's files
// (docs/cli.md#several-cores): the answers never change with it, and a value
// that is not a number from 1 to 8 is said, in the command's language, and
// read as unset.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "support/run_imozuru.h"

using namespace imozuru::testing;

namespace {

// Runs with IMOZURU_LOAD_THREADS set to `value` (unset when empty).
Run run_with_threads(const std::string& value, const std::string& args, Stderr err = Stderr::dropped) {
  if (value.empty())
    unsetenv("IMOZURU_LOAD_THREADS");
  else
    setenv("IMOZURU_LOAD_THREADS", value.c_str(), 1);
  Run r = run_imozuru(args, err, Directory::source);
  unsetenv("IMOZURU_LOAD_THREADS");
  return r;
}

}  // namespace

TEST_CASE("IMOZURU_LOAD_THREADS: the same answers on one thread and on several", "[cli][load]") {
  const std::string args = "reach flows --from identifier:my_number --at 2026-01-01 --format json --no-cache";
  const Run unset = run_with_threads("", args);
  REQUIRE(unset.status == 0);
  REQUIRE(unset.out.find("\"systems\"") != std::string::npos);
  for (const std::string value : {"1", "2", "8"}) {
    INFO("IMOZURU_LOAD_THREADS=" << value);
    const Run r = run_with_threads(value, args, Stderr::merged);
    CHECK(r.status == 0);
    CHECK(r.out == unset.out);  // merged: no warning either
  }
}

TEST_CASE("IMOZURU_LOAD_THREADS: a value that is not 1 to 8 is said and ignored, in ja and en",
          "[cli][load]") {
  for (const std::string value : {"abc", "0", "9", "2x", "-1", " 2"}) {
    INFO("IMOZURU_LOAD_THREADS=" << value);
    const Run en = run_with_threads(value, "validate flows --no-cache --lang en", Stderr::merged);
    CHECK(en.status == 0);
    CHECK(contains(en.out, "imozuru: warning: IMOZURU_LOAD_THREADS='" + value +
                               "' is not a whole number from 1 to 8; reading the model files on one thread "
                               "per core\n"));
    const Run ja = run_with_threads(value, "validate flows --no-cache", Stderr::merged);
    CHECK(ja.status == 0);
    CHECK(contains(
        ja.out, "環境変数 IMOZURU_LOAD_THREADS の値 '" + value + "' は 1 から 8 までの整数ではありません"));
  }
}
