// imozuru reach MODEL --from REF[,REF...]: what knowing the start lets one
// link to (contract §6).
#include "cli/analysis_command.h"
#include "cli/commands.h"
#include "model/reach.h"

namespace imozuru::cli {
namespace {

struct ReachOptions {
  ModelOptions model;
  DateOptions date;
  OutputOptions output;
  std::vector<std::string> from;
};

void run_reach(const ReachOptions& o) {
  Model model = load_or_exit(o.model);
  ModelAt at(model, as_of_date(o.date), o.date.include_planned);
  std::vector<EntityRef> from;
  for (const std::string& text : o.from) from.push_back(parse_ref_or_exit(text, at));
  LinkageGraph graph(at);
  ReachResult result = reach(graph, from);
  write_result(o.output, model, result);
}

}  // namespace

void setup_reach(CLI::App& app) {
  auto o = std::make_shared<ReachOptions>();
  CLI::App* cmd = app.add_subcommand("reach", "Systems, identifiers and data reachable from what is known (芋づる)");
  add_model_options(*cmd, o->model);
  cmd->add_option("--from", o->from, "Start: identifier:ID, system:ID or data:ID, comma-separated")
      ->required()
      ->delimiter(',');
  add_date_options(*cmd, o->date);
  add_output_options(*cmd, o->output, {"text", "json"});
  cmd->callback([o] { run_reach(*o); });
}

}  // namespace imozuru::cli
