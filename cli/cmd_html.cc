// imozuru html MODEL -o model.html: one self-contained offline page for
// presenting — the linkage diagram, a date slider, click-to-highlight
// identifiers with full and open reach, the consent gaps of the date shown,
// hover details and search, for everyone or one person (--person); with
// --dates, a time-lapse player over frames drawn on one layout; no network,
// no external files.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/options.h"
#include "cli/watch.h"
#include "model/output_file.h"
#include "output/messages.h"
#include "render/render.h"
#include "render/timelapse.h"
#include "report/page.h"

namespace imozuru::cli {
namespace {

struct HtmlCommandOptions {
  ModelOptions model;
  DateOptions date;
  std::string lang;
  std::string person;
  std::string output;
  double timeout = 60;
  std::size_t max_page_bytes = report::PageOptions{}.max_page_bytes;
  bool watch = false;
  std::vector<std::string> dates;  // a time-lapse: one frame per date
  std::string every;               // with two --dates: year or month
  bool ghost = false;
};

void run_html(const HtmlCommandOptions& o) {
  std::string ext = std::filesystem::path(o.output).extension().string();
  if (ext != ".html" && ext != ".htm") usage_error("-o " + o.output + ": the extension must be .html");
  Model model = load_or_exit(o.model, o.lang);
  report::PageOptions options;
  options.lang = lang_or_default(o.lang, model);
  const Lang lang = options.lang;
  if (!o.dates.empty() && !o.date.at.empty()) usage_error(say(lang, Msg::render_dates_with_at));
  if (!o.every.empty() && o.dates.empty()) usage_error(say(lang, Msg::render_every_needs_two_dates));
  if (o.ghost && o.dates.empty()) usage_error(say(lang, Msg::page_ghost_needs_dates));
  options.frames = frame_dates_or_exit(o.dates, o.every, lang);
  options.ghost = o.ghost;
  options.at = options.frames.empty() ? as_of_date(o.date) : options.frames.front();
  options.include_planned = o.date.include_planned;
  options.person = person_or_exit(model, o.person, options.at, options.include_planned);
  // A frame shows the model for the person at its date: they must be in it.
  for (const Date& d : options.frames) person_or_exit(model, o.person, d, options.include_planned);
  options.render_timeout_seconds = o.timeout;
  options.max_page_bytes = o.max_page_bytes;
  std::vector<std::string> messages;
  std::string page;
  try {
    page = report::build_page(model, options, &messages);
  } catch (const report::PageTooLarge& e) {
    fail(kExitFailure, e.what());
  } catch (const std::bad_alloc&) {
    fail(kExitFailure, "out of memory while building the page");
  } catch (const std::exception& e) {
    for (const auto& m : messages) warn("graphviz: " + m);
    fail(kExitFailure, "cannot draw the page's diagram: " + std::string(e.what()));
  }
  for (const auto& m : messages) warn("graphviz: " + m);
  write_output(o.output, page);
}

}  // namespace

void setup_html(CLI::App& app) {
  auto o = std::make_shared<HtmlCommandOptions>();
  CLI::App* cmd =
      app.add_subcommand("html",
                         "One self-contained offline page for talks: the linkage diagram with a date slider, "
                         "click-to-highlight identifiers, hover details and search");
  add_model_options(*cmd, o->model);
  add_date_options(*cmd, o->date);
  add_person_option(*cmd, o->person);
  add_lang_option(*cmd, o->lang);
  cmd->add_option("-o,--output", o->output, "The page to write (.html)")->required();
  cmd->add_option("--timeout", o->timeout, "Seconds allowed to draw the diagram")
      ->check(number_between(0.001, 86400, "seconds"))
      ->capture_default_str();
  cmd->add_option("--max-page-bytes", o->max_page_bytes, "Largest page to write, in bytes (suffixes K, M, G)")
      ->transform(CLI::AsSizeValue(false))
      ->check(byte_size(1))
      ->capture_default_str()
      ->group("Limits");
  add_watch_option(*cmd, o->watch);
  add_timelapse_options(*cmd, o->dates, o->every, o->ghost,
                        "Time-lapse: a player stepping through these dates (D,D,...: earliest first), each a "
                        "frame drawn on one layout");
  cmd->callback([o] { run_watching(o->watch, o->model.path, o->output, o->lang, [o] { run_html(*o); }); });
}

}  // namespace imozuru::cli
