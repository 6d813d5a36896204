#include "render/render.h"

#include <graphviz/cgraph.h>

#include <algorithm>
#include <cctype>

#include "model/output_file.h"
#include "render/diagram.h"
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

// The diagram, checked against --max-nodes, with the engine chosen for it
// written into the graph (`layout`, unless dot): so `dot -Tsvg` on our DOT
// file, and the layout process, lay it out the same way.
Diagram build_checked(const ModelAt& at, const RenderOptions& options, std::vector<std::string>* messages) {
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

}  // namespace

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
  return build_checked(at, options, messages).graph.dot();
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
