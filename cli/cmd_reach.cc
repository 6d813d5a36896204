// imozuru reach MODEL --from REF[,REF...]: what knowing the start lets one
// link to (docs/cli.md#chains).
#include "cli/analysis_command.h"
#include "cli/commands.h"
#include "model/reach.h"

namespace imozuru::cli {
namespace {

struct ReachCommandOptions {
  ModelOptions model;
  DateOptions date;
  OutputOptions output;
  std::vector<std::string> from;
  std::string person;
  JoinOptions joins;
};

void run_reach(const ReachCommandOptions& o) {
  const Model& model = load_for_process_or_exit(o.model, o.output.lang);
  ModelAt at = model_at_or_exit(model, o.date, o.person);
  std::vector<EntityRef> from;
  for (const std::string& text : o.from) from.push_back(parse_ref_or_exit(text, at));
  LinkageGraph graph(at);
  ReachResult result = reach(graph, from, ReachOptions{o.joins.open_only, o.joins.max_error()});
  write_result(o.output, model, result);
}

}  // namespace

void setup_reach(CLI::App& app) {
  auto o = std::make_shared<ReachCommandOptions>();
  CLI::App* cmd =
      app.add_subcommand("reach", "Systems, identifiers and data reachable from what is known (芋づる)");
  add_model_options(*cmd, o->model);
  cmd->add_option("--from", o->from, "Start: identifier:ID, system:ID or data:ID, comma-separated")
      ->required()
      ->delimiter(',');
  add_date_options(*cmd, o->date);
  add_person_option(*cmd, o->person);
  add_join_options(*cmd, o->joins);
  add_output_options(*cmd, o->output, {"text", "json"});
  cmd->callback([o] { run_reach(*o); });
}

}  // namespace imozuru::cli
