// imozuru render MODEL -o OUT.(svg|png|pdf|dot) [--view flows|sectors|linkage|chain|person]:
// a diagram of the model at a date, drawn in-process with Graphviz; with
// --dates (or --steps) a time-lapse: frames drawn on one layout.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/options.h"
#include "cli/watch.h"
#include "model/chains.h"
#include "model/output_file.h"
#include "model/reach.h"
#include "output/messages.h"
#include "render/highlight.h"
#include "render/layout_process.h"
#include "render/render.h"
#include "render/timelapse.h"

namespace imozuru::cli {
namespace {

struct RenderCommandOptions {
  ModelOptions model;
  DateOptions date;
  std::string lang;
  std::string output;
  std::string view = "flows";
  int dpi = 150;
  double timeout = 60;
  std::size_t max_nodes = 10000;
  std::string engine = "auto";
  std::size_t memory_mib = 2048;
  std::vector<std::string> from;
  std::string to;
  std::size_t k = kDefaultChainCount;
  int max_hops = kDefaultMaxHops;
  bool only = false;
  std::string sector;
  std::string person;
  JoinOptions joins;
  std::size_t label_width = render::kDefaultLabelWidth;
  bool no_title = false;
  std::string caption;
  std::string canvas;
  bool brief = false;  // the sectors view's slide form
  bool top_to_bottom = false;
  bool watch = false;
  std::vector<std::string> dates;  // a time-lapse: one frame per date
  std::string every;               // with two --dates: year or month
  bool ghost = false;
  bool steps = false;  // the chain built up hop by hop
};

// A time-lapse's frames written to the files of render::timelapse_paths,
// and where they went, on stderr.
void write_frames(const std::string& output, render::Format format, const std::vector<std::string>& frames,
                  std::size_t count, Lang lang) {
  const render::FramesWritten done = render::write_frames(output, format, frames);
  const auto& paths = done.written;
  if (format == render::Format::pdf)
    std::cerr << "imozuru: " << say(lang, Msg::render_pages_written, count, paths.front().string()) << "\n";
  else
    std::cerr << "imozuru: "
              << say(lang, Msg::render_frames_written, count, paths.front().string(), paths.back().string())
              << "\n";
  for (const auto& [stale, why] : done.not_removed)
    warn(say(lang, Msg::render_stale_frame_not_removed, stale.string(), why));
  const auto& removed = done.removed;
  if (!removed.empty())
    std::cerr << "imozuru: "
              << say(lang, Msg::render_stale_frames_removed, removed.size(), removed.front().string(),
                     removed.back().string())
              << "\n";
}

void run_render(const RenderCommandOptions& o) {
  auto format = render::format_from_path(o.output);
  if (!format) usage_error("-o " + o.output + ": the extension must be .svg, .png, .pdf or .dot");
  auto view = render::parse_view(o.view);
  if (view != render::View::chain && (!o.from.empty() || !o.to.empty() || o.only))
    usage_error("--from, --to and --only need --view chain");
  if (view != render::View::flows && !o.sector.empty()) usage_error("--sector needs --view flows");
  if (view == render::View::chain && o.from.empty())
    usage_error("--view chain needs --from REF[,REF...] (reach) or --from REF --to REF (chains)");
  if (!o.to.empty() && o.from.size() != 1) usage_error("chains take exactly one --from with --to");
  if (view != render::View::chain && (o.joins.open_only || o.joins.max_error()))
    usage_error("--open-only and --max-match-error need --view chain");
  if (view == render::View::person && o.person.empty()) usage_error("--view person needs --person P");

  const bool frames = !o.dates.empty() || o.steps;
  // Graphviz starts (plugins, fonts) in the layout process while the model
  // loads (a time-lapse makes its own, one for each step of its work).
  std::optional<render::LayoutProcess> layout;
  if (!frames) layout.emplace(*format);
  Model model = load_or_exit(o.model, o.lang);
  const Lang lang = lang_or_default(o.lang, model);
  if (!o.dates.empty() && !o.date.at.empty()) usage_error(say(lang, Msg::render_dates_with_at));
  if (o.steps && !o.dates.empty()) usage_error(say(lang, Msg::render_steps_with_dates));
  if (!o.dates.empty() && view == render::View::chain) usage_error(say(lang, Msg::render_dates_view));
  if (!o.every.empty() && o.dates.empty()) usage_error(say(lang, Msg::render_every_needs_two_dates));
  if (o.ghost && !frames) usage_error(say(lang, Msg::render_ghost_needs_frames));
  if (o.brief && view != render::View::sectors) usage_error(say(lang, Msg::render_brief_needs_sectors));
  if (o.steps && (view != render::View::chain || o.to.empty()))
    usage_error(say(lang, Msg::render_steps_needs_chains));
  const std::vector<Date> dates = frame_dates_or_exit(o.dates, o.every, lang);
  DateOptions last_date = o.date;  // the chain view's date with --steps
  if (!dates.empty()) last_date.at = dates.back().iso();
  ModelAt at = model_at_or_exit(model, last_date, o.person);
  render::RenderOptions options;
  options.view = *view;
  options.format = *format;
  options.lang = lang;
  options.dpi = o.dpi;
  options.timeout_seconds = o.timeout;
  options.max_nodes = o.max_nodes;
  options.engine = *render::parse_engine(o.engine);
  options.memory_limit_bytes = o.memory_mib << 20;
  options.sector = o.sector;
  options.label_width = o.label_width;
  options.title = !o.no_title;
  options.caption = o.caption;
  options.top_to_bottom = o.top_to_bottom;
  options.brief = o.brief;
  if (!o.canvas.empty()) options.canvas = render::parse_canvas(o.canvas);
  if (*view == render::View::chain) {
    std::vector<EntityRef> from;
    for (const auto& text : o.from) from.push_back(parse_ref_or_exit(text, at));
    LinkageGraph graph(at);
    if (o.to.empty()) {
      options.highlight = render::highlight_of(
          model, reach(graph, from, ReachOptions{o.joins.open_only, o.joins.max_error()}), options.lang);
    } else {
      EntityRef to = parse_ref_or_exit(o.to, at);
      ChainOptions chain_options;
      chain_options.k = o.k;
      chain_options.max_hops = o.max_hops;
      chain_options.open_only = o.joins.open_only;
      chain_options.max_match_error = o.joins.max_error();
      ChainsResult result = chains(graph, from.front(), to, chain_options);
      if (result.chains.empty()) warn("no chain from " + from.front().str() + " to " + to.str());
      options.highlight = render::highlight_of(model, result, options.lang);
    }
    options.highlight->only = o.only;
  }
  std::vector<std::string> messages;
  // Our own notes ("note: …") as they are; everything else is Graphviz's.
  auto report = [&] {
    for (const auto& m : messages) {
      if (m.rfind("note: ", 0) == 0)
        std::cerr << "imozuru: " << m << "\n";
      else
        warn("graphviz: " + m);
    }
  };
  try {
    if (frames) {
      std::vector<ModelAt> ats;
      for (const Date& d : dates) {
        DateOptions at_date = o.date;
        at_date.at = d.iso();
        ats.push_back(model_at_or_exit(model, at_date, o.person));
      }
      render::TimelapseOptions timelapse;
      timelapse.ghost = o.ghost;
      std::vector<std::string> out = o.steps ? render::render_chain_steps(at, options, timelapse, &messages)
                                             : render::render_timelapse(ats, options, timelapse, &messages);
      std::size_t count = ats.size();
      if (o.steps) {
        count = 0;
        for (const auto& chain : options.highlight->chains) count = std::max(count, chain.size());
      }
      write_frames(o.output, *format, out, count, lang);
    } else {
      std::string dot = render::diagram_dot(at, options, &messages);
      write_file_atomically(o.output, layout->render(dot, options, &messages));
    }
  } catch (const std::exception& e) {
    report();
    fail(kExitFailure, "cannot render " + o.output + ": " + e.what());
  }
  report();
}

}  // namespace

void setup_render(CLI::App& app) {
  auto o = std::make_shared<RenderCommandOptions>();
  CLI::App* cmd =
      app.add_subcommand("render", "Draw the model as a diagram (SVG, PNG, PDF or DOT) with Graphviz");
  add_model_options(*cmd, o->model);
  cmd->add_option("-o,--output", o->output,
                  "Output file; its extension (.svg .png .pdf .dot) picks the format")
      ->required();
  cmd->add_option("--view", o->view,
                  "flows (systems by sector and their flows), sectors (one box per sector, the "
                  "flows between sectors summed up), linkage (who joins whom through which "
                  "identifier), chain (a reach/chains result highlighted) or person (the "
                  "systems holding the --person's records and the flows between them)")
      ->check(one_of({"flows", "sectors", "linkage", "chain", "person"}))
      ->capture_default_str();
  add_lang_option(*cmd, o->lang);
  cmd->add_option("--sector", o->sector,
                  "Flows view: draw one sector (its `sector` word, e.g. health) and, faded, "
                  "the systems it exchanges flows with");
  add_date_options(*cmd, o->date);
  add_person_option(*cmd, o->person);
  cmd->add_option("--from", o->from, "Chain view: start REF[,REF...] (identifier:ID, system:ID, data:ID)")
      ->delimiter(',')
      ->group("Chain view");
  cmd->add_option("--to", o->to, "Chain view: target REF; draws the shortest chains instead of reach")
      ->group("Chain view");
  cmd->add_option("-k", o->k, "Chain view: number of chains")
      ->check(whole_number(1, kMaxChainCount))
      ->capture_default_str()
      ->group("Chain view");
  cmd->add_option("--max-hops", o->max_hops, "Chain view: most steps in a chain")
      ->check(whole_number(1, kMaxHopsLimit))
      ->capture_default_str()
      ->group("Chain view");
  cmd->add_flag("--only", o->only, "Chain view: draw only the result, not the faded model")
      ->group("Chain view");
  add_join_options(*cmd, o->joins);
  cmd->add_option("--label-width", o->label_width,
                  "Columns after which a label wraps (labels are wrapped, never cut)")
      ->check(whole_number(render::kMinLabelWidth, render::kMaxLabelWidth))
      ->capture_default_str()
      ->group("Figure");
  cmd->add_flag("--no-title", o->no_title, "Leave out the title, subtitle and query caption; keep the legend")
      ->group("Figure");
  cmd->add_option(
         "--canvas", o->canvas,
         "Fit the diagram to a slide or page: 16:9, 4:3, a4, a4-landscape or WIDTHxHEIGHT in in, mm or px "
         "(e.g. 1920x1080px); the direction is chosen to suit it")
      ->check(CLI::Validator(
          [](std::string& value) {
            return render::parse_canvas(value) ? std::string()
                                               : "expected 16:9, 4:3, a4, a4-landscape or WIDTHxHEIGHT with "
                                                 "in, mm or px (1 to 200 inches), not '" +
                                                     value + "'";
          },
          "CANVAS"))
      ->group("Figure");
  cmd->add_flag("--brief", o->brief,
                "Sectors view, for a slide: one line per direction between two sectors, labelled with its "
                "number of flows, and boxes with the sector's counts, in text large enough for a projector")
      ->group("Figure");
  cmd->add_flag("--top-to-bottom", o->top_to_bottom, "Ranks from top to bottom instead of left to right")
      ->group("Figure");
  cmd->add_option("--caption", o->caption, "A caption line under the title (replaces the chain view's own)")
      ->group("Figure");
  add_watch_option(*cmd, o->watch);
  add_timelapse_options(*cmd, o->dates, o->every, o->ghost,
                        "Time-lapse: one frame per date (D,D,...: earliest first), all on one layout; "
                        "PDF: one page per date, SVG/PNG/DOT: OUT-01.svg, OUT-02.svg, ...");
  cmd->add_flag("--steps", o->steps,
                "Chain view with --to: frame k lights the first k hops of the chains, all on one layout")
      ->group("Time-lapse");
  cmd->add_option("--dpi", o->dpi, "Resolution of PNG output")
      ->check(whole_number(36, 1200))
      ->capture_default_str();
  cmd->add_option("--timeout", o->timeout, "Seconds allowed for layout and rendering")
      ->check(number_between(0.001, 86400, "seconds"))
      ->capture_default_str()
      ->group("Limits");
  cmd->add_option("--engine", o->engine,
                  "Graphviz layout engine; auto is dot up to " + std::to_string(render::kDotMaxNodes) +
                      " nodes and sfdp above")
      ->check(one_of({"auto", "dot", "sfdp", "fdp", "neato"}))
      ->capture_default_str();
  cmd->add_option("--max-nodes", o->max_nodes, "Refuse diagrams with more nodes than this")
      ->check(whole_number(1))
      ->capture_default_str()
      ->group("Limits");
  cmd->add_option("--memory-limit", o->memory_mib, "MiB of memory the layout process may use")
      ->check(whole_number(16, 1 << 20))
      ->capture_default_str()
      ->group("Limits");
  cmd->callback([o] { run_watching(o->watch, o->model.path, o->output, o->lang, [o] { run_render(*o); }); });
}

}  // namespace imozuru::cli
