// imozuru query MODEL SCRIPT.lua [ARGS...]: runs a sandboxed Lua script
// against the model at a date. imozuru's options go before the script's
// first argument; from there on (or after `--`) everything is the script's.
#include <CLI/CLI.hpp>
#include <cstddef>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/options.h"
#include "query/query.h"

namespace imozuru::cli {

namespace {
// 4M: Lua itself, the model's handle and an error message.
constexpr unsigned long long kMinQueryMemory = 4ull << 20;
struct QueryCommandOptions {
  ModelOptions model;
  DateOptions date;
  std::string script;
  double timeout_seconds = 10;
  std::size_t memory_bytes = std::size_t{1} << 30;
  std::size_t max_string_bytes = std::size_t{64} << 20;
  std::string output_dir = ".";
  std::string person;
  std::vector<std::string> after_dashes;  // split_off_script_arguments
};
}  // namespace

std::vector<std::string> split_off_script_arguments(std::vector<char*>& args) {
  std::vector<std::string> after;
  if (args.size() < 2 || std::string(args[1]) != "query") return after;
  for (size_t i = 2; i < args.size(); ++i) {
    if (std::string(args[i]) != "--") continue;
    after.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
    args.resize(i);
    break;
  }
  return after;
}

void setup_query(CLI::App& app, std::vector<std::string> script_arguments) {
  auto o = std::make_shared<QueryCommandOptions>();
  o->after_dashes = std::move(script_arguments);
  CLI::App* cmd = app.add_subcommand(
      "query",
      "Run a sandboxed Lua script on the model (exit 1 script error, 2 bad model or reference, 3 time limit, "
      "4 memory limit)");
  add_model_options(*cmd, o->model);
  cmd->add_option("SCRIPT", o->script,
                  "Lua script; its arguments follow it (after -- if they look like options)")
      ->required();
  add_date_options(*cmd, o->date);
  add_person_option(*cmd, o->person);
  cmd->add_option("--timeout", o->timeout_seconds, "Stop the script after this many seconds")
      ->capture_default_str()
      ->check(number_between(0.001, 86400, "seconds"));
  cmd->add_option(
         "--memory", o->memory_bytes,
         "Most memory the script may use, Lua's and the C++ memory made for it, in bytes (suffixes K, M, G)")
      ->transform(CLI::AsSizeValue(false))
      ->check(byte_size(kMinQueryMemory))
      ->capture_default_str();
  cmd->add_option("--max-lua-string", o->max_string_bytes,
                  "Longest string one string.rep, imozuru.json or imozuru.csv call may build, in bytes "
                  "(suffixes K, M, G)")
      ->transform(CLI::AsSizeValue(false))
      ->check(byte_size(1))
      ->capture_default_str();
  cmd->add_option("--output-dir", o->output_dir, "Directory below which model:render may write files")
      ->capture_default_str();
  cmd->prefix_command();
  cmd->callback([o, cmd] {
    Model model = load_or_exit(o->model);
    query::QueryOptions q;
    q.script_path = o->script;
    q.args = cmd->remaining();
    q.args.insert(q.args.end(), o->after_dashes.begin(), o->after_dashes.end());
    q.at = as_of_date(o->date);
    q.include_planned = o->date.include_planned;
    q.person = person_or_exit(model, o->person, q.at, q.include_planned);
    q.limits.timeout_seconds = o->timeout_seconds;
    q.limits.memory_bytes = o->memory_bytes;
    q.limits.max_string_bytes = o->max_string_bytes;
    q.limits.exit_when_stuck = true;  // a process of its own: a stuck C call may end it
    q.output_dir = o->output_dir;
    query::QueryResult result = query::run_query_file(model, q);
    std::cout.flush();
    if (result.exit_code != 0) {
      std::cerr << result.message << "\n";
      throw Exit{result.exit_code};
    }
  });
}

}  // namespace imozuru::cli
