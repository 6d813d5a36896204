// imozuru diff MODEL --from D1 --to D2: what became active or inactive, which
// systems became (or stopped being) directly joinable, which gaps appeared.
#include "cli/analysis_command.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "model/diff.h"
#include "output/analysis_csv.h"
#include "output/legal_text.h"

namespace imozuru::cli {
namespace {

struct DiffCommandOptions {
  ModelOptions model;
  OutputOptions output;
  std::string from, to;
  bool include_planned = false;
  std::size_t max_pairs = 10000;
  std::string person;
};

void run_diff(const DiffCommandOptions& o) {
  Date from = parse_date_or_exit(o.from, "--from"), to = parse_date_or_exit(o.to, "--to");
  const Model& model = load_for_process_or_exit(o.model, o.output.lang);
  DiffOptions options;
  options.include_planned = o.include_planned;
  options.max_pairs = o.max_pairs;
  // The person must be someone at both dates.
  options.person = person_or_exit(model, o.person, from, o.include_planned);
  person_or_exit(model, o.person, to, o.include_planned);
  DiffResult result = diff(model, from, to, options);
  if (result.pairs_truncated)
    warn("more than " + std::to_string(o.max_pairs) +
         " system pairs changed joinability; raise --max-pairs to list all");
  // The reasons of the gaps that appeared or disappeared, in the output language.
  set_gap_reasons(model, result, lang_or_default(o.output.lang, model));
  if (o.output.format == "csv")
    write_output(o.output.path, to_csv(model, result));
  else
    write_result(o.output, model, result);
}

}  // namespace

void setup_diff(CLI::App& app) {
  auto o = std::make_shared<DiffCommandOptions>();
  CLI::App* cmd =
      app.add_subcommand("diff", "What changed between two dates: entities, joinable pairs, consent gaps");
  add_model_options(*cmd, o->model);
  cmd->add_option("--from", o->from, "The earlier date (YYYY[-MM[-DD]])")->required();
  cmd->add_option("--to", o->to, "The later date (YYYY[-MM[-DD]])")->required();
  cmd->add_flag("--include-planned", o->include_planned, "Count planned and proposed entities as active");
  add_person_option(*cmd, o->person);
  cmd->add_option("--max-pairs", o->max_pairs, "Most system pairs listed per direction")
      ->capture_default_str()
      ->check(whole_number(0))
      ->group("Limits");
  add_output_options(*cmd, o->output, {"text", "json", "csv"});
  cmd->callback([o] { run_diff(*o); });
}

}  // namespace imozuru::cli
