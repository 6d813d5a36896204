// One function per subcommand: it adds the subcommand to `app` with its
// options and sets the callback that runs it. Each lives in cmd_NAME.cc.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace imozuru::cli {

void setup_validate(CLI::App& app);
void setup_reach(CLI::App& app);
void setup_chains(CLI::App& app);
void setup_person(CLI::App& app);
void setup_downstream(CLI::App& app);
void setup_gaps(CLI::App& app);
void setup_diff(CLI::App& app);
void setup_info(CLI::App& app);
void setup_export(CLI::App& app);
// `imozuru query MODEL SCRIPT … -- ARGS`: everything after the first `--`
// belongs to the script verbatim (CLI11 would parse it). Removes it from
// `args` and returns it, for setup_query.
std::vector<std::string> split_off_script_arguments(std::vector<char*>& args);
void setup_query(CLI::App& app, std::vector<std::string> script_arguments);
void setup_render(CLI::App& app);
void setup_report(CLI::App& app);
void setup_html(CLI::App& app);
void setup_schema(CLI::App& app);

}  // namespace imozuru::cli
