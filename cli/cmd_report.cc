// imozuru report MODEL -o report.(md|html): a self-contained report for a
// legal brief or a talk handout (figures, identifier ranking, chains, consent
// gaps with laws and citations, changes since --compare, diagrams).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/options.h"
#include "cli/watch.h"
#include "report/report.h"

namespace imozuru::cli {
namespace {

struct ReportCommandOptions {
  ModelOptions model;
  DateOptions date;
  std::string compare;
  std::string lang;
  std::string output;
  double timeout = 60;
  std::string person;
  bool watch = false;
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void run_report(const ReportCommandOptions& o) {
  std::filesystem::path path(o.output);
  std::string ext = lower(path.extension().string());
  if (ext != ".md" && ext != ".html" && ext != ".htm")
    usage_error("-o " + o.output + ": the extension must be .md (Markdown) or .html");
  report::ReportOptions options;
  options.at = as_of_date(o.date);
  if (!o.compare.empty()) options.compare = parse_date_or_exit(o.compare, "--compare");
  Model model = load_or_exit(o.model, o.lang);
  options.include_planned = o.date.include_planned;
  options.person = person_or_exit(model, o.person, options.at, options.include_planned);
  if (options.compare) person_or_exit(model, o.person, *options.compare, options.include_planned);
  options.lang = lang_or_default(o.lang, model);
  options.format = ext == ".md" ? report::ReportFormat::markdown : report::ReportFormat::html;
  options.files_dir = report::files_dir_for(path);
  options.render_timeout_seconds = o.timeout;
  std::vector<std::string> warnings;
  report::Report result = report::build_report(model, options, &warnings);
  for (const auto& w : warnings) warn(w);
  try {
    report::write_report(path, result);
  } catch (const std::exception& e) {
    fail(kExitFailure, e.what());
  }
}

}  // namespace

void setup_report(CLI::App& app) {
  auto o = std::make_shared<ReportCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "A self-contained report for a brief or handout: figures, identifiers ranked by how much they join, "
      "chains to special-category data, consent gaps with laws and citations, diagrams");
  add_model_options(*cmd, o->model);
  add_date_options(*cmd, o->date);
  cmd->add_option("--compare", o->compare, "Also report what changed since this date (YYYY[-MM[-DD]])");
  add_person_option(*cmd, o->person);
  add_lang_option(*cmd, o->lang);
  cmd->add_option(
         "-o,--output", o->output,
         "report.md (Markdown; diagrams go to report-files/*.svg next to it) or report.html (one file)")
      ->required();
  cmd->add_option("--timeout", o->timeout, "Seconds allowed to draw each diagram")
      ->check(number_between(0.001, 86400, "seconds"))
      ->capture_default_str();
  add_watch_option(*cmd, o->watch);
  cmd->callback([o] { run_watching(o->watch, o->model.path, o->output, o->lang, [o] { run_report(*o); }); });
}

}  // namespace imozuru::cli
