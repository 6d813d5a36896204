// The Lua API on the small model of tests/fixtures/query/small.yaml, whose
// answers are worked out by hand from docs/model-format.md and docs/cli.md.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "model/linkage_graph.h"
#include "model/reach.h"
#include "output/analysis_json.h"
#include "query_test_support.h"

using namespace imozuru;
using namespace imozuru::query;
using namespace imozuru::query::testing;

namespace {

std::string ok(const std::string& code, const char* at = "2026-01-01") {
  Run run = run_lua(code, {}, at);
  INFO(run.result.message);
  REQUIRE(run.result.outcome == Outcome::ok);
  return run.out;
}

}  // namespace

TEST_CASE("entity lists hold the active entities with all their fields") {
  CHECK(ok("for _, s in ipairs(model:systems()) do print(s.id, s.sector, s.kind, s.active) end") ==
        "city\tlocal_government\tdatabase\ttrue\n"
        "clinic\thealth\tdatabase\ttrue\n"
        "insurer\thealth\tdatabase\ttrue\n"
        "tax\ttax\tdatabase\ttrue\n");
  CHECK(ok("print(#model:systems{all = true}, #model:systems(), #model:identifiers(), #model:data(), "
           "#model:flows(), #model:laws(), #model:laws{all = true})") == "5\t4\t4\t4\t1\t1\t2\n");
  CHECK(
      ok("local s = model:get('system:city') print(s.type, s.ref, s.name, s.name_en, s.status, "
         "table.concat(s.holds.identifiers, ','), table.concat(s.holds.data, ','), s.sources[1], "
         "s.citations[1].at, s.line ~= nil)") ==
      "system\tsystem:city\t市町村\tCity\toperational\tmy_number,link_code\tname,address\tsrc\tp. 1\ttrue\n");
  CHECK(
      ok("local f = model:flows()[1] print(f.from, f.to, f.consent, f.key, f.basis[1], f.carries.data[1])") ==
      "clinic\tinsurer\tnone\tinsured_no\tnumlaw\tclaims\n");
  CHECK(
      ok("local i = model:get('identifier:link_code') print(i.kind, i.scope, i.visible, #i.regulated_by)") ==
      "token\tholder\tfalse\t0\n");
  CHECK(ok("local i = model:get('identifier:my_number') print(i.since, i.regulated_by[1])") ==
        "2016-01-01\tnumlaw\n");
  CHECK(ok("print(model:get('data:claims').sensitivity, model:get('law:old_law')['until'], "
           "model:get('system:nope'), model:get('flow:clinic_to_insurer').name_en)") ==
        "special\t2019-01-01\tnil\tClaims to the insurer\n");
}

TEST_CASE("holdings, holders, flows and names at the date") {
  // The insurer receives the claims through the flow (docs/model-format.md#dates-the-model-as-of-a-date).
  CHECK(ok("local h = model:holdings('insurer') print(table.concat(h.identifiers, ','), "
           "table.concat(h.data, ','))") == "insured_no,my_number\tclaims\n");
  // City holds name and address, so it holds the quasi identifier basic4.
  CHECK(ok("print(table.concat(model:holdings('system:city').identifiers, ','))") ==
        "basic4,link_code,my_number\n");
  CHECK(ok("print(table.concat(model:holders('identifier:my_number'), ','))") == "city,insurer,tax\n");
  CHECK(ok("print(table.concat(model:holders('identifier:my_number'), ','))", "2020-01-01") == "city,tax\n");
  CHECK(ok("print(table.concat(model:holders('data:claims'), ','))") == "clinic,insurer\n");
  CHECK(ok("print(#model:flows_out('clinic'), model:flows_in('insurer')[1].id, #model:flows_in('clinic'))") ==
        "1\tclinic_to_insurer\t0\n");
  CHECK(ok("print(model:name('system:tax'), model:name('system:tax', 'en'), "
           "model:name(model:get('law:old_law'), 'en'))") == "税務署\tTax office\t旧法\n");
  CHECK(ok("print(model:label('system:tax', 'en'), model:active('system:portal'), "
           "model:active('system:city'))") == "Tax office (tax)\tfalse\ttrue\n");
  CHECK(ok("print(model:date(), model:info().name, model:info().default_lang)") ==
        "2026-01-01\t小さなモデル\tja\n");
}

TEST_CASE("the model at another date, and planned entities") {
  CHECK(ok("local m = model:at('2020') print(m:date(), #m:systems(), model:date())") ==
        "2020-01-01\t3\t2026-01-01\n");
  CHECK(ok("local m = model:at('2026', {include_planned = true}) print(#m:systems(), m:include_planned())") ==
        "5\ttrue\n");
  CHECK(ok("print(tostring(model))") == "model at 2026-01-01 (4 active systems)\n");
}

TEST_CASE("joinable systems and crosswalks, in Lua over the primitives") {
  CHECK(ok("for _, j in ipairs(model:joinable('system:city')) do print(j.system, table.concat(j.through, "
           "',')) end") == "insurer\tmy_number\ntax\tmy_number\n");
  CHECK(
      ok("for _, c in ipairs(model:crosswalks()) do print(c.system, table.concat(c.identifiers, ',')) end") ==
      "city\tbasic4,my_number\ninsurer\tinsured_no,my_number\n");
}

TEST_CASE("reach is shaped like the JSON of docs/cli.md") {
  CHECK(ok("local r = model:reach{from = {'identifier:my_number'}}\n"
           "print(r.at, r.from[1])\n"
           "for _, s in ipairs(r.systems) do print(s.id, s.depth) end\n"
           "print(table.concat(r.identifiers, ','), table.concat(r.data, ','))") ==
        "2026-01-01\tidentifier:my_number\n"
        "city\t1\nclinic\t2\ninsurer\t1\ntax\t1\n"
        "basic4,insured_no,link_code,my_number\taddress,claims,income,name\n");
  // Before the insurer existed nothing led from My Number to health.
  CHECK(ok("local r = model:reach{from = 'identifier:my_number', at = '2020'} print(r.at, #r.systems)") ==
        "2020-01-01\t2\n");
  // The holder-scoped token is learnt but joins nothing.
  CHECK(ok("print(#model:reach{from = {'identifier:link_code'}}.systems)") == "0\n");
}

TEST_CASE("chains, gaps, downstream and diff") {
  CHECK(ok("local c = model:chains{from = 'identifier:my_number', to = 'data:claims'}\n"
           "print(c.from, c.to, #c.chains, c.chains[1].length)\n"
           "for _, h in ipairs(c.chains[1].hops) do print(h.kind, h.system or h.flow, h.identifier or h.data "
           "or '') end") ==
        "identifier:my_number\tdata:claims\t1\t1\n"
        "holds\tinsurer\tmy_number\n"
        "holds\tinsurer\tclaims\n");
  CHECK(
      ok("local g = model:gaps() for _, x in ipairs(g.gaps) do print(x.rule, x.flow or x.identifier) end") ==
      "unconsented-sensitive\tclinic_to_insurer\n"
      "unregulated-key\tinsured_no\n");
  CHECK(ok("local d = model:downstream{system = 'clinic', data = 'claims'} print(d.systems[1].id)") ==
        "insurer\n");
  CHECK(ok("local d = model:diff{from = '2020', to = '2026'} print(d.from, d.to)") ==
        "2020-01-01\t2026-01-01\n");
}

TEST_CASE(
    "gaps: severity, laws in force, reasons in the language, status = 'open'; laws know if they are in force",
    "[gaps]") {
  CHECK(ok("local g = model:gaps{lang = 'en'}.gaps[1]\n"
           "print(g.severity, g.consent, g.laws[1].id, g.laws[1].in_force, g.open, g.assessment)\n"
           "print(g.reason)") ==
        "high\tnone\tnumlaw\ttrue\ttrue\tnil\n"
        "The flow \u201cClaims to the insurer\u201d from Clinic to Insurer moves special-category data "
        "(Medical claims) without the person's choice (consent: no consent).\n");
  CHECK(ok("print(model:gaps{lang = 'ja'}.gaps[1].reason)").rfind("データの流れ「レセプト送付」", 0) == 0);
  // No assessment in the model: every gap is open.
  CHECK(ok("print(#model:gaps{status = 'open'}.gaps, #model:gaps{status = 'all'}.gaps)") == "2\t2\n");
  Run bad = run_lua("model:gaps{status = 'closed'}");
  CHECK(bad.result.outcome != Outcome::ok);
  CHECK(bad.result.message.find("gaps: status must be 'all' or 'open', not 'closed'") != std::string::npos);
  // A law table says whether the law is in force at the model's date, and if not, why.
  CHECK(ok("local l = model:get('law:old_law') print(l.in_force, l.state)") == "false\tended\n");
  CHECK(ok("local l = model:get('law:numlaw') print(l.in_force, l.state)") == "true\tin_force\n");
  CHECK(ok("local l = model:get('law:old_law') print(l.in_force, l.state)", "2018-12-31") ==
        "true\tin_force\n");
}

TEST_CASE("unknown references exit 2 with did-you-mean, malformed ones too") {
  Run run = run_lua("model:reach{from = {'identifier:my_numbr'}}");
  CHECK(run.result.outcome == Outcome::bad_reference);
  CHECK(run.result.exit_code == 2);
  CHECK(run.result.message.find("test.lua:1: no identifier 'my_numbr' in the model (did you mean "
                                "'identifier:my_number'?)") == 0);
  run = run_lua("model:holdings('system:nowhere_at_all_xyz')");
  CHECK(run.result.exit_code == 2);
  CHECK(run.result.message.find("no system 'nowhere_at_all_xyz' in the model") != std::string::npos);
  run = run_lua("model:chains{from = 'identifier:my_number', to = 'claims'}");
  CHECK(run.result.exit_code == 2);
  CHECK(run.result.message.find("'claims' is not a reference; write identifier:ID, system:ID or data:ID") !=
        std::string::npos);
  // Caught by the script, it is just an error value.
  CHECK(ok("print(pcall(model.holders, model, 'identifier:zzz'))").find("false\t") == 0);
  run = run_lua("model:reach{form = {'identifier:my_number'}}");
  CHECK(run.result.exit_code == 1);
  CHECK(run.result.message.find("test.lua:1: reach: unknown option 'form'") == 0);
}

TEST_CASE("JSON and CSV output") {
  CHECK(ok("imozuru.json({b = 1, a = {'x', 'y'}, c = {}, d = '芋づる'})") ==
        "{\n  \"a\": [\n    \"x\",\n    \"y\"\n  ],\n  \"b\": 1,\n  \"c\": [],\n  \"d\": \"芋づる\"\n}\n");
  CHECK(ok("imozuru.json({1.5, true, false}, {pretty = false})") == "[1.5,true,false]\n");
  CHECK(ok("print(pcall(imozuru.to_json, {f = print}))") ==
        "false\timozuru.json: cannot write a function value as JSON\n");
  CHECK(ok("local t = {} t.self = t print(pcall(imozuru.to_json, t))").find("deeper than 100") !=
        std::string::npos);
  CHECK(ok("print(pcall(imozuru.to_json, '\\255'))")
            .find("false\timozuru.json: [json.exception.type_error.316]") == 0);
  CHECK(ok("imozuru.csv({{id = 'a', n = 1, list = {'x', 'y'}}, {id = 'b,c', n = 2.0, note = 'say \"hi\"'}}, "
           "{'id', 'n', 'list', {'note', 'メモ'}})") ==
        "id,n,list,メモ\na,1,x;y,\n\"b,c\",2,,\"say \"\"hi\"\"\"\n");
  CHECK(ok("imozuru.csv({{b = 1, a = 2}})") == "a,b\n2,1\n");
}

TEST_CASE("helpers for lists") {
  CHECK(ok("local g = imozuru.group_by(model:systems(), 'sector') print(#g.health, #g.tax)") == "2\t1\n");
  CHECK(ok("local c = imozuru.count_by(model:systems(), 'sector') "
           "for k, v in imozuru.sorted_pairs(c) do print(k, v) end") ==
        "health\t2\nlocal_government\t1\ntax\t1\n");
  CHECK(ok("local l = imozuru.sort_by(model:systems(), 'sector', true) print(l[1].id, l[2].id, l[3].id)") ==
        "tax\tcity\tclinic\n");
  CHECK(ok("print(imozuru.split_ref('system:a:b'))") == "system\ta:b\n");
}

TEST_CASE("model:render draws through the real renderer") {
  // A chain view of a reach, returned as SVG text.
  std::string out =
      ok("local svg = model:render{result = model:reach{from = {'identifier:my_number'}}, "
         "format = 'svg', lang = 'en'} "
         "print(svg:sub(1, 5), svg:find('Tax office', 1, true) ~= nil, svg:find('</svg>', 1, true) ~= nil)");
  CHECK(out == "<?xml\ttrue\ttrue\n");
  // The sectors view as DOT, with the engine asked for written into it.
  out =
      ok("local dot = model:render{view = 'sectors', format = 'dot', engine = 'fdp'} "
         "print(dot:find('layout=fdp', 1, true) ~= nil, dot:find('sector0', 1, true) ~= nil)");
  CHECK(out == "true\ttrue\n");
  // A caption under the title.
  out =
      ok("local dot = model:render{result = model:reach{from = {'identifier:my_number'}}, format = 'dot', "
         "caption = 'CAPTION-123'} print(dot:find('CAPTION-123', 1, true) ~= nil)");
  CHECK(out == "true\n");
  // A caption on any view, the title left out, labels wrapped narrower.
  out =
      ok("local dot = model:render{view = 'sectors', format = 'dot', caption = 'Fig. 2', title = false} "
         "print(dot:find('Fig. 2', 1, true) ~= nil, dot:find('時点', 1, true) ~= nil)");
  CHECK(out == "true\tfalse\n");
  out =
      ok("local function lines(w) local dot = model:render{view = 'flows', format = 'dot', lang = 'en', "
         "label_width = w} local n = 0 for _ in dot:gmatch('<BR/>') do n = n + 1 end "
         "for _ in dot:gmatch('<TR>') do n = n + 1 end return n end "
         "print(lines(8) > lines(200))");
  CHECK(out == "true\n");
  // Fitted to a canvas: Graphviz's size and ratio written into the DOT.
  out =
      ok("local dot = model:render{view = 'sectors', format = 'dot', canvas = '4:3'} "
         "print(dot:find('ratio=fill', 1, true) ~= nil, dot:find('size=', 1, true) ~= nil)");
  CHECK(out == "true\ttrue\n");
  // The sectors view's slide form, as render --brief draws it.
  out =
      ok("local function form(brief) return model:render{view = 'sectors', format = 'dot', lang = 'en', "
         "brief = brief} end "
         "print(form(true):find('brief slide form', 1, true) ~= nil, "
         "form(false):find('brief slide form', 1, true) ~= nil)");
  CHECK(out == "true\tfalse\n");
}

TEST_CASE("model:render draws a time-lapse and a chain built up, as render --dates and --steps do") {
  // The insurer starts in 2021-10: hidden in the 2020 frame, new in 2022.
  std::string out =
      ok("local f = model:render{view = 'flows', format = 'svg', lang = 'en', dates = {'2020-01-01', "
         "'2022-01-01'}} "
         "print(#f, f[1]:find('system:insurer', 1, true) == nil, "
         "f[2]:find('id=\"system:insurer\" class=\"node system new\"', 1, true) ~= nil, "
         "f[1]:find('2020&#45;01&#45;01', 1, true) ~= nil)");
  CHECK(out == "2\ttrue\ttrue\ttrue\n");
  out = ok(
      "local f = model:render{view = 'flows', format = 'svg', dates = {'2020-01-01', '2022-01-01'}, "
      "ghost = true} print(f[1]:find('id=\"system:insurer\" class=\"node system ghost\"', 1, true) ~= nil)");
  CHECK(out == "true\n");
  // One frame per hop of the longest chain.
  out =
      ok("local r = model:chains{from = 'system:clinic', to = 'system:tax'} "
         "local f = model:render{result = r, steps = true, only = true, format = 'svg', lang = 'en'} "
         "local longest = 0 for _, c in ipairs(r.chains) do longest = math.max(longest, #c.hops) end "
         "print(#f == longest, #f >= 2, f[1]:find('step 1 of ' .. #f, 1, true) ~= nil)");
  CHECK(out == "true\ttrue\ttrue\n");
}

TEST_CASE("model:render refuses bad options with a clear error") {
  auto error = [](const std::string& code) {
    Run run = run_lua(code);
    CHECK(run.result.outcome == Outcome::script_error);
    return run.result.message.substr(0, run.result.message.find('\n'));
  };
  CHECK(error("model:render{view = 'bogus'}") ==
        "test.lua:1: model:render: view must be flows, sectors, linkage, chain or person, not 'bogus'");
  CHECK(error("model:render{view = 'chain'}") ==
        "test.lua:1: model:render: the chain view needs a result or highlight");
  CHECK(error("model:render{output = '../x.svg'}") ==
        "test.lua:1: model:render: output '../x.svg' must be a relative path without '..' (files go below "
        "--output-dir)");
  CHECK(error("model:render{engine = 'circo'}") ==
        "test.lua:1: model:render: engine must be auto, dot, sfdp, fdp or neato, not 'circo'");
  CHECK(error("model:render{view = 'flows', canvas = '16:10'}") ==
        "test.lua:1: model:render: canvas must be 16:9, 4:3, a4, a4-landscape or WIDTHxHEIGHT with in, mm or "
        "px");
  CHECK(error("model:render{view = 'flows', brief = true}") ==
        "test.lua:1: model:render: brief needs view = \"sectors\"");
  CHECK(error("model:render{view = 'flows', label_width = 7}") ==
        "test.lua:1: model:render: label_width must be between 8 and 200");
  CHECK(error("model:render{output = 'x.jpg'}") ==
        "test.lua:1: model:render: output 'x.jpg' must end in .svg, .png, .pdf or .dot");
  CHECK(error("model:render{view = 'flows', dates = {'2022-01-01', '2020-01-01'}}") ==
        "test.lua:1: model:render: dates must be given from the earliest to the latest");
  CHECK(error("model:render{view = 'flows', dates = {}}") ==
        "test.lua:1: model:render: dates must list 1 to 100 dates");
  CHECK(error("model:render{view = 'flows', dates = {'soon'}}") ==
        "test.lua:1: model:render: dates: 'soon' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
  CHECK(error("model:render{view = 'flows', dates = {'2020'}, at = '2021'}") ==
        "test.lua:1: model:render: give dates or at, not both");
  CHECK(error("model:render{view = 'flows', ghost = true}") ==
        "test.lua:1: model:render: ghost needs dates or steps");
  CHECK(error("model:render{view = 'flows', dates = {'2020'}, steps = true}") ==
        "test.lua:1: model:render: give dates or steps, not both");
  CHECK(error("model:render{view = 'flows', steps = true, lang = 'en'}") ==
        "test.lua:1: model:render: no chain was found, so --steps has no frames to draw");
}

TEST_CASE("model:reach tables are exactly the reach JSON of docs/cli.md from every start") {
  // model:reach builds its tables straight from the result; the other
  // analyses go through the JSON. Both must give the same shape and values.
  LoadResult loaded = load_model(std::string(IMOZURU_SOURCE_DIR) + "/flows");
  REQUIRE(loaded.model);
  const Model& flows_model = *loaded.model;
  for (const Model* model : {&small_model(), &flows_model}) {
    for (const char* date : {"2016-01-01", "2026-01-01"}) {
      ModelAt at(*model, *Date::parse(date), true);
      LinkageGraph graph(at);
      std::vector<EntityRef> starts;
      for (const auto& s : model->systems) starts.push_back({EntityKind::system, s.id});
      for (const auto& i : model->identifiers) starts.push_back({EntityKind::identifier, i.id});
      for (const auto& d : model->data) starts.push_back({EntityKind::data, d.id});
      std::string lua =
          "local starts = {...} for _, s in ipairs(starts) do "
          "imozuru.write(imozuru.to_json(model:reach{from = {s}, include_planned = true}, "
          "{pretty = false})) end";
      std::string expected;
      QueryOptions options;
      options.script_path = "test.lua";
      options.at = *Date::parse(date);
      options.include_planned = true;
      for (const auto& start : starts) {
        options.args.push_back(start.str());
        expected += nlohmann::json(to_json(*model, reach(graph, {start}))).dump() + "\n";
      }
      std::FILE* out = std::tmpfile();
      options.out = out;
      QueryResult result = run_query_text(*model, lua, options);
      INFO(result.message);
      REQUIRE(result.outcome == Outcome::ok);
      std::string got;
      std::rewind(out);
      char buf[4096];
      for (size_t n; (n = std::fread(buf, 1, sizeof buf, out)) > 0;) got.append(buf, n);
      std::fclose(out);
      CHECK(got == expected);
    }
  }
}
