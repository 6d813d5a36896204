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
#include <utility>

#include "render/graphviz.h"
#include "render/render.h"

namespace imozuru::render {
namespace {

std::string attribute(void* obj, const char* name) {
  const char* value = agget(obj, const_cast<char*>(name));
  return value ? value : "";
}

void set(void* obj, const char* name, const std::string& value) {
  agsafeset(obj, const_cast<char*>(name), const_cast<char*>(value.c_str()), const_cast<char*>(""));
}

// A frame with every node at the origin and no edges or clusters: laid out
// with nop2, Graphviz sizes each node for its label and does nothing else.
std::map<std::string, std::pair<double, double>> node_sizes(const GraphvizContext& context,
                                                            const std::string& dot) {
  GraphvizGraph graph = GraphvizGraph::parse(dot);
  Agraph_t* g = graph.get();
  std::vector<Agedge_t*> edges;
  for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n))
    for (Agedge_t* e = agfstout(g, n); e; e = agnxtout(g, e)) edges.push_back(e);
  for (Agedge_t* e : edges) agdeledge(g, e);
  std::vector<Agraph_t*> clusters;
  for (Agraph_t* sub = agfstsubg(g); sub; sub = agnxtsubg(sub)) clusters.push_back(sub);
  for (Agraph_t* sub : clusters) agdelsubg(g, sub);
  for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n)) set(n, "pos", "0,0");
  set(g, "layout", "nop2");
  std::map<std::string, std::pair<double, double>> sizes;
  GraphvizLayout layout(context, graph, "nop2");
  for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n)) sizes[frame_key(n)] = {ND_width(n), ND_height(n)};
  return sizes;
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
  std::map<std::string, std::pair<double, double>> largest;
  for (std::size_t k = 1; k < dots.size(); ++k) {
    for (const auto& [key, size] : node_sizes(context, dots[k])) {
      auto& [w, h] = largest[key];
      w = std::max(w, size.first);
      h = std::max(h, size.second);
    }
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
  return GraphvizLayout(context, graph, engine).render("dot");
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
