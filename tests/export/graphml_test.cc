#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "export/export.h"
#include "model/as_of.h"
#include "tests/export/export_fixture.h"
#include "tests/export/xml_support.h"

using namespace imozuru;
using imozuru::test::export_model;
using imozuru::test::run_python;
using imozuru::test::TempFile;
using imozuru::test::validate;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string graphml_at(const Model& m, const char* date, bool planned = false, Lang lang = Lang::ja,
                       GraphmlFlavour flavour = GraphmlFlavour::plain) {
  return export_graphml(ModelAt(m, test::date(date), planned), lang, flavour);
}

// networkx's view of a GraphML file: every node and edge with each attribute
// as "name=TYPE:value", TYPE the Python type networkx made of it.
const char* kNetworkxDump = R"(import sys, networkx as nx
g = nx.read_graphml(sys.argv[1])
def show(d):
    return " ".join("%s=%s:%s" % (k, type(v).__name__, v) for k, v in sorted(d.items())
                    if k not in ("name", "label", "note", "name_en", "ref", "node_default", "edge_default"))
print("graph", show(g.graph))
for n, d in g.nodes(data=True):
    print(n, show(d))
for u, v, d in g.edges(data=True):
    print(u, ">", v, show(d))
)";

}  // namespace

TEST_CASE(
    "GraphML: networkx reads typed values back, node ids are the references, each node has its kind's "
    "attributes") {
  Model m = export_model();
  m.identifiers[m.find_identifier("basic2")].match_error = 0.05;
  TempFile file("typed.graphml", graphml_at(m, "2026-01-01"));
  auto r = run_python(kNetworkxDump, file.path);
  REQUIRE(r.status == 0);
  CHECK(
      r.text ==
      "graph at=str:2026-01-01 include_planned=bool:False lang=str:ja model=str:imozuru model\n"
      "system:insurer kind=str:system sector=str:health sector_label=str:医療・健康 status=str:operational "
      "type=str:database\n"
      "system:jumin kind=str:system sector=str:identity sector_label=str:番号・本人確認 "
      "status=str:operational "
      "type=str:registry\n"
      "identifier:basic2 composed_of=str:address;name holders=int:1 kind=str:identifier "
      "match_error=float:0.05 "
      "scope=str:global status=str:operational type=str:quasi unique=bool:False universal=bool:False "
      "visible=bool:False\n"
      "holder:insurer:link_code holder=str:insurer kind=str:holder scope=str:holder status=str:operational "
      "type=str:token unique=bool:False universal=bool:False visible=bool:False\n"
      "identifier:my_number holders=int:2 issuer=str:jumin kind=str:identifier regulated_by=str:bangou_law "
      "scope=str:global status=str:operational type=str:national unique=bool:True universal=bool:True "
      "visible=bool:True\n"
      "data:address holders=int:1 kind=str:data sensitivity=str:normal status=str:operational\n"
      "data:claims category=str:health holders=int:1 kind=str:data sensitivity=str:special "
      "since=str:2021-10 status=str:operational\n"
      "data:name holders=int:2 kind=str:data sensitivity=str:normal status=str:operational\n"
      "system:insurer > holder:insurer:link_code holding=str:declared "
      "id=str:holds:insurer:identifier:link_code "
      "relation=str:holds\n"
      "system:insurer > identifier:my_number holding=str:received id=str:holds:insurer:identifier:my_number "
      "relation=str:holds\n"
      "system:insurer > data:claims holding=str:declared id=str:holds:insurer:data:claims "
      "relation=str:holds\n"
      "system:insurer > data:name holding=str:received id=str:holds:insurer:data:name relation=str:holds\n"
      "system:jumin > identifier:basic2 holding=str:derived id=str:holds:jumin:identifier:basic2 "
      "relation=str:holds\n"
      "system:jumin > identifier:my_number holding=str:declared id=str:holds:jumin:identifier:my_number "
      "relation=str:holds\n"
      "system:jumin > data:address holding=str:declared id=str:holds:jumin:data:address relation=str:holds\n"
      "system:jumin > data:name holding=str:declared id=str:holds:jumin:data:name relation=str:holds\n"
      "system:jumin > system:insurer basis=str:bangou_law carries_data=str:name "
      "carries_identifiers=str:my_number consent=str:opt_out id=str:flow:jumin_to_insurer mode=str:api "
      "relation=str:flow status=str:operational\n");
}

TEST_CASE("GraphML: names, labels in --lang and text with newlines, quotes and markup come back unchanged") {
  Model m = export_model();
  TempFile file("names.graphml", graphml_at(m, "2026-01-01", false, Lang::en));
  auto r = run_python(R"(import sys, json, networkx as nx
g = nx.read_graphml(sys.argv[1])
n = g.nodes["system:jumin"]
print(json.dumps([n["label"], n["name"], n["name_en"], n["ref"], n["note"]], ensure_ascii=False))
print(json.dumps([g.nodes["system:insurer"]["label"], g.nodes["holder:insurer:link_code"]["ref"]], ensure_ascii=False))
e = g.edges["system:jumin", "system:insurer"]
print(json.dumps([e["ref"], e["label"], e["name"], e["name_en"]], ensure_ascii=False))
print(g.graph["lang"], "name_en" in g.nodes["data:claims"], "note" in g.nodes["system:insurer"])
)",
                      file.path);
  REQUIRE(r.status == 0);
  CHECK(r.text ==
        "[\"Basic Resident Register\", \"住民基本台帳\", \"Basic Resident Register\", \"system:jumin\", "
        "\"He said \\\"hi\\\", then\\nleft; 日本語 & <b>#quot; | %% `x`\\nend\"]\n"
        "[\"Insurer\", \"identifier:link_code\"]\n"
        "[\"flow:jumin_to_insurer\", \"Identity check\", \"本人確認 <照会>\", \"Identity check\"]\n"
        "en True False\n");
}

TEST_CASE("GraphML: valid against the GraphML 1.0 XSD, typed keys declared once per domain") {
  Model m = export_model();
  std::string text = graphml_at(m, "2026-01-01", true);
  TempFile file("valid.graphml", text);
  auto r = validate("graphml.xsd", file.path);
  INFO(r.text);
  CHECK(r.status == 0);
  CHECK(
      contains(text, "<key id=\"node.visible\" for=\"node\" attr.name=\"visible\" attr.type=\"boolean\"/>"));
  CHECK(contains(text, "<key id=\"node.holders\" for=\"node\" attr.name=\"holders\" attr.type=\"int\"/>"));
  CHECK(contains(
      text, "<key id=\"node.match_error\" for=\"node\" attr.name=\"match_error\" attr.type=\"double\"/>"));
  CHECK(contains(text, "<key id=\"edge.consent\" for=\"edge\" attr.name=\"consent\" attr.type=\"string\"/>"));
  CHECK(contains(text,
                 "<key id=\"graph.include_planned\" for=\"graph\" attr.name=\"include_planned\" "
                 "attr.type=\"boolean\"/>"));
  CHECK(contains(text, "<node id=\"system:portal\">"));  // planned, counted with --include-planned
  CHECK_FALSE(contains(text, "yfiles"));
}

TEST_CASE("GraphML: the date and --include-planned decide what is exported, and output is byte-stable") {
  Model m = export_model();
  std::string before = graphml_at(m, "2020-01-01");
  CHECK_FALSE(contains(before, "data:claims"));  // from 2021-10
  CHECK(contains(before, "<data key=\"graph.at\">2020-01-01</data>"));
  CHECK_FALSE(contains(graphml_at(m, "2026-01-01"), "system:portal"));
  std::string planned = graphml_at(m, "2026-01-01", true);
  CHECK(contains(planned, "<node id=\"system:portal\">\n      <data key=\"node.kind\">system</data>"));
  CHECK(contains(planned, "<data key=\"node.status\">planned</data>"));
  CHECK(contains(planned, "<data key=\"graph.include_planned\">true</data>"));
  CHECK(graphml_at(m, "2026-01-01") == graphml_at(m, "2026-01-01"));
}

TEST_CASE("GraphML: control characters are replaced so the XML stays well-formed") {
  Model m = export_model();
  m.systems[0].note = std::string("bell\x07") + "nul" + std::string(1, '\0') + "end";
  std::string text = graphml_at(m, "2026-01-01");
  CHECK(contains(text,
                 "<data key=\"node.note\">bell\xEF\xBF\xBDnul\xEF\xBF\xBD"
                 "end</data>"));
  TempFile file("control.graphml", text);
  CHECK(validate("graphml.xsd", file.path).status == 0);
}

// tests/export/schema/graphml.xsd is our own GraphML 1.0 schema (not a copy of the published one,
// which carries no licence): these cases show it is a real check. Each breaks one rule of a
// document that is otherwise valid, and xmllint must refuse it for that reason, with the plain
// schema and with the yEd extension, which keeps every rule of the plain one.
TEST_CASE("GraphML schema: refuses documents that break GraphML 1.0") {
  const std::string valid = R"(<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="node.kind" for="node" attr.name="kind" attr.type="string"/>
  <key id="edge.weight" for="edge" attr.name="weight" attr.type="double"><default>1.0</default></key>
  <graph id="G" edgedefault="directed">
    <node id="a"><data key="node.kind">system</data></node>
    <node id="b"/>
    <edge id="e" source="a" target="b" directed="true"><data key="edge.weight">2.5</data></edge>
  </graph>
</graphml>
)";
  struct Case {
    const char* what;
    const char* from;
    const char* to;
    const char* error;
  };
  const Case cases[] = {
      {"graph without edgedefault", R"( edgedefault="directed")", "",
       "graph': The attribute 'edgedefault' is required but missing."},
      {"edgedefault not directed or undirected", R"(edgedefault="directed")", R"(edgedefault="mixed")",
       "attribute 'edgedefault': [facet 'enumeration'] The value 'mixed'"},
      {"attr.type not a GraphML type", R"(attr.type="double")", R"(attr.type="float64")",
       "attribute 'attr.type': [facet 'enumeration'] The value 'float64' is not an element of the set "
       "{'boolean', 'int', 'long', 'float', 'double', 'string'}."},
      {"key for an unknown domain", R"(for="node")", R"(for="vertex")",
       "attribute 'for': [facet 'enumeration'] The value 'vertex'"},
      {"edge without target", R"( target="b")", "", "edge': The attribute 'target' is required but missing."},
      {"edge without source", R"( source="a")", "", "edge': The attribute 'source' is required but missing."},
      {"edge to a node that does not exist", R"(target="b")", R"(target="c")",
       "No match found for key-sequence ['c'] of keyref '{http://graphml.graphdrawing.org/xmlns}"
       "edge-target-is-a-node'."},
      {"directed not a boolean", R"(directed="true")", R"(directed="maybe")",
       "attribute 'directed': 'maybe' is not a valid value of the atomic type 'xs:boolean'."},
      {"node without id", R"(<node id="b"/>)", "<node/>",
       "node': The attribute 'id' is required but missing."},
      {"two nodes with one id", R"(<node id="b"/>)", R"(<node id="a"/>)",
       "Duplicate key-sequence ['a'] in key identity-constraint"},
      {"data for an undeclared key", R"(<data key="node.kind">)", R"(<data key="node.sort">)",
       "No match found for key-sequence ['node.sort'] of keyref"},
      {"two data for one key", R"(<data key="node.kind">system</data>)",
       R"(<data key="node.kind">system</data><data key="node.kind">data</data>)",
       "Duplicate key-sequence ['node.kind'] in unique identity-constraint"},
      {"key after a graph", R"(  <graph id="G")",
       R"(  <graph id="H" edgedefault="directed"/><key id="late"/><graph id="G")",
       "Element '{http://graphml.graphdrawing.org/xmlns}key': This element is not expected."},
      {"an element GraphML does not have", R"(<node id="b"/>)", R"(<node id="b"/><vertex id="c"/>)",
       "Element '{http://graphml.graphdrawing.org/xmlns}vertex': This element is not expected."},
      {"an attribute GraphML does not have", R"(<node id="b"/>)", R"(<node id="b" label="B"/>)",
       "The attribute 'label' is not allowed."},
  };
  TempFile ok("schema-valid.graphml", valid);
  for (const char* schema : {"graphml.xsd", "graphml-yed.xsd"}) {
    auto r = validate(schema, ok.path);
    INFO(schema << "\n" << r.text);
    REQUIRE(r.status == 0);
  }
  for (const Case& c : cases) {
    std::string text = valid;
    const size_t at = text.find(c.from);
    INFO(c.what);
    REQUIRE(at != std::string::npos);
    text.replace(at, std::string(c.from).size(), c.to);
    TempFile bad("schema-bad.graphml", text);
    for (const char* schema : {"graphml.xsd", "graphml-yed.xsd"}) {
      auto r = validate(schema, bad.path);
      INFO(schema << "\n" << r.text);
      CHECK(r.status != 0);
      CHECK(contains(r.text, c.error));
    }
  }
}

TEST_CASE("GraphML schema: accepts what GraphML 1.0 allows beyond what imozuru writes") {
  // Descriptions, defaults, data on the document, nested graphs (an edge between them at the
  // outer level), nested ports, hyperedges, a second graph, undirected edges.
  TempFile file("schema-rich.graphml", R"(<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <desc>nested graphs, ports and hyperedges</desc>
  <key id="w" attr.name="weight" attr.type="long"><desc>weight</desc><default>3</default></key>
  <key id="any"/>
  <data key="w">1</data>
  <graph edgedefault="undirected">
    <desc>outer</desc>
    <node id="n0">
      <port name="p"><port name="q"/></port>
      <data key="w">2</data>
      <graph id="inner" edgedefault="directed">
        <node id="n0::a"/>
        <node id="n0::b"/>
        <edge source="n0::a" target="n0::b" directed="false"/>
      </graph>
    </node>
    <node id="n1"/>
    <edge source="n0" target="n1" sourceport="p"/>
    <edge source="n1" target="n0::b"/>
    <hyperedge><endpoint node="n0" port="p" type="in"/><endpoint node="n1"/><data key="any">x</data></hyperedge>
  </graph>
  <graph id="second" edgedefault="directed"/>
</graphml>
)");
  for (const char* schema : {"graphml.xsd", "graphml-yed.xsd"}) {
    auto r = validate(schema, file.path);
    INFO(schema << "\n" << r.text);
    CHECK(r.status == 0);
  }
}

// yEd's own schema (ygraphml.xsd) is not vendored; tests/export/schema/
// graphml-yed.xsd extends our GraphML XSD the way GraphML provides for
// (redefining data-extension.type and key.extra.attrib) to allow yFiles
// elements inside <data> and the yfiles.type attribute on <key>. So xmllint
// validates all of the GraphML structure (keys, ids, every edge's ends,
// typed key declarations), but not the yFiles elements themselves (lax: no
// schema for their namespace); the Python check below asserts those.
TEST_CASE("GraphML for yEd: valid GraphML, and every node and edge has its yFiles graphics") {
  Model m = export_model();
  std::string text = graphml_at(m, "2026-01-01", false, Lang::ja, GraphmlFlavour::yed);
  TempFile file("yed.graphml", text);
  auto v = validate("graphml-yed.xsd", file.path);
  INFO(v.text);
  CHECK(v.status == 0);
  // The plain GraphML XSD refuses exactly the yFiles additions (elements of the yFiles namespace in
  // <data>, yfiles.type on <key>), so the extension is what lets them pass.
  auto plain = validate("graphml.xsd", file.path);
  CHECK(plain.status != 0);
  std::istringstream errors(plain.text);
  int yfiles_errors = 0;
  for (std::string line; std::getline(errors, line);) {
    if (!contains(line, "Schemas validity error")) continue;
    INFO(line);
    CHECK((contains(line, "Element '{http://www.yworks.com/xml/graphml}") ||
           contains(line, "The attribute 'yfiles.type' is not allowed")));
    ++yfiles_errors;
  }
  CHECK(yfiles_errors > 0);

  auto r = run_python(R"(import sys, xml.etree.ElementTree as ET
ns = {"g": "http://graphml.graphdrawing.org/xmlns", "y": "http://www.yworks.com/xml/graphml"}
root = ET.parse(sys.argv[1]).getroot()
keys = {k.get("yfiles.type"): (k.get("id"), k.get("for")) for k in root.findall("g:key", ns) if k.get("yfiles.type")}
print(sorted(keys.items()))
for n in root.iter("{%s}node" % ns["g"]):
    s = n.findall("g:data/y:ShapeNode", ns)
    assert len(s) == 1, n.get("id")
    s = s[0]
    print(n.get("id"), s.find("y:Shape", ns).get("type"), s.find("y:Fill", ns).get("color"),
          s.find("y:BorderStyle", ns).get("type"), s.find("y:NodeLabel", ns).text, s.find("y:Geometry", ns) is not None)
for e in root.iter("{%s}edge" % ns["g"]):
    p = e.findall("g:data/y:PolyLineEdge", ns)
    assert len(p) == 1, e.get("id")
    p = p[0]
    label = p.find("y:EdgeLabel", ns)
    print(e.get("id"), p.find("y:LineStyle", ns).get("type"), p.find("y:LineStyle", ns).get("color"),
          p.find("y:Arrows", ns).get("target"), label.text if label is not None else "-")
)",
                      file.path);
  REQUIRE(r.status == 0);
  CHECK(r.text ==
        "[('edgegraphics', ('edge.graphics', 'edge')), ('nodegraphics', ('node.graphics', 'node'))]\n"
        "system:insurer roundrectangle #F8E2B3 line 保険者 \"DB\", 本店 True\n"
        "system:jumin roundrectangle #CCE9F8 line 住民基本台帳 True\n"
        "identifier:basic2 octagon #EDEDE4 dashed 基本2情報 True\n"
        "holder:insurer:link_code ellipse #FFFFFF dotted 情報連携用符号 True\n"
        "identifier:my_number ellipse #EEE8EB line 個人番号 True\n"
        "data:address rectangle #FFF4D6 line 住所 True\n"
        "data:claims rectangle #FFF4D6 line レセプト True\n"
        "data:name rectangle #FFF4D6 line 氏名 True\n"
        "holds:insurer:identifier:link_code dotted #5A5A5A none -\n"
        "holds:insurer:identifier:my_number dotted #5A5A5A none -\n"
        "holds:insurer:data:claims dotted #5A5A5A none -\n"
        "holds:insurer:data:name dotted #5A5A5A none -\n"
        "holds:jumin:identifier:basic2 dotted #5A5A5A none -\n"
        "holds:jumin:identifier:my_number dotted #5A5A5A none -\n"
        "holds:jumin:data:address dotted #5A5A5A none -\n"
        "holds:jumin:data:name dotted #5A5A5A none -\n"
        "flow:jumin_to_insurer dashed #E69F00 standard 本人確認 <照会>\n");
}

TEST_CASE("GraphML for yEd: the reference model opens laid out, in bands by kind, no two nodes overlapping") {
  TempFile file("flows-yed.graphml", "");
  auto run = imozuru::test::run_command(
      "'" + std::string(IMOZURU_BINARY) + "' export '" + IMOZURU_SOURCE_DIR +
      "/flows' --format graphml-yed --at 2026-01-01 -o '" + file.path.string() + "'");
  REQUIRE(run.status == 0);
  auto v = validate("graphml-yed.xsd", file.path);
  INFO(v.text);
  CHECK(v.status == 0);
  auto r = run_python(R"(import sys, xml.etree.ElementTree as ET
ns = {"g": "http://graphml.graphdrawing.org/xmlns", "y": "http://www.yworks.com/xml/graphml"}
root = ET.parse(sys.argv[1]).getroot()
boxes = []
for n in root.iter("{%s}node" % ns["g"]):
    geo = n.find("g:data/y:ShapeNode/y:Geometry", ns)
    kind = n.find("g:data[@key='node.kind']", ns).text.replace("holder", "identifier")  # per-holder codes
    boxes.append((kind, *(float(geo.get(k)) for k in ("x", "y", "width", "height"))))
overlaps = sum(1 for i, a in enumerate(boxes) for b in boxes[:i]
               if a[1] < b[1] + b[3] and b[1] < a[1] + a[3] and a[2] < b[2] + b[4] and b[2] < a[2] + a[4])
too_wide = [b for b in boxes if b[1] > 0 and b[1] + b[3] > 1600]
bands = {}
for kind, x, y, w, h in boxes:
    lo, hi = bands.get(kind, (y, y))
    bands[kind] = (min(lo, y), max(hi, y))
order = sorted(bands, key=lambda k: bands[k][0])
print(len(boxes) > 100, overlaps, too_wide, order,
      all(bands[a][1] < bands[b][0] for a, b in zip(order, order[1:])))
)",
                      file.path);
  REQUIRE(r.status == 0);
  CHECK(r.text == "True 0 [] ['system', 'identifier', 'data'] True\n");
}
