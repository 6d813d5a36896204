// ModelAt keeps its lists in flat arrays (model/index_rows.h) and
// LinkageGraph writes Boost's CSR rows itself: both checked against their
// definitions (tests/support/as_of_definition.h) on the reference model at
// dates across its history, for everyone and for each example person. The
// random models are in chains_random_test.cc.
#include <catch2/catch.hpp>

#include "model/index_rows.h"
#include "support/as_of_definition.h"
#include "support/model_fixture.h"

using namespace imozuru;

namespace {

const char* const kDates[] = {"2010-01-01", "2016-01-01", "2017-07-01", "2020-06-01",
                              "2023-04-01", "2025-01-01", "2027-01-01", "2030-01-01"};

}  // namespace

TEST_CASE("ModelAt: flat holdings, holders and flows equal their definition on the reference model",
          "[as_of][reference]") {
  const Model& m = testing::reference_model();
  std::size_t compared = 0;
  for (const char* date : kDates)
    for (bool planned : {false, true}) {
      INFO("at " << date << (planned ? " with planned" : ""));
      ModelAt at(m, *Date::parse(date), planned);
      compared += testing::check_as_of_by_definition(m, at);
      testing::check_graph_by_definition(LinkageGraph(at));
    }
  CHECK(compared > 1000);
}

TEST_CASE("ModelAt: flat lists equal their definition for each person of the reference model",
          "[as_of][reference][person]") {
  const Model& m = testing::reference_model();
  REQUIRE(!m.persons.empty());
  for (Index p = 0; p < m.persons.size(); ++p)
    for (const char* date : {"2016-01-01", "2023-04-01", "2027-01-01"}) {
      INFO(m.persons[p].id << " at " << date);
      ModelAt at(m, *Date::parse(date), false, p);
      testing::check_as_of_by_definition(m, at);
      testing::check_graph_by_definition(LinkageGraph(at));
    }
}

TEST_CASE("IndexRows: rows from counted pairs keep their order and spans compare by content", "[as_of]") {
  const std::vector<std::pair<std::size_t, Index>> pairs = {{2, 7}, {0, 3}, {2, 1}, {0, 9}, {3, 4}};
  IndexRows rows = IndexRows::counted(5, [&](auto emit) {
    for (const auto& [row, value] : pairs) emit(row, value);
  });
  REQUIRE(rows.rows() == 5);
  CHECK(rows[0] == std::vector<Index>{3, 9});
  CHECK(rows[1].empty());
  CHECK(rows[2] == std::vector<Index>{7, 1});
  CHECK(rows[3] == std::vector<Index>{4});
  CHECK(rows[4].size() == 0);
  CHECK(rows[2].front() == 7);
  CHECK(rows[2].back() == 1);
  CHECK(rows[2][1] == 1);
  CHECK(rows[0].vec() == std::vector<Index>{3, 9});
  CHECK(rows[0] != rows[2]);

  IndexRows built;
  built.values = {5, 6};
  built.end_row();
  built.end_row();
  built.values.push_back(8);
  built.end_row();
  REQUIRE(built.rows() == 3);
  CHECK(built[0] == std::vector<Index>{5, 6});
  CHECK(built[1].empty());
  CHECK(built[2] == std::vector<Index>{8});
}
