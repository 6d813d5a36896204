#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphml.hpp>
#include <boost/make_shared.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "export/export.h"
#include "model/as_of.h"
#include "tests/export/export_fixture.h"

using namespace imozuru;
using imozuru::test::export_model;

namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Vertex = Graph::vertex_descriptor;
using Edge = Graph::edge_descriptor;

// GraphML read back with Boost's own reader; every attribute it meets is
// kept in a map by name, so the test sees exactly what was written.
struct ReadBack {
  Graph g;
  std::map<std::string, std::map<Vertex, std::string>> vertex;
  std::map<std::string, std::map<Edge, std::string>> edge;
  std::map<std::string, std::string> graph;

  explicit ReadBack(const std::string& text) {
    boost::dynamic_properties dp([this](const std::string& name, const boost::any& key,
                                        const boost::any&) -> boost::shared_ptr<boost::dynamic_property_map> {
      if (key.type() == typeid(Vertex))
        return boost::make_shared<boost::detail::dynamic_property_map_adaptor<
            boost::associative_property_map<std::map<Vertex, std::string>>>>(
            boost::make_assoc_property_map(vertex[name]));
      if (key.type() == typeid(Edge))
        return boost::make_shared<boost::detail::dynamic_property_map_adaptor<
            boost::associative_property_map<std::map<Edge, std::string>>>>(
            boost::make_assoc_property_map(edge[name]));
      return boost::make_shared<
          boost::detail::dynamic_property_map_adaptor<boost::ref_property_map<Graph*, std::string>>>(
          boost::ref_property_map<Graph*, std::string>(graph[name]));
    });
    std::istringstream in(text);
    boost::read_graphml(in, g, dp);
  }

  std::vector<Edge> edges_in_order() const {
    std::vector<Edge> out;
    for (auto [it, end] = boost::edges(g); it != end; ++it) out.push_back(*it);
    return out;
  }
};

std::string run_python(const std::string& script) {
  std::string out;
  FILE* p = popen(("/usr/bin/python3 -c '" + script + "'").c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  REQUIRE(pclose(p) == 0);
  return out;
}

}  // namespace

TEST_CASE("GraphML: vertices by kind then id, holdings then flows, every attribute read back by Boost") {
  Model m = export_model();
  ModelAt at(m, test::date("2026-01-01"));
  std::string text = export_graphml(at, Lang::ja);
  ReadBack r(text);

  REQUIRE(boost::num_vertices(r.g) == 8);  // 2 active systems, 3 identifiers, 3 data items
  REQUIRE(boost::num_edges(r.g) == 9);     // 8 effective holdings + 1 flow
  std::vector<std::string> refs;
  for (Vertex v = 0; v < 8; ++v) refs.push_back(r.vertex["ref"][v]);
  CHECK(refs == std::vector<std::string>{"system:insurer", "system:jumin", "identifier:basic2",
                                         "identifier:link_code", "identifier:my_number", "data:address",
                                         "data:claims", "data:name"});
  CHECK(r.vertex["kind"][0] == "system");
  CHECK(r.vertex["kind"][2] == "identifier");
  CHECK(r.vertex["kind"][5] == "data");
  CHECK(r.vertex["name"][0] == "保険者 \"DB\", 本店");
  CHECK(r.vertex["label"][0] == "保険者 \"DB\", 本店");
  CHECK(r.vertex["name_en"][0] == "Insurer");
  CHECK(r.vertex["sector"][1] == "identity");
  CHECK(r.vertex["type"][1] == "registry");
  // Boost's reader collapses whitespace (trim_whitespace); networkx below sees the newlines.
  CHECK(r.vertex["note"][1] == "He said \"hi\", then left; 日本語 & <b>#quot; | %% `x` end");
  CHECK(r.vertex["scope"][3] == "holder");
  CHECK(r.vertex["scope"][4] == "global");
  CHECK(r.vertex["visible"][4] == "true");
  CHECK(r.vertex["visible"][3] == "false");
  CHECK(r.vertex["regulated_by"][4] == "bangou_law");
  CHECK(r.vertex["issuer"][4] == "jumin");
  CHECK(r.vertex["composed_of"][2] == "address;name");
  CHECK(r.vertex["sensitivity"][6] == "special");
  CHECK(r.vertex["since"][6] == "2021-10");
  CHECK(r.vertex["status"][0] == "operational");
  CHECK(r.graph["at"] == "2026-01-01");
  CHECK(r.graph["lang"] == "ja");

  auto edges = r.edges_in_order();
  auto describe = [&](const Edge& e) {
    return std::to_string(boost::source(e, r.g)) + ">" + std::to_string(boost::target(e, r.g)) + " " +
           r.edge["relation"][e] + " " + r.edge["holding"][e];
  };
  std::vector<std::string> got;
  for (const Edge& e : edges) got.push_back(describe(e));
  CHECK(got == std::vector<std::string>{"0>3 holds declared", "0>4 holds received", "0>6 holds declared",
                                        "0>7 holds received", "1>2 holds derived", "1>4 holds declared",
                                        "1>5 holds declared", "1>7 holds declared", "1>0 flow "});
  const Edge& flow = edges.back();
  CHECK(r.edge["ref"][flow] == "flow:jumin_to_insurer");
  CHECK(r.edge["consent"][flow] == "opt_out");
  CHECK(r.edge["basis"][flow] == "bangou_law");
  CHECK(r.edge["label"][flow] == "本人確認 <照会>");
  CHECK(r.edge["carries_identifiers"][flow] == "my_number");
  CHECK(r.edge["carries_data"][flow] == "name");
  CHECK(r.edge["mode"][flow] == "api");
}

TEST_CASE("GraphML: the date and --include-planned decide what is exported, and output is byte-stable") {
  Model m = export_model();
  ReadBack before(export_graphml(ModelAt(m, test::date("2020-01-01")), Lang::en));
  CHECK(boost::num_vertices(before.g) == 7);  // claims starts 2021-10
  CHECK(boost::num_edges(before.g) == 8);
  CHECK(before.vertex["label"][0] == "Insurer");
  CHECK(before.graph["lang"] == "en");

  ReadBack planned(export_graphml(ModelAt(m, test::date("2026-01-01"), true), Lang::ja));
  CHECK(boost::num_vertices(planned.g) == 9);
  CHECK(planned.vertex["ref"][1] == "system:jumin");
  CHECK(planned.vertex["ref"][2] == "system:portal");
  CHECK(planned.vertex["status"][2] == "planned");
  CHECK(planned.graph["include_planned"] == "true");

  ModelAt at(m, test::date("2026-01-01"));
  CHECK(export_graphml(at, Lang::ja) == export_graphml(at, Lang::ja));
}

TEST_CASE("GraphML: control characters are replaced so the XML stays well-formed") {
  Model m = export_model();
  m.systems[0].note = std::string("bell\x07") + "nul" + std::string(1, '\0') + "end";
  ReadBack r(export_graphml(ModelAt(m, test::date("2026-01-01")), Lang::ja));
  CHECK(r.vertex["note"][0] ==
        "bell\xEF\xBF\xBDnul\xEF\xBF\xBD"
        "end");
}

TEST_CASE("GraphML: networkx reads every vertex, edge and attribute") {
  Model m = export_model();
  auto path =
      std::filesystem::temp_directory_path() / ("imozuru-export-" + std::to_string(::getpid()) + ".graphml");
  {
    std::ofstream out(path, std::ios::binary);
    out << export_graphml(ModelAt(m, test::date("2026-01-01")), Lang::ja);
  }
  std::string script =
      "import json, networkx as nx\n"
      "g = nx.read_graphml(\"" +
      path.string() +
      "\")\n"
      "print(g.number_of_nodes(), g.number_of_edges(), g.is_directed())\n"
      "n = g.nodes[\"n1\"]\n"
      "print(json.dumps([n[\"kind\"], n[\"ref\"], n[\"name\"], n[\"name_en\"], n[\"sector\"], "
      "n[\"note\"]]))\n"
      "e = g.edges[\"n1\", \"n0\"]\n"
      "print(json.dumps([e[\"relation\"], e[\"consent\"], e[\"ref\"], e[\"label\"]]))\n"
      "print(sorted(d[\"holding\"] for _, _, d in g.edges(data=True) if d[\"relation\"] == \"holds\"))\n"
      "print(g.graph[\"at\"])\n";
  std::string got = run_python(script);
  std::filesystem::remove(path);
  CHECK(
      got ==
      "8 9 True\n"
      "[\"system\", \"system:jumin\", \"\\u4f4f\\u6c11\\u57fa\\u672c\\u53f0\\u5e33\", \"Basic Resident "
      "Register\", "
      "\"identity\", \"He said \\\"hi\\\", then\\nleft; \\u65e5\\u672c\\u8a9e & <b>#quot; | %% `x`\\nend\"]\n"
      "[\"flow\", \"opt_out\", \"flow:jumin_to_insurer\", \"\\u672c\\u4eba\\u78ba\\u8a8d "
      "<\\u7167\\u4f1a>\"]\n"
      "['declared', 'declared', 'declared', 'declared', 'declared', 'derived', 'received', 'received']\n"
      "2026-01-01\n");
}
