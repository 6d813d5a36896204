// imozuru: find where a person's records can be chain-linked (芋づる式) across
// the systems, identifiers and data flows of a model.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/common.h"

#ifndef IMOZURU_VERSION
#define IMOZURU_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  CLI::App app{"imozuru: chain-link (芋づる) analysis of personal-data systems", "imozuru"};
  app.set_version_flag("--version", "imozuru " IMOZURU_VERSION);
  app.require_subcommand(1);
  app.fallthrough(false);
  imozuru::cli::setup_validate(app);
  imozuru::cli::setup_reach(app);
  imozuru::cli::setup_chains(app);
  imozuru::cli::setup_downstream(app);
  imozuru::cli::setup_gaps(app);
  imozuru::cli::setup_diff(app);
  imozuru::cli::setup_info(app);
  imozuru::cli::setup_export(app);
  imozuru::cli::setup_query(app);
  imozuru::cli::setup_render(app);
  imozuru::cli::setup_report(app);
  imozuru::cli::setup_html(app);
  imozuru::cli::setup_schema(app);

  // For `query`, everything after the first `--` belongs to the script.
  std::vector<char*> args(argv, argv + argc);
  if (argc > 1 && std::string(argv[1]) == "query") {
    for (size_t i = 2; i < args.size(); ++i) {
      if (std::string(args[i]) != "--") continue;
      for (size_t j = i + 1; j < args.size(); ++j) imozuru::cli::script_arguments_after_dashes().push_back(args[j]);
      args.resize(i);
      break;
    }
  }
  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const imozuru::cli::Exit& e) {
    return e.code;
  } catch (const std::exception& e) {
    std::cerr << "imozuru: error: " << e.what() << "\n";
    return imozuru::cli::kExitFailure;
  }
  return 0;
}
