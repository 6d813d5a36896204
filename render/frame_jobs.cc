#include "render/frame_jobs.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>

#include "render/cgraph_attributes.h"
#include "render/graphviz.h"
#include "render/render.h"

namespace imozuru::render {
namespace {

// What Graphviz makes of one frame's labels: each node's size (inches) and
// each edge's tail label's (points), by frame_key.
struct FrameSizes {
  std::map<std::string, std::pair<double, double>> nodes, tail_labels;
};

// A frame with every node at the origin and no edges or clusters: laid out
// with nop2, Graphviz sizes each node for its label and does nothing else.
// Each edge's tail label is measured as the label of a node of its own.
FrameSizes frame_sizes(const GraphvizContext& context, const std::string& dot) {
  GraphvizGraph graph = GraphvizGraph::parse(dot);
  Agraph_t* g = graph.get();
  std::vector<Agedge_t*> edges;
  for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n))
    for (Agedge_t* e = agfstout(g, n); e; e = agnxtout(g, e)) edges.push_back(e);
  std::map<Agnode_t*, std::string> tail_labels;
  for (Agedge_t* e : edges) {
    const char* label = agget(e, const_cast<char*>("taillabel"));
    if (!label || !*label) continue;
    const std::string key = frame_key(e);
    Agnode_t* n = agnode(g, const_cast<char*>(("~taillabel " + key).c_str()), 1);
    set_like(n, "label", label);
    set(n, "shape", "plaintext");
    set(n, "margin", "0");
    for (auto [to, from, fallback] : {std::tuple{"fontname", "labelfontname", "fontname"},
                                      std::tuple{"fontsize", "labelfontsize", "fontsize"}}) {
      std::string value = attribute(e, from);
      if (value.empty()) value = attribute(e, fallback);
      if (!value.empty()) set(n, to, value);
    }
    tail_labels.emplace(n, key);
  }
  for (Agedge_t* e : edges) agdeledge(g, e);
  std::vector<Agraph_t*> clusters;
  for (Agraph_t* sub = agfstsubg(g); sub; sub = agnxtsubg(sub)) clusters.push_back(sub);
  for (Agraph_t* sub : clusters) agdelsubg(g, sub);
  for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n)) set(n, "pos", "0,0");
  set(g, "layout", "nop2");
  FrameSizes sizes;
  GraphvizLayout layout(context, graph, "nop2");
  for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n)) {
    auto tail = tail_labels.find(n);
    if (tail == tail_labels.end())
      sizes.nodes[frame_key(n)] = {ND_width(n), ND_height(n)};
    else
      sizes.tail_labels[tail->second] = {ND_label(n)->dimen.x, ND_label(n)->dimen.y};
  }
  return sizes;
}

void grow(std::pair<double, double>& size, const std::pair<double, double>& by) {
  size.first = std::max(size.first, by.first);
  size.second = std::max(size.second, by.second);
}

std::string inches(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", value + 0.00005);  // rounded up: never smaller
  return text;
}

cairo_status_t append_to(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// The width and height of the first page of a PDF cairo wrote.
std::pair<double, double> media_box(const std::string& pdf) {
  std::size_t at = pdf.find("/MediaBox [");
  double x0, y0, x1, y1;
  if (at == std::string::npos ||
      std::sscanf(pdf.c_str() + at + 11, "%lf %lf %lf %lf", &x0, &y0, &x1, &y1) != 4)
    throw RenderError("cairo wrote a PDF without a page size");
  return {x1 - x0, y1 - y0};
}

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;

void check(cairo_status_t status) {
  if (status != CAIRO_STATUS_SUCCESS)
    throw RenderError(std::string("cairo cannot write the PDF: ") + cairo_status_to_string(status));
}

}  // namespace

std::string frame_key(Agnode_s* node) {
  std::string id = attribute(node, "id");
  return id.empty() ? std::string(agnameof(node)) : id;
}

std::string frame_key(Agedge_s* edge) {
  std::string id = attribute(edge, "id");
  return id.empty() ? "~" + frame_key(agtail(edge)) + ">" + frame_key(aghead(edge)) : id;
}

std::string frame_key(Agraph_s* cluster) { return attribute(cluster, "label"); }

std::string lay_out_union(const GraphvizContext& context, const std::vector<std::string>& dots,
                          const std::string& engine) {
  std::map<std::string, std::pair<double, double>> largest, largest_tail_label;
  for (std::size_t k = 1; k < dots.size(); ++k) {
    const FrameSizes sizes = frame_sizes(context, dots[k]);
    for (const auto& [key, size] : sizes.nodes) grow(largest[key], size);
    for (const auto& [key, size] : sizes.tail_labels) grow(largest_tail_label[key], size);
  }
  GraphvizGraph graph = GraphvizGraph::parse(dots.at(0));
  Agraph_t* g = graph.get();
  // `width` and `height` are minimums: a node is still as large as its own label needs.
  for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n)) {
    auto size = largest.find(frame_key(n));
    if (size == largest.end()) continue;
    set(n, "width", inches(size->second.first));
    set(n, "height", inches(size->second.second));
  }
  GraphvizLayout layout(context, graph, engine);
  // Each opposite flow's label placed for the largest its frames draw, so
  // that in every frame it is clear of its edge at the same place
  // (render_frames draws it at the `tail_lp` written here).
  place_opposite_tail_labels(g, [&](Agedge_t* e) {
    auto size = largest_tail_label.find(frame_key(e));
    return size == largest_tail_label.end() ? std::pair<double, double>{0, 0} : size->second;
  });
  return layout.render("dot");
}

std::string render_frames(const GraphvizContext& context, const std::vector<std::string>& dots,
                          const std::string& format) {
  std::string joined;
  for (const auto& dot : dots) {
    GraphvizGraph graph = GraphvizGraph::parse(dot);
    std::string bytes = GraphvizLayout(context, graph, "nop2").render(format);
    const std::uint64_t size = bytes.size();
    joined.append(reinterpret_cast<const char*>(&size), sizeof size);
    joined += bytes;
  }
  return joined;
}

std::string render_pdf_pages(const GraphvizContext& context, const std::vector<std::string>& dots) {
  std::string pdf;
  Surface surface(cairo_pdf_surface_create_for_stream(append_to, &pdf, 100, 100));
  check(cairo_surface_status(surface.get()));
  // Graphviz's page is the frame's bounding box (scaled to its `size`, with
  // --canvas) and its margins. The frames are drawn on one layout, so they
  // share the bounding box, and a frame's PDF of its own gives the page
  // size; another is made only for a frame whose box differs.
  std::optional<boxf> page_box;
  std::pair<double, double> page{0, 0};
  for (std::size_t k = 0; k < dots.size(); ++k) {
    GraphvizGraph graph = GraphvizGraph::parse(dots[k]);
    GraphvizLayout layout(context, graph, "nop2");
    const boxf bb = GD_bb(graph.get());
    if (!page_box || bb.LL.x != page_box->LL.x || bb.LL.y != page_box->LL.y || bb.UR.x != page_box->UR.x ||
        bb.UR.y != page_box->UR.y) {
      page = media_box(layout.render("pdf:cairo"));
      page_box = bb;
    }
    const auto [width, height] = page;
    cairo_pdf_surface_set_size(surface.get(), width, height);
    // Graphviz 2.42 shows the page and finishes the surface it draws on
    // even when the context is the caller's: it draws on a window of the
    // PDF surface, whose finishing leaves the PDF open for the next page.
    Surface window(cairo_surface_create_for_rectangle(surface.get(), 0, 0, width, height));
    cairo_t* cr = cairo_create(window.get());
    cairo_reference(cr);  // one reference for Graphviz to drop, should it destroy the context
    try {
      layout.render_to_context("pdf:cairo", cr);
    } catch (...) {
      while (cairo_get_reference_count(cr) > 1) cairo_destroy(cr);
      cairo_destroy(cr);
      throw;
    }
    while (cairo_get_reference_count(cr) > 1) cairo_destroy(cr);
    cairo_destroy(cr);
    window.reset();
    cairo_surface_show_page(surface.get());
    check(cairo_surface_status(surface.get()));
  }
  cairo_surface_finish(surface.get());
  check(cairo_surface_status(surface.get()));
  return pdf;
}

}  // namespace imozuru::render
