// Two flows in opposite directions between the same pair of systems (or
// sectors): each one's label beside its own edge, not stacked between the
// two (issue 17; docs/rendering.md#views). The diagrams are laid out by the
// layout process, and the SVG parsed: each label's distance to its own
// edge's path against its distance to the opposite edge's path.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "model/as_of.h"
#include "render/render.h"
#include "render/timelapse.h"
#include "render_support.h"
#include "small_model.h"
#include "support/model_fixture.h"
#include "text/width.h"

using namespace imozuru;
using namespace imozuru::render;
using testing_support::label_text;

namespace {

Date d(const char* s) { return *Date::parse(s); }

struct Point {
  double x, y;
};

// An edge as drawn: its path(s), sampled, and its label's lines.
struct DrawnEdge {
  std::vector<std::vector<Point>> paths;
  std::vector<Point> label;  // the centre of each line of its label
  std::string label_at;      // each line of its label as written: x, y and text
  std::string cls;
  std::vector<std::string> text_colours;  // each line's fill
};

// The numbers of an SVG attribute (a path's `d`, a polygon's `points`),
// taken two by two as points.
std::vector<Point> points_of(const std::string& text) {
  static const std::regex number("-?[0-9]+(?:\\.[0-9]+)?");
  std::vector<double> v;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it)
    v.push_back(std::stod(it->str()));
  std::vector<Point> p;
  for (std::size_t k = 0; k + 1 < v.size(); k += 2) p.push_back({v[k], v[k + 1]});
  return p;
}

// Points along an SVG path of Graphviz's (M, then cubic Béziers C).
std::vector<Point> sample_path(const std::string& d) {
  const std::vector<Point> p = points_of(d);
  std::vector<Point> out;
  if (p.empty()) return out;
  out.push_back(p[0]);
  for (std::size_t k = 1; k + 2 < p.size(); k += 3)
    for (int i = 1; i <= 20; ++i) {
      const double t = i / 20.0, a = (1 - t) * (1 - t) * (1 - t), b = 3 * t * (1 - t) * (1 - t),
                   c = 3 * t * t * (1 - t), e = t * t * t;
      out.push_back({a * p[k - 1].x + b * p[k].x + c * p[k + 1].x + e * p[k + 2].x,
                     a * p[k - 1].y + b * p[k].y + c * p[k + 1].y + e * p[k + 2].y});
    }
  return out;
}

double distance(Point q, const std::vector<std::vector<Point>>& paths) {
  double best = 1e18;
  for (const auto& path : paths)
    for (std::size_t k = 0; k + 1 < path.size(); ++k) {
      const Point a = path[k], b = path[k + 1];
      const double dx = b.x - a.x, dy = b.y - a.y, len = dx * dx + dy * dy;
      const double t = len == 0 ? 0 : std::clamp(((q.x - a.x) * dx + (q.y - a.y) * dy) / len, 0.0, 1.0);
      best = std::min(best, std::hypot(q.x - a.x - t * dx, q.y - a.y - t * dy));
    }
  return best;
}

// The edges of an SVG drawn with entity ids, by id. A label's line is
// written from its left end (text-anchor="start"); its middle is that plus
// half its width, a column being about half the font size (Noto Sans CJK:
// a kanji is one em and two columns).
std::map<std::string, DrawnEdge> edges_of(const std::string& svg) {
  std::map<std::string, DrawnEdge> out;
  // A time-lapse frame's edges also say "new" or "ghost".
  static const std::regex open("<g id=\"([^\"]+)\" class=\"edge (flow|flows)(?: [^\"]*)?\">");
  static const std::regex path(" d=\"([^\"]+)\"");
  static const std::regex text(
      "<text text-anchor=\"(start|middle)\" x=\"([-0-9.]+)\" "
      "y=\"([-0-9.]+)\"[^>]*font-size=\"([0-9.]+)\"[^>]*>"
      "([^<]*)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), open); it != std::sregex_iterator(); ++it) {
    const std::size_t start = static_cast<std::size_t>(it->position(0));
    std::size_t end = svg.find("<!--", start);  // Graphviz opens each node and edge with a comment
    if (end == std::string::npos) end = svg.size();
    const std::string body = svg.substr(start, end - start);
    DrawnEdge e;
    for (auto p = std::sregex_iterator(body.begin(), body.end(), path); p != std::sregex_iterator(); ++p)
      e.paths.push_back(sample_path((*p)[1]));
    e.cls = (*it)[0].str();
    for (auto t = std::sregex_iterator(body.begin(), body.end(), text); t != std::sregex_iterator(); ++t) {
      static const std::regex fill(" fill=\"([^\"]+)\"");
      std::smatch colour;
      const std::string element = (*t)[0].str();
      e.text_colours.push_back(std::regex_search(element, colour, fill) ? colour[1].str() : "");
      e.label_at += (*t)[2].str() + "," + (*t)[3].str() + " " + (*t)[5].str() + ";";
      const double size = std::stod((*t)[4]);
      const double width = 0.5 * size * static_cast<double>(text::display_width(label_text((*t)[5].str())));
      const double x = std::stod((*t)[2]) + ((*t)[1] == "start" ? width / 2 : 0);
      e.label.push_back({x, std::stod((*t)[3]) - 0.35 * size});
    }
    out[(*it)[1]] = std::move(e);
  }
  return out;
}

// For every drawn edge whose ends (`ends` of its id) have an edge the other
// way: its label nearer its own path than any opposite edge's. Returns how
// many labels were checked.
std::size_t check_opposite_labels(const std::string& svg,
                                  const std::map<std::string, std::pair<std::string, std::string>>& ends) {
  const auto edges = edges_of(svg);
  std::size_t checked = 0;
  for (const auto& [id, e] : edges) {
    if (!ends.count(id) || e.label.empty()) continue;
    const auto& [from, to] = ends.at(id);
    for (const auto& [other_id, other] : edges) {
      if (!ends.count(other_id) || ends.at(other_id) != std::make_pair(to, from)) continue;
      Point centre{0, 0};
      for (const Point& p : e.label) centre = {centre.x + p.x, centre.y + p.y};
      centre = {centre.x / static_cast<double>(e.label.size()),
                centre.y / static_cast<double>(e.label.size())};
      // Two edges dot drew on top of each other (nowhere more than a point
      // or so apart, as a pair in the reference model's time-lapse in
      // English) have no outside: either label is as near the one as the
      // other.
      double apart = 0;
      const std::vector<Point>& path = e.paths.at(e.paths.size() / 2);
      for (std::size_t k = path.size() / 5; k < path.size() - path.size() / 5; ++k)
        apart = std::max(apart, distance(path[k], other.paths));  // but near the ends (arrowheads)
      if (apart < 1.5) continue;
      const double own = distance(centre, e.paths), opposite = distance(centre, other.paths);
      INFO(id << "'s label at (" << centre.x << ", " << centre.y << "): " << own << " pt from its edge, "
              << opposite << " pt from " << other_id);
      CHECK(own < opposite);
      ++checked;
    }
  }
  return checked;
}

// Writes a drawing into the tests' scratch directory as NAME.svg, to be
// looked at when a check fails; returns its path.
std::string saved(const std::string& name, const std::string& drawn) {
  const auto path = testing_support::temp_dir("opposite_labels") / (name + ".svg");
  std::ofstream(path) << drawn;
  return path.string();
}

// The small model with two pairs of opposite flows whose consents differ.
Model opposite_model() {
  Model m = testing::small_model();
  auto back =
      testing::entity<Flow>("tax_to_juki", "所得情報の照会結果の返送", "Income query results sent back");
  back.from = testing::ref("tax");
  back.to = testing::ref("juki");
  back.carries.data = {testing::ref("income"), testing::ref("name")};
  back.consent = Consent::notice;
  auto answer = testing::entity<Flow>("hub_to_insurer", "資格確認の回答", "Eligibility answer");
  answer.from = testing::ref("hub");
  answer.to = testing::ref("insurer");
  answer.carries.identifiers = {testing::ref("insured_no")};
  answer.consent = Consent::opt_in;
  m.flows.push_back(back);
  m.flows.push_back(answer);
  testing::resolve(m);
  return m;
}

std::map<std::string, std::pair<std::string, std::string>> flow_ends(const Model& m) {
  std::map<std::string, std::pair<std::string, std::string>> out;
  for (const Flow& f : m.flows) out["flow:" + f.id] = {f.from.id, f.to.id};
  return out;
}

RenderOptions svg(View view, Lang lang, bool top_to_bottom) {
  RenderOptions o;
  o.view = view;
  o.format = Format::svg;
  o.entity_ids = true;
  o.lang = lang;
  o.top_to_bottom = top_to_bottom;
  return o;
}

}  // namespace

TEST_CASE("opposite-flow labels are nearer their own edge: the small model", "[render][labels][opposite]") {
  const Model m = opposite_model();
  ModelAt at(m, d("2024-01-01"));
  for (Lang lang : {Lang::ja, Lang::en})
    for (bool top_to_bottom : {false, true}) {
      CAPTURE(to_string(lang), top_to_bottom);
      // Two pairs, each label checked against the other edge of its pair.
      const std::string drawn = render_diagram(at, svg(View::flows, lang, top_to_bottom));
      CAPTURE(saved("small_" + std::string(to_string(lang)) + (top_to_bottom ? "_tb" : "_lr"), drawn));
      CHECK(check_opposite_labels(drawn, flow_ends(m)) == 4);
    }
}

namespace {

// The sectors view's edges and their ends: one edge per sector pair and
// consent, id flows:FROM:TO:CONSENT.
std::map<std::string, std::pair<std::string, std::string>> sector_bundles(const std::string& svg) {
  std::map<std::string, std::pair<std::string, std::string>> bundles;
  static const std::regex id("<g id=\"(flows:([^:\"]+):([^:\"]+):[^\"]+)\" class=\"edge flows\">");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), id); it != std::sregex_iterator(); ++it)
    bundles[(*it)[1]] = {(*it)[2], (*it)[3]};
  return bundles;
}

}  // namespace

TEST_CASE("opposite-flow labels are nearer their own edge: the reference model's views",
          "[render][labels][opposite]") {
  const Model& m = testing::reference_model();
  ModelAt at(m, d("2026-01-01"));
  std::size_t checked = 0;
  for (Lang lang : {Lang::ja, Lang::en}) {
    CAPTURE(to_string(lang));
    const std::string flows = render_diagram(at, svg(View::flows, lang, false));
    CAPTURE(saved("reference_flows_" + std::string(to_string(lang)), flows));
    checked += check_opposite_labels(flows, flow_ends(m));
    // Sectors: one edge per sector pair and consent (sector_bundles).
    const std::string sectors = render_diagram(at, svg(View::sectors, lang, false));
    CAPTURE(saved("reference_sectors_" + std::string(to_string(lang)), sectors));
    checked += check_opposite_labels(sectors, sector_bundles(sectors));
  }
  // The reference model has such pairs in both views.
  CHECK(checked >= 4);
}

namespace {

// The boxes of the nodes of an SVG drawn with entity ids: the extent of the
// points of each node's outline (polygon or path).
std::vector<std::pair<Point, Point>> node_boxes(const std::string& svg) {
  std::vector<std::pair<Point, Point>> out;
  static const std::regex open("<g id=\"[^\"]+\" class=\"node[^\"]*\">");
  static const std::regex outline("(?: points| d)=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), open); it != std::sregex_iterator(); ++it) {
    const std::size_t start = static_cast<std::size_t>(it->position(0));
    const std::size_t end = std::min(svg.find("<!--", start), svg.size());
    const std::string body = svg.substr(start, end - start);
    std::smatch m;
    if (!std::regex_search(body, m, outline)) continue;
    const std::vector<Point> points = points_of(m[1]);
    Point low{1e18, 1e18}, high{-1e18, -1e18};
    for (const Point& q : points) {
      low = {std::min(low.x, q.x), std::min(low.y, q.y)};
      high = {std::max(high.x, q.x), std::max(high.y, q.y)};
    }
    if (!points.empty()) out.push_back({low, high});
  }
  return out;
}

}  // namespace

// Top to bottom (what an A4 page chooses), dot sets the labels right of
// their edges. Of the two bundles between social security and identity,
// dot drew the label of social security → identity nearer the other edge
// (ja 77.8 pt from its own, 59.1 from the other; en 58.7 and 48.7): the
// room on a label's far side (apart_from_opposite) is not enough where the
// two long curves run close. Such a label is set beside its own edge, on
// the side away from the other, after the layout
// (move_labels_nearer_opposite), and no line of any label may then lie on
// a sector's box.
TEST_CASE("opposite-flow labels are nearer their own edge: the reference model's sectors view top to bottom",
          "[render][labels][opposite]") {
  const Model& m = testing::reference_model();
  ModelAt at(m, d("2026-01-01"));
  std::size_t checked = 0;
  for (Lang lang : {Lang::ja, Lang::en}) {
    CAPTURE(to_string(lang));
    const std::string sectors = render_diagram(at, svg(View::sectors, lang, true));
    CAPTURE(saved("reference_sectors_tb_" + std::string(to_string(lang)), sectors));
    checked += check_opposite_labels(sectors, sector_bundles(sectors));
    const auto boxes = node_boxes(sectors);
    CHECK(boxes.size() == 12);  // the reference model's active sectors at 2026-01-01
    for (const auto& [id, e] : edges_of(sectors))
      for (const Point& line : e.label)
        for (const auto& [low, high] : boxes) {
          INFO(id << "'s label line at (" << line.x << ", " << line.y << ") on the box (" << low.x << ", "
                  << low.y << ")–(" << high.x << ", " << high.y << ")");
          CHECK_FALSE((low.x < line.x && line.x < high.x && low.y < line.y && line.y < high.y));
        }
  }
  CHECK(checked >= 2);
}

namespace {

// The opposite model with a history: the flow back to the resident registry
// comes in 2019, the eligibility answer ends in 2022. Of each pair, the
// 2016 and 2024 frames draw one flow without the other.
Model dated_opposite_model() {
  Model m = opposite_model();
  for (auto& f : m.flows) {
    if (f.id == "tax_to_juki") f.since = d("2019-01-01");
    if (f.id == "hub_to_insurer") f.until = d("2022-01-01");
  }
  return m;
}

// Each time-lapse frame's opposite labels nearer their own edge, and each
// label drawn at the same place in every frame that draws it with the same
// text. Returns how many labels were checked in each frame.
std::vector<std::size_t> check_frames(const std::vector<std::string>& frames,
                                      const std::map<std::string, std::pair<std::string, std::string>>& ends,
                                      const std::string& name) {
  std::vector<std::size_t> checked;
  std::map<std::string, std::string>
      where;  // label text → its lines as the first frame drawing it wrote them
  for (std::size_t k = 0; k < frames.size(); ++k) {
    CAPTURE(saved(name + "_" + std::to_string(k + 1), frames[k]));
    checked.push_back(check_opposite_labels(frames[k], ends));
    for (const auto& [id, e] : edges_of(frames[k])) {
      if (e.label.empty()) continue;
      std::string text;
      static const std::regex line_text("[^ ]+ ([^;]*);");
      for (auto t = std::sregex_iterator(e.label_at.begin(), e.label_at.end(), line_text);
           t != std::sregex_iterator(); ++t)
        text += (*t)[1].str() + "\n";
      auto [first, inserted] = where.emplace(id + "\n" + text, e.label_at);
      CAPTURE(id);
      CHECK(first->second == e.label_at);
    }
  }
  return checked;
}

}  // namespace

TEST_CASE("opposite-flow labels are nearer their own edge: time-lapse frames of the small model",
          "[render][labels][opposite][timelapse]") {
  const Model m = dated_opposite_model();
  std::vector<ModelAt> frames;
  for (const char* date : {"2016-01-01", "2020-01-01", "2024-01-01"}) frames.emplace_back(m, d(date));
  for (Lang lang : {Lang::ja, Lang::en})
    for (bool ghost : {false, true}) {
      CAPTURE(to_string(lang), ghost);
      const auto svgs = render_timelapse(frames, svg(View::flows, lang, false), TimelapseOptions{ghost});
      REQUIRE(svgs.size() == 3);
      const auto checked =
          check_frames(svgs, flow_ends(m),
                       std::string("small_frames_") + std::string(to_string(lang)) + (ghost ? "_ghost" : ""));
      // Hidden, a flow is not drawn, label and all; a ghost is drawn, its
      // label faint like the rest of it.
      if (ghost) {
        CHECK(checked == std::vector<std::size_t>{4, 4, 4});
        const auto first = edges_of(svgs[0]);
        const DrawnEdge& back = first.at("flow:tax_to_juki");
        CHECK(back.cls.find(" ghost") != std::string::npos);
        REQUIRE_FALSE(back.text_colours.empty());
        for (const auto& colour : back.text_colours) CHECK(colour == "#b4b4b4");
        for (const auto& colour : first.at("flow:juki_to_tax").text_colours) CHECK(colour != "#b4b4b4");
      } else {
        CHECK(checked == std::vector<std::size_t>{2, 4, 2});
        CHECK(edges_of(svgs[0]).count("flow:tax_to_juki") == 0);
        CHECK(svgs[0].find("Income query results") == std::string::npos);
        CHECK(svgs[0].find("所得情報の照会結果") == std::string::npos);
      }
    }
}

TEST_CASE("opposite-flow labels are nearer their own edge: time-lapse frames of the reference model",
          "[render][labels][opposite][timelapse]") {
  const Model& m = testing::reference_model();
  std::vector<ModelAt> frames;
  for (const char* date : {"2016-01-01", "2020-01-01", "2026-01-01"}) frames.emplace_back(m, d(date));
  for (Lang lang : {Lang::ja, Lang::en}) {
    CAPTURE(to_string(lang));
    const bool ghost = lang == Lang::en;
    const auto svgs = render_timelapse(frames, svg(View::flows, lang, false), TimelapseOptions{ghost});
    REQUIRE(svgs.size() == 3);
    const auto checked = check_frames(svgs, flow_ends(m), "reference_frames_" + std::string(to_string(lang)));
    // The reference model has such pairs in the 2026 frame.
    CHECK(checked.back() >= 2);
  }
}
