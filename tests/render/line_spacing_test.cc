// The lines of a node's label far enough apart to read (issue 17): Graphviz
// sets the lines of an HTML-like label's text about one font size apart (less
// after a larger line), and with Noto Sans CJK two lines of kanji nearly touch
// on a slide. The reference model's diagrams are rendered as SVG and, for
// every node, each baseline's distance from the one above is compared with
// the larger font of the two lines.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "model/as_of.h"
#include "render/render.h"
#include "render_support.h"
#include "support/model_fixture.h"

using namespace imozuru;
using namespace imozuru::render;

namespace {

// The least distance between two baselines of a label, in ems of the
// larger font of the two lines.
constexpr double kLeastLeading = 1.15;

struct Line {
  double y = 0, size = 0;
  std::string text;
};

// Each node's lines of text, top to bottom: the texts Graphviz writes at one
// baseline (runs of another font on the same line) are one line, sized by
// its largest font.
std::map<std::string, std::vector<Line>> node_lines(const std::string& svg) {
  std::map<std::string, std::vector<Line>> out;
  static const std::regex open("<g id=\"([^\"]+)\" class=\"node[^\"]*\">");
  static const std::regex text("<text [^>]*y=\"([-0-9.]+)\"[^>]*font-size=\"([0-9.]+)\"[^>]*>([^<]*)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), open); it != std::sregex_iterator(); ++it) {
    const std::size_t start = static_cast<std::size_t>(it->position(0));
    std::size_t end = svg.find("<!--", start);  // Graphviz opens each node and edge with a comment
    if (end == std::string::npos) end = svg.size();
    const std::string body = svg.substr(start, end - start);
    std::vector<Line> lines;
    for (auto t = std::sregex_iterator(body.begin(), body.end(), text); t != std::sregex_iterator(); ++t) {
      const std::string content = (*t)[3];
      if (content.find_first_not_of(' ') == std::string::npos) continue;
      const double y = std::stod((*t)[1]), size = std::stod((*t)[2]);
      auto same = std::find_if(lines.begin(), lines.end(), [&](const Line& l) { return l.y == y; });
      if (same == lines.end()) {
        lines.push_back({y, size, content});
      } else {
        same->size = std::max(same->size, size);
        same->text += content;
      }
    }
    std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.y < b.y; });
    out[(*it)[1]] = std::move(lines);
  }
  return out;
}

// Every pair of consecutive lines of every node at least kLeastLeading
// ems apart; returns how many pairs were checked.
std::size_t check_leading(const std::string& svg) {
  std::size_t checked = 0;
  for (const auto& [id, lines] : node_lines(svg))
    for (std::size_t k = 1; k < lines.size(); ++k) {
      const double apart = lines[k].y - lines[k - 1].y, em = std::max(lines[k].size, lines[k - 1].size);
      INFO(id << ": \"" << lines[k - 1].text << "\" (" << lines[k - 1].size << " pt) and \"" << lines[k].text
              << "\" (" << lines[k].size << " pt) " << apart << " pt apart, " << apart / em << " em");
      CHECK(apart >= kLeastLeading * em);
      ++checked;
    }
  return checked;
}

}  // namespace

TEST_CASE("node labels: consecutive lines at least 1.15 em apart in the reference model's views",
          "[render][labels][leading]") {
  const Model& m = testing::reference_model();
  ModelAt at(m, *Date::parse("2026-01-01"));
  struct Case {
    View view;
    bool brief;  // the sectors view's slide form (render --brief)
  };
  for (Case c : {Case{View::flows, false}, Case{View::sectors, false}, Case{View::sectors, true},
                 Case{View::linkage, false}})
    for (Lang lang : {Lang::ja, Lang::en}) {
      CAPTURE(to_string(c.view), c.brief, to_string(lang));
      RenderOptions o;
      o.view = c.view;
      o.brief = c.brief;
      o.lang = lang;
      o.format = Format::svg;
      o.entity_ids = true;
      const std::string svg = render_diagram(at, o);
      const auto path = testing_support::temp_dir("line_spacing") /
                        (std::string(to_string(c.view)) + (c.brief ? "_brief_" : "_") +
                         std::string(to_string(lang)) + ".svg");
      std::ofstream(path) << svg;
      CAPTURE(path.string());
      // Every view has nodes of several lines (the slide form: a box per
      // sector, its name over its counts).
      CHECK(check_leading(svg) >= 10);
    }
}
