#include "render/render.h"

#include <graphviz/cgraph.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "model/load.h"
#include "model/output_file.h"
#include "render/diagram.h"
#include "render/graphviz.h"
#include "render_support.h"
#include "small_model.h"

using namespace imozuru;
using namespace imozuru::render;
namespace fs = std::filesystem;
using testing_support::label_text;
using testing_support::slurp;

namespace {

Date d(const char* s) { return *Date::parse(s); }

std::string attr(void* obj, const char* name) {
  char* v = agget(obj, const_cast<char*>(name));
  return v ? v : "";
}

Agnode_t* find_node(const GraphvizGraph& g, const std::string& name) {
  return agnode(g.get(), const_cast<char*>(name.c_str()), 0);
}

// First line of a node's label text (the entity name).
std::string node_name(const GraphvizGraph& g, const std::string& id) {
  Agnode_t* n = find_node(g, id);
  REQUIRE(n);
  std::string text = label_text(attr(n, "label"));
  return text.substr(0, text.find('\n'));
}

fs::path temp_dir() { return testing_support::temp_dir("render_test"); }

RenderOptions options(View view, Format format = Format::dot) {
  RenderOptions o;
  o.view = view;
  o.format = format;
  return o;
}

const std::vector<std::string> kHostileNames = {
    "say \"hi\"",       "back\\slash", "trailing\\", "\\N \\G \\E \\T \\H \\L \\n \\l \\r",
    "<b>bold</b>",      "{x|y}",       "a & b's",    "two\nlines",
    "マイナンバー制度", "]]>--><!--",  "tab\there",  "\\\"quoted\\\""};

}  // namespace

TEST_CASE("DOT round trip: hostile labels come back unchanged through Graphviz's parser", "[render][dot]") {
  Model m = testing::small_model();
  for (std::size_t k = 0; k < kHostileNames.size(); ++k)
    m.systems[k % m.systems.size()].name = kHostileNames[k];
  for (std::size_t start = 0; start < kHostileNames.size(); start += m.systems.size()) {
    for (std::size_t k = 0; k < m.systems.size(); ++k)
      m.systems[k].name = kHostileNames[(start + k) % kHostileNames.size()];
    for (View view : {View::flows, View::linkage})
      for (std::size_t width : {kMaxLabelWidth, kDefaultLabelWidth}) {
        ModelAt at(m, d("2024-01-01"), true);
        RenderOptions o = options(view);
        o.label_width = width;
        std::string dot = diagram_dot(at, o);
        GraphvizGraph parsed = GraphvizGraph::parse(dot);
        for (std::size_t k = 0; k < m.systems.size(); ++k) {
          std::string expected = m.systems[k].name;
          for (auto& c : expected)
            if (c == '\t') c = ' ';
          INFO("view " << to_string(view) << ", width " << width << ", name " << expected);
          Agnode_t* n = find_node(parsed, "s" + std::to_string(k));
          REQUIRE(n);
          CHECK(aghtmlstr(agget(n, const_cast<char*>("label"))));
          std::string text = label_text(attr(n, "label"));
          if (width == kMaxLabelWidth) {
            CHECK(text.substr(0, expected.size()) == expected);
          } else {
            // Wrapped at a space: the same characters, only the white space
            // may differ.
            auto squeeze = [](std::string s) {
              s.erase(std::remove_if(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); }),
                      s.end());
              return s;
            };
            CHECK(squeeze(text).substr(0, squeeze(expected).size()) == squeeze(expected));
          }
        }
      }
  }
}

TEST_CASE("node ids are neutral, user text appears only in labels", "[render][dot]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"), true);
  GraphvizGraph g = GraphvizGraph::parse(diagram_dot(at, options(View::linkage)));
  std::set<std::string> names;
  for (Agnode_t* n = agfstnode(g.get()); n; n = agnxtnode(g.get(), n)) names.insert(agnameof(n));
  CHECK(names.count("s0"));
  CHECK(names.count("i3"));  // my_number
  for (const auto& n : names) CHECK((n[0] == 's' || n[0] == 'i' || n[0] == 'h' || n[0] == 'd'));
  for (const auto& n : names) CHECK(n.find_first_not_of("sihd0123456789_") == std::string::npos);
  CHECK(agattr(g.get(), AGNODE, const_cast<char*>("shape"), nullptr));
  for (Agnode_t* n = agfstnode(g.get()); n; n = agnxtnode(g.get(), n)) CHECK(attr(n, "shape") != "record");
}

TEST_CASE("graph and node names are cgraph pool strings so DOT never writes them as HTML", "[render][dot]") {
  // agwrite reads the string pool's header before a name to decide whether
  // to write it as <…>: a name that is not a pool string made DOT output
  // like `digraph <imozuru>` come and go from run to run.
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"), true);
  Diagram built = build_diagram(at, options(View::linkage));
  GraphvizGraph parsed = GraphvizGraph::parse(built.graph.dot());
  for (const GraphvizGraph* g : {&built.graph, &parsed}) {
    Agraph_t* root = g->get();
    auto is_pool_string = [root](char* name) {
      char* pooled = agstrdup(root, name);  // the pool's copy of this text
      bool same = pooled == name;
      agstrfree(root, pooled);
      return same;
    };
    CHECK(is_pool_string(agnameof(root)));
    int nodes = 0;
    for (Agnode_t* n = agfstnode(root); n; n = agnxtnode(root, n), ++nodes) {
      INFO(agnameof(n));
      CHECK(is_pool_string(agnameof(n)));
    }
    CHECK(nodes > 5);
    for (Agraph_t* sub = agfstsubg(root); sub; sub = agnxtsubg(sub)) CHECK(is_pool_string(agnameof(sub)));
  }
  std::string dot = built.graph.dot();
  CHECK(dot.rfind("digraph imozuru {", 0) == 0);
  CHECK(dot.find("\t<s") == std::string::npos);
}

TEST_CASE("flows view: systems in sector clusters with their identifiers, flows styled by consent",
          "[render][flows]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  RenderOptions o = options(View::flows);
  Diagram diagram = build_diagram(at, o);
  GraphvizGraph g = GraphvizGraph::parse(diagram.graph.dot());

  Index tax = m.find_system("tax");
  std::string tax_label = label_text(attr(find_node(g, "s" + std::to_string(tax)), "label"));
  CHECK(tax_label.find("国税庁") == 0);
  // Effective holdings: my_number declared, basic2 from name and address received.
  CHECK(tax_label.find("マイナンバー") != std::string::npos);
  CHECK(tax_label.find("基本2情報") != std::string::npos);
  // The proposed system is not active without --include-planned.
  CHECK_FALSE(find_node(g, "s" + std::to_string(m.find_system("future"))));

  // Sector clusters.
  std::set<std::string> clusters;
  for (Agraph_t* sub = agfstsubg(g.get()); sub; sub = agnxtsubg(sub))
    clusters.insert(label_text(attr(sub, "label")));
  CHECK(clusters == std::set<std::string>{"番号・本人確認", "医療・健康", "税"});

  // Edges coloured by consent; the legend lists exactly the consent modes drawn.
  std::set<std::string> colours;
  bool special_edge = false;
  for (Agnode_t* n = agfstnode(g.get()); n; n = agnxtnode(g.get(), n))
    for (Agedge_t* e = agfstout(g.get(), n); e; e = agnxtout(g.get(), e)) {
      colours.insert(attr(e, "color"));
      if (label_text(attr(e, "label")).find("● 要配慮") == 0) {
        special_edge = true;
        CHECK(attr(e, "penwidth") == "2.6");
      }
    }
  CHECK(colours == std::set<std::string>{"#000000", "#0072B2"});  // none, card
  CHECK(special_edge);
  CHECK(diagram.legend == std::vector<std::string>{"consent:none", "consent:card", "special"});
  std::string title = label_text(attr(g.get(), "label"));
  CHECK(title.find("小さなモデル") == 0);
  CHECK(title.find("2024-01-01 時点") != std::string::npos);
  CHECK(title.find("カードと暗証番号で同意") != std::string::npos);
  CHECK(title.find("包括同意") == std::string::npos);
}

TEST_CASE("flows view draws planned systems dashed and their flows double only with include_planned",
          "[render][flows]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"), true);
  Diagram diagram = build_diagram(at, options(View::flows));
  GraphvizGraph g = GraphvizGraph::parse(diagram.graph.dot());
  Agnode_t* future = find_node(g, "s" + std::to_string(m.find_system("future")));
  REQUIRE(future);
  CHECK(attr(future, "style") == "rounded,filled,dashed");
  Agedge_t* in = agfstin(g.get(), future);
  REQUIRE(in);
  // Comprehensive consent's colour, line style and arrowhead, as a double line.
  CHECK(attr(in, "color") == "#CC79A7:transparent:#CC79A7");
  CHECK(attr(in, "style") == "dotted");
  CHECK(attr(in, "arrowhead") == "empty");
  CHECK(diagram.legend == std::vector<std::string>{"consent:none", "consent:card", "consent:comprehensive",
                                                   "special", "planned"});
}

TEST_CASE("English diagrams use name_en everywhere, falling back to name", "[render][lang]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  RenderOptions o = options(View::flows);
  o.lang = Lang::en;
  GraphvizGraph g = GraphvizGraph::parse(diagram_dot(at, o));
  CHECK(node_name(g, "s" + std::to_string(m.find_system("tax"))) == "National Tax Agency");
  CHECK(node_name(g, "s" + std::to_string(m.find_system("hub"))) == "情報提供ネットワーク");
  std::string tax = label_text(attr(find_node(g, "s" + std::to_string(m.find_system("tax"))), "label"));
  CHECK(tax.find("My Number") != std::string::npos);
  std::string title = label_text(attr(g.get(), "label"));
  CHECK(title.find("Data flows, as of 2024-01-01") != std::string::npos);
  CHECK(title.find("consent by card and PIN") != std::string::npos);
}

TEST_CASE("linkage view: shared global identifiers, a private marker per holder of a code",
          "[render][linkage]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  Diagram diagram = build_diagram(at, options(View::linkage));
  GraphvizGraph g = GraphvizGraph::parse(diagram.graph.dot());
  Index mn = m.find_identifier("my_number"), code = m.find_identifier("link_code"),
        basic = m.find_identifier("basic2");
  Agnode_t* mn_node = find_node(g, "i" + std::to_string(mn));
  REQUIRE(mn_node);
  CHECK(agdegree(g.get(), mn_node, 1, 1) == 2);  // juki and tax join through it
  CHECK_FALSE(find_node(g, "i" + std::to_string(code)));
  std::string insurer = std::to_string(m.find_system("insurer")), tax = std::to_string(m.find_system("tax"));
  for (const std::string& s : {insurer, tax}) {
    Agnode_t* marker = find_node(g, "h" + s + "_" + std::to_string(code));
    REQUIRE(marker);
    CHECK(agdegree(g.get(), marker, 1, 1) == 1);  // joins nothing else
    CHECK(attr(marker, "style") == "rounded,dotted");
  }
  Agnode_t* quasi = find_node(g, "i" + std::to_string(basic));
  REQUIRE(quasi);
  CHECK(attr(quasi, "shape") == "octagon");
  CHECK(diagram.legend ==
        std::vector<std::string>{"identifier:national", "identifier:sectoral", "quasi", "holder"});
}

TEST_CASE("chain view highlights a chain on the faded model, or shows it alone", "[render][chain]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  Highlight h;
  h.caption = "chains: identifier:my_number → data:income";
  h.chains = {{{HighlightHop::Kind::holds, "juki", "my_number", "", "", "", ""},
               {HighlightHop::Kind::holds, "tax", "my_number", "", "", "", ""},
               {HighlightHop::Kind::holds, "tax", "", "income", "", "", ""}}};
  RenderOptions o = options(View::chain);
  o.highlight = h;
  Diagram diagram = build_diagram(at, o);
  GraphvizGraph g = GraphvizGraph::parse(diagram.graph.dot());
  Agnode_t* juki = find_node(g, "s" + std::to_string(m.find_system("juki")));
  Agnode_t* insurer = find_node(g, "s" + std::to_string(m.find_system("insurer")));
  REQUIRE(juki);
  REQUIRE(insurer);
  CHECK(attr(juki, "penwidth") == "2.4");
  CHECK(attr(insurer, "color") == "#CFCFCF");
  Agnode_t* income = find_node(g, "d" + std::to_string(m.find_data("income")));
  REQUIRE(income);
  CHECK(attr(income, "shape") == "note");
  Agedge_t* hop = agfstin(g.get(), income);
  REQUIRE(hop);
  CHECK(attr(hop, "color") == "#005B8E");  // chain 1: not special data's vermillion
  CHECK(attr(hop, "penwidth") == "3.5");
  CHECK(label_text(attr(g.get(), "label")).find(h.caption) != std::string::npos);
  CHECK(diagram.legend.front() == "highlight");
  CHECK(std::count(diagram.legend.begin(), diagram.legend.end(), "chain:1") == 1);

  o.highlight->only = true;
  Diagram alone = build_diagram(at, o);
  GraphvizGraph g2 = GraphvizGraph::parse(alone.graph.dot());
  CHECK(agnnodes(g2.get()) == 4);  // juki, tax, my_number, income
  CHECK_FALSE(find_node(g2, "s" + std::to_string(m.find_system("insurer"))));
  CHECK(std::count(alone.legend.begin(), alone.legend.end(), "faded") == 0);
}

TEST_CASE("chain view shows reach depth and flows stepped along", "[render][chain]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  Highlight h;
  h.systems = {"insurer", "hub"};
  h.system_depth = {{"insurer", 0}, {"hub", 1}};
  h.flows = {"insurer_to_hub"};
  RenderOptions o = options(View::chain);
  o.highlight = h;
  Diagram diagram = build_diagram(at, o);
  GraphvizGraph g = GraphvizGraph::parse(diagram.graph.dot());
  CHECK(label_text(attr(find_node(g, "s" + std::to_string(m.find_system("hub"))), "label")).find("深さ 1") !=
        std::string::npos);
  Agnode_t* hub = find_node(g, "s" + std::to_string(m.find_system("hub")));
  Agedge_t* flow = agfstin(g.get(), hub);
  REQUIRE(flow);
  CHECK(attr(flow, "color") == "#0072B2");  // card consent colour
  CHECK(label_text(attr(flow, "label")) == "レセプト照会\nカードと暗証番号で同意");
  CHECK(std::count(diagram.legend.begin(), diagram.legend.end(), "depth") == 1);
  CHECK(std::count(diagram.legend.begin(), diagram.legend.end(), "consent:card") == 1);
}

TEST_CASE("rendering is deterministic: byte-identical DOT and SVG", "[render][determinism]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"), true);
  for (View view : {View::flows, View::linkage}) {
    CHECK(diagram_dot(at, options(view)) == diagram_dot(at, options(view)));
    std::string a = render_diagram(at, options(view, Format::svg));
    std::string b = render_diagram(at, options(view, Format::svg));
    CHECK(a == b);
    CHECK(a.find("<svg") != std::string::npos);
  }
}

TEST_CASE("SVG is well-formed XML and shows hostile text literally", "[render][svg]") {
  Model m = testing::small_model();
  m.systems[m.find_system("tax")].name = "<b>税</b> & \"\\N\" {x|y}";
  ModelAt at(m, d("2024-01-01"));
  fs::path dir = temp_dir();
  fs::path svg = dir / "hostile.svg";
  write_file_atomically(svg, render_diagram(at, options(View::flows, Format::svg)));
  fs::path texts = dir / "texts.txt";
  std::string command =
      "python3 -c 'import sys, xml.etree.ElementTree as ET\n"
      "root = ET.parse(sys.argv[1]).getroot()\n"
      "open(sys.argv[2], \"w\").write(\"\\n\".join(t.text or \"\" for t in "
      "root.iter(\"{http://www.w3.org/2000/svg}text\")))' " +
      svg.string() + " " + texts.string();
  REQUIRE(std::system(command.c_str()) == 0);
  std::string shown = slurp(texts);
  CHECK(shown.find("<b>税</b> & \"\\N\" {x|y}") != std::string::npos);
  CHECK(shown.find("マイナンバー") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("PNG and PDF render with the Japanese font", "[render][png][pdf]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  std::string png = render_diagram(at, options(View::flows, Format::png));
  REQUIRE(png.size() > 8);
  CHECK(png.substr(1, 3) == "PNG");
  std::string pdf = render_diagram(at, options(View::flows, Format::pdf));
  CHECK(pdf.substr(0, 5) == "%PDF-");
  // cairo embeds the font as a subset: its name appears as XXXXXX+NotoSansCJKjp-….
  CHECK(pdf.find("NotoSansCJK") != std::string::npos);
  CHECK(pdf.find("/FontFile") != std::string::npos);
}

TEST_CASE("a render that fails leaves an existing file untouched", "[render][failure]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"), true);
  fs::path dir = temp_dir();
  fs::path out = dir / "kept.svg";
  write_file_atomically(out, "previous contents");

  RenderOptions o = options(View::linkage, Format::svg);
  o.timeout_seconds = 0.000001;
  CHECK_THROWS_WITH(render_to_file(at, o, out), Catch::Contains("did not finish within"));
  CHECK(slurp(out) == "previous contents");

  o = options(View::flows, Format::svg);
  o.max_nodes = 2;
  CHECK_THROWS_WITH(render_to_file(at, o, out), Catch::Contains("more than --max-nodes 2"));
  CHECK(slurp(out) == "previous contents");

  o.max_nodes = 100;
  CHECK_THROWS(render_to_file(at, o, dir / "no_such_dir" / "x.svg"));
  CHECK_FALSE(fs::exists(dir / "no_such_dir"));
  CHECK(fs::directory_iterator(dir) != fs::directory_iterator());
  std::size_t files = 0;
  for (auto& e : fs::directory_iterator(dir)) (void)e, ++files;
  CHECK(files == 1);  // no temporary left behind
  fs::remove_all(dir);
}

TEST_CASE("a memory limit too small for Graphviz is a clear error, not a crash of the tool",
          "[render][failure]") {
#if defined(__SANITIZE_ADDRESS__)
  SUCCEED("no address-space limit under AddressSanitizer");
#else
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  RenderOptions o = options(View::flows, Format::png);
  o.memory_limit_bytes = 8u << 20;
  CHECK_THROWS_AS(render_diagram(at, o), RenderError);
#endif
}

TEST_CASE("the format comes from the extension, views parse by name", "[render]") {
  CHECK(format_from_path("a/b.SVG") == Format::svg);
  CHECK(format_from_path("x.png") == Format::png);
  CHECK(format_from_path("x.pdf") == Format::pdf);
  CHECK(format_from_path("x.dot") == Format::dot);
  CHECK_FALSE(format_from_path("x.jpg"));
  CHECK_FALSE(format_from_path("x"));
  CHECK(parse_view("chain") == View::chain);
  CHECK(parse_view("sectors") == View::sectors);
  CHECK(to_string(View::sectors) == "sectors");
  CHECK_FALSE(parse_view("chains"));
  CHECK(parse_engine("auto") == Engine::automatic);
  CHECK(parse_engine("sfdp") == Engine::sfdp);
  CHECK(to_string(Engine::neato) == "neato");
  CHECK_FALSE(parse_engine("circo"));
}

TEST_CASE("imozuru render: chain view from the command line, bad input leaves the file alone",
          "[render][cli]") {
  fs::path dir = temp_dir();
  fs::path out = dir / "chain.svg";
  std::string base =
      std::string(IMOZURU_BINARY) + " render " + IMOZURU_FIXTURES + "/render/small.yaml --at 2025-01-01 ";
  auto run = [&](const std::string& args) {
    int status = std::system((base + args + " 2>" + (dir / "err.txt").string()).c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  REQUIRE(run("-o " + out.string() + " --view chain --from identifier:insured_no --to data:income") == 0);
  std::string svg = slurp(out);
  CHECK(svg.find("所得") != std::string::npos);
  // The caption names the ends as a reader knows them, not as references.
  CHECK(svg.find("連鎖（chains）: 「被保険者番号」 → 『所得』") != std::string::npos);
  CHECK(svg.find("identifier:insured_no → data:income") == std::string::npos);

  CHECK(run("-o " + out.string() + " --view chain --from identifier:insured_nu") == 2);
  CHECK(slurp(dir / "err.txt").find("did you mean 'identifier:insured_no'?") != std::string::npos);
  CHECK(run("-o " + out.string() + " --view chain") == 2);  // usage errors
  CHECK(run("-o " + (dir / "x.jpg").string()) == 2);
  CHECK(slurp(dir / "err.txt").find("the extension must be .svg, .png, .pdf or .dot") != std::string::npos);
  CHECK(run("-o " + out.string() + " --timeout 0.001 --view linkage") == 1);
  CHECK(slurp(dir / "err.txt").find("did not finish within 0.001 s") != std::string::npos);
  CHECK(slurp(out) == svg);

  REQUIRE(run("-o " + (dir / "en.svg").string() + " --lang en") == 0);
  CHECK(slurp(dir / "en.svg").find("National Tax Agency") != std::string::npos);
  fs::remove_all(dir);
}

// --- issue 5 follow-up: slide-sized flows, stable PDF, quiet Graphviz, shared
// chain steps, reach data ------------------------------------------------------

namespace {

std::vector<Agedge_t*> all_edges(const GraphvizGraph& g) {
  std::vector<Agedge_t*> edges;
  for (Agnode_t* n = agfstnode(g.get()); n; n = agnxtnode(g.get(), n))
    for (Agedge_t* e = agfstout(g.get(), n); e; e = agnxtout(g.get(), e)) edges.push_back(e);
  return edges;
}

Agedge_t* find_edge(const GraphvizGraph& g, const std::string& tail, const std::string& head) {
  Agnode_t* t = find_node(g, tail);
  Agnode_t* h = find_node(g, head);
  return t && h ? agedge(g.get(), t, h, nullptr, 0) : nullptr;
}

std::string sys(const Model& m, const char* id) { return "s" + std::to_string(m.find_system(id)); }

}  // namespace

TEST_CASE("flows view keeps labels short: first items and +N", "[render][flows]") {
  Model m = testing::small_model();
  for (const char* id : {"extra_a", "extra_b"}) {
    auto extra = testing::entity<Identifier>(id, std::string("追加番号") + id, id);
    extra.kind = IdentifierKind::service;
    m.identifiers.push_back(extra);
    m.systems[m.find_system("tax")].holds.identifiers.push_back(testing::ref(id));
  }
  testing::resolve(m);
  ModelAt at(m, d("2024-01-01"));
  GraphvizGraph g = GraphvizGraph::parse(diagram_dot(at, options(View::flows)));
  // juki → tax carries my_number, name and address: two shown, one counted.
  Agedge_t* e = find_edge(g, sys(m, "juki"), sys(m, "tax"));
  REQUIRE(e);
  CHECK(label_text(attr(e, "label")) == "マイナンバー\n氏名 +1");
  // tax holds five identifiers (two declared here, basic2 received): three shown.
  std::string tax = label_text(attr(find_node(g, sys(m, "tax")), "label"));
  CHECK(tax.find("+2") != std::string::npos);
  int shown = 0;
  for (const char* n : {"マイナンバー", "情報連携用符号", "基本2情報", "追加番号extra_a", "追加番号extra_b"})
    shown += tax.find(n) != std::string::npos;
  CHECK(shown == 3);
}

TEST_CASE("flows view sets systems without flows out in rows, not one column", "[render][flows]") {
  Model m = testing::small_model();
  for (int k = 0; k < 6; ++k) {
    auto s = testing::entity<System>("lone" + std::to_string(k), "孤立" + std::to_string(k));
    s.sector = "education";
    m.systems.push_back(s);
  }
  testing::resolve(m);
  ModelAt at(m, d("2024-01-01"));
  GraphvizGraph g = GraphvizGraph::parse(diagram_dot(at, options(View::flows)));
  std::size_t invisible = 0;
  for (Agedge_t* e : all_edges(g)) invisible += attr(e, "style") == "invis";
  CHECK(invisible == 4);  // rows of four: 0-1-2-3, 4-5
  CHECK(find_edge(g, sys(m, "lone0"), sys(m, "lone1")));
  CHECK_FALSE(find_edge(g, sys(m, "lone3"), sys(m, "lone4")));
}

TEST_CASE("flows view of one sector draws its partners faded and nothing else", "[render][flows]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  RenderOptions o = options(View::flows);
  o.sector = "health";
  Diagram diagram = build_diagram(at, o);
  GraphvizGraph g = GraphvizGraph::parse(diagram.graph.dot());
  CHECK(agnnodes(g.get()) == 2);  // insurer, and hub it sends to
  Agnode_t* hub = find_node(g, sys(m, "hub"));
  REQUIRE(hub);
  CHECK(attr(hub, "color") == "#CFCFCF");
  CHECK(label_text(attr(hub, "label")) == "情報提供ネットワーク");
  CHECK_FALSE(find_node(g, sys(m, "juki")));
  CHECK(all_edges(g).size() == 1);
  CHECK(std::count(diagram.legend.begin(), diagram.legend.end(), "partner") == 1);
  CHECK(label_text(attr(g.get(), "label")).find("分野: 医療・健康") != std::string::npos);
  o.sector = "healht";
  CHECK_THROWS_WITH(build_diagram(at, o), Catch::Contains("（分野: health, identity, tax）"));
  o.lang = Lang::en;
  CHECK_THROWS_WITH(build_diagram(at, o),
                    "no system of sector 'healht' is active at 2024-01-01 (sectors: health, identity, tax)");
}

TEST_CASE("PDF output is byte-identical between runs and still opens", "[render][pdf][determinism]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  std::string a = render_diagram(at, options(View::flows, Format::pdf));
  sleep(1);  // cairo's date has one-second resolution
  std::string b = render_diagram(at, options(View::linkage, Format::pdf));
  std::string c = render_diagram(at, options(View::linkage, Format::pdf));
  CHECK(b == c);
  CHECK(a.find("/CreationDate (D:20000101000000") != std::string::npos);
  CHECK(render_diagram(at, options(View::flows, Format::pdf)) == a);

  std::string fake = "1 0 obj << /CreationDate (D:20261123181502+09'00) >> xref";
  std::size_t size = fake.size();
  make_pdf_deterministic(fake);
  CHECK(fake == "1 0 obj << /CreationDate (D:20000101000000+00'00) >> xref");
  CHECK(fake.size() == size);

  if (std::system("command -v pdftoppm >/dev/null 2>&1") != 0) {
    WARN("pdftoppm (poppler-utils) missing: the PDF is not opened");
    return;
  }
  fs::path dir = temp_dir();
  write_file_atomically(dir / "a.pdf", a);
  std::string command = "pdftoppm -r 20 -png " + (dir / "a.pdf").string() + " " + (dir / "page").string() +
                        " 2>" + (dir / "err.txt").string();
  CHECK(std::system(command.c_str()) == 0);
  CHECK(slurp(dir / "err.txt").empty());
  CHECK(fs::exists(dir / "page-1.png"));
  fs::remove_all(dir);
}

TEST_CASE("imozuru render prints no Graphviz warning at low or normal dpi", "[render][cli][png]") {
  fs::path dir = temp_dir();
  for (const char* view : {"flows", "linkage"})
    for (const char* dpi : {"40", "150"}) {
      INFO(view << " at " << dpi << " dpi");
      std::string command = std::string(IMOZURU_BINARY) + " render " + IMOZURU_FIXTURES +
                            "/render/small.yaml --at 2025-01-01 --include-planned --view " + view +
                            " --dpi " + dpi + " -o " + (dir / "x.png").string() + " 2>" +
                            (dir / "err.txt").string();
      CHECK(std::system(command.c_str()) == 0);
      std::string err = slurp(dir / "err.txt");
      CHECK(err.find("Warning") == std::string::npos);
      CHECK(err.find("graphviz") == std::string::npos);
    }
  std::string command = std::string(IMOZURU_BINARY) + " render " + IMOZURU_FIXTURES +
                        "/render/small.yaml --at 2025-01-01 --view chain --from identifier:insured_no --to " +
                        "data:income -k 3 --dpi 40 -o " + (dir / "x.png").string() + " 2>" +
                        (dir / "err.txt").string();
  CHECK(std::system(command.c_str()) == 0);
  CHECK(slurp(dir / "err.txt").find("Warning") == std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("chain view draws a step several chains share in all their colours", "[render][chain]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  Highlight h;
  using K = HighlightHop::Kind;
  h.chains = {{{K::holds, "juki", "my_number", "", "", "", ""},
               {K::holds, "tax", "my_number", "", "", "", ""},
               {K::holds, "tax", "", "income", "", "", ""}},
              {{K::holds, "juki", "my_number", "", "", "", ""},
               {K::holds, "tax", "my_number", "", "", "", ""},
               {K::flow, "", "", "", "insurer_to_hub", "insurer", "hub"}},
              {{K::flow, "", "", "", "insurer_to_hub", "insurer", "hub"}}};
  RenderOptions o = options(View::chain);
  o.highlight = h;
  GraphvizGraph g = GraphvizGraph::parse(diagram_dot(at, o));
  std::string mn = "i" + std::to_string(m.find_identifier("my_number"));
  Agedge_t* juki = find_edge(g, sys(m, "juki"), mn);
  if (!juki) juki = find_edge(g, mn, sys(m, "juki"));
  REQUIRE(juki);
  CHECK(attr(juki, "color") == "#005B8E:#007E5C");  // chains 1 and 2
  Agedge_t* income = agfstin(g.get(), find_node(g, "d" + std::to_string(m.find_data("income"))));
  REQUIRE(income);
  CHECK(attr(income, "color") == "#005B8E");  // chain 1 only
  Agedge_t* flow = find_edge(g, sys(m, "insurer"), sys(m, "hub"));
  REQUIRE(flow);
  CHECK(attr(flow, "color") == "#007E5C:#A36186");  // chains 2 and 3
}

TEST_CASE("chain view of a reach draws the special-category data it found", "[render][chain]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  Highlight h;
  h.systems = {"insurer", "hub", "tax"};
  h.data = {"claims", "income"};
  RenderOptions o = options(View::chain);
  o.highlight = h;
  Diagram diagram = build_diagram(at, o);
  GraphvizGraph g = GraphvizGraph::parse(diagram.graph.dot());
  Agnode_t* claims = find_node(g, "d" + std::to_string(m.find_data("claims")));
  REQUIRE(claims);
  CHECK(attr(claims, "shape") == "note");
  CHECK(label_text(attr(claims, "label")) == "レセプト\n● 要配慮");
  Agedge_t* held = find_edge(g, sys(m, "insurer"), "d" + std::to_string(m.find_data("claims")));
  REQUIRE(held);
  CHECK(attr(held, "color") == "#D55E00");
  CHECK_FALSE(find_node(g, "d" + std::to_string(m.find_data("income"))));  // not special
  CHECK(std::count(diagram.legend.begin(), diagram.legend.end(), "special") == 1);
  o.highlight->only = true;
  GraphvizGraph alone = GraphvizGraph::parse(diagram_dot(at, o));
  CHECK(find_node(alone, "d" + std::to_string(m.find_data("claims"))));
}

// Edges of a graph as "tail head" → edge, by node name.
static std::map<std::string, Agedge_t*> edges_by_ends(const GraphvizGraph& g) {
  std::map<std::string, Agedge_t*> out;
  for (Agnode_t* n = agfstnode(g.get()); n; n = agnxtnode(g.get(), n))
    for (Agedge_t* e = agfstout(g.get(), n); e; e = agnxtout(g.get(), e))
      out[std::string(agnameof(n)) + " " + agnameof(aghead(e))] = e;
  return out;
}

TEST_CASE("sectors view: a box per sector, one edge per sector pair and consent mode", "[render][sectors]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  RenderOptions o = options(View::sectors);
  CHECK(count_nodes(at, o) == 3);
  Diagram diagram = build_diagram(at, o);
  GraphvizGraph g = GraphvizGraph::parse(diagram.graph.dot());
  // Sectors in name order: health, identity, tax (the proposed private one is not active).
  CHECK(node_name(g, "sector0") == "医療・健康");
  CHECK(node_name(g, "sector1") == "番号・本人確認");
  CHECK(node_name(g, "sector2") == "税");
  CHECK_FALSE(find_node(g, "sector3"));
  std::string identity = label_text(attr(find_node(g, "sector1"), "label"));
  CHECK(identity.find("番号・本人確認\nシステム 2件\n") == 0);
  CHECK(identity.find("マイナンバー") != std::string::npos);
  CHECK(identity.find("● 要配慮個人情報を保有") != std::string::npos);  // the hub receives the claims
  CHECK(label_text(attr(find_node(g, "sector0"), "label")) ==
        "医療・健康\nシステム 1件\n被保険者番号\n● 要配慮個人情報を保有");  // the holder-scoped code is not
                                                                            // listed

  auto edges = edges_by_ends(g);
  REQUIRE(edges.size() == 2);
  Agedge_t* to_tax = edges.at("sector1 sector2");
  CHECK(label_text(attr(to_tax, "label")) == "1件\nマイナンバー\n住所 +1");
  CHECK(attr(to_tax, "color") == "#000000");  // no consent
  Agedge_t* claims = edges.at("sector0 sector1");
  CHECK(label_text(attr(claims, "label")) == "1件 ●\nレセプト");
  CHECK(attr(claims, "color") == "#0072B2");  // card
  CHECK(diagram.legend == std::vector<std::string>{"consent:none", "consent:card", "width", "special"});
  CHECK(label_text(attr(g.get(), "label")).find("2024-01-01 時点・分野間のデータの流れ（概観）") !=
        std::string::npos);

  // Planned sectors drawn dashed, their flows double; flows within a sector counted on its box.
  ModelAt planned(m, d("2024-01-01"), true);
  GraphvizGraph gp = GraphvizGraph::parse(diagram_dot(planned, o));
  CHECK(node_name(gp, "sector2") == "民間");
  CHECK(attr(find_node(gp, "sector2"), "style") == "rounded,filled,dashed");
  CHECK(attr(edges_by_ends(gp).at("sector1 sector2"), "color") ==
        "#CC79A7:transparent:#CC79A7");  // comprehensive
  Model within = testing::small_model();
  within.flows[0].to = testing::ref("juki");  // hub → juki: both identity
  testing::resolve(within);
  ModelAt at_within(within, d("2024-01-01"));
  GraphvizGraph gw = GraphvizGraph::parse(diagram_dot(at_within, o));
  CHECK(label_text(attr(find_node(gw, "sector1"), "label")).find("システム 2件・\n分野内の流れ 1件\n") !=
        std::string::npos);
}

TEST_CASE("sectors view in English, with the model's English name as title", "[render][sectors][lang]") {
  Model m = testing::small_model();
  m.info->name_en = "A small model";
  ModelAt at(m, d("2024-01-01"));
  RenderOptions o = options(View::sectors);
  o.lang = Lang::en;
  GraphvizGraph g = GraphvizGraph::parse(diagram_dot(at, o));
  CHECK(label_text(attr(edges_by_ends(g).at("sector1 sector2"), "label")) == "1 flow\nAddress\nMy Number +1");
  CHECK(label_text(attr(find_node(g, "sector0"), "label")).find("Health\n1 system\n") == 0);
  std::string title = label_text(attr(g.get(), "label"));
  CHECK(title.find("A small model") == 0);
  CHECK(title.find("Data flows between sectors (overview), as of 2024-01-01") != std::string::npos);
  o.lang = Lang::ja;
  CHECK(label_text(attr(GraphvizGraph::parse(diagram_dot(at, o)).get(), "label")).find("小さなモデル") == 0);
}

// A model of `n` systems without flows, all in one sector.
static Model many_systems(std::size_t n) {
  Model m;
  for (std::size_t k = 0; k < n; ++k) {
    System s;
    s.id = "s" + std::to_string(k);
    s.name = "system " + std::to_string(k);
    s.sector = "identity";
    m.systems.push_back(s);
  }
  testing::resolve(m);
  return m;
}

TEST_CASE("the layout engine: dot for ordinary diagrams, sfdp above kDotMaxNodes, or as asked",
          "[render][engine]") {
  Model small = testing::small_model();
  ModelAt at(small, d("2024-01-01"));
  RenderOptions o = options(View::flows);
  std::vector<std::string> messages;
  std::string dot = diagram_dot(at, o, &messages);
  CHECK(dot.find("layout=") == std::string::npos);  // dot, Graphviz's default
  CHECK(messages.empty());

  o.engine = Engine::sfdp;
  dot = diagram_dot(at, o, &messages);
  CHECK(attr(GraphvizGraph::parse(dot).get(), "layout") == "sfdp");
  CHECK(messages.empty());  // asked for: no note
  o.format = Format::svg;
  std::string svg = render_diagram(at, o);
  CHECK(svg.find("国税庁") != std::string::npos);

  Model big = many_systems(kDotMaxNodes + 1);
  ModelAt big_at(big, d("2024-01-01"));
  RenderOptions b = options(View::flows);
  dot = diagram_dot(big_at, b, &messages);
  CHECK(attr(GraphvizGraph::parse(dot).get(), "layout") == "sfdp");
  REQUIRE(messages.size() == 1);
  CHECK(messages[0] ==
        "note: 1501 nodes: layout engine sfdp, not dot, which gets slow above 1500 nodes; sfdp does "
        "not draw sector boxes (--engine dot to insist, or narrow the diagram with --sector, --view "
        "sectors or --view chain --only)");
  messages.clear();
  b.engine = Engine::dot;
  dot = diagram_dot(big_at, b, &messages);
  CHECK(attr(GraphvizGraph::parse(dot).get(), "layout").empty());
  CHECK(messages.empty());
  // Exactly at the threshold, dot.
  Model edge = many_systems(kDotMaxNodes);
  ModelAt edge_at(edge, d("2024-01-01"));
  CHECK(diagram_dot(edge_at, options(View::flows)).find("layout=") == std::string::npos);
}

TEST_CASE("a flow's tooltip gives its consent and each basis law with where it stands at the date",
          "[render][flows]") {
  LoadResult loaded =
      load_model(std::string(IMOZURU_SOURCE_DIR) + "/tests/fixtures/gaps/rule4_basis_not_in_force.yaml");
  REQUIRE(loaded.model);
  ModelAt at(*loaded.model, d("2025-01-01"));
  RenderOptions o = options(View::flows);
  o.lang = Lang::en;
  GraphvizGraph g = GraphvizGraph::parse(build_diagram(at, o).graph.dot());
  std::set<std::string> tooltips;
  for (Agnode_t* n = agfstnode(g.get()); n; n = agnxtnode(g.get(), n))
    for (Agedge_t* e = agfstout(g.get(), n); e; e = agnxtout(g.get(), e)) tooltips.insert(attr(e, "tooltip"));
  // An ended law is never shown as a current basis, nor one not yet in force.
  CHECK(tooltips.count(
            "Both acts (Office \u2192 Contractor)\nconsent: opt-out\n"
            "basis: Old Act 9\u6761 (ended 2025-01-01), New Act 3\u6761 (in force from 2026-04-01)") == 1);
  CHECK(tooltips.count("With current act (Office \u2192 Contractor)\nconsent: no consent\n"
                       "basis: Old Act 9\u6761 (ended 2025-01-01), Current Act (in force)") == 1);
  CHECK(tooltips.count("With policy (Office \u2192 Contractor)\nconsent: no consent\n"
                       "basis: Cabinet decision (current), Old Act 9\u6761 (ended 2025-01-01)") == 1);
}
