// What loading costs as models grow: positions on very long lines (a model
// in one-line flow style, as JSON tools write it) and the memory each
// reference keeps for the life of the model.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "model/load.h"

using namespace imozuru;

namespace {

std::string printed(const Diagnostics& d) {
  std::ostringstream out;
  d.print(out);
  return out.str();
}

}  // namespace

TEST_CASE("scale: a reference and a position stay small", "[load][scale]") {
  // Millions of these live as long as the model: a position names its file by
  // number, not by a pointer to a shared string.
  CHECK(sizeof(SourcePos) <= 12);
  CHECK(sizeof(Ref) <= 48);
}

TEST_CASE("scale: columns on one long line count characters, whatever order they are asked in",
          "[load][scale]") {
  // One line, wide characters before and between the problems; errors are
  // found in a different order from their columns (unknown fields while the
  // entity is read, unknown ids when the model is validated).
  std::string line = "{sources: [{id: s, title: 出典}], systems: [";
  for (int i = 0; i < 2000; ++i)
    line +=
        "{id: s" + std::to_string(i) + ", name: 名前" + std::to_string(i) + ", sector: x, sources: [s]}, ";
  line += "{id: bad, name: 悪い, sector: x, sources: [nope], colour: red}]}\n";
  LoadResult r = load_model_text(line, "one.yaml");
  REQUIRE_FALSE(r.model);
  auto column_of = [&](const std::string& text) {
    const std::size_t end = line.find(text);
    int chars = 0;
    for (std::size_t i = 0; i < end; ++i) chars += (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80;
    return chars + 1;
  };
  const int colour = column_of("colour: red"), nope = column_of("nope]");
  REQUIRE(nope < colour);
  const std::string out = printed(r.diagnostics);
  INFO(out.substr(0, 2000));
  CHECK(out.find("one.yaml:1:" + std::to_string(colour) + ": error: unknown field 'colour'") !=
        std::string::npos);
  CHECK(out.find("one.yaml:1:" + std::to_string(nope) + ": error: unknown source 'nope'") !=
        std::string::npos);
}

TEST_CASE("scale: positions on one long line cost linear work", "[load][scale]") {
  // Counting each position's column from the start of its line made a
  // one-line model of 1.35 MB take 30 s. The loader reports how many bytes it
  // scanned to turn byte columns into character columns.
  std::string line = "{sources: [{id: s, title: S}], systems: [";
  for (int i = 0; i < 20000; ++i)
    line +=
        "{id: s" + std::to_string(i) + ", name: 名前, sector: x, sources: [s], holds: {identifiers: []}}, ";
  line += "{id: last, name: L, sector: x, sources: [s]}]}\n";
  LoadResult r = load_model_text(line, "one.yaml");
  INFO(printed(r.diagnostics));
  REQUIRE(r.model);
  CHECK(r.model->systems.size() == 20001);
  CHECK(r.position_bytes_scanned <= 2 * line.size());
}
