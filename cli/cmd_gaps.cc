// imozuru gaps MODEL: consent gaps (docs/model-format.md, "Consent gaps"), as
// text for a brief, JSON, CSV or SARIF; --status open hides gaps an
// assessment closed; --fail-on makes it a CI gate (exit 3).
#include "cli/analysis_command.h"
#include "cli/commands.h"
#include "model/gaps.h"
#include "output/analysis_csv.h"
#include "output/gaps_sarif.h"

#ifndef IMOZURU_VERSION
#define IMOZURU_VERSION ""
#endif

namespace imozuru::cli {
namespace {

struct GapsOptions {
  ModelOptions model;
  DateOptions date;
  OutputOptions output;
  std::string person;
  std::string status = "all";
  std::string fail_on;  // empty: never fail because of gaps
};

void run_gaps(const GapsOptions& o) {
  const Model& model = load_for_process_or_exit(o.model, o.output.lang);
  ModelAt at = model_at_or_exit(model, o.date, o.person);
  GapsResult result = find_gaps(at);
  const Lang lang = lang_or_default(o.output.lang, model);
  // --fail-on judges every open gap, whatever --status shows.
  const bool failed = !o.fail_on.empty() && has_open_gap(model, result, *parse_gap_severity(o.fail_on));
  const std::size_t before = result.gaps.size();
  filter_gaps(model, result, *parse_gap_status_filter(o.status));
  const std::size_t hidden = before - result.gaps.size();
  if (o.output.format == "csv")
    write_output(o.output.path, to_csv(model, result, lang));
  else if (o.output.format == "json")
    write_output(o.output.path, dump_json(to_json(model, result, lang)));
  else if (o.output.format == "sarif")
    write_output(o.output.path, dump_json(gaps_sarif(model, result, lang, SarifOptions{IMOZURU_VERSION})));
  else
    write_output(o.output.path, to_text(model, result, lang, hidden));
  if (failed) throw Exit{kExitGapsFound};
}

}  // namespace

void setup_gaps(CLI::App& app) {
  auto o = std::make_shared<GapsOptions>();
  CLI::App* cmd =
      app.add_subcommand("gaps", "Consent gaps: sensitive data moved without a person's own choice");
  add_model_options(*cmd, o->model);
  add_date_options(*cmd, o->date);
  add_person_option(*cmd, o->person);
  add_output_options(*cmd, o->output, {"text", "json", "csv", "sarif"});
  cmd->add_option("--status", o->status, "Which gaps to list: all, or open (hides gaps an assessment closed)")
      ->check(CLI::IsMember({"all", "open"}))
      ->capture_default_str();
  cmd->add_option("--fail-on", o->fail_on,
                  "Exit 3 after writing the output when an open gap of at least this severity exists: medium "
                  "or high")
      ->check(CLI::IsMember({"medium", "high"}));
  cmd->callback([o] { run_gaps(*o); });
}

}  // namespace imozuru::cli
