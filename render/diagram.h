// Building a view of a model as a Graphviz graph (no layout). Internal to
// render/; render.h is the public interface.
#pragma once

#include <string>
#include <vector>

#include "model/as_of.h"
#include "render/graphviz.h"
#include "render/render.h"

namespace imozuru::render {

// A built diagram: the graph and the legend entries it uses (for tests).
struct Diagram {
  GraphvizGraph graph;
  std::vector<std::string> legend;  // style keys actually used, in legend order
  std::size_t nodes = 0;
};

// The number of nodes build_diagram draws for these options, found from the
// same choices of what to draw but without making any Graphviz object, so a
// diagram too large for --max-nodes is refused before one is made. Throws
// RenderError where build_diagram would (a sector with no active system).
std::size_t count_nodes(const ModelAt& at, const RenderOptions& options);

Diagram build_diagram(const ModelAt& at, const RenderOptions& options);

// Replaces the render time cairo writes into a PDF (/CreationDate, /ModDate)
// by a fixed date of the same length, so equal diagrams give equal bytes.
void make_pdf_deterministic(std::string& pdf);

}  // namespace imozuru::render
