// docs/schema/imozuru-model.schema.json is what `imozuru schema` writes: the
// schema generated from the kind table, so it cannot drift from the loader
// (tools/schema-check checks that both judge the same files alike).
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "export/export.h"

TEST_CASE("schema: the committed schema is the one generated from the kind table", "[schema]") {
  std::ifstream in(IMOZURU_SOURCE_DIR "/docs/schema/imozuru-model.schema.json", std::ios::binary);
  std::ostringstream committed;
  committed << in.rdbuf();
  INFO("regenerate with: build/imozuru schema -o docs/schema/imozuru-model.schema.json");
  CHECK(committed.str() == imozuru::model_json_schema());
}
