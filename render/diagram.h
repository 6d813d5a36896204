// Building a view of a model as a Graphviz graph (no layout). Internal to
// render/; render.h is the public interface.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/as_of.h"
#include "render/graphviz.h"
#include "render/render.h"

namespace imozuru::render {

// How a time-lapse frame (render/timelapse.h) marks what is new since the
// previous frame and, with --ghost, what is not active at its date; here for
// the legend's samples.
inline constexpr const char* kTimelapseNewFill = "#FFF3A3";
inline constexpr const char* kTimelapseNewHalo = "#FFD84D";  // either side of a new edge
inline constexpr const char* kTimelapseGhostFill = "#FAFAFA";
inline constexpr const char* kTimelapseGhostLine = "#D4D4D4";
inline constexpr const char* kTimelapseGhostText = "#B4B4B4";

// A built diagram: the graph and the legend entries it uses (for tests).
struct Diagram {
  GraphvizGraph graph;
  std::vector<std::string> legend;  // style keys actually used, in legend order
  std::size_t nodes = 0;
  // The flows and person views: the systems (from, to) each flow drawn
  // joins, for a time-lapse's RenderOptions::frame_flow_ends.
  std::set<std::pair<Index, Index>> flow_ends;
};

// The number of nodes build_diagram draws for these options, found from the
// same choices of what to draw but without making any Graphviz object, so a
// diagram too large for --max-nodes is refused before one is made. Throws
// RenderError where build_diagram would (a sector with no active system).
std::size_t count_nodes(const ModelAt& at, const RenderOptions& options);

Diagram build_diagram(const ModelAt& at, const RenderOptions& options);

// build_diagram, checked against options.max_nodes, with the engine chosen
// for it written into the graph (`layout`, unless dot): so `dot -Tsvg` on
// our DOT file, and the layout process, lay it out the same way. A note on
// the engine chosen is appended to `messages` when given. Throws RenderError.
Diagram build_checked_diagram(const ModelAt& at, const RenderOptions& options,
                              std::vector<std::string>* messages = nullptr);

// Replaces the render time cairo writes into a PDF (/CreationDate, /ModDate)
// by a fixed date of the same length, so equal diagrams give equal bytes.
void make_pdf_deterministic(std::string& pdf);

}  // namespace imozuru::render
