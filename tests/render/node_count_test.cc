// The node count --max-nodes checks is the number of nodes the diagram
// builder draws, for every view and every option that narrows a view
// (--sector, --view chain --only).
#include <graphviz/cgraph.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "model/as_of.h"
#include "model/chains.h"
#include "model/load.h"
#include "model/reach.h"
#include "render/diagram.h"
#include "render/highlight.h"
#include "render/render.h"
#include "render_support.h"
#include "small_model.h"
#include "support/model_fixture.h"

using namespace imozuru;
using namespace imozuru::render;
namespace fs = std::filesystem;
using testing_support::slurp;

namespace {

Date d(const char* s) { return *Date::parse(s); }

using testing::reference_model;

EntityRef ref(const char* text) { return *EntityRef::parse(text); }

// What `count_nodes` says, what the builder says it drew, and the nodes in
// the DOT text it wrote: all three must agree.
void check_count(const ModelAt& at, const RenderOptions& o) {
  const std::size_t counted = count_nodes(at, o);
  Diagram diagram = build_diagram(at, o);
  CHECK(diagram.nodes == counted);
  GraphvizGraph parsed = GraphvizGraph::parse(diagram.graph.dot());
  CHECK(static_cast<std::size_t>(agnnodes(parsed.get())) == counted);
}

// The sectors of the systems active at a date.
std::set<std::string> sectors(const ModelAt& at) {
  std::set<std::string> out;
  for (Index s : at.systems()) out.insert(at.model().systems[s].sector);
  return out;
}

}  // namespace

TEST_CASE("max-nodes: --sector narrows the count to the systems drawn", "[render][limits]") {
  ModelAt at(reference_model(), d("2026-01-01"));
  RenderOptions o;
  o.view = View::flows;
  o.sector = "tax";
  // The tax systems and the partners they exchange flows with; the whole
  // flows view has 69.
  CHECK(count_nodes(at, o) == 6);
  o.max_nodes = 30;
  std::string dot;
  REQUIRE_NOTHROW(dot = diagram_dot(at, o));
  CHECK(agnnodes(GraphvizGraph::parse(dot).get()) == 6);
  o.max_nodes = 5;
  CHECK_THROWS_WITH(
      diagram_dot(at, o),
      "the flows view would draw 6 nodes, more than --max-nodes 5; narrow it (--at, --sector, --view "
      "sectors, --view chain --only) or raise --max-nodes");
}

TEST_CASE("the node count is what the builder draws, for every view", "[render][limits]") {
  for (const char* date : {"2016-01-01", "2026-01-01"}) {
    for (bool planned : {false, true}) {
      ModelAt at(reference_model(), d(date), planned);
      INFO("reference model at " << date << (planned ? " with planned" : ""));
      for (View view : {View::flows, View::sectors, View::linkage}) {
        INFO("view " << to_string(view));
        RenderOptions o;
        o.view = view;
        check_count(at, o);
      }
      for (const std::string& sector : sectors(at)) {
        INFO("flows of sector " << sector);
        RenderOptions o;
        o.sector = sector;
        check_count(at, o);
      }
      LinkageGraph graph(at);
      RenderOptions reach_view;
      reach_view.view = View::chain;
      reach_view.highlight = highlight_of(at.model(), reach(graph, {ref("identifier:my_number")}), Lang::ja);
      ChainOptions k3;
      k3.k = 3;
      RenderOptions chains_view = reach_view;
      chains_view.highlight = highlight_of(
          at.model(), chains(graph, ref("identifier:my_number"), ref("data:medical_expenses"), k3), Lang::ja);
      for (RenderOptions o : {reach_view, chains_view}) {
        for (bool only : {false, true}) {
          INFO("chain view, " << o.highlight->caption << (only ? ", only" : ""));
          o.highlight->only = only;
          check_count(at, o);
        }
      }
    }
  }
  Model small = testing::small_model();
  ModelAt at(small, d("2024-01-01"), true);
  for (View view : {View::flows, View::sectors, View::linkage}) {
    RenderOptions o;
    o.view = view;
    check_count(at, o);
  }
}

TEST_CASE("imozuru render --sector --max-nodes counts the nodes it draws", "[render][cli][limits]") {
  fs::path dir = testing_support::temp_dir("node_count_test");
  fs::path out = dir / "tax.svg";
  const std::string base = std::string(IMOZURU_BINARY) + " render " + IMOZURU_SOURCE_DIR +
                           "/flows --view flows --sector tax --at 2026-01-01 -o " + out.string() + " 2>" +
                           (dir / "err.txt").string();
  int status = std::system((base + " --max-nodes 30").c_str());
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(slurp(out).find("<svg") != std::string::npos);
  status = std::system((base + " --max-nodes 5").c_str());
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(slurp(dir / "err.txt").find("the flows view would draw 6 nodes, more than --max-nodes 5") !=
        std::string::npos);
  fs::remove_all(dir);
}
