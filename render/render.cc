#include "render/render.h"

#include <graphviz/cgraph.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <regex>

#include "model/output_file.h"
#include "output/messages.h"
#include "render/canvas_fit.h"
#include "render/diagram.h"
#include "render/graphviz.h"
#include "render/layout_process.h"

namespace imozuru::render {
namespace {

// The engine for a diagram of `nodes` nodes, and a note when the choice is
// not the obvious one.
Engine choose_engine(const RenderOptions& options, std::size_t nodes, std::vector<std::string>* messages) {
  if (options.engine != Engine::automatic) return options.engine;
  if (nodes <= kDotMaxNodes) return Engine::dot;
  if (messages)
    messages->push_back(
        "note: " + std::to_string(nodes) + " nodes: layout engine sfdp, not dot, which gets slow above " +
        std::to_string(kDotMaxNodes) +
        " nodes; sfdp does not draw sector boxes (--engine dot to "
        "insist, or narrow the diagram with --sector, --view sectors or --view chain --only)");
  return Engine::sfdp;
}

}  // namespace

Diagram build_checked_diagram(const ModelAt& at, const RenderOptions& options,
                              std::vector<std::string>* messages) {
  std::size_t nodes = count_nodes(at, options);
  if (nodes > options.max_nodes)
    throw RenderError(
        "the " + std::string(to_string(options.view)) + " view would draw " + std::to_string(nodes) +
        " nodes, more than --max-nodes " + std::to_string(options.max_nodes) +
        "; narrow it (--at, --sector, --view sectors, --view chain --only) or raise --max-nodes");
  Diagram diagram = build_diagram(at, options);
  Engine engine = choose_engine(options, nodes, messages);
  if (engine != Engine::dot)
    agsafeset(diagram.graph.get(), const_cast<char*>("layout"),
              const_cast<char*>(std::string(to_string(engine)).c_str()), const_cast<char*>(""));
  return diagram;
}

namespace {

// The most layouts fit_canvas makes to correct for the title and legend.
constexpr int kCanvasTrials = 3;
// Below this on a slide, text cannot be read from the back of a room.
constexpr double kProjectorMinPt = 6;

}  // namespace

namespace {

// The scale of the graph's transform in an SVG of Graphviz's (1 when none).
double svg_scale(const std::string& svg) {
  static const std::regex scale(
      R"re(<g id="graph0" class="graph" transform="scale\(([0-9.]+) ([0-9.]+)\))re");
  std::smatch m;
  return std::regex_search(svg, m, scale) ? std::min(std::stod(m[1]), std::stod(m[2])) : 1;
}

}  // namespace

std::string at_72_dpi(const std::string& dot) {
  GraphvizGraph graph = GraphvizGraph::parse(dot);
  if (agattr(graph.get(), AGRAPH, const_cast<char*>("dpi"), nullptr))
    agsafeset(graph.get(), const_cast<char*>("dpi"), const_cast<char*>("72"), const_cast<char*>(""));
  return graph.dot();
}

Measured drawn_size(const std::string& dot, const RenderOptions& options) {
  RenderOptions probe = options;
  probe.format = Format::svg;
  const std::string svg = LayoutProcess(Format::svg).render(at_72_dpi(dot), probe, nullptr);
  static const std::regex size(R"(<svg width="([0-9.]+)pt" height="([0-9.]+)pt")");
  std::smatch m;
  if (!std::regex_search(svg, m, size)) throw RenderError("--canvas: the trial layout has no size");
  return {std::stod(m[1]), std::stod(m[2]), svg_scale(svg)};
}

Measured laid_box(const std::string& dot, const RenderOptions& options) {
  RenderOptions probe = options;
  probe.format = Format::svg;
  GraphvizGraph laid =
      GraphvizGraph::parse(LayoutProcess(Format::svg).run(LayoutProcess::Job::union_layout, {dot}, probe));
  double x0, y0, x1, y1;
  const char* bb = agget(laid.get(), const_cast<char*>("bb"));
  if (!bb || std::sscanf(bb, "%lf,%lf,%lf,%lf", &x0, &y0, &x1, &y1) != 4)
    throw RenderError("--canvas: the trial layout has no size");
  return {x1 - x0, y1 - y0, 1};
}

namespace {

std::string fixed(double value, int digits) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

// What narrows options.view, for a slide whose text is too small.
std::string narrowing(const RenderOptions& options) {
  switch (options.view) {
    case View::flows:
      return say(options.lang, Msg::diagram_narrow_flows);
    case View::sectors:
      return say(options.lang,
                 options.brief ? Msg::diagram_narrow_sectors_brief : Msg::diagram_narrow_sectors);
    case View::chain:
      return say(options.lang, Msg::diagram_narrow_chain);
    case View::linkage:
    case View::person:
      break;
  }
  return say(options.lang, Msg::diagram_narrow_linkage);
}

}  // namespace

double smallest_font_pt(const std::string& dot) {
  // HTML labels' <FONT POINT-SIZE="n">, and the graph's, nodes' and edges'
  // own fontsize (labelfontsize too), as written by agwrite.
  static const std::regex size(R"((?:POINT-SIZE=\"?|fontsize=\"?)([0-9]+(?:\.[0-9]+)?))");
  double smallest = 0;
  for (auto it = std::sregex_iterator(dot.begin(), dot.end(), size); it != std::sregex_iterator(); ++it) {
    const double pt = std::stod((*it)[1]);
    if (smallest == 0 || pt < smallest) smallest = pt;
  }
  return smallest == 0 ? 14 : smallest;  // Graphviz's default
}

namespace {

// A diagram's DOT text with Graphviz's size "W,H!" and (when `fill`) ratio
// fill, which scale the drawing to exactly that size.
std::string sized(const std::string& dot, double width_in, double height_in, bool fill = true) {
  GraphvizGraph graph = GraphvizGraph::parse(dot);
  const std::string size = fixed(width_in, 2) + "," + fixed(height_in, 2) + "!";
  agsafeset(graph.get(), const_cast<char*>("size"), const_cast<char*>(size.c_str()), const_cast<char*>(""));
  if (fill)
    agsafeset(graph.get(), const_cast<char*>("ratio"), const_cast<char*>("fill"), const_cast<char*>(""));
  // A PDF page is the canvas: without this, Graphviz adds half an inch all round.
  agsafeset(graph.get(), const_cast<char*>("margin"), const_cast<char*>("0"), const_cast<char*>(""));
  return graph.dot();
}

// The engine a diagram's DOT names (`layout`), empty for dot.
std::string named_engine(const std::string& dot) {
  GraphvizGraph graph = GraphvizGraph::parse(dot);
  const char* layout = agget(graph.get(), const_cast<char*>("layout"));
  return layout ? layout : "";
}

}  // namespace

CanvasFit fit_canvas(const RenderOptions& options, const std::function<std::string(bool)>& dot_of,
                     const Measure& measure, bool text_size) {
  const Canvas& canvas = *options.canvas;
  const std::string as_asked = dot_of(options.top_to_bottom);
  if (std::string engine = named_engine(as_asked); !engine.empty()) {
    CanvasFit fixed_fit;
    fixed_fit.top_to_bottom = options.top_to_bottom;
    fixed_fit.width_in = canvas.width_in;
    fixed_fit.height_in = canvas.height_in;
    fixed_fit.engine = std::move(engine);
    return fixed_fit;
  }
  const std::string turned = dot_of(!options.top_to_bottom);
  const Measured size_a = measure(as_asked, options);
  const Measured size_b = measure(turned, options);
  const double target = canvas.width_in / canvas.height_in;
  const double aspect_a = size_a.width / size_a.height, aspect_b = size_b.width / size_b.height;
  const bool keep = std::abs(std::log(aspect_a / target)) <= std::abs(std::log(aspect_b / target));
  const std::string& chosen = keep ? as_asked : turned;
  // ratio fill scales node positions, not the title and legend: a wide
  // legend leaves the drawing narrower than the canvas. A trial with the
  // canvas's size says by how much; asking that much more of the short side
  // brings the drawing nearer the canvas's shape, and a tall title (a
  // frame's date) may need a second step.
  CanvasFit fit;
  fit.top_to_bottom = keep ? options.top_to_bottom : !options.top_to_bottom;
  fit.width_in = canvas.width_in;
  fit.height_in = canvas.height_in;
  fit.aspect_chosen = keep ? aspect_a : aspect_b;
  fit.aspect_other = keep ? aspect_b : aspect_a;
  Measured laid;
  bool laid_at_fit = false;  // `laid` measures the drawing at `fit`
  double last_width = -1;
  for (int trial = 0; trial < kCanvasTrials; ++trial) {
    laid = measure(sized(chosen, fit.width_in, fit.height_in), options);
    laid_at_fit = true;
    const double achieved = laid.width / laid.height;
    // Too narrow: the drawing that much wider. When asking for a wider
    // drawing left the box as wide as it was, a label wider than the drawing
    // holds it: the drawing must be as wide as the box must be (laid_box
    // measures before Graphviz scales to the size).
    if (achieved < target * 0.99)
      fit.width_in = laid.width == last_width ? target * laid.height / 72 : fit.width_in * target / achieved;
    else if (achieved > target * 1.01)
      fit.height_in *= achieved / target;
    else
      break;
    laid_at_fit = false;
    last_width = laid.width;
  }
  if (!text_size) return fit;
  if (!laid_at_fit) laid = measure(sized(chosen, fit.width_in, fit.height_in), options);
  // Graphviz's own scaling of the drawing, then the drawing (a little larger
  // than the canvas when the trials asked for more) brought to the canvas,
  // as a slide does with it.
  const double to_canvas = std::min(canvas.width_in * 72 / laid.width, canvas.height_in * 72 / laid.height);
  fit.smallest_pt = smallest_font_pt(chosen) * laid.text_scale * to_canvas;
  return fit;
}

std::string canvas_note(const RenderOptions& options, const CanvasFit& fit, double smallest_pt) {
  const Canvas& canvas = *options.canvas;
  const std::string w = fixed(canvas.width_in, 2), h = fixed(canvas.height_in, 2);
  if (!fit.engine.empty()) return say(options.lang, Msg::diagram_canvas_fixed, canvas.name, w, h, fit.engine);
  auto direction = [&](bool downwards) {
    return say(options.lang, downwards ? Msg::diagram_direction_tb : Msg::diagram_direction_lr);
  };
  std::string note = say(options.lang, Msg::diagram_canvas_fitted, canvas.name, w, h,
                         direction(fit.top_to_bottom), fixed(fit.aspect_chosen, 2),
                         direction(!fit.top_to_bottom), fixed(fit.aspect_other, 2), fixed(smallest_pt, 1));
  if (smallest_pt < kProjectorMinPt)
    note += say(options.lang, Msg::diagram_canvas_small_text, narrowing(options));
  return note;
}

double svg_smallest_text_pt(const std::string& svg) {
  static const std::regex font(R"re(font-size="([0-9.]+)")re");
  double smallest = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), font); it != std::sregex_iterator(); ++it) {
    const double pt = std::stod((*it)[1]);
    if (smallest == 0 || pt < smallest) smallest = pt;
  }
  return (smallest == 0 ? 14 : smallest) * svg_scale(svg);  // no text: Graphviz's default
}

std::string fitted_to(const std::string& dot, const CanvasFit& fit, bool fill) {
  return sized(dot, fit.width_in, fit.height_in, fill);
}

std::optional<Canvas> parse_canvas(std::string_view text) {
  if (text == "16:9") return Canvas{"16:9", 13.333, 7.5};
  if (text == "4:3") return Canvas{"4:3", 10, 7.5};
  if (text == "a4") return Canvas{"a4", 8.27, 11.69};
  if (text == "a4-landscape") return Canvas{"a4-landscape", 11.69, 8.27};
  static const std::regex size(R"(([0-9]+(?:\.[0-9]+)?)x([0-9]+(?:\.[0-9]+)?)(in|mm|px))");
  std::cmatch m;
  if (!std::regex_match(text.begin(), text.end(), m, size)) return std::nullopt;
  const double per_inch = m[3] == "in" ? 1 : m[3] == "mm" ? 25.4 : 96;
  const double width = std::stod(m[1]) / per_inch, height = std::stod(m[2]) / per_inch;
  // At least an inch and at most 200 inches (Graphviz's own limits are far beyond a slide).
  if (width < 1 || height < 1 || width > 200 || height > 200) return std::nullopt;
  return Canvas{std::string(text), width, height};
}

void make_pdf_deterministic(std::string& pdf) {
  // cairo stamps the time of the render; a fixed date of exactly the same
  // length keeps every xref offset valid.
  for (const char* key : {"/CreationDate (", "/ModDate ("}) {
    for (std::size_t pos = pdf.find(key); pos != std::string::npos; pos = pdf.find(key, pos)) {
      pos += std::char_traits<char>::length(key);
      std::size_t end = pdf.find(')', pos);
      if (end == std::string::npos || end - pos > 64) break;
      static constexpr std::string_view kDate = "20000101000000";  // YYYYMMDDHHmmSS, then zeros
      std::size_t digit = 0;
      for (std::size_t k = pos; k < end; ++k)
        if (pdf[k] >= '0' && pdf[k] <= '9') pdf[k] = digit < kDate.size() ? kDate[digit++] : '0';
      pos = end;
    }
  }
}

std::optional<Engine> parse_engine(std::string_view s) {
  for (Engine e : {Engine::automatic, Engine::dot, Engine::sfdp, Engine::fdp, Engine::neato})
    if (s == to_string(e)) return e;
  return std::nullopt;
}

std::string_view to_string(Engine e) {
  switch (e) {
    case Engine::automatic:
      return "auto";
    case Engine::dot:
      return "dot";
    case Engine::sfdp:
      return "sfdp";
    case Engine::fdp:
      return "fdp";
    case Engine::neato:
      return "neato";
  }
  return "dot";
}

std::optional<View> parse_view(std::string_view s) {
  for (View v : {View::flows, View::sectors, View::linkage, View::chain, View::person})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

std::string_view to_string(View v) {
  switch (v) {
    case View::flows:
      return "flows";
    case View::sectors:
      return "sectors";
    case View::linkage:
      return "linkage";
    case View::chain:
      return "chain";
    case View::person:
      return "person";
  }
  return "flows";
}

std::optional<Format> format_from_path(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".svg") return Format::svg;
  if (ext == ".png") return Format::png;
  if (ext == ".pdf") return Format::pdf;
  if (ext == ".dot" || ext == ".gv") return Format::dot;
  return std::nullopt;
}

std::string diagram_dot(const ModelAt& at, const RenderOptions& options, std::vector<std::string>* messages) {
  if (!options.canvas) return build_checked_diagram(at, options, messages).graph.dot();
  // Laid out both ways (left to right, top to bottom) when dot draws it.
  RenderOptions plain = options;
  plain.canvas.reset();
  std::map<bool, std::string> dots;
  auto dot_of = [&](bool top_to_bottom) -> const std::string& {
    auto found = dots.find(top_to_bottom);
    if (found != dots.end()) return found->second;
    plain.top_to_bottom = top_to_bottom;
    // The engine's note once, for the direction asked for.
    const bool asked = top_to_bottom == options.top_to_bottom;
    return dots[top_to_bottom] = build_checked_diagram(at, plain, asked ? messages : nullptr).graph.dot();
  };
  const CanvasFit fit = fit_canvas(options, dot_of, drawn_size, messages != nullptr);
  if (messages) messages->push_back("note: " + canvas_note(options, fit, fit.smallest_pt));
  return fitted_to(dot_of(fit.top_to_bottom), fit);
}

std::string render_diagram(const ModelAt& at, const RenderOptions& options,
                           std::vector<std::string>* messages) {
  // Laid out from its DOT text, which names the engine chosen (`layout=`)
  // unless it is dot, so the result is what `dot` makes of the DOT file
  // imozuru writes for the same diagram.
  std::string dot = diagram_dot(at, options, messages);
  return LayoutProcess(options.format).render(dot, options, messages);
}

void render_to_file(const ModelAt& at, const RenderOptions& options, const std::filesystem::path& path,
                    std::vector<std::string>* messages) {
  write_file_atomically(path, render_diagram(at, options, messages));
}

}  // namespace imozuru::render
