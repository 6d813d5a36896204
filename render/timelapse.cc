#include "render/timelapse.h"

#include <graphviz/cgraph.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "model/output_file.h"
#include "output/messages.h"
#include "render/canvas_fit.h"
#include "render/cgraph_attributes.h"
#include "render/diagram.h"
#include "render/frame_jobs.h"
#include "render/graphviz.h"
#include "render/layout_process.h"
#include "text/join.h"

namespace imozuru::render {
namespace {

void set_html(void* obj, const char* name, const std::string& html) {
  Agraph_t* g = agroot(obj);
  char* s = agstrdup_html(g, const_cast<char*>(html.c_str()));
  set(obj, name, s);
  agstrfree(g, s);
}

// What Graphviz's layout decided: kept from the union's layout in every frame.
const std::set<std::string>& layout_attributes() {
  static const std::set<std::string> names = {"pos",     "width",   "height",  "bb",  "lp",    "lwidth",
                                              "lheight", "head_lp", "tail_lp", "xlp", "layout"};
  return names;
}

// Every attribute of `from` (of `kind`, declared in `from_root`) set on `to`;
// the layout's own attributes too when `layout` is true.
void copy_attributes(Agraph_t* from_root, int kind, void* from, void* to, bool layout) {
  for (Agsym_t* sym = agnxtattr(from_root, kind, nullptr); sym; sym = agnxtattr(from_root, kind, sym)) {
    if (!layout && layout_attributes().count(sym->name)) continue;
    set_like(to, sym->name, agxget(from, sym));
  }
}

// A node or edge `to` drawn as `from` (of a frame, `from_root`) draws it:
// its attributes, and those `from_root` does not declare (which `from`
// does not have) back to their defaults, so that what another frame gave
// the object in the union (a flow's tail label, a special flow's width)
// does not stay on it; the layout's own attributes are kept.
void draw_as(Agraph_t* from_root, int kind, void* from, void* to) {
  copy_attributes(from_root, kind, from, to, false);
  Agraph_t* to_root = agroot(to);
  for (Agsym_t* sym = agnxtattr(to_root, kind, nullptr); sym; sym = agnxtattr(to_root, kind, sym)) {
    if (layout_attributes().count(sym->name) || agattr(from_root, kind, sym->name, nullptr)) continue;
    agxset(to, sym, sym->defval);
  }
}

// A diagram's clusters, nodes and edges by frame_key, in the graph's order
// (a key met twice gets "#2", "#3", ...).
struct Objects {
  std::map<std::string, Agraph_t*> clusters;
  std::vector<std::string> node_order, edge_order;
  std::map<std::string, Agnode_t*> nodes;
  std::map<std::string, Agedge_t*> edges;
  std::map<Agnode_t*, std::string> node_keys;
};

template <class T>
std::string unique_key(const std::map<std::string, T>& taken, const std::string& key) {
  if (!taken.count(key)) return key;
  for (int n = 2;; ++n)
    if (!taken.count(key + "#" + std::to_string(n))) return key + "#" + std::to_string(n);
}

Objects objects_of(Agraph_t* g) {
  Objects o;
  for (Agraph_t* sub = agfstsubg(g); sub; sub = agnxtsubg(sub))
    o.clusters.emplace(unique_key(o.clusters, frame_key(sub)), sub);
  for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n)) {
    std::string key = unique_key(o.nodes, frame_key(n));
    o.nodes.emplace(key, n);
    o.node_keys.emplace(n, key);
    o.node_order.push_back(key);
  }
  for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n)) {
    for (Agedge_t* e = agfstout(g, n); e; e = agnxtout(g, e)) {
      std::string key = unique_key(o.edges, frame_key(e));
      o.edges.emplace(key, e);
      o.edge_order.push_back(key);
    }
  }
  return o;
}

// The cluster of `g` that holds `n`, if any.
Agraph_t* cluster_of(Agraph_t* g, Agnode_t* n) {
  for (Agraph_t* sub = agfstsubg(g); sub; sub = agnxtsubg(sub))
    if (agsubnode(sub, n, 0)) return sub;
  return nullptr;
}

// The union of the frames, to be laid out once: the last frame, and what
// only earlier frames draw, each as the latest frame that draws it has it.
GraphvizGraph union_of(const std::vector<std::string>& frames) {
  GraphvizGraph u = GraphvizGraph::parse(frames.back());
  Agraph_t* ug = u.get();
  Objects uo = objects_of(ug);
  int made = 0;
  for (std::size_t k = frames.size() - 1; k-- > 0;) {
    GraphvizGraph f = GraphvizGraph::parse(frames[k]);
    Agraph_t* fg = f.get();
    Objects fo = objects_of(fg);
    for (const auto& [key, sub] : fo.clusters) {
      if (uo.clusters.count(key)) continue;
      Agraph_t* cluster = agsubg(ug, const_cast<char*>(("cluster_t" + std::to_string(made++)).c_str()), 1);
      copy_attributes(fg, AGRAPH, sub, cluster, true);
      uo.clusters.emplace(key, cluster);
    }
    for (const auto& key : fo.node_order) {
      if (uo.nodes.count(key)) continue;
      Agnode_t* n = fo.nodes.at(key);
      Agraph_t* parent = ug;
      if (Agraph_t* cluster = cluster_of(fg, n)) parent = uo.clusters.at(frame_key(cluster));
      // Named by its key: node names (s12, sector3) are numbered per diagram.
      Agnode_t* copy = agnode(parent, const_cast<char*>(key.c_str()), 1);
      copy_attributes(fg, AGNODE, n, copy, true);
      uo.nodes.emplace(key, copy);
      uo.node_keys.emplace(copy, key);
    }
    for (const auto& key : fo.edge_order) {
      if (uo.edges.count(key)) continue;
      Agedge_t* e = fo.edges.at(key);
      Agnode_t* tail = uo.nodes.at(fo.node_keys.at(agtail(e)));
      Agnode_t* head = uo.nodes.at(fo.node_keys.at(aghead(e)));
      Agedge_t* copy = agedge(ug, tail, head, nullptr, 1);
      copy_attributes(fg, AGEDGE, e, copy, true);
      uo.edges.emplace(key, copy);
    }
  }
  return u;
}

std::string fixed_point(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

// An HTML label with every font colour replaced by `colour` (BGCOLOR kept).
std::string recoloured(const std::string& html, const std::string& colour) {
  static const std::string kColour = " COLOR=\"";
  std::string out;
  std::size_t at = 0;
  for (std::size_t pos; (pos = html.find(kColour, at)) != std::string::npos;) {
    std::size_t end = html.find('"', pos + kColour.size());
    if (end == std::string::npos) break;
    out.append(html, at, pos - at);
    out += kColour + colour + "\"";
    at = end + 1;
  }
  out.append(html, at, std::string::npos);
  return out;
}

void add_class(void* obj, const char* state) {
  std::string cls = attribute(obj, "class");
  set(obj, "class", cls.empty() ? state : cls + " " + state);
}

// What a frame does with an object it does not draw.
void hide(void* obj) {
  set(obj, "style", "invis");
  add_class(obj, "hidden");
}

void ghost(void* obj, int kind) {
  // An edge's label may be at its tail (two opposite flows: render/diagram.cc).
  for (const char* name : {"label", "taillabel"}) {
    char* label = agget(obj, const_cast<char*>(name));
    if (label && aghtmlstr(label)) set_html(obj, name, recoloured(label, kTimelapseGhostText));
  }
  set(obj, "fontcolor", kTimelapseGhostText);
  if (kind == AGEDGE) set(obj, "labelfontcolor", kTimelapseGhostText);
  set(obj, "color", kTimelapseGhostLine);
  if (kind != AGEDGE) set(obj, "fillcolor", kTimelapseGhostFill);
  set(obj, "penwidth", "1");
  add_class(obj, "ghost");
}

void mark_new(void* obj, int kind) {
  if (kind == AGNODE) {
    // The line keeps its colour (an identifier's kind); the fill says new.
    set(obj, "fillcolor", kTimelapseNewFill);
    set(obj, "penwidth", "3");
  } else {
    // The edge keeps its colour (its consent), drawn between two lines of
    // the highlight's colour.
    std::string colour = attribute(obj, "color");
    set(obj, "color",
        std::string(kTimelapseNewHalo) + ":" + (colour.empty() ? "#3A3A3A" : colour) + ":" +
            kTimelapseNewHalo);
  }
  add_class(obj, "new");
}

// `coordinates` (a pos, lp or bb of Graphviz's, "e,x,y x,y ...") with every
// number of more than two decimals rounded to two, half away from zero, on
// its digits. Graphviz writes the layout with five significant digits
// (53.475) and SVG with two decimals; a frame draws a new edge between two
// halo lines (mark_new), and Graphviz computes the middle one of such
// parallel lines by offsetting the layout's spline, sums that can move a
// coordinate on a rounding boundary by 0.01 in the SVG: with two decimals
// to start from, every frame writes the layout's coordinates alike.
std::string at_svg_precision(const std::string& coordinates) {
  std::string out;
  for (std::size_t i = 0; i < coordinates.size();) {
    const char c = coordinates[i];
    const bool starts_number = std::isdigit(static_cast<unsigned char>(c)) ||
                               (c == '-' && i + 1 < coordinates.size() &&
                                std::isdigit(static_cast<unsigned char>(coordinates[i + 1])));
    if (!starts_number) {
      out += c;
      ++i;
      continue;
    }
    std::size_t end = i + (c == '-' ? 1 : 0);
    while (end < coordinates.size() && std::isdigit(static_cast<unsigned char>(coordinates[end]))) ++end;
    const std::size_t dot = end;
    if (end < coordinates.size() && coordinates[end] == '.') {
      ++end;
      while (end < coordinates.size() && std::isdigit(static_cast<unsigned char>(coordinates[end]))) ++end;
    }
    std::string number = coordinates.substr(i, end - i);
    const bool exponent = end < coordinates.size() && (coordinates[end] == 'e' || coordinates[end] == 'E');
    if (!exponent && dot < end && end - dot - 1 > 2) {
      const bool up = coordinates[dot + 3] >= '5';
      number = coordinates.substr(i, dot + 3 - i);  // "-53.47"
      if (up) {
        // Add one in the last place, carrying through the digits.
        std::size_t k = number.size();
        for (;;) {
          if (k == 0 || number[k - 1] == '-') {
            number.insert(k, "1");
            break;
          }
          --k;
          if (number[k] == '.') continue;
          if (number[k] != '9') {
            ++number[k];
            break;
          }
          number[k] = '0';
        }
      }
    }
    out += number;
    i = end;
  }
  return out;
}

// The layout's coordinates of `g`, its subgraphs, nodes and edges at two
// decimals (at_svg_precision).
void round_layout(Agraph_t* g) {
  auto round = [](void* obj, const char* name) {
    const std::string value = attribute(obj, name);
    if (!value.empty()) set(obj, name, at_svg_precision(value));
  };
  for (const char* name : {"bb", "lp"}) round(g, name);
  for (Agraph_t* sub = agfstsubg(g); sub; sub = agnxtsubg(sub)) round_layout(sub);
  if (g != agroot(g)) return;
  for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n)) {
    for (const char* name : {"pos", "xlp"}) round(n, name);
    for (Agedge_t* e = agfstout(g, n); e; e = agnxtout(g, e))
      for (const char* name : {"pos", "lp", "head_lp", "tail_lp", "xlp"}) round(e, name);
  }
}

// One frame on the union's layout `laid`: every object of the layout where
// it was laid out, drawn as `frame` draws it, hidden or ghosted when it
// does not, and marked new when `previous` (the frame before) did not draw
// it. DOT for nop2.
std::string frame_on_layout(const std::string& laid, const std::string& frame, const std::string* previous,
                            bool ghosts, bool keep_box) {
  GraphvizGraph g = GraphvizGraph::parse(laid);
  Agraph_t* root = g.get();
  round_layout(root);
  Objects lo = objects_of(root);
  GraphvizGraph f = GraphvizGraph::parse(frame);
  Objects fo = objects_of(f.get());
  std::optional<GraphvizGraph> p;
  Objects po;
  if (previous) {
    p.emplace(GraphvizGraph::parse(*previous));
    po = objects_of(p->get());
  }
  auto draw = [&](int kind, void* obj, const auto& in_frame, const auto& in_previous,
                  const std::string& key) {
    auto found = in_frame.find(key);
    if (found == in_frame.end()) return ghosts ? ghost(obj, kind) : hide(obj);
    if (kind == AGRAPH)
      copy_attributes(f.get(), kind, found->second, obj, false);
    else
      draw_as(f.get(), kind, found->second, obj);
    if (kind != AGRAPH && previous && !in_previous.count(key)) mark_new(obj, kind);
  };
  for (const auto& [key, sub] : lo.clusters) draw(AGRAPH, sub, fo.clusters, po.clusters, key);
  for (const auto& [key, n] : lo.nodes) draw(AGNODE, n, fo.nodes, po.nodes, key);
  for (const auto& [key, e] : lo.edges) draw(AGEDGE, e, fo.edges, po.edges, key);
  // Last: a root graph attribute is the default of subgraphs made later.
  copy_attributes(f.get(), AGRAPH, f.get(), root, false);
  set(root, "layout", "nop2");
  set(root, "ratio", "");  // the layout's (with --canvas): done, and nop2 crashes on it
  // nop2 draws the box round what the frame holds, which with --canvas is
  // less than the layout's, stretched to the canvas's shape: two invisible
  // points at its corners keep that box.
  if (keep_box) {
    const std::string bb = attribute(root, "bb");
    double x0, y0, x1, y1;
    if (std::sscanf(bb.c_str(), "%lf,%lf,%lf,%lf", &x0, &y0, &x1, &y1) == 4) {
      int corner = 0;
      for (auto [x, y] : {std::pair{x0, y0}, std::pair{x1, y1}}) {
        Agnode_t* n = agnode(root, const_cast<char*>(("~corner" + std::to_string(corner++)).c_str()), 1);
        set(n, "shape", "point");
        set(n, "width", "0.01");
        set(n, "height", "0.01");
        set(n, "label", "");
        set(n, "style", "invis");
        set(n, "pos", fixed_point(x) + "," + fixed_point(y));
      }
    }
  }
  return g.dot();
}

// The frames' DOT texts, each with the same legend (every entry any frame
// uses, and the time-lapse's own) and its `large` text above the title, and
// each flow's label where it is in every frame: beside its own edge when
// any frame draws a flow the other way (RenderOptions::frame_flow_ends).
std::vector<std::string> frame_dots(const std::vector<const ModelAt*>& ats,
                                    std::vector<RenderOptions> options,
                                    const std::vector<std::string>& extra_keys,
                                    std::vector<std::string>* messages) {
  std::vector<std::string> keys;
  std::set<std::pair<Index, Index>> flow_ends;
  for (std::size_t k = 0; k < ats.size(); ++k) {
    const Diagram diagram = build_checked_diagram(*ats[k], options[k]);
    for (auto& key : diagram.legend)
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    flow_ends.insert(diagram.flow_ends.begin(), diagram.flow_ends.end());
  }
  keys.insert(keys.end(), extra_keys.begin(), extra_keys.end());
  std::vector<std::string> dots;
  for (std::size_t k = 0; k < ats.size(); ++k) {
    options[k].legend_keys = keys;
    options[k].frame_flow_ends = flow_ends;
    // The engine's note once, for the last frame (the largest, as a rule).
    dots.push_back(
        build_checked_diagram(*ats[k], options[k], k + 1 == ats.size() ? messages : nullptr).graph.dot());
  }
  return dots;
}

// frame_dots, fitted to options.canvas when there is one: the directions
// are tried on the union of the frames, which is what is laid out, and
// every frame is given the size chosen (a frame's root attributes are its
// own on the layout: frame_on_layout).
// The fit chosen goes to `fit` (draw_frames gives its note).
std::vector<std::string> fitted_frame_dots(const std::vector<const ModelAt*>& ats,
                                           std::vector<RenderOptions> each,
                                           const std::vector<std::string>& extra_keys,
                                           const RenderOptions& options, CanvasFit* fit_chosen,
                                           std::vector<std::string>* messages) {
  if (!options.canvas) return frame_dots(ats, std::move(each), extra_keys, messages);
  for (RenderOptions& o : each) o.canvas.reset();
  auto in_direction = [&](bool top_to_bottom, std::vector<std::string>* notes) {
    for (RenderOptions& o : each) o.top_to_bottom = top_to_bottom;
    return frame_dots(ats, each, extra_keys, notes);
  };
  std::map<bool, std::string> unions;
  auto union_dot = [&](bool top_to_bottom) {
    auto found = unions.find(top_to_bottom);
    if (found != unions.end()) return found->second;
    return unions[top_to_bottom] = union_of(in_direction(top_to_bottom, nullptr)).dot();
  };
  // The text size is measured on the frames as drawn (draw_frames).
  const CanvasFit fit = fit_canvas(options, union_dot, laid_box, false);
  std::vector<std::string> dots = in_direction(fit.top_to_bottom, messages);
  for (std::string& dot : dots) dot = fitted_to(dot, fit, false);
  *fit_chosen = fit;
  return dots;
}

// The frames laid out once and drawn in options.format.
// With a canvas, the note on `fit` (fitted_frame_dots) goes to `messages`
// last, with the smallest text of the frames as drawn: their titles, which
// the union's layout does not hold, take room that scales them further.
std::vector<std::string> draw_frames(const std::vector<std::string>& dots, const RenderOptions& options,
                                     const CanvasFit& fit, bool ghosts, bool mark_new_ones,
                                     std::vector<std::string>* messages) {
  GraphvizGraph u = union_of(dots);
  // With a canvas, the frames carry its size (fitted_frame_dots) and the
  // union's layout fills its shape; the frames, drawn on that layout, must
  // not (Graphviz 2.42 crashes on nop2 with ratio fill: frame_on_layout).
  if (options.canvas) set(u.get(), "ratio", "fill");
  const std::size_t nodes = static_cast<std::size_t>(agnnodes(u.get()));
  if (nodes > options.max_nodes)
    throw RenderError("the frames together would draw " + std::to_string(nodes) +
                      " nodes, more than --max-nodes " + std::to_string(options.max_nodes) +
                      "; narrow them (--sector, --view sectors, fewer --dates) or raise --max-nodes");
  std::vector<std::string> job{u.dot()};
  job.insert(job.end(), dots.begin(), dots.end());
  const std::string laid =
      LayoutProcess(options.format).run(LayoutProcess::Job::union_layout, job, options, messages);
  std::vector<std::string> positioned;
  for (std::size_t k = 0; k < dots.size(); ++k)
    positioned.push_back(frame_on_layout(laid, dots[k], mark_new_ones && k > 0 ? &dots[k - 1] : nullptr,
                                         ghosts, options.canvas.has_value()));
  // The union was laid out at the size fit_canvas asked for, which may be
  // more than the canvas (a little more of one side, for the title and
  // legend that ratio fill does not stretch): its shape is the canvas's,
  // and each frame, which only draws that layout, is scaled to the canvas
  // itself, so no page comes out larger than it.
  if (options.canvas) {
    CanvasFit to_canvas;
    to_canvas.width_in = options.canvas->width_in;
    to_canvas.height_in = options.canvas->height_in;
    for (std::string& frame : positioned) frame = fitted_to(frame, to_canvas, false);
  }
  std::vector<std::string> drawn;
  switch (options.format) {
    case Format::dot:
      drawn = positioned;
      break;
    case Format::pdf:
      drawn = {
          LayoutProcess(options.format).run(LayoutProcess::Job::pdf_pages, positioned, options, messages)};
      break;
    case Format::svg:
    case Format::png:
      drawn = LayoutProcess::split_frames(
          LayoutProcess(options.format).run(LayoutProcess::Job::frames, positioned, options, messages));
      break;
  }
  if (options.canvas && messages) {
    double smallest = 0;  // an engine with no direction to choose: its note gives no size
    if (fit.engine.empty()) {
      // Measured on the frames as SVG: the ones drawn, or drawn again for it
      // (on the layout they have, which is quick).
      RenderOptions as_svg = options;
      as_svg.format = Format::svg;
      std::vector<std::string> in_points;
      if (options.format != Format::svg)
        for (const std::string& frame : positioned) in_points.push_back(at_72_dpi(frame));
      const std::vector<std::string> svgs =
          options.format == Format::svg
              ? drawn
              : LayoutProcess::split_frames(
                    LayoutProcess(Format::svg).run(LayoutProcess::Job::frames, in_points, as_svg, nullptr));
      smallest = 0;
      for (const std::string& svg : svgs) {
        const double pt = svg_smallest_text_pt(svg);
        if (smallest == 0 || pt < smallest) smallest = pt;
      }
    }
    messages->push_back("note: " + canvas_note(options, fit, smallest));
  }
  return drawn;
}

// A time-lapse of one sector draws the frames before its first system
// empty, but there must be a frame with one.
void check_sector_somewhere(const std::vector<ModelAt>& frames, const RenderOptions& options) {
  std::set<std::string> sectors;
  for (const ModelAt& at : frames) {
    for (Index s : at.systems()) {
      const std::string& sector = at.model().systems[s].sector;
      if (sector == options.sector) return;
      sectors.insert(sector);
    }
  }
  throw RenderError(
      say(options.lang, Msg::render_sector_inactive_all, options.sector, text::join(sectors, ", ")));
}

int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

}  // namespace

std::vector<std::string> render_timelapse(const std::vector<ModelAt>& frames, const RenderOptions& options,
                                          const TimelapseOptions& timelapse,
                                          std::vector<std::string>* messages) {
  if (frames.empty()) throw RenderError("a time-lapse needs at least one date");
  if (frames.size() > kMaxFrames)
    throw RenderError(say(options.lang, Msg::render_too_many_frames, frames.size(), kMaxFrames));
  if (options.view == View::chain) throw RenderError(say(options.lang, Msg::render_dates_view));
  if (!options.sector.empty()) check_sector_somewhere(frames, options);
  std::vector<const ModelAt*> ats;
  std::vector<RenderOptions> each;
  for (const ModelAt& at : frames) {
    ats.push_back(&at);
    RenderOptions o = options;
    o.entity_ids = true;
    o.large_text = at.at().iso();
    o.sector_may_be_empty = true;
    each.push_back(std::move(o));
  }
  std::vector<std::string> extra;
  if (frames.size() > 1) extra.push_back("timelapse:new");
  if (timelapse.ghost) extra.push_back("timelapse:ghost");
  CanvasFit fit;
  std::vector<std::string> dots = fitted_frame_dots(ats, each, extra, options, &fit, messages);
  return draw_frames(dots, options, fit, timelapse.ghost, true, messages);
}

std::vector<std::string> render_chain_steps(const ModelAt& at, const RenderOptions& options,
                                            const TimelapseOptions& timelapse,
                                            std::vector<std::string>* messages) {
  std::size_t steps = 0;
  if (options.highlight)
    for (const auto& chain : options.highlight->chains) steps = std::max(steps, chain.size());
  if (options.view != View::chain || steps == 0)
    throw RenderError(say(options.lang, Msg::render_steps_no_chain));
  if (steps > kMaxFrames)
    throw RenderError(say(options.lang, Msg::render_too_many_frames, steps, kMaxFrames));
  std::vector<const ModelAt*> ats(steps, &at);
  std::vector<RenderOptions> each;
  for (std::size_t k = 1; k <= steps; ++k) {
    RenderOptions o = options;
    o.entity_ids = true;
    o.large_text = say(options.lang, Msg::render_step, k, steps);
    for (auto& chain : o.highlight->chains) chain.resize(std::min(chain.size(), k));
    each.push_back(std::move(o));
  }
  std::vector<std::string> extra;
  if (timelapse.ghost && options.highlight->only) extra.push_back("timelapse:ghost");
  CanvasFit fit;
  std::vector<std::string> dots = fitted_frame_dots(ats, each, extra, options, &fit, messages);
  return draw_frames(dots, options, fit, timelapse.ghost, false, messages);
}

namespace {

// Frame `k` of `path`, numbered with `digits` digits.
std::filesystem::path frame_path(const std::filesystem::path& path, std::size_t k, std::size_t digits) {
  std::string number = std::to_string(k);
  number.insert(0, digits - std::min(digits, number.size()), '0');
  std::filesystem::path p = path;
  p.replace_filename(path.stem().string() + "-" + number + path.extension().string());
  return p;
}

std::size_t frame_digits(std::size_t frames) {
  return std::max<std::size_t>(2, std::to_string(frames).size());
}

}  // namespace

std::vector<std::filesystem::path> timelapse_paths(const std::filesystem::path& path, Format format,
                                                   std::size_t frames) {
  if (format == Format::pdf) return {path};
  std::vector<std::filesystem::path> paths;
  for (std::size_t k = 1; k <= frames; ++k) paths.push_back(frame_path(path, k, frame_digits(frames)));
  return paths;
}

std::vector<std::filesystem::path> earlier_frame_paths(const std::filesystem::path& path, Format format,
                                                       std::size_t frames) {
  if (format == Format::pdf) return {};
  std::vector<std::filesystem::path> stale;
  for (std::size_t digits : {std::size_t{2}, frame_digits(kMaxFrames)}) {
    for (std::size_t k = 1; k <= kMaxFrames; ++k) {
      if (k <= frames && digits == frame_digits(frames)) continue;  // this run's own
      if (std::to_string(k).size() > digits) break;
      std::filesystem::path p = frame_path(path, k, digits);
      std::error_code error;
      if (std::filesystem::is_regular_file(p, error)) stale.push_back(std::move(p));
    }
  }
  return stale;
}

FramesWritten write_frames(const std::filesystem::path& path, Format format,
                           const std::vector<std::string>& frames) {
  FramesWritten done;
  done.written = timelapse_paths(path, format, frames.size());
  for (std::size_t k = 0; k < frames.size(); ++k) write_file_atomically(done.written[k], frames[k]);
  for (auto& stale : earlier_frame_paths(path, format, frames.size())) {
    std::error_code error;
    if (std::filesystem::remove(stale, error))
      done.removed.push_back(std::move(stale));
    else if (error)
      done.not_removed.emplace_back(std::move(stale), error.message());
  }
  return done;
}

std::vector<Date> dates_every(const Date& first, const Date& last, int months) {
  std::vector<Date> dates;
  for (int n = 0;; ++n) {
    const int month0 = first.month - 1 + n * months;
    Date d;
    d.year = first.year + month0 / 12;
    d.month = month0 % 12 + 1;
    d.day = std::min(first.day, days_in_month(d.year, d.month));
    if (last < d) break;
    dates.push_back(d);
  }
  if (dates.empty() || dates.back() != last) dates.push_back(last);
  return dates;
}

}  // namespace imozuru::render
