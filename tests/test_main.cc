// Catch's main, with the parsed-model cache turned off for every imozuru a
// test starts (docs/performance.md#parsed-model-cache): tests never write
// into the user's ~/.cache, and their results never depend on a snapshot.
// The cache's own tests give --cache-dir, which turns it on in their
// scratch directory.
#define CATCH_CONFIG_RUNNER
#include <stdlib.h>

#include <catch2/catch.hpp>

int main(int argc, char* argv[]) {
  setenv("IMOZURU_NO_CACHE", "1", 1);
  return Catch::Session().run(argc, argv);
}
