// imozuru schema [-o FILE]: the JSON Schema of one model file, generated from
// the kind table, for editors and CI (docs/model-format.md, "JSON Schema").
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "export/export.h"

namespace imozuru::cli {

void setup_schema(CLI::App& app) {
  auto output = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("schema", "Write the JSON Schema of a model file (for editors and CI)");
  cmd->add_option("-o,--output", *output, "Output file (default: stdout)");
  cmd->callback([output] { write_output(*output, model_json_schema()); });
}

}  // namespace imozuru::cli
