// imozuru validate MODEL [--strict]: every problem, or a one-line summary.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"
#include "text/escape.h"

namespace imozuru::cli {

void setup_validate(CLI::App& app) {
  auto options = std::make_shared<ModelOptions>();
  CLI::App* cmd =
      app.add_subcommand("validate", "Check a model; list every problem (exit 0 valid, 2 invalid)");
  add_model_options(*cmd, *options);
  cmd->add_flag("--strict", options->strict, "Treat warnings as errors");
  cmd->callback([options] {
    Model model = load_or_exit(*options);
    std::cout << (options->path == "-" ? std::string("<stdin>") : text::terminal_text(options->path))
              << ": valid: " << model.systems.size() << " systems, " << model.identifiers.size()
              << " identifiers, " << model.data.size() << " data items, " << model.flows.size() << " flows, "
              << model.laws.size() << " laws, " << model.actors.size() << " actors, " << model.sources.size()
              << " sources\n";
  });
}

}  // namespace imozuru::cli
