// Labels are wrapped at --label-width, never cut: a reader must be able to
// name every system, identifier and data item in the reference model's
// diagrams (docs/cli.md, "render").
#include <graphviz/cgraph.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "model/as_of.h"
#include "model/chains.h"
#include "model/load.h"
#include "render/diagram.h"
#include "render/graphviz.h"
#include "render/highlight.h"
#include "render/render.h"
#include "render_support.h"
#include "support/model_fixture.h"
#include "text/width.h"

using namespace imozuru;
using namespace imozuru::render;
using testing_support::label_text;

namespace {

Date d(const char* s) { return *Date::parse(s); }

using testing::reference_model;

EntityRef ref(const char* text) { return *EntityRef::parse(text); }

std::string attr(void* obj, const char* name) {
  char* v = agget(obj, const_cast<char*>(name));
  return v ? v : "";
}

// The visible text of every node and edge label of a DOT graph.
std::vector<std::string> element_labels(const std::string& dot) {
  GraphvizGraph g = GraphvizGraph::parse(dot);
  std::vector<std::string> out;
  for (Agnode_t* n = agfstnode(g.get()); n; n = agnxtnode(g.get(), n)) {
    out.push_back(label_text(attr(n, "label")));
    for (Agedge_t* e = agfstout(g.get(), n); e; e = agnxtout(g.get(), e)) {
      out.push_back(label_text(attr(e, "label")));
      out.push_back(label_text(attr(e, "taillabel")));  // an opposite flow's label
    }
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    out.push_back(text.substr(start, nl - start));
  out.push_back(text.substr(start));
  return out;
}

// A line the wrapper could have broken (the rule of text::wrap_text): in
// Japanese text after 、，；・ before its end, otherwise at a space. A line
// with kana or kanji counts as Japanese (its text's marks may be on other
// lines). The
// special-data marker "● " (and the indent under it) is not part of the text.
bool breakable(std::string line) {
  for (const char* prefix : {"● ", "  "})
    if (line.rfind(prefix, 0) == 0) line = line.substr(std::string(prefix).size());
  bool japanese = false, inner_mark = false;
  for (unsigned char c : line) japanese = japanese || c >= 0xE3;  // a lead byte of U+3000 and above
  for (const std::string mark : {"、", "，", "；", "・"}) {
    const std::size_t at = line.find(mark);
    if (at == std::string::npos) continue;
    japanese = true;
    if (at + mark.size() < line.size()) inner_mark = true;
  }
  return japanese ? inner_mark : line.find(' ') != std::string::npos;
}

// Every view of the reference model at 2026-01-01 (planned included), with
// the chain view showing the chains from the My Number to medical expenses
// and the person view one of the model's persons.
std::vector<std::pair<std::string, std::string>> all_views(Lang lang, std::size_t width) {
  std::vector<std::pair<std::string, std::string>> out;
  const Model& m = reference_model();
  ModelAt at(m, d("2026-01-01"), true);
  for (View view : {View::flows, View::sectors, View::linkage}) {
    RenderOptions o;
    o.view = view;
    o.lang = lang;
    o.label_width = width;
    out.emplace_back(std::string(to_string(view)), diagram_dot(at, o));
  }
  LinkageGraph graph(at);
  ChainOptions k3;
  k3.k = 3;
  RenderOptions chain;
  chain.view = View::chain;
  chain.lang = lang;
  chain.label_width = width;
  chain.highlight =
      highlight_of(m, chains(graph, ref("identifier:my_number"), ref("data:medical_expenses"), k3), lang);
  out.emplace_back("chain", diagram_dot(at, chain));
  ModelAt person_at(m, d("2026-01-01"), true, m.find_person("p_registered"));
  RenderOptions person;
  person.view = View::person;
  person.lang = lang;
  person.label_width = width;
  out.emplace_back("person", diagram_dot(person_at, person));
  return out;
}

}  // namespace

TEST_CASE("labels: nothing in the reference model's diagrams is cut with an ellipsis", "[render][labels]") {
  for (Lang lang : {Lang::ja, Lang::en}) {
    for (const auto& [view, dot] : all_views(lang, kDefaultLabelWidth)) {
      INFO("view " << view << (lang == Lang::ja ? " (ja)" : " (en)"));
      REQUIRE(dot.find("digraph") != std::string::npos);
      // Anywhere in the DOT text: node, edge, cluster and graph labels.
      CHECK(dot.find("…") == std::string::npos);
    }
  }
}

TEST_CASE("labels: --label-width wraps every node and edge label where it can break", "[render][labels]") {
  for (std::size_t width : {std::size_t{10}, kDefaultLabelWidth}) {
    for (Lang lang : {Lang::ja, Lang::en}) {
      std::size_t wrapped_lines = 0;
      for (const auto& [view, dot] : all_views(lang, width)) {
        for (const std::string& label : element_labels(dot)) {
          for (const std::string& line : lines_of(label)) {
            INFO("view " << view << ", width " << width << ", line '" << line << "' of label '" << label
                         << "'");
            // A line longer than the width is one word the wrapper could not
            // break (a long Japanese name stays whole rather than being cut).
            if (text::display_width(line) > width) CHECK_FALSE(breakable(line));
          }
          wrapped_lines += lines_of(label).size();
        }
      }
      CHECK(wrapped_lines > 0);
    }
  }
  // A narrower width gives more lines: the option is used.
  auto count_lines = [](std::size_t width) {
    std::size_t n = 0;
    for (const auto& [view, dot] : all_views(Lang::en, width))
      for (const std::string& label : element_labels(dot)) n += lines_of(label).size();
    return n;
  };
  CHECK(count_lines(10) > count_lines(kDefaultLabelWidth));
  CHECK(count_lines(kDefaultLabelWidth) > count_lines(kMaxLabelWidth));
}

TEST_CASE("labels: --no-title drops title and subtitle but keeps the legend; --caption is shown",
          "[render][labels]") {
  const Model& m = reference_model();
  ModelAt at(m, d("2026-01-01"));
  RenderOptions o;
  o.view = View::sectors;
  o.lang = Lang::en;
  auto root_label = [&](const RenderOptions& options) {
    GraphvizGraph g = GraphvizGraph::parse(diagram_dot(at, options));
    return label_text(attr(g.get(), "label"));
  };
  const std::string with_title = root_label(o);
  const std::string model_name = m.model_name(Lang::en);
  REQUIRE_FALSE(model_name.empty());
  CHECK(with_title.find(model_name) != std::string::npos);
  CHECK(with_title.find(", as of 2026-01-01") != std::string::npos);

  o.title = false;
  const std::string without = root_label(o);
  CHECK(without.find(model_name) == std::string::npos);
  CHECK(without.find(", as of 2026-01-01") == std::string::npos);
  // The legend stays: its entries are the tail of the titled label.
  REQUIRE_FALSE(without.empty());
  CHECK(with_title.substr(with_title.size() - without.size()) == without);

  o.caption = "Figure 3: flows between sectors, 2026";
  const std::string captioned = root_label(o);
  CHECK(captioned.find("Figure 3: flows between sectors, 2026") != std::string::npos);
  CHECK(captioned.find(model_name) == std::string::npos);
}

TEST_CASE("imozuru render --label-width --no-title --caption reach the figure", "[render][labels][cli]") {
  namespace fs = std::filesystem;
  fs::path dir = testing_support::temp_dir("label_width_cli");
  auto render = [&](const std::string& args) {
    fs::path out = dir / "v.dot";
    const std::string command = std::string(IMOZURU_BINARY) + " render " + IMOZURU_SOURCE_DIR +
                                "/flows --view sectors --at 2026-01-01 --lang en -o " + out.string() + " " +
                                args + " 2>/dev/null";
    int status = std::system(command.c_str());
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    return testing_support::slurp(out);
  };
  const std::string plain = render("");
  const std::string narrow = render("--label-width 10");
  // Lines of labels: an edge's split by <BR/>, a node's one a table row
  // (render/label_lines.h).
  auto breaks = [](const std::string& dot) {
    std::size_t n = 0;
    for (const char* line_break : {"<BR/>", "<TR>"})
      for (std::size_t at = dot.find(line_break); at != std::string::npos; at = dot.find(line_break, at + 1))
        ++n;
    return n;
  };
  CHECK(breaks(narrow) > breaks(plain));
  const std::string bare = render("--no-title --caption 'Figure 3: sectors'");
  CHECK(plain.find(", as of 2026-01-01") != std::string::npos);
  CHECK(bare.find(", as of 2026-01-01") == std::string::npos);
  CHECK(bare.find("Figure 3: sectors") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("canvas: presets and sizes with units are read; anything else is refused", "[render][canvas]") {
  auto canvas = [](const char* text) { return parse_canvas(text); };
  REQUIRE(canvas("16:9"));
  CHECK(canvas("16:9")->width_in == Approx(13.333));
  CHECK(canvas("16:9")->height_in == Approx(7.5));
  CHECK(canvas("4:3")->width_in / canvas("4:3")->height_in == Approx(4.0 / 3));
  CHECK(canvas("a4")->height_in == Approx(11.69));
  CHECK(canvas("a4-landscape")->width_in == Approx(11.69));
  REQUIRE(canvas("1920x1080px"));
  CHECK(canvas("1920x1080px")->width_in == Approx(20));
  CHECK(canvas("1920x1080px")->height_in == Approx(11.25));
  CHECK(canvas("297x210mm")->width_in == Approx(297 / 25.4));
  CHECK(canvas("10.5x6in")->width_in == Approx(10.5));
  CHECK(canvas("1920x1080px")->name == "1920x1080px");
  for (const char* bad : {"16:10", "1920x1080", "0x5in", "300x300in", "50x50px", "a3", "", "x5in", "5x5cm"}) {
    INFO(bad);
    CHECK_FALSE(canvas(bad));
  }
}

TEST_CASE("canvas: the reference model's views come out in the canvas's shape", "[render][canvas]") {
  const Model& m = reference_model();
  ModelAt at(m, d("2026-01-01"));
  struct Case {
    View view;
    const char* canvas;
  };
  for (Case c : {Case{View::sectors, "16:9"}, Case{View::sectors, "a4"}, Case{View::linkage, "16:9"},
                 Case{View::linkage, "4:3"}, Case{View::flows, "16:9"}, Case{View::flows, "a4-landscape"}}) {
    INFO(to_string(c.view) << " on " << c.canvas);
    RenderOptions o;
    o.view = c.view;
    o.lang = Lang::en;
    o.format = Format::svg;
    o.canvas = parse_canvas(c.canvas);
    std::vector<std::string> messages;
    const std::string svg = render_diagram(at, o, &messages);
    const std::size_t w = svg.find("<svg width=\""), h = svg.find(" height=\"", w);
    REQUIRE(w != std::string::npos);
    const double width = std::stod(svg.substr(w + 12)), height = std::stod(svg.substr(h + 9));
    const double target = o.canvas->width_in / o.canvas->height_in;
    CHECK(std::abs(width / height - target) / target < 0.05);
    // No larger than the canvas (in points), at most a point over from rounding.
    CHECK(width <= o.canvas->width_in * 72 + 1);
    CHECK(height <= o.canvas->height_in * 72 + 1);
    // What was chosen is said.
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].rfind("note: --canvas " + std::string(c.canvas) + ": fitted to ", 0) == 0);
    // Text too small for a slide comes with what narrows this view: never
    // the view itself.
    if (messages[0].find("too small for a projector") != std::string::npos) {
      const std::string hint = messages[0].substr(messages[0].find("narrow the diagram with "));
      CHECK(hint.find("--view " + std::string(to_string(c.view))) == std::string::npos);
      CHECK(hint.find("--view chain --only") != std::string::npos);
    }
  }
}

TEST_CASE("canvas: the direction nearer the canvas's shape is chosen and written into the DOT",
          "[render][canvas]") {
  const Model& m = reference_model();
  ModelAt at(m, d("2026-01-01"));
  RenderOptions o;
  o.view = View::linkage;
  o.lang = Lang::en;
  auto dot_of = [&](const char* canvas, bool top_to_bottom, std::vector<std::string>* messages) {
    o.canvas = canvas ? parse_canvas(canvas) : std::nullopt;
    o.top_to_bottom = top_to_bottom;
    return GraphvizGraph::parse(diagram_dot(at, o, messages));
  };
  // Without a canvas: left to right, or top to bottom when asked.
  CHECK(attr(dot_of(nullptr, false, nullptr).get(), "rankdir") == "LR");
  CHECK(attr(dot_of(nullptr, true, nullptr).get(), "rankdir") == "TB");
  // The linkage view is tall left to right (identifiers in a column) and very
  // wide top to bottom: a portrait page keeps left to right, and says so.
  std::vector<std::string> messages;
  GraphvizGraph a4 = dot_of("a4", false, &messages);
  CHECK(attr(a4.get(), "rankdir") == "LR");
  CHECK(attr(a4.get(), "ratio") == "fill");
  // Graphviz's size, "W,H!": one side the page's, the other perhaps more
  // (the legend does not stretch with the drawing).
  const std::string size = attr(a4.get(), "size");
  CHECK(size.back() == '!');
  CHECK((size.rfind("8.27,", 0) == 0 || size.find(",11.69!") != std::string::npos));
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].find("drawn left to right") != std::string::npos);
  // In Japanese too.
  o.lang = Lang::ja;
  messages.clear();
  dot_of("a4", false, &messages);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].find("インチに合わせ、左から右に描きました") != std::string::npos);
}
