// The sectors view's slide form (RenderOptions::brief, `--brief`, issue 17):
// the whole reference model on a 16:9 slide with text a projector shows
// (at least 6 pt), one edge per ordered pair of sectors labelled with its
// number of flows, a consent style only where all its flows share one, in
// Japanese and English, at one date and across the talk's time-lapse, the
// same bytes on every run.
#include <graphviz/cgraph.h>
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "model/as_of.h"
#include "output/palette.h"
#include "render/diagram.h"
#include "render/graphviz.h"
#include "render/render.h"
#include "render/timelapse.h"
#include "render_support.h"
#include "support/model_fixture.h"

using namespace imozuru;
using namespace imozuru::render;
using testing::reference_model;
using testing_support::label_text;

namespace {

Date d(const char* s) { return *Date::parse(s); }

const std::vector<const char*> kTalkDates = {"2016-01-01", "2020-01-01", "2026-01-01"};
// render/render.cc's kProjectorMinPt: below it a slide cannot be read from
// the back of a room.
constexpr double kProjectorMinPt = 6;

std::string attr(void* obj, const char* name) {
  char* v = agget(obj, const_cast<char*>(name));
  return v ? v : "";
}

RenderOptions brief_options(Lang lang) {
  RenderOptions o;
  o.view = View::sectors;
  o.brief = true;
  o.lang = lang;
  o.format = Format::svg;
  return o;
}

// The smallest text an SVG shows, in points on the page: every font-size
// Graphviz wrote, times the scale of the graph's transform.
double smallest_text_pt(const std::string& svg) {
  static const std::regex scale(
      R"re(<g id="graph0" class="graph" transform="scale\(([0-9.]+) ([0-9.]+)\))re");
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, scale));
  const double factor = std::min(std::stod(m[1]), std::stod(m[2]));
  static const std::regex font(R"re(font-size="([0-9.]+)")re");
  double smallest = 1e9;
  std::size_t texts = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), font); it != std::sregex_iterator(); ++it) {
    smallest = std::min(smallest, std::stod((*it)[1]));
    ++texts;
  }
  REQUIRE(texts > 20);
  return smallest * factor;
}

std::pair<double, double> svg_size(const std::string& svg) {
  static const std::regex size("<svg width=\"([0-9.]+)pt\" height=\"([0-9.]+)pt\"");
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, size));
  return {std::stod(m[1]), std::stod(m[2])};
}

void check_16_9(const std::string& svg) {
  const auto [width, height] = svg_size(svg);
  const double target = 13.333 / 7.5;
  CHECK(std::abs(width / height - target) / target < 0.05);
  CHECK(width <= 13.333 * 72 + 1);
  CHECK(height <= 7.5 * 72 + 1);
}

// The number a label begins with ("12", "12件", "12 flows").
int leading_number(const std::string& text) {
  std::size_t end = 0;
  while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
  REQUIRE(end > 0);
  return std::stoi(text.substr(0, end));
}

// What the model says at a date: for each ordered pair of different
// sectors, the consent modes of its active flows and how many there are.
struct Pair {
  std::set<Consent> consents;
  int flows = 0;
  bool special = false;
};
std::map<std::pair<std::string, std::string>, Pair> sector_pairs(const ModelAt& at) {
  const Model& m = at.model();
  std::map<std::pair<std::string, std::string>, Pair> pairs;
  for (Index f : at.flows()) {
    const Flow& flow = m.flows[f];
    const std::string& from = m.systems[flow.from.index].sector;
    const std::string& to = m.systems[flow.to.index].sector;
    if (from == to) continue;
    Pair& p = pairs[{from, to}];
    p.consents.insert(flow.consent);
    ++p.flows;
    for (const auto& r : flow.carries.data)
      p.special =
          p.special || (at.data_active(r.index) && m.data[r.index].sensitivity == Sensitivity::special);
  }
  return pairs;
}

// The drawn edges (not invisible ones) of a diagram, by their ends' sector
// words (the nodes' stable ids "sector:WORD").
struct Drawn {
  std::string from, to, label, colour, arrowhead;
};
std::vector<Drawn> edges_of(const ModelAt& at, RenderOptions o) {
  o.entity_ids = true;
  GraphvizGraph g = GraphvizGraph::parse(build_diagram(at, o).graph.dot());
  std::vector<Drawn> out;
  for (Agnode_t* n = agfstnode(g.get()); n; n = agnxtnode(g.get(), n))
    for (Agedge_t* e = agfstout(g.get(), n); e; e = agnxtout(g.get(), e)) {
      if (attr(e, "style") == "invis") continue;
      out.push_back({attr(agtail(e), "id").substr(7), attr(aghead(e), "id").substr(7),
                     label_text(attr(e, "label")), attr(e, "color"), attr(e, "arrowhead")});
    }
  return out;
}

}  // namespace

TEST_CASE("brief sectors: the reference model on 16:9 has text of at least 6 pt in Japanese and English",
          "[render][brief]") {
  const Model& m = reference_model();
  ModelAt at(m, d("2026-01-01"));
  for (Lang lang : {Lang::ja, Lang::en}) {
    CAPTURE(lang == Lang::ja ? "ja" : "en");
    RenderOptions o = brief_options(lang);
    o.canvas = parse_canvas("16:9");
    std::vector<std::string> messages;
    const std::string svg = render_diagram(at, o, &messages);
    check_16_9(svg);
    const double smallest = smallest_text_pt(svg);
    CHECK(smallest >= kProjectorMinPt);
    // The note says so, and gives no warning.
    REQUIRE(messages.size() == 1);
    static const std::regex said(R"re((smallest text is|最小の文字は) ([0-9.]+) pt)re");
    std::smatch s;
    REQUIRE(std::regex_search(messages[0], s, said));
    CHECK(std::stod(s[2]) >= kProjectorMinPt);
    CHECK(messages[0].find("too small") == std::string::npos);
    CHECK(messages[0].find("小さすぎ") == std::string::npos);
    // The full sectors view on the same slide is what the slide form is for.
    RenderOptions full = o;
    full.brief = false;
    std::vector<std::string> full_messages;
    const std::string full_svg = render_diagram(at, full, &full_messages);
    CHECK(smallest_text_pt(full_svg) < kProjectorMinPt);
    REQUIRE(full_messages.size() == 1);
    // ... and its note points to --brief.
    CHECK(full_messages[0].find("--brief") != std::string::npos);
  }
}

TEST_CASE("brief sectors: the talk's 2016/2020/2026 time-lapse on 16:9 has text of at least 6 pt",
          "[render][brief]") {
  const Model& m = reference_model();
  std::vector<ModelAt> frames;
  for (const char* date : kTalkDates) frames.emplace_back(m, d(date));
  for (Lang lang : {Lang::ja, Lang::en}) {
    CAPTURE(lang == Lang::ja ? "ja" : "en");
    RenderOptions o = brief_options(lang);
    o.canvas = parse_canvas("16:9");
    std::vector<std::string> messages;
    const auto svgs = render_timelapse(frames, o, {}, &messages);
    REQUIRE(svgs.size() == 3);
    for (const auto& svg : svgs) {
      check_16_9(svg);
      CHECK(smallest_text_pt(svg) >= kProjectorMinPt);
    }
    REQUIRE_FALSE(messages.empty());
    CHECK(messages.back().find("--canvas 16:9") != std::string::npos);
    CHECK(messages.back().find("too small") == std::string::npos);
    CHECK(messages.back().find("小さすぎ") == std::string::npos);
  }
}

TEST_CASE("brief sectors: one edge per ordered pair of sectors with flows and the full view's flow counts",
          "[render][brief]") {
  const Model& m = reference_model();
  for (const char* date : kTalkDates) {
    ModelAt at(m, d(date));
    const auto pairs = sector_pairs(at);
    REQUIRE_FALSE(pairs.empty());
    for (Lang lang : {Lang::ja, Lang::en}) {
      CAPTURE(date, lang == Lang::ja ? "ja" : "en");
      const auto brief = edges_of(at, brief_options(lang));
      RenderOptions full_options = brief_options(lang);
      full_options.brief = false;
      const auto full = edges_of(at, full_options);
      CHECK(brief.size() == pairs.size());
      // The full view has one edge per consent mode: more, where a pair has several.
      std::size_t modes = 0;
      for (const auto& [ends, p] : pairs) modes += p.consents.size();
      CHECK(full.size() == modes);
      std::map<std::pair<std::string, std::string>, int> full_counts;
      int full_total = 0;
      for (const Drawn& e : full) {
        const int n = leading_number(e.label);
        full_counts[{e.from, e.to}] += n;
        full_total += n;
      }
      int brief_total = 0;
      std::set<std::pair<std::string, std::string>> seen;
      for (const Drawn& e : brief) {
        CAPTURE(e.from, e.to, e.label);
        CHECK(seen.insert({e.from, e.to}).second);  // one edge per ordered pair
        const auto found = pairs.find({e.from, e.to});
        REQUIRE(found != pairs.end());
        const Pair& p = found->second;
        // The label is the count, and ● when a flow carries special-category data.
        const int n = leading_number(e.label);
        CHECK(n == p.flows);
        CHECK(n == full_counts[{e.from, e.to}]);
        CHECK(e.label == std::to_string(n) + (p.special ? " ●" : ""));
        brief_total += n;
        // A consent mode only when every flow has it; otherwise "several".
        if (p.consents.size() == 1) {
          CHECK(e.colour.rfind(palette::consent_colour(*p.consents.begin()), 0) == 0);
          CHECK(e.arrowhead == palette::consent_style(*p.consents.begin()).arrowhead);
        } else {
          CHECK(e.colour.rfind(palette::kGrey, 0) == 0);
          CHECK(e.arrowhead == "vee");
        }
      }
      CHECK(brief_total == full_total);
    }
  }
}

TEST_CASE("brief sectors: boxes give the sector's name and counts and the legend says several consent modes",
          "[render][brief]") {
  const Model& m = reference_model();
  ModelAt at(m, d("2026-01-01"));
  for (Lang lang : {Lang::ja, Lang::en}) {
    RenderOptions o = brief_options(lang);
    Diagram built = build_diagram(at, o);
    std::set<std::string> legend(built.legend.begin(), built.legend.end());
    CHECK(legend.count("flow_count"));
    CHECK(legend.count("mixed_consent"));  // the reference model has pairs of mixed consent at 2026
    CHECK(legend.count("special"));
    GraphvizGraph g = GraphvizGraph::parse(built.graph.dot());
    const std::string title = label_text(attr(g.get(), "label"));
    CHECK(title.find(lang == Lang::ja ? "同意の形が異なる複数の流れ" : "flows of several consent modes") !=
          std::string::npos);
    CHECK(title.find(lang == Lang::ja ? "スライド用の簡略版" : "brief slide form") != std::string::npos);
    std::size_t boxes = 0;
    for (Agnode_t* n = agfstnode(g.get()); n; n = agnxtnode(g.get(), n)) {
      const std::string text = label_text(attr(n, "label"));
      CAPTURE(text);
      // Name, counts and perhaps the special-category line: no list of identifiers.
      CHECK(std::count(text.begin(), text.end(), '\n') <= 3);
      CHECK(text.find(lang == Lang::ja ? "マイナンバー" : "My Number") == std::string::npos);
      ++boxes;
    }
    CHECK(boxes == built.nodes);
    CHECK(boxes >= 10);
  }
}

TEST_CASE("brief sectors: the same bytes on two runs", "[render][brief]") {
  const Model& m = reference_model();
  ModelAt at(m, d("2026-01-01"));
  RenderOptions o = brief_options(Lang::ja);
  o.canvas = parse_canvas("16:9");
  o.format = Format::png;
  o.dpi = 72;
  const std::string a = render_diagram(at, o), b = render_diagram(at, o);
  CHECK(a.size() > 1000);
  CHECK(a == b);
  std::vector<ModelAt> frames;
  for (const char* date : kTalkDates) frames.emplace_back(m, d(date));
  o.format = Format::pdf;
  o.lang = Lang::en;
  const auto pdf_a = render_timelapse(frames, o, {}), pdf_b = render_timelapse(frames, o, {});
  REQUIRE(pdf_a.size() == 1);
  CHECK(pdf_a == pdf_b);
}

TEST_CASE("brief sectors: --brief needs --view sectors in Japanese and English", "[render][brief][cli]") {
  namespace fs = std::filesystem;
  fs::path dir = testing_support::temp_dir("brief_cli");
  auto run = [&](const std::string& args, const fs::path& err) {
    const std::string command = std::string(IMOZURU_BINARY) + " render " + IMOZURU_SOURCE_DIR + "/flows " +
                                args + " 2>" + err.string() + " >/dev/null";
    int status = std::system(command.c_str());
    REQUIRE(WIFEXITED(status));
    return WEXITSTATUS(status);
  };
  CHECK(run("--brief --lang en -o " + (dir / "x.dot").string(), dir / "en.txt") == 2);
  CHECK(testing_support::slurp(dir / "en.txt").find("--brief needs --view sectors") != std::string::npos);
  CHECK(run("--brief --view linkage --lang ja -o " + (dir / "x.dot").string(), dir / "ja.txt") == 2);
  CHECK(testing_support::slurp(dir / "ja.txt").find("--brief は --view sectors の図にだけ使えます") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(dir / "x.dot"));
  // With the sectors view it draws the slide form.
  CHECK(run("--view sectors --brief --at 2026-01-01 --lang en -o " + (dir / "s.dot").string(),
            dir / "ok.txt") == 0);
  CHECK(testing_support::slurp(dir / "s.dot").find("brief slide form") != std::string::npos);
  fs::remove_all(dir);
}
