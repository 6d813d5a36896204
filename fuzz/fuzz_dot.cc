// Fuzz target 3: YAML model text → every diagram view as DOT → Graphviz's own
// parser (agread) → every node, edge and (sub)graph label must come back
// exactly as the renderer set it. Labels with user text must also be
// well-formed HTML-like labels (valid UTF-8, entities only &…;, tags
// balanced) so that layout can never misread them, and each system's escaped
// name must appear in its node's label in the flows view, wrapped as
// text::wrap_text wraps it, a line a row.
#include <graphviz/cgraph.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "model/as_of.h"
#include "model/load.h"
#include "render/diagram.h"
#include "render/graphviz.h"
#include "render/render.h"
#include "text/escape.h"
#include "text/width.h"

using namespace imozuru;
using namespace imozuru::render;

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& detail) {
  fprintf(stderr, "fuzz_dot: %s: %s\n", what.c_str(), detail.c_str());
  __builtin_trap();
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

// A small XML well-formedness check of an HTML-like label: tags balance,
// every & starts an entity, no stray < or >, no control characters.
void check_html(const std::string& label) {
  if (!valid_utf8(label)) fail("label is not valid UTF-8", label);
  std::vector<std::string> open;
  size_t i = 0;
  while (i < label.size()) {
    char c = label[i];
    if (c == '<') {
      size_t end = label.find('>', i);
      if (end == std::string::npos) fail("unterminated tag", label);
      std::string tag = label.substr(i + 1, end - i - 1);
      if (tag.empty()) fail("empty tag", label);
      bool closing = tag[0] == '/';
      bool self = tag.back() == '/';
      std::string name = tag.substr(closing ? 1 : 0);
      name = name.substr(0, name.find_first_of(" /"));
      if (name.empty()) fail("nameless tag", label);
      if (closing) {
        if (open.empty() || open.back() != name) fail("unbalanced tag </" + name + ">", label);
        open.pop_back();
      } else if (!self) {
        open.push_back(name);
      }
      i = end + 1;
    } else if (c == '>') {
      fail("stray >", label);
    } else if (c == '&') {
      size_t end = label.find(';', i);
      if (end == std::string::npos || end - i > 10) fail("& outside an entity", label);
      i = end + 1;
    } else {
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') fail("control character in a label", label);
      ++i;
    }
  }
  if (!open.empty()) fail("unclosed tag <" + open.back() + ">", label);
}

struct Attr {
  std::string value;
  bool html = false;
  bool operator==(const Attr& o) const { return value == o.value && html == o.html; }
};

Attr label_of(void* obj) {
  char* s = agget(obj, const_cast<char*>("label"));
  if (!s) return {};
  return {s, aghtmlstr(s) != 0};
}

// A label's text as written (entities kept), its lines, the rows of a
// leaded label (render/label_lines.h) or split by <BR/>, one a line.
std::string label_lines(const std::string& label) {
  std::string out;
  for (size_t i = 0; i < label.size();) {
    if (label[i] != '<') {
      out += label[i++];
      continue;
    }
    size_t end = label.find('>', i);
    if (end == std::string::npos) break;
    const std::string tag = label.substr(i, end - i + 1);
    if (tag == "<BR/>" || (tag.rfind("<TR", 0) == 0 && !out.empty())) out += '\n';
    i = end + 1;
  }
  return out;
}

void compare_labels(Agraph_t* built, Agraph_t* parsed, const std::string& where) {
  Attr a = label_of(built), b = label_of(parsed);
  if (!(a == b)) fail(("graph label changed in " + where).c_str(), a.value + " | " + b.value);
  if (a.html) check_html(a.value);
  for (Agraph_t* sub = agfstsubg(built); sub; sub = agnxtsubg(sub)) {
    Agraph_t* other = agsubg(parsed, agnameof(sub), 0);
    if (!other) fail("subgraph lost", agnameof(sub));
    compare_labels(sub, other, agnameof(sub));
  }
}

void round_trip(const ModelAt& at, const RenderOptions& options) {
  if (count_nodes(at, options) > options.max_nodes) return;
  // diagram_dot first: it creates the Graphviz context, which declares
  // default attributes (node label "\N") for every graph made after it.
  std::string public_dot = diagram_dot(at, options);
  Diagram diagram = build_diagram(at, options);
  std::string dot = diagram.graph.dot();
  if (dot != public_dot) fail("diagram_dot is not deterministic", public_dot + "\n-----\n" + dot);
  GraphvizGraph parsed = [&] {
    try {
      return GraphvizGraph::parse(dot);
    } catch (const std::exception& e) {
      fail("Graphviz cannot parse our DOT", std::string(e.what()) + "\n" + dot);
    }
  }();
  Agraph_t* b = diagram.graph.get();
  Agraph_t* p = parsed.get();
  if (agnnodes(b) != agnnodes(p)) fail("node count changed", dot);
  if (agnedges(b) != agnedges(p)) fail("edge count changed", dot);
  compare_labels(b, p, "root");
  for (Agnode_t* n = agfstnode(b); n; n = agnxtnode(b, n)) {
    Agnode_t* m = agnode(p, agnameof(n), 0);
    if (!m) fail("node lost", agnameof(n));
    Attr want = label_of(n), got = label_of(m);
    if (!(want == got)) fail("node label changed", want.value + " | " + got.value);
    if (want.html) check_html(want.value);
    // Edges out of this node, as (head, label, is HTML), compared as sorted
    // lists: agwrite may write edges inside subgraph bodies, so the parsed
    // graph can number them in another order.
    std::vector<std::tuple<std::string, std::string, bool>> out_b, out_p;
    for (Agedge_t* e = agfstout(b, n); e; e = agnxtout(b, e)) {
      Attr a = label_of(e);
      if (a.html) check_html(a.value);
      out_b.emplace_back(agnameof(aghead(e)), a.value, a.html);
    }
    for (Agedge_t* e = agfstout(p, m); e; e = agnxtout(p, e)) {
      Attr a = label_of(e);
      out_p.emplace_back(agnameof(aghead(e)), a.value, a.html);
    }
    std::sort(out_b.begin(), out_b.end());
    std::sort(out_p.begin(), out_p.end());
    if (out_b != out_p) {
      std::string detail;
      for (const auto& [h, v, html] : out_b) detail += "built: -> " + h + " " + v + "\n";
      for (const auto& [h, v, html] : out_p) detail += "parsed: -> " + h + " " + v + "\n";
      fail("edge labels changed", detail);
    }
  }
  // The flows view draws each active system as node "s<index>" whose label
  // carries its escaped display name, wrapped at the label width (never cut:
  // docs/cli.md, "render").
  if (options.view == View::flows) {
    for (Index s : at.systems()) {
      Agnode_t* n = agnode(p, const_cast<char*>(("s" + std::to_string(s)).c_str()), 0);
      if (!n) fail("system node missing", at.model().systems[s].id);
      std::string want;
      for (const std::string& line :
           text::wrap_text(at.model().systems[s].display_name(options.lang), options.label_width))
        want += (want.empty() ? "" : "\n") + text::dot_label_text(line);
      if (label_lines(label_of(n).value).find(want) == std::string::npos)
        fail("system name not in its label", want + " | " + label_of(n).value);
    }
  }
  // The sectors view draws one node per active sector, "sector<k>", k from 0.
  if (options.view == View::sectors) {
    std::set<std::string> sectors;
    for (Index s : at.systems()) sectors.insert(at.model().systems[s].sector);
    for (std::size_t k = 0; k <= sectors.size(); ++k) {
      Agnode_t* n = agnode(p, const_cast<char*>(("sector" + std::to_string(k)).c_str()), 0);
      if ((n != nullptr) != (k < sectors.size())) fail("sector nodes", std::to_string(k));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  LoadLimits limits;
  limits.max_file_bytes = 64u << 10;
  limits.max_depth = 16;
  limits.max_entities = 200;
  limits.max_files = 1;
  limits.max_string_bytes = 4u << 10;
  LoadResult result =
      load_model_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.yaml", limits);
  if (!result.model) return 0;
  const Model& model = *result.model;
  ModelAt at(model, *Date::parse("2026-01-01"), true);

  Highlight highlight;
  highlight.caption = model.model_name();
  for (const auto& s : model.systems) {
    highlight.systems.push_back(s.id);
    highlight.system_depth[s.id] = static_cast<int>(highlight.systems.size());
    if (highlight.systems.size() >= 4) break;
  }
  for (const auto& i : model.identifiers) {
    highlight.identifiers.push_back(i.id);
    if (highlight.identifiers.size() >= 3) break;
  }
  for (const auto& f : model.flows) {
    highlight.flows.push_back(f.id);
    HighlightHop hop;
    hop.kind = HighlightHop::Kind::flow;
    hop.flow = f.id;
    hop.from = f.from.id;
    hop.to = f.to.id;
    highlight.chains.push_back({hop});
    if (highlight.flows.size() >= 2) break;
  }

  for (View view : {View::flows, View::sectors, View::linkage, View::chain}) {
    for (Lang lang : {Lang::ja, Lang::en}) {
      RenderOptions options;
      options.view = view;
      options.format = Format::dot;
      options.lang = lang;
      options.max_nodes = 400;
      if (view == View::chain) {
        options.highlight = highlight;
        options.highlight->only = lang == Lang::en;
      }
      round_trip(at, options);
    }
  }
  return 0;
}
