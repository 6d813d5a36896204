// The palette (output/palette.h, docs/rendering.md#palette, issue 17): one
// colour has one meaning across every view; the colours a reader must tell
// apart stay apart in normal vision and under simulated deuteranopia and
// protanopia (tests/support/colour_vision.h); and consent levels differ by
// line style and arrowhead as well, so a greyscale print still reads.
#include "output/palette.h"

#include <graphviz/cgraph.h>

#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "model/as_of.h"
#include "model/chains.h"
#include "model/reach.h"
#include "output/labels.h"
#include "render/diagram.h"
#include "render/graphviz.h"
#include "render/highlight.h"
#include "render/render.h"
#include "render_support.h"
#include "small_model.h"
#include "support/colour_vision.h"
#include "support/model_fixture.h"

using namespace imozuru;
using namespace imozuru::render;
namespace cv = imozuru::testing::colour;
using cv::Vision;
using testing_support::label_text;

namespace {

Date d(const char* s) { return *Date::parse(s); }

// The thresholds, in CIEDE2000 units (docs/rendering.md#palette).
// ΔE00 ≈ 1–2 is the smallest difference seen between two large patches side
// by side; a legend entry and a line or a node apart on a page need several
// times that. 10 (about five such steps) is a difference seen at a glance;
// in normal vision we ask 15. Where a deficiency brings two colours of a
// group closest, they also differ in line style, arrowhead or shape.
constexpr double kApartNormal = 15;
constexpr double kApartDeficient = 10;
// A highlighted system's fill against an identifier's: different shapes
// (box, ellipse) besides, so a smaller distance is enough — but more than
// "about equal".
constexpr double kFillsApart = 5;

// Colours whose meaning is the shape drawn in them (text, holder markers,
// planned, edge width, joins, faded and ghost entities), shared on purpose.
const std::set<std::string> kNeutral = {palette::kInk, palette::kGrey, "#333333", "#CFCFCF", "#F7F7F7",
                                        "#FFFFFF",     "#FAFAFA",      "#D4D4D4", "white"};

// One legend entry as drawn: its key (from the builder, in the same order),
// its sample's fill, its line (border or glyph) colour, its glyphs, and its
// text.
struct Entry {
  std::string key, fill, line, glyphs, text;
  std::set<std::string> colours;  // every colour of the sample
};

std::string attr(void* obj, const char* name) {
  char* v = agget(obj, const_cast<char*>(name));
  return v ? v : "";
}

// The legend of a diagram, parsed from its DOT text: the cells of the
// legend's table, each entry its sample cells and then its text cell.
std::vector<Entry> legend_of(const Diagram& diagram) {
  GraphvizGraph g = GraphvizGraph::parse(diagram.graph.dot());
  const std::string html = attr(g.get(), "label");
  const std::string table = "CELLSPACING=\"2\" CELLPADDING=\"2\">";
  std::size_t at = html.find(table);
  REQUIRE(at != std::string::npos);
  std::vector<Entry> entries;
  Entry current;
  static const std::regex colour("(BG)?COLOR=\"([^\"]+)\"");
  for (;;) {
    const std::size_t open = html.find("<TD", at);
    if (open == std::string::npos || html.compare(open, 3, "<TD") != 0) break;
    const std::size_t close = html.find("</TD>", open);
    REQUIRE(close != std::string::npos);
    const std::string cell = html.substr(open, close - open);
    const std::size_t body = cell.find('>') + 1;
    if (cell.substr(0, body).find("ALIGN=\"LEFT\"") != std::string::npos) {
      current.text = label_text(cell.substr(body));
      entries.push_back(current);
      current = Entry{};
    } else {
      for (auto it = std::sregex_iterator(cell.begin(), cell.end(), colour); it != std::sregex_iterator();
           ++it) {
        const std::string c = (*it)[2];
        current.colours.insert(c);
        if ((*it)[1].matched)
          current.fill = c;
        else
          current.line = c;  // the border, then a glyph's colour: the last one drawn
      }
      current.glyphs += label_text(cell.substr(body));
    }
    at = close + 5;
  }
  REQUIRE(entries.size() == diagram.legend.size());
  for (std::size_t k = 0; k < entries.size(); ++k) entries[k].key = diagram.legend[k];
  return entries;
}

// Every legend entry there is: a diagram of the small model with all keys
// asked for, chains 1 to 5 highlighted.
std::vector<std::string> all_keys() {
  std::vector<std::string> keys = {"highlight",       "faded",         "partner",   "join:open",
                                   "join:restricted", "depth",         "width",     "special",
                                   "quasi",           "holder",        "planned",   "timelapse:new",
                                   "timelapse:ghost", "mixed_consent", "flow_count"};
  for (Consent c : {Consent::none, Consent::notice, Consent::opt_out, Consent::opt_in, Consent::card,
                    Consent::comprehensive})
    keys.push_back("consent:" + std::string(to_string(c)));
  for (IdentifierKind k :
       {IdentifierKind::national, IdentifierKind::sectoral, IdentifierKind::token, IdentifierKind::credential,
        IdentifierKind::card, IdentifierKind::account, IdentifierKind::service, IdentifierKind::local})
    keys.push_back("identifier:" + std::string(to_string(k)));
  return keys;
}

std::vector<Entry> full_legend(View view, Lang lang) {
  static const Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"), true);
  RenderOptions o;
  o.view = view;
  o.lang = lang;
  o.legend_keys = all_keys();
  if (view == View::chain) {
    Highlight h;
    h.chains.resize(palette::kChainColours.size());  // chain:1 … chain:5 in the legend
    o.highlight = h;
  }
  return legend_of(build_diagram(at, o));
}

const Entry& entry(const std::vector<Entry>& entries, const std::string& key) {
  for (const Entry& e : entries)
    if (e.key == key) return e;
  FAIL("no legend entry " << key);
  throw;
}

std::vector<const Entry*> group(const std::vector<Entry>& entries, const std::string& prefix) {
  std::vector<const Entry*> out;
  for (const Entry& e : entries)
    if (e.key.rfind(prefix, 0) == 0) out.push_back(&e);
  return out;
}

double threshold(Vision v, double deficient) { return v == Vision::normal ? kApartNormal : deficient; }

// Every pair of colours (a from `as`, b from `bs`, a != b) at least
// `minimum(v)` apart in each vision; the nearest pair is reported.
template <class Minimum>
void check_apart(const std::vector<std::pair<std::string, std::string>>& as,
                 const std::vector<std::pair<std::string, std::string>>& bs, Minimum minimum) {
  for (Vision v : {Vision::normal, Vision::deuteranopia, Vision::protanopia}) {
    double nearest = 1e9;
    std::string which;
    for (const auto& [ka, a] : as)
      for (const auto& [kb, b] : bs) {
        if (ka == kb) continue;
        const double dist = cv::distance(a, b, v);
        if (dist < nearest) {
          nearest = dist;
          which = ka + " (" + a + ") and " + kb + " (" + b + ")";
        }
      }
    INFO(cv::to_string(v) << ": nearest " << which << ", ΔE00 " << nearest);
    CHECK(nearest >= minimum(v));
  }
}

using Colours = std::vector<std::pair<std::string, std::string>>;  // key, colour
Colours lines(const std::vector<const Entry*>& entries) {
  Colours out;
  for (const Entry* e : entries) out.emplace_back(e->key, e->line);
  return out;
}
Colours fills(const std::vector<const Entry*>& entries) {
  Colours out;
  for (const Entry* e : entries) out.emplace_back(e->key, e->fill);
  return out;
}

}  // namespace

TEST_CASE("colour vision: the CIEDE2000 and Machado 2009 helpers give the published values",
          "[render][palette]") {
  // Sharma, Wu & Dalal (2005), table 1: pairs 1, 7, 17 and 25.
  CHECK(cv::delta_e2000({50, 2.6772, -79.7751}, {50, 0, -82.7485}) == Approx(2.0425).margin(1e-4));
  CHECK(cv::delta_e2000({50, 0, 0}, {50, -1, 2}) == Approx(2.3669).margin(1e-4));
  CHECK(cv::delta_e2000({50, 2.5, 0}, {73, 25, -18}) == Approx(27.1492).margin(1e-4));
  CHECK(cv::delta_e2000({60.2574, -34.0099, 36.2677}, {60.4626, -34.1751, 39.4387}) ==
        Approx(1.2644).margin(1e-4));
  // White is white; sRGB red in CIELAB; the matrices' first column is what
  // pure red becomes.
  const cv::Lab white = cv::lab("#FFFFFF", Vision::normal);
  CHECK(white.L == Approx(100).margin(0.01));
  CHECK(std::abs(white.a) < 0.01);
  const cv::Lab red = cv::lab("#FF0000", Vision::normal);
  CHECK(red.L == Approx(53.24).margin(0.05));
  CHECK(red.a == Approx(80.09).margin(0.05));
  CHECK(cv::simulate({1, 0, 0}, Vision::deuteranopia)[0] == Approx(0.367322));
  CHECK(cv::simulate({1, 0, 0}, Vision::protanopia)[1] == Approx(0.114503));
  // Red and green, far apart in normal vision, come together for both.
  for (Vision v : {Vision::deuteranopia, Vision::protanopia})
    CHECK(cv::distance("#D00000", "#00A000", v) < 0.5 * cv::distance("#D00000", "#00A000", Vision::normal));
}

TEST_CASE("palette: no two meanings share a colour in any legend of the reference model",
          "[render][palette]") {
  const Model& m = testing::reference_model();
  ModelAt at(m, d("2026-01-01"), true);
  std::map<std::string, std::string> meaning;  // colour → the key it means, across every legend
  std::size_t checked = 0;
  auto record = [&](const std::vector<Entry>& entries, const std::string& where) {
    for (const Entry& e : entries)
      for (const std::string& c : e.colours) {
        if (kNeutral.count(c)) continue;
        // The chain view draws identifier kinds outlined in ink: their
        // colour there is the fill.
        auto [it, inserted] = meaning.emplace(c, e.key);
        INFO(where << ": " << c << " means both " << it->second << " and " << e.key);
        CHECK(it->second == e.key);
        ++checked;
      }
  };
  for (Lang lang : {Lang::ja, Lang::en}) {
    for (View view : {View::flows, View::sectors, View::linkage}) {
      RenderOptions o;
      o.view = view;
      o.lang = lang;
      record(legend_of(build_diagram(at, o)), std::string(to_string(view)));
    }
    // The sectors view's slide form (--brief), at the talk's dates.
    for (const char* date : {"2016-01-01", "2020-01-01", "2026-01-01"}) {
      RenderOptions o;
      o.view = View::sectors;
      o.brief = true;
      o.lang = lang;
      record(legend_of(build_diagram(ModelAt(m, d(date), true), o)), "sectors --brief " + std::string(date));
    }
    LinkageGraph graph(at);
    ChainOptions k5;
    k5.k = 5;
    RenderOptions chain;
    chain.view = View::chain;
    chain.lang = lang;
    chain.highlight = highlight_of(m,
                                   chains(graph, *EntityRef::parse("identifier:my_number"),
                                          *EntityRef::parse("data:medical_expenses"), k5),
                                   lang);
    REQUIRE(chain.highlight->chains.size() >= 3);
    record(legend_of(build_diagram(at, chain)), "chain");
    RenderOptions reach = chain;
    reach.highlight =
        highlight_of(m, imozuru::reach(graph, {*EntityRef::parse("identifier:my_number")}), lang);
    record(legend_of(build_diagram(at, reach)), "reach");
    ModelAt person_at(m, d("2026-01-01"), true, m.find_person("p_registered"));
    RenderOptions person;
    person.view = View::person;
    person.lang = lang;
    record(legend_of(build_diagram(person_at, person)), "person");
    // And every entry there is, in each view.
    for (View view : {View::flows, View::linkage, View::chain})
      record(full_legend(view, lang), "all entries, " + std::string(to_string(view)));
  }
  CHECK(checked > 50);
  // The meanings the issue found sharing a colour are apart now.
  const auto all = full_legend(View::chain, Lang::en);
  CHECK(entry(all, "chain:1").line != entry(all, "special").line);
  CHECK(entry(all, "highlight").fill != entry(full_legend(View::linkage, Lang::en), "identifier:card").fill);
  CHECK(entry(full_legend(View::linkage, Lang::en), "identifier:national").line != palette::kSpecial);
}

TEST_CASE("palette: the colours a reader must tell apart stay apart with deuteranopia and protanopia",
          "[render][palette]") {
  for (Lang lang : {Lang::ja, Lang::en}) {
    const auto flows = full_legend(View::flows, lang);
    const auto linkage = full_legend(View::linkage, lang);
    const auto chain = full_legend(View::chain, lang);
    const auto consent = group(flows, "consent:");
    const auto chains = group(chain, "chain:");
    REQUIRE(consent.size() == 6);
    REQUIRE(chains.size() == palette::kChainColours.size());
    const Colours special = {{"special", entry(flows, "special").line}};
    REQUIRE(special.front().second == palette::kSpecial);
    auto deficient = [](double d) { return [d](Vision v) { return threshold(v, d); }; };

    SECTION("consent levels, with special-category data beside them (flows, sectors, person views)") {
      Colours with_special = lines(consent);
      with_special.insert(with_special.end(), special.begin(), special.end());
      check_apart(with_special, with_special, deficient(kApartDeficient));
    }
    SECTION("chains, with special-category data and the highlighted systems' fill (chain view)") {
      Colours with_special = lines(chains);
      with_special.insert(with_special.end(), special.begin(), special.end());
      check_apart(with_special, with_special, deficient(kApartDeficient));
      check_apart(lines(chains), {{"highlight", entry(chain, "highlight").fill}}, deficient(kApartDeficient));
      // Identifiers are outlined in ink there: a chain's line meets their fill.
      check_apart(lines(chains), fills(group(chain, "identifier:")), deficient(kApartDeficient));
    }
    SECTION("identifier kinds of the same shape (linkage view); other shapes tell the rest apart") {
      const auto kinds = group(linkage, "identifier:");
      REQUIRE(kinds.size() == 8);
      std::map<std::string, std::vector<const Entry*>> by_shape;
      for (const Entry* e : kinds) by_shape[e->glyphs].push_back(e);
      CHECK(by_shape.size() >= 3);
      for (const auto& [glyph, same] : by_shape) {
        CAPTURE(glyph);
        check_apart(lines(same), lines(same), deficient(kApartDeficient));
      }
    }
    SECTION("the highlighted systems' fill is none of the identifier kinds' fills") {
      auto kinds = group(linkage, "identifier:");
      kinds.push_back(&entry(linkage, "quasi"));
      for (const Entry* e : kinds) CHECK(e->fill != entry(chain, "highlight").fill);
      check_apart({{"highlight", entry(chain, "highlight").fill}}, fills(kinds),
                  [](Vision) { return kFillsApart; });
      // A chain built up step by step marks new nodes in the time-lapse fill.
      check_apart({{"highlight", entry(chain, "highlight").fill}},
                  {{"timelapse:new", entry(chain, "timelapse:new").fill}},
                  [](Vision) { return kFillsApart; });
    }
  }
}

TEST_CASE("palette: consent levels differ by line style and arrowhead alone, for a greyscale print",
          "[render][palette]") {
  // The small model with one flow per consent level from the resident
  // registry, drawn as SVG: what differs once the colour is gone.
  Model m = testing::small_model();
  m.flows.clear();
  const std::vector<Consent> levels = {Consent::none,   Consent::notice, Consent::opt_out,
                                       Consent::opt_in, Consent::card,   Consent::comprehensive};
  const std::vector<std::string> to = {"tax", "hub", "insurer", "tax", "hub", "insurer"};
  for (std::size_t k = 0; k < levels.size(); ++k) {
    Flow f = testing::entity<Flow>("f" + std::to_string(k), "流れ" + std::to_string(k));
    f.from = testing::ref("juki");
    f.to = testing::ref(to[k]);
    f.consent = levels[k];
    m.flows.push_back(f);
  }
  testing::resolve(m);
  ModelAt at(m, d("2024-01-01"));
  RenderOptions o;
  o.view = View::flows;
  o.format = Format::svg;
  o.entity_ids = true;
  const std::string svg = render_diagram(at, o);
  std::map<std::string, Consent> by_style;  // (dash pattern, arrowhead filled?) → consent
  for (std::size_t k = 0; k < levels.size(); ++k) {
    const std::string id = "flow:f" + std::to_string(k);
    const std::size_t start = svg.find("<g id=\"" + id + "\"");
    REQUIRE(start != std::string::npos);
    const std::string body = svg.substr(start, svg.find("</g>", start) - start);
    std::smatch dash, head;
    const std::string pattern =
        std::regex_search(body, dash, std::regex("<path[^>]*stroke-dasharray=\"([^\"]+)\"")) ? dash[1].str()
                                                                                             : "solid";
    REQUIRE(std::regex_search(body, head, std::regex("<polygon fill=\"([^\"]+)\"")));
    const std::string arrow = head[1] == "none" ? "hollow" : "filled";
    CAPTURE(id, pattern, arrow);
    auto [it, inserted] = by_style.emplace(pattern + " " + arrow, levels[k]);
    INFO(to_string(levels[k]) << " looks like " << to_string(it->second) << " without colour");
    CHECK(inserted);
  }
  CHECK(by_style.size() == levels.size());
  // The legend shows the same: six different samples.
  std::set<std::string> samples;
  // Kept in a variable: group() points into it.
  const std::vector<Entry> legend = full_legend(View::flows, Lang::en);
  for (const Entry* e : group(legend, "consent:")) samples.insert(e->glyphs);
  CHECK(samples.size() == levels.size());
  // The slide form's "several consent modes" is none of the six either.
  const palette::LineStyle mixed = palette::mixed_consent_style();
  for (Consent c : levels) CHECK(std::string(mixed.arrowhead) != palette::consent_style(c).arrowhead);
  CHECK(samples.count(entry(legend, "mixed_consent").glyphs) == 0);
  // Notice and card, the two blues, differ in both line style and arrowhead.
  CHECK(std::string(palette::consent_style(Consent::notice).style) !=
        palette::consent_style(Consent::card).style);
  CHECK(std::string(palette::consent_style(Consent::notice).arrowhead) !=
        palette::consent_style(Consent::card).arrowhead);
}

TEST_CASE("palette: a planned flow keeps its consent's style and is drawn as a double line",
          "[render][palette]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"), true);
  RenderOptions o;
  o.view = View::flows;
  Diagram built = build_diagram(at, o);
  GraphvizGraph g = GraphvizGraph::parse(built.graph.dot());
  std::size_t planned = 0;
  for (Agnode_t* n = agfstnode(g.get()); n; n = agnxtnode(g.get(), n))
    for (Agedge_t* e = agfstout(g.get(), n); e; e = agnxtout(g.get(), e)) {
      if (attr(e, "style") == "invis") continue;
      const std::string colour = attr(e, "color");
      if (colour.find(":transparent:") == std::string::npos) continue;
      ++planned;
      // hub_to_future: comprehensive, to a proposed system.
      CHECK(colour == std::string(palette::kPurple) + ":transparent:" + palette::kPurple);
      CHECK(attr(e, "style") == palette::consent_style(Consent::comprehensive).style);
      CHECK(attr(e, "arrowhead") == "empty");
    }
  CHECK(planned == 1);
}
