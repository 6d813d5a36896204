// Fitting a drawing to RenderOptions::canvas (docs/cli.md#render, `--canvas`),
// shared by single diagrams (render.cc) and time-lapse frames
// (timelapse.cc). Internal to render/.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "render/render.h"

namespace imozuru::render {

// What fit_canvas chose: the direction, and the size to ask Graphviz for
// (the canvas's, or a little more of its short side when the title and
// legend, which ratio fill does not stretch, would leave it narrower); and
// what canvas_note says about it.
struct CanvasFit {
  bool top_to_bottom = false;
  double width_in = 0, height_in = 0;
  std::string engine;  // set: the DOT names an engine (not dot), which has no direction to choose
  double aspect_chosen = 0, aspect_other = 0;  // the diagram's own shape in either direction
  // With fit_canvas's `text_size`: the smallest text the page shows, in
  // points (Graphviz's scaling of the last layout measured, then that drawing
  // brought to the canvas). Exact for a diagram drawn from its own layout
  // (drawn_size); frames, whose titles the layout does not hold, are
  // measured once drawn (draw_frames).
  double smallest_pt = 0;
};

// How large a DOT text comes out, in points, and by how much Graphviz
// scales its text on the way (a drawing larger than its size is drawn
// smaller, text with it).
struct Measured {
  double width = 0, height = 0;
  double text_scale = 1;
};
// drawn_size for a diagram drawn from its own layout (its SVG's size and
// the scale of its transform), laid_box for frames drawn on a layout they
// keep whole (the layout's bounding box, before any scaling: the frames
// are scaled to the canvas afterwards, frame_on_layout and draw_frames).
using Measure = std::function<Measured(const std::string& dot, const RenderOptions&)>;
Measured drawn_size(const std::string& dot, const RenderOptions& options);
Measured laid_box(const std::string& dot, const RenderOptions& options);

// The smallest text a DOT text asks for, in points, before any scaling:
// its HTML labels' POINT-SIZE and its fontsize attributes.
double smallest_font_pt(const std::string& dot);

// options.canvas fitted: `dot_of(top_to_bottom)` is the DOT text of the
// drawing in that direction. With dot, both directions are laid out and the
// one whose own shape is nearer the canvas's is chosen (another engine,
// named by the DOT's `layout`, keeps the direction asked for); then up to
// three layouts at the canvas's size (as `measure` says) correct for the
// title and legend. With `text_size`, CanvasFit::smallest_pt too (one more
// layout when the last trial changed the size).
CanvasFit fit_canvas(const RenderOptions& options, const std::function<std::string(bool)>& dot_of,
                     const Measure& measure, bool text_size);

// The note on what fit_canvas chose, with the smallest text the page shows
// (`smallest_pt`) and, when that is too small for a projector, what narrows
// the view. In options.lang, without the "note: " in front.
std::string canvas_note(const RenderOptions& options, const CanvasFit& fit, double smallest_pt);

// `dot` at 72 dpi: in points, where a PNG's dpi (render/diagram.cc) would
// make its SVG larger by dpi/72.
std::string at_72_dpi(const std::string& dot);

// The smallest text an SVG of Graphviz's shows, in points on its page: the
// smallest font-size it wrote times the scale of the graph's transform.
double svg_smallest_text_pt(const std::string& svg);

// `dot` with Graphviz's size "W,H!" from `fit` and (when `fill`) ratio
// fill, which scale the drawing to exactly that size.
std::string fitted_to(const std::string& dot, const CanvasFit& fit, bool fill = true);

}  // namespace imozuru::render
