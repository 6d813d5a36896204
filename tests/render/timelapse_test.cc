// Time-lapse frames (render/timelapse.h, issue 17): one layout for all
// frames, so every node keeps its coordinates; what a frame does not draw
// hidden or ghosted, what is new since the previous frame marked; a PDF with
// one page per frame; the same bytes on every run; and a chain built up hop
// by hop on the layout of the whole result.
#include "render/timelapse.h"

#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "render_support.h"
#include "small_model.h"
#include "support/model_fixture.h"

using namespace imozuru;
using namespace imozuru::render;
using testing::reference_model;

namespace {

Date d(const char* s) { return *Date::parse(s); }

// The small model with a history: the tax agency and its flow from the
// resident registry come in 2018, the insurer (and its flow to the hub)
// ends in 2020.
Model dated_model() {
  Model m = testing::small_model();
  for (auto& s : m.systems) {
    if (s.id == "tax") s.since = d("2018-01-01");
    if (s.id == "insurer") s.until = d("2020-01-01");
  }
  for (auto& f : m.flows)
    if (f.id == "juki_to_tax") f.since = d("2018-04-01");
  return m;
}

const std::vector<const char*> kDates = {"2016-01-01", "2019-01-01", "2021-01-01"};

std::vector<ModelAt> frames_of(const Model& m) {
  std::vector<ModelAt> frames;
  for (const char* date : kDates) frames.emplace_back(m, d(date));
  return frames;
}

// An SVG's groups by id: their class and their text up to the group's end.
struct Group {
  std::string cls, body;
};
std::map<std::string, Group> groups(const std::string& svg) {
  std::map<std::string, Group> out;
  static const std::regex open("<g id=\"([^\"]+)\" class=\"([^\"]+)\">");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), open); it != std::sregex_iterator(); ++it) {
    const std::size_t start = static_cast<std::size_t>(it->position(0));
    const std::size_t end = svg.find("</g>", start);
    out[(*it)[1]] = {(*it)[2], svg.substr(start, end - start)};
  }
  return out;
}

// Where a group's shapes are, as written: its polygons and ellipses, and its
// path, or the middle one of the parallel paths of an edge drawn in several
// colours (a new edge: its own colour between two of the highlight's).
std::string geometry(const std::string& body) {
  static const std::regex shape("(?: points| cx| cy)=\"([^\"]+)\"");
  static const std::regex path(" d=\"([^\"]+)\"");
  std::string out;
  for (auto it = std::sregex_iterator(body.begin(), body.end(), shape); it != std::sregex_iterator(); ++it)
    out += (*it)[0].str() + ";";
  std::vector<std::string> paths;
  for (auto it = std::sregex_iterator(body.begin(), body.end(), path); it != std::sregex_iterator(); ++it)
    paths.push_back((*it)[1]);
  if (!paths.empty()) out += "d=" + paths[paths.size() / 2];
  return out;
}

bool has_class(const std::string& cls, const std::string& word) {
  return (" " + cls + " ").find(" " + word + " ") != std::string::npos;
}

RenderOptions svg_options(View view = View::flows) {
  RenderOptions o;
  o.view = view;
  o.format = Format::svg;
  o.lang = Lang::en;
  return o;
}

// Every frame the same size and transform, and every node and edge drawn
// at the same coordinates in every frame that draws it.
void check_one_layout(const std::vector<std::string>& svgs) {
  std::map<std::string, std::string> where;  // id → geometry in the first frame that draws it
  std::size_t compared = 0;
  for (const auto& svg : svgs) {
    static const std::regex canvas("<svg width=\"[^\"]+\" height=\"[^\"]+\"[^>]*>\\s*<g id=\"graph0\"[^>]*>");
    std::smatch first, this_one;
    REQUIRE(std::regex_search(svgs.front(), first, canvas));
    REQUIRE(std::regex_search(svg, this_one, canvas));
    CHECK(first.str() == this_one.str());
    for (const auto& [id, g] : groups(svg)) {
      if (!has_class(g.cls, "node") && !has_class(g.cls, "edge")) continue;
      const std::string shape = geometry(g.body);
      REQUIRE_FALSE(shape.empty());
      auto [it, inserted] = where.emplace(id, shape);
      if (!inserted) {
        CAPTURE(id);
        CHECK(it->second == shape);
        ++compared;
      }
    }
  }
  CHECK(compared > 3);
}

// The small model's chain of two hops: the national number from the
// resident registry to the tax office.
Highlight juki_to_tax() {
  HighlightHop a, b;
  a.system = "juki";
  a.identifier = "my_number";
  b.system = "tax";
  b.identifier = "my_number";
  Highlight h;
  h.chains = {{a, b}};
  return h;
}

// An SVG's width and height in points.
std::pair<double, double> svg_size(const std::string& svg) {
  static const std::regex size("<svg width=\"([0-9.]+)pt\" height=\"([0-9.]+)pt\"");
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, size));
  return {std::stod(m[1]), std::stod(m[2])};
}

}  // namespace

TEST_CASE("timelapse: every node and edge has the same coordinates in every frame", "[render][timelapse]") {
  Model m = dated_model();
  auto frames = frames_of(m);
  for (View view : {View::flows, View::linkage, View::sectors}) {
    for (bool ghost : {false, true}) {
      CAPTURE(to_string(view), ghost);
      auto svgs = render_timelapse(frames, svg_options(view), TimelapseOptions{ghost});
      REQUIRE(svgs.size() == kDates.size());
      check_one_layout(svgs);
    }
  }
}

TEST_CASE("timelapse: on a canvas every frame has the canvas's shape, on one layout", "[render][timelapse]") {
  const Model& m = reference_model();
  std::vector<ModelAt> frames;
  for (const char* date : {"2016-01-01", "2020-01-01", "2026-01-01"}) frames.emplace_back(m, d(date));
  struct Case {
    View view;
    const char* canvas;
  };
  for (Case c : {Case{View::sectors, "16:9"}, Case{View::flows, "a4-landscape"}, Case{View::sectors, "a4"}}) {
    CAPTURE(to_string(c.view), c.canvas);
    RenderOptions o = svg_options(c.view);
    o.canvas = parse_canvas(c.canvas);
    const double target = o.canvas->width_in / o.canvas->height_in;
    std::vector<std::string> messages;
    auto svgs = render_timelapse(frames, o, {}, &messages);
    REQUIRE(svgs.size() == 3);
    check_one_layout(svgs);
    const auto [width, height] = svg_size(svgs.front());
    CHECK(std::abs(width / height - target) / target < 0.05);
    CHECK(width <= o.canvas->width_in * 72 + 1);
    CHECK(height <= o.canvas->height_in * 72 + 1);
    REQUIRE_FALSE(messages.empty());
    CHECK(messages.back().rfind("note: --canvas " + std::string(c.canvas) + ": fitted to ", 0) == 0);
    // A PDF's pages are the canvas too, margins and all.
    o.format = Format::pdf;
    const std::string pdf = render_timelapse(frames, o, {}).at(0);
    static const std::regex media("/MediaBox \\[ *0 0 ([0-9.]+) ([0-9.]+) *\\]");
    std::size_t pages = 0;
    for (auto it = std::sregex_iterator(pdf.begin(), pdf.end(), media); it != std::sregex_iterator(); ++it) {
      const double w = std::stod((*it)[1]), h = std::stod((*it)[2]);
      CHECK(std::abs(w / h - target) / target < 0.05);
      CHECK(w <= o.canvas->width_in * 72 + 1);
      ++pages;
    }
    CHECK(pages == 3);
  }
}

TEST_CASE("timelapse: a chain built up on a canvas keeps its layout and the canvas's shape",
          "[render][timelapse]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  RenderOptions o = svg_options(View::chain);
  o.highlight = juki_to_tax();
  o.canvas = parse_canvas("4:3");
  auto svgs = render_chain_steps(at, o, {});
  REQUIRE(svgs.size() == 2);
  check_one_layout(svgs);
  const auto [width, height] = svg_size(svgs.back());
  CHECK(std::abs(width / height - 4.0 / 3) / (4.0 / 3) < 0.05);
}

TEST_CASE("timelapse: hidden, ghost and new in each frame are what the model says at its date",
          "[render][timelapse]") {
  Model m = dated_model();
  auto frames = frames_of(m);
  for (bool ghost : {false, true}) {
    CAPTURE(ghost);
    auto svgs = render_timelapse(frames, svg_options(), TimelapseOptions{ghost});
    for (std::size_t k = 0; k < frames.size(); ++k) {
      CAPTURE(kDates[k]);
      auto g = groups(svgs[k]);
      // `ever`: active at one of the dates, so in the layout.
      auto check = [&](const std::string& id, bool active, bool was_active, bool ever) {
        CAPTURE(id);
        auto found = g.find(id);
        if (!ever) {
          CHECK(found == g.end());
          return;
        }
        if (!active) {
          // Hidden: not drawn at all; a ghost: drawn, and says so.
          if (ghost) {
            REQUIRE(found != g.end());
            CHECK(has_class(found->second.cls, "ghost"));
            CHECK_FALSE(has_class(found->second.cls, "new"));
          } else {
            CHECK(found == g.end());
          }
          return;
        }
        REQUIRE(found != g.end());
        CHECK_FALSE(has_class(found->second.cls, "ghost"));
        CHECK(has_class(found->second.cls, "new") == (k > 0 && !was_active));
        // A new node is filled with the highlight's yellow (an edge gets two
        // yellow lines beside its own colour).
        const bool yellow = found->second.body.find("#fff3a3") != std::string::npos ||
                            found->second.body.find("#ffd84d") != std::string::npos;
        CHECK(yellow == (k > 0 && !was_active));
      };
      for (Index s = 0; s < m.systems.size(); ++s) {
        bool ever = false;
        for (const auto& frame : frames) ever = ever || frame.system_active(s);
        check("system:" + m.systems[s].id, frames[k].system_active(s),
              k > 0 && frames[k - 1].system_active(s), ever);
      }
      for (Index f = 0; f < m.flows.size(); ++f) {
        bool ever = false;
        for (const auto& frame : frames) ever = ever || frame.flow_active(f);
        check("flow:" + m.flows[f].id, frames[k].flow_active(f), k > 0 && frames[k - 1].flow_active(f), ever);
      }
    }
    // The story of the model, spelled out: tax comes in 2018, insurer goes in 2020.
    CHECK(has_class(groups(svgs[1]).at("system:tax").cls, "new"));
    CHECK(has_class(groups(svgs[1]).at("flow:juki_to_tax").cls, "new"));
    CHECK_FALSE(has_class(groups(svgs[2]).at("system:tax").cls, "new"));
    CHECK(groups(svgs[2]).count("system:insurer") == (ghost ? 1u : 0u));
    CHECK(groups(svgs[0]).count("system:future") == 0);  // proposed: active at none of the dates
  }
}

TEST_CASE("timelapse: the date is written large in each frame, the legend is the same in all",
          "[render][timelapse]") {
  Model m = dated_model();
  auto svgs = render_timelapse(frames_of(m), svg_options(), TimelapseOptions{true});
  static const std::regex large("font-size=\"40.00\"[^>]*>([^<]+)</text>");
  std::vector<std::string> legends;
  for (std::size_t k = 0; k < svgs.size(); ++k) {
    std::smatch match;
    REQUIRE(std::regex_search(svgs[k], match, large));
    CHECK(match[1] == std::string(kDates[k]).replace(4, 1, "&#45;").replace(11, 1, "&#45;"));
    CHECK(svgs[k].find("new since the previous frame") != std::string::npos);
    CHECK(svgs[k].find("not active at this date (not yet, or no longer)") != std::string::npos);
  }
}

TEST_CASE("timelapse: a PDF has one page per date, the same bytes on every run", "[render][timelapse]") {
  Model m = dated_model();
  auto frames = frames_of(m);
  RenderOptions o = svg_options();
  o.format = Format::pdf;
  auto pdf = render_timelapse(frames, o, {});
  REQUIRE(pdf.size() == 1);
  CHECK(pdf[0].rfind("%PDF-", 0) == 0);
  std::size_t pages = 0;
  static const std::regex page("/Type /Page[^s]");
  for (auto it = std::sregex_iterator(pdf[0].begin(), pdf[0].end(), page); it != std::sregex_iterator(); ++it)
    ++pages;
  CHECK(pages == kDates.size());
  CHECK(render_timelapse(frames, o, {}) == pdf);
  // PNG and SVG frames too.
  o.format = Format::png;
  o.dpi = 36;
  auto pngs = render_timelapse(frames, o, {});
  REQUIRE(pngs.size() == kDates.size());
  for (const auto& png : pngs) CHECK(png.rfind("\x89PNG", 0) == 0);
  CHECK(render_timelapse(frames, o, {}) == pngs);
  CHECK(render_timelapse(frames, svg_options(), {}) == render_timelapse(frames, svg_options(), {}));
}

TEST_CASE("timelapse: DOT frames carry the positions, for neato -n2", "[render][timelapse]") {
  Model m = dated_model();
  RenderOptions o = svg_options();
  o.format = Format::dot;
  auto dots = render_timelapse(frames_of(m), o, {});
  REQUIRE(dots.size() == kDates.size());
  static const std::regex juki(
      "id=\"system:juki\"[^\\]]*?pos=\"([^\"]+)\"|pos=\"([^\"]+)\"[^\\]]*?id=\"system:juki\"");
  std::vector<std::string> positions;
  for (const auto& dot : dots) {
    CHECK(dot.find("layout=nop2") != std::string::npos);
    std::smatch match;
    REQUIRE(std::regex_search(dot, match, juki));
    positions.push_back(match[1].matched ? match[1] : match[2]);
  }
  CHECK(positions[0] == positions[1]);
  CHECK(positions[1] == positions[2]);
}

TEST_CASE("timelapse: a chain is built up hop by hop on one layout", "[render][timelapse]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  RenderOptions o = svg_options(View::chain);
  Highlight h = juki_to_tax();
  h.caption = "my number";
  h.only = true;
  o.highlight = h;
  auto svgs = render_chain_steps(at, o, {});
  REQUIRE(svgs.size() == 2);
  auto first = groups(svgs[0]), second = groups(svgs[1]);
  CHECK(first.count("system:juki") == 1);
  CHECK(first.count("system:tax") == 0);  // not lit yet: hidden with --only
  CHECK(second.count("system:tax") == 1);
  CHECK(geometry(first.at("system:juki").body) == geometry(second.at("system:juki").body));
  CHECK(geometry(first.at("identifier:my_number").body) == geometry(second.at("identifier:my_number").body));
  CHECK(svgs[0].find("step 1 of 2") != std::string::npos);
  CHECK(svgs[1].find("step 2 of 2") != std::string::npos);
  // Ghosts instead of hiding.
  auto ghosts = render_chain_steps(at, o, TimelapseOptions{true});
  CHECK(has_class(groups(ghosts[0]).at("system:tax").cls, "ghost"));
  CHECK_FALSE(has_class(groups(ghosts[1]).at("system:tax").cls, "ghost"));
  // Without a chain there is nothing to build up.
  o.highlight->chains.clear();
  CHECK_THROWS_WITH(render_chain_steps(at, o, {}), "no chain was found, so --steps has no frames to draw");
}

TEST_CASE("timelapse: frame files are numbered with at least two digits", "[render][timelapse]") {
  auto paths = timelapse_paths("out/talk.svg", Format::svg, 3);
  REQUIRE(paths.size() == 3);
  CHECK(paths[0] == "out/talk-01.svg");
  CHECK(paths[2] == "out/talk-03.svg");
  CHECK(timelapse_paths("talk.png", Format::png, 100)[99] == "talk-100.png");
  CHECK(timelapse_paths("talk.png", Format::png, 100)[0] == "talk-001.png");
  CHECK(timelapse_paths("talk.pdf", Format::pdf, 3) == std::vector<std::filesystem::path>{"talk.pdf"});
}

TEST_CASE("timelapse: --every counts from the first date and ends on the last", "[render][timelapse]") {
  auto iso = [](const std::vector<Date>& dates) {
    std::vector<std::string> out;
    for (const auto& date : dates) out.push_back(date.iso());
    return out;
  };
  CHECK(iso(dates_every(d("2016-01-01"), d("2019-01-01"), 12)) ==
        std::vector<std::string>{"2016-01-01", "2017-01-01", "2018-01-01", "2019-01-01"});
  CHECK(iso(dates_every(d("2016-01-31"), d("2016-04-15"), 1)) ==
        std::vector<std::string>{"2016-01-31", "2016-02-29", "2016-03-31", "2016-04-15"});
  CHECK(iso(dates_every(d("2016-02-29"), d("2018-03-01"), 12)) ==
        std::vector<std::string>{"2016-02-29", "2017-02-28", "2018-02-28", "2018-03-01"});
}

TEST_CASE("timelapse: the chain view takes --steps, not --dates", "[render][timelapse]") {
  Model m = dated_model();
  CHECK_THROWS_WITH(render_timelapse(frames_of(m), svg_options(View::chain), {}),
                    "--dates draws the flows, sectors, linkage and person views; the chain view is built up "
                    "with --steps");
}
