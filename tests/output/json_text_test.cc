// json_text (what the CLI prints for --format json) writes the same bytes as
// dump_json(to_json(...)), the JSON document it no longer builds: every
// analysis on the reference model at several dates, in both languages, and
// hand-written values that exercise the layout and the escaping.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "model/linkage_graph.h"
#include "output/analysis_json.h"
#include "support/model_fixture.h"

using namespace imozuru;

TEST_CASE("json_text: the same bytes as the JSON document for every analysis of the reference model",
          "[json][reference]") {
  const Model& m = testing::reference_model();
  int compared = 0;
  for (const char* date : {"2016-01-01", "2021-09-01", "2025-01-01"}) {
    INFO("at " << date);
    const ModelAt at(m, *Date::parse(date));
    const LinkageGraph graph(at);
    for (Index i = 0; i < m.identifiers.size(); i += 3) {
      const ReachResult r = reach(graph, {EntityRef{EntityKind::identifier, m.identifiers[i].id}});
      CHECK(json_text(m, r, Lang::ja) == dump_json(to_json(m, r)));
      ReachOptions open;
      open.open_only = true;
      open.max_match_error = 0.01;
      const ReachResult o = reach(graph, {EntityRef{EntityKind::identifier, m.identifiers[i].id}}, open);
      CHECK(json_text(m, o, Lang::en) == dump_json(to_json(m, o)));
      compared += 2;
    }
    for (Index s = 0; s + 7 < m.systems.size(); s += 7) {
      const EntityRef from{EntityKind::system, m.systems[s].id}, to{EntityKind::system, m.systems[s + 7].id};
      const ChainsResult c = chains(graph, from, to, ChainOptions{3, 20});
      CHECK(json_text(m, c, Lang::ja) == dump_json(to_json(m, c)));
      ++compared;
      for (Index d = 0; d < m.data.size(); d += 5) {
        const DownstreamResult r = downstream(at, s, d);
        CHECK(json_text(m, r, Lang::en) == dump_json(to_json(m, r)));
        ++compared;
      }
    }
    for (Lang lang : {Lang::ja, Lang::en}) {
      const GapsResult g = find_gaps(at);
      CHECK(json_text(m, g, lang) == dump_json(to_json(m, g, lang)));
      const DiffResult d = diff(m, *Date::parse("2014-01-01"), *Date::parse(date));
      CHECK(json_text(m, d, lang) == dump_json(to_json(m, d, lang)));
      DiffOptions few;
      few.max_pairs = 3;
      const DiffResult t = diff(m, *Date::parse(date), *Date::parse("2030-01-01"), few);
      CHECK(json_text(m, t, lang) == dump_json(to_json(m, t, lang)));
      compared += 3;
    }
  }
  CHECK(compared > 100);
}

TEST_CASE("json_text: layout, numbers and escaping as nlohmann::json writes them", "[json]") {
  auto same = [](const std::function<void(ResultWriter&)>& write) {
    const std::string text = json_text_from(write);
    CHECK(text == dump_json(json_from(write)));
    return text;
  };
  CHECK(same([](ResultWriter& w) {
          w.begin_object(0);
          w.end();
        }) == "{}\n");
  CHECK(same([](ResultWriter& w) {
          w.begin_array(0);
          w.end();
        }) == "[]\n");
  CHECK(same([](ResultWriter& w) { w.string("top"); }) == "\"top\"\n");
  same([](ResultWriter& w) {
    w.begin_object(9);
    w.key("empty object");
    w.begin_object(0);
    w.end();
    w.key("empty array");
    w.begin_array(0);
    w.end();
    w.key("nested");
    w.begin_array(3);
    w.begin_object(2);
    w.key("a");
    w.integer(-42);
    w.key("b");
    w.boolean(false);
    w.end();
    w.begin_array(1);
    w.begin_array(0);
    w.end();
    w.end();
    w.boolean(true);
    w.end();
    w.key("numbers");
    w.begin_array(7);
    for (double v : {0.0, 1.0, 0.1, -2.5e-7, 1e300, std::numeric_limits<double>::quiet_NaN(),
                     std::numeric_limits<double>::infinity()})
      w.number(v);
    w.end();
    w.key("integers");
    w.begin_array(3);
    w.integer(0);
    w.integer(std::numeric_limits<long long>::max());
    w.integer(std::numeric_limits<long long>::min());
    w.end();
    w.key("strings");
    w.begin_array(9);
    for (std::string_view s : {std::string_view(""), std::string_view("plain ascii ~"),
                               std::string_view("quote \" and \\ backslash"),
                               std::string_view("tab\tnewline\nreturn\r"), std::string_view("\x01\x1f\x7f"),
                               std::string_view("日本語の名前"), std::string_view("bad \xff\xfe utf-8"),
                               std::string_view("cut \xe6\x97"), std::string_view("nul \0 inside", 13)})
      w.string(s);
    w.end();
    w.key("key \"quoted\" 日本");
    w.date(*Date::parse("2024-02"));
    w.key("ref");
    w.ref(EntityKind::identifier, "my_number");
    w.key("odd ref");
    w.ref(EntityKind::system, "s\"1\xff");
    w.end();
  });
}
