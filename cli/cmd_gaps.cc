// imozuru gaps MODEL: consent gaps (contract §7).
#include "cli/analysis_command.h"
#include "cli/commands.h"
#include "model/gaps.h"
#include "output/analysis_csv.h"

namespace imozuru::cli {
namespace {

struct GapsOptions {
  ModelOptions model;
  DateOptions date;
  OutputOptions output;
  std::string person;
};

void run_gaps(const GapsOptions& o) {
  Model model = load_or_exit(o.model);
  ModelAt at = model_at_or_exit(model, o.date, o.person);
  GapsResult result = find_gaps(at);
  if (o.output.format == "csv")
    write_output(o.output.path, to_csv(model, result));
  else
    write_result(o.output, model, result);
}

}  // namespace

void setup_gaps(CLI::App& app) {
  auto o = std::make_shared<GapsOptions>();
  CLI::App* cmd = app.add_subcommand("gaps", "Consent gaps: sensitive data moved without a person's own choice");
  add_model_options(*cmd, o->model);
  add_date_options(*cmd, o->date);
  add_person_option(*cmd, o->person);
  add_output_options(*cmd, o->output, {"text", "json", "csv"});
  cmd->callback([o] { run_gaps(*o); });
}

}  // namespace imozuru::cli
