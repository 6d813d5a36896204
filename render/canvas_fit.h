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
// legend, which ratio fill does not stretch, would leave it narrower).
struct CanvasFit {
  bool top_to_bottom = false;
  double width_in = 0, height_in = 0;
};

// How large a DOT text comes out, in points: drawn_size for a diagram
// drawn from its own layout (its SVG's size), laid_box for frames drawn on
// a layout they keep whole (the layout's bounding box: frame_on_layout).
using Measure = std::function<std::pair<double, double>(const std::string& dot, const RenderOptions&)>;
std::pair<double, double> drawn_size(const std::string& dot, const RenderOptions& options);
std::pair<double, double> laid_box(const std::string& dot, const RenderOptions& options);

// The smallest text a DOT text asks for, in points, before any scaling:
// its HTML labels' POINT-SIZE and its fontsize attributes.
double smallest_font_pt(const std::string& dot);

// options.canvas fitted: `dot_of(top_to_bottom)` is the DOT text of the
// drawing in that direction. With dot, both directions are laid out and the
// one whose own shape is nearer the canvas's is chosen (another engine,
// named by the DOT's `layout`, keeps the direction asked for); then up to
// three layouts at the canvas's size (as `measure` says) correct for the
// title and legend. A note on what was chosen, with the smallest text size
// (and what narrows the view when that is too small), goes to `messages`.
CanvasFit fit_canvas(const RenderOptions& options, const std::function<std::string(bool)>& dot_of,
                     const Measure& measure, std::vector<std::string>* messages);

// `dot` with Graphviz's size "W,H!" from `fit` and (when `fill`) ratio
// fill, which scale the drawing to exactly that size.
std::string fitted_to(const std::string& dot, const CanvasFit& fit, bool fill = true);

}  // namespace imozuru::render
