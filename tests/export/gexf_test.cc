// GEXF 1.3 of the whole history (docs/export.md#gexf): valid against the
// GEXF 1.3 XSD, every node and edge present on exactly the days the model
// makes it active, typed attributes, labels in --lang.
#include <catch2/catch.hpp>
#include <string>

#include "export/export.h"
#include "tests/export/export_fixture.h"
#include "tests/export/xml_support.h"

using namespace imozuru;
using imozuru::test::run_command;
using imozuru::test::run_python;
using imozuru::test::TempFile;
using imozuru::test::validate;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The fixture with a history: the register from 2002-08-05, My Number from
// 2015-10-05, the flow to the insurer until 2019 (its last day 2018-12-31)
// and a second flow bringing the name again from 2021: the insurer holds the
// name in two spells, and the number of its holders changes twice.
Model history_model() {
  Model m = test::export_model();
  m.systems[m.find_system("jumin")].since = test::date("2002-08-05");
  m.identifiers[m.find_identifier("my_number")].since = test::date("2015-10-05");
  m.flows[0].until = test::date("2019");
  auto again = test::entity<Flow>("name_again", "氏名の再提供", "Name again");
  again.from = test::ref("jumin");
  again.to = test::ref("insurer");
  again.carries.data = {test::ref("name")};
  again.since = test::date("2021");
  m.flows.push_back(again);
  test::resolve(m);
  return m;
}

// Every node and edge with its dates: start/end on the element, or its
// spells, then the values of the dynamic attributes with their dates.
const char* kDatesDump = R"(import sys, xml.etree.ElementTree as ET
ns = {"g": "http://gexf.net/1.3"}
root = ET.parse(sys.argv[1]).getroot()
graph = root.find("g:graph", ns)
print(graph.get("mode"), graph.get("timeformat"), graph.get("defaultedgetype"))
def when(e):
    return "[%s..%s]" % (e.get("start", ""), e.get("end", ""))
for e in graph.iter():
    tag = e.tag.split("}")[1]
    if tag not in ("node", "edge"):
        continue
    spells = [when(s) for s in e.findall("g:spells/g:spell", ns)]
    dynamic = ["%s=%s%s" % (a.get("for"), a.get("value"), when(a))
               for a in e.findall("g:attvalues/g:attvalue", ns) if a.get("start") or a.get("end") or a.get("for") in ("holders", "holding")]
    print(e.get("id"), e.get("label"), when(e) if not spells else "spells " + " ".join(spells), " ".join(dynamic))
)";

}  // namespace

TEST_CASE("GEXF: valid against the GEXF 1.3 XSD, and output is byte-stable") {
  Model m = history_model();
  const std::string text = export_gexf(m, false, Lang::ja);
  TempFile file("valid.gexf", text);
  auto r = validate("gexf-1.3/gexf.xsd", file.path);
  INFO(r.text);
  CHECK(r.status == 0);
  CHECK(text == export_gexf(m, false, Lang::ja));
  CHECK(contains(text, "<graph mode=\"dynamic\" defaultedgetype=\"directed\" timeformat=\"date\">"));

  // A hostile note and label and a control character stay well-formed and valid.
  m.systems[m.find_system("insurer")].note = std::string("bell\x07") + test::kHostile;
  m.systems[m.find_system("insurer")].name_en = test::kHostile;  // the label
  TempFile hostile("hostile.gexf", export_gexf(m, true, Lang::en));
  auto h = validate("gexf-1.3/gexf.xsd", hostile.path);
  INFO(h.text);
  CHECK(h.status == 0);
}

TEST_CASE(
    "GEXF: start and end are the model's since and the day before its until, spells where a holding "
    "comes back") {
  Model m = history_model();
  TempFile file("dates.gexf", export_gexf(m, false, Lang::en));
  auto r = run_python(kDatesDump, file.path);
  REQUIRE(r.status == 0);
  CHECK(r.text ==
        "dynamic date directed\n"
        "system:insurer Insurer [..] \n"
        "system:jumin Basic Resident Register [2002-08-05..] \n"
        "identifier:basic2 Name and address [..] holders=0[..2002-08-04] holders=1[2002-08-05..]\n"
        "holder:insurer:link_code Link code [..] \n"
        "identifier:my_number My Number [2015-10-05..] holders=2[2015-10-05..2018-12-31] "
        "holders=1[2019-01-01..]\n"
        "data:address Address [..] holders=0[..2002-08-04] holders=1[2002-08-05..]\n"
        "data:claims Medical claims [2021-10-01..] holders=1[2021-10-01..]\n"
        "data:name Name [..] holders=0[..2002-08-04] holders=2[2002-08-05..2018-12-31] "
        "holders=1[2019-01-01..2020-12-31] holders=2[2021-01-01..]\n"
        "holds:insurer:identifier:link_code None [..] holding=declared[..]\n"
        "holds:insurer:identifier:my_number None [2015-10-05..2018-12-31] "
        "holding=received[2015-10-05..2018-12-31]\n"
        "holds:insurer:data:claims None [2021-10-01..] holding=declared[2021-10-01..]\n"
        "holds:insurer:data:name None spells [2002-08-05..2018-12-31] [2021-01-01..] "
        "holding=received[2002-08-05..2018-12-31] holding=received[2021-01-01..]\n"
        "holds:jumin:identifier:basic2 None [2002-08-05..] holding=derived[2002-08-05..]\n"
        "holds:jumin:identifier:my_number None [2015-10-05..] holding=declared[2015-10-05..]\n"
        "holds:jumin:data:address None [2002-08-05..] holding=declared[2002-08-05..]\n"
        "holds:jumin:data:name None [2002-08-05..] holding=declared[2002-08-05..]\n"
        "flow:jumin_to_insurer Identity check [2002-08-05..2018-12-31] \n"
        "flow:name_again Name again [2021-01-01..] \n");
}

TEST_CASE("GEXF: planned entities only with --include-planned, from their since") {
  Model m = history_model();
  CHECK_FALSE(contains(export_gexf(m, false, Lang::ja), "system:portal"));
  CHECK(contains(export_gexf(m, true, Lang::ja),
                 "<node id=\"system:portal\" label=\"マイナポータル\" start=\"2017-01-01\">"));
}

// Debian's networkx (2.8) reads GEXF only up to 1.2draft, so the values are
// read with ElementTree and converted by the type their <attribute> declares,
// as Gephi does.
TEST_CASE("GEXF: every value parses as its declared type, labels in --lang") {
  Model m = history_model();
  m.identifiers[m.find_identifier("basic2")].match_error = 0.05;
  for (Lang lang : {Lang::ja, Lang::en}) {
    TempFile file("typed.gexf", export_gexf(m, false, lang));
    auto r = run_python(R"(import sys, xml.etree.ElementTree as ET
ns = {"g": "http://gexf.net/1.3"}
graph = ET.parse(sys.argv[1]).getroot().find("g:graph", ns)
convert = {"boolean": {"true": True, "false": False}.__getitem__, "integer": int, "double": float, "string": str}
types = {(a.get("class"), b.get("id")): b.get("type") for a in graph.findall("g:attributes", ns) for b in a}
print(sorted(set(types.values())))
values = {}
for cls in ("node", "edge"):
    for e in graph.iter("{%s}%s" % (ns["g"], cls)):
        for v in e.findall("g:attvalues/g:attvalue", ns):
            values.setdefault(e.get("id"), []).append((v.get("for"), convert[types[(cls, v.get("for"))]](v.get("value"))))
typed = lambda id, name: [(type(v).__name__, v) for k, v in values[id] if k == name]
print(typed("identifier:my_number", "visible"), typed("identifier:my_number", "holders"), typed("identifier:basic2", "match_error"))
print(typed("identifier:basic2", "composed_of"), typed("holds:jumin:data:name", "holding"))
nodes = {n.get("id"): n.get("label") for n in graph.iter("{%s}node" % ns["g"])}
edges = {n.get("id"): n.get("label") for n in graph.iter("{%s}edge" % ns["g"])}
print(nodes["system:jumin"], nodes["data:claims"], edges["flow:jumin_to_insurer"])
)",
                        file.path);
    INFO(r.text);
    REQUIRE(r.status == 0);
    const std::string typed =
        "['boolean', 'double', 'integer', 'string']\n"
        "[('bool', True)] [('int', 2), ('int', 1)] [('float', 0.05)]\n"
        "[('str', 'address;name')] [('str', 'declared')]\n";
    if (lang == Lang::ja)
      CHECK(r.text == typed + "住民基本台帳 レセプト 本人確認 <照会>\n");
    else
      CHECK(r.text == typed + "Basic Resident Register Medical claims Identity check\n");
  }
}

TEST_CASE("GEXF: the reference model's history is valid, and every entity's start and end are its dates") {
  TempFile file("flows.gexf", "");
  auto run = run_command("'" + std::string(IMOZURU_BINARY) + "' export '" + IMOZURU_SOURCE_DIR +
                         "/flows' --format gexf --lang en -o '" + file.path.string() + "'");
  REQUIRE(run.status == 0);
  auto v = validate("gexf-1.3/gexf.xsd", file.path);
  INFO(v.text);
  CHECK(v.status == 0);
  // A node of a system, identifier or data item is active exactly from its
  // since to the day before its until (a partial date is its first day);
  // a flow is active within its own dates.
  auto r = run_python(R"(import sys, datetime, xml.etree.ElementTree as ET
ns = {"g": "http://gexf.net/1.3"}
root = ET.parse(sys.argv[1]).getroot()
def first_day(written):
    parts = [int(p) for p in written.split("-")] + [1, 1]
    return datetime.date(parts[0], parts[1], parts[2])
checked, dated, wrong = 0, 0, []
for e in root.iter():
    tag = e.tag.split("}")[1]
    if tag not in ("node", "edge"):
        continue
    values = {a.get("for"): a.get("value") for a in e.findall("g:attvalues/g:attvalue", ns)}
    if e.find("g:spells", ns) is not None:
        wrong.append(e.get("id") + " has spells")
        continue
    since, until = values.get("since"), values.get("until")
    start = e.get("start") and datetime.date.fromisoformat(e.get("start"))
    end = e.get("end") and datetime.date.fromisoformat(e.get("end"))
    want_start = since and first_day(since)
    want_end = until and first_day(until) - datetime.timedelta(days=1)
    if tag == "node" and values["kind"] in ("system", "identifier", "data"):
        checked += 1
        dated += bool(since or until)
        if (start or None) != (want_start or None) or (end or None) != (want_end or None):
            wrong.append("%s: %s..%s, model %s..%s" % (e.get("id"), start, end, since, until))
    elif tag == "edge" and values["relation"] == "flow":
        checked += 1
        if (want_start and (not start or start < want_start)) or (want_end and (not end or end > want_end)):
            wrong.append("%s: %s..%s, model %s..%s" % (e.get("id"), start, end, since, until))
print(checked > 100, dated > 20, wrong)
)",
                      file.path);
  REQUIRE(r.status == 0);
  CHECK(r.text == "True True []\n");
}

TEST_CASE("GEXF CLI: --at and --person are refused, in the model's language or --lang") {
  const std::string model = std::string(IMOZURU_FIXTURES) + "/export/model.yaml";
  auto at =
      run_command("'" + std::string(IMOZURU_BINARY) + "' export '" + model + "' --format gexf --at 2020");
  CHECK(at.status == 2);
  CHECK(at.text ==
        "imozuru: error: --at は --format gexf には使えません。GEXF "
        "はモデルの全期間を、日付ごとの変化とともに書き出します（計画中のものは --include-planned "
        "で含まれます）\n");
  auto person = run_command("'" + std::string(IMOZURU_BINARY) + "' export '" + model +
                            "' --format gexf --person hanako --lang en");
  CHECK(person.status == 2);
  CHECK(person.text ==
        "imozuru: error: --person does not apply to --format gexf: GEXF carries the model's whole history, "
        "every "
        "date it changes on (--include-planned adds what is planned)\n");
}

// What docs/export.md#gexf promises: on any day, the GEXF's nodes and edges
// active that day are exactly what `--format graphml --at` that day writes.
TEST_CASE("GEXF: on any day the reference model's timeline is the GraphML of that day") {
  const std::string binary =
      "'" + std::string(IMOZURU_BINARY) + "' export '" + IMOZURU_SOURCE_DIR + "/flows' ";
  TempFile gexf("day.gexf", "");
  REQUIRE(run_command(binary + "--format gexf --include-planned -o '" + gexf.path.string() + "'").status ==
          0);
  for (const char* day :
       {"2010-06-30", "2016-01-01", "2020-05-24", "2020-05-25", "2023-09-08", "2026-12-31"}) {
    TempFile graphml("day.graphml", "");
    REQUIRE(run_command(binary + "--format graphml --include-planned --at " + day + " -o '" +
                        graphml.path.string() + "'")
                .status == 0);
    auto r = run_python(std::string(R"(import sys, xml.etree.ElementTree as ET
gexf, day = ")") + gexf.path.string() +
                            "\", \"" + day + R"("
g = {"g": "http://graphml.graphdrawing.org/xmlns"}
x = {"x": "http://gexf.net/1.3"}
def active(e):
    spans = [(s.get("start"), s.get("end")) for s in e.findall("x:spells/x:spell", x)] or [(e.get("start"), e.get("end"))]
    return any((a is None or a <= day) and (b is None or day <= b) for a, b in spans)
root = ET.parse(gexf).getroot()
in_gexf = list(e.get("id") for tag in ("node", "edge") for e in root.iter("{%s}%s" % (x["x"], tag)) if active(e))
root = ET.parse(sys.argv[1]).getroot()
in_graphml = list(e.get("id") for tag in ("node", "edge") for e in root.iter("{%s}%s" % (g["g"], tag)))
print(len(in_graphml) > 0, in_gexf == in_graphml, sorted(set(in_gexf) ^ set(in_graphml))[:5])  # same order too
)",
                        graphml.path);
    INFO(day << ": " << r.text);
    REQUIRE(r.status == 0);
    CHECK(r.text == "True True []\n");
  }
}
