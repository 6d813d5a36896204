#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "export/export.h"
#include "model/as_of.h"
#include "tests/export/export_fixture.h"

using namespace imozuru;
using nlohmann::json;

TEST_CASE("JSON: active entities with every field and their effective holdings, re-parsed") {
  Model m = test::export_model();
  std::string text = export_json(ModelAt(m, test::date("2026-01-01")));
  REQUIRE(text.back() == '\n');
  json j = json::parse(text);

  CHECK(j["format"] == "imozuru-model-at");
  CHECK(j["at"] == "2026-01-01");
  CHECK(j["include_planned"] == false);
  REQUIRE(j["systems"].size() == 2);  // portal is planned
  const json& insurer = j["systems"][0];
  CHECK(insurer["id"] == "insurer");
  CHECK(insurer["name"] == "保険者 \"DB\", 本店");
  CHECK(insurer["kind"] == "database");
  CHECK(insurer["operator"].is_null());
  CHECK(insurer["holds"] == json{{"identifiers", {"link_code"}}, {"data", {"claims"}}});
  CHECK(insurer["effective_holdings"] ==
        json{{"identifiers", {"link_code", "my_number"}}, {"data", {"claims", "name"}}});
  const json& jumin = j["systems"][1];
  CHECK(jumin["note"] == test::kHostile);  // JSON keeps every byte, CR included
  CHECK(jumin["effective_holdings"]["identifiers"] == json{"basic2", "my_number"});

  REQUIRE(j["identifiers"].size() == 3);
  const json& my_number = j["identifiers"][2];
  CHECK(my_number["id"] == "my_number");
  CHECK(my_number["visible"] == true);
  CHECK(my_number["scope"] == "global");
  CHECK(my_number["regulated_by"] == json{"bangou_law"});
  CHECK(my_number["holders"] == json{"insurer", "jumin"});
  CHECK(my_number["match_error"].is_null());
  CHECK(j["identifiers"][0]["composed_of"] == json{"address", "name"});

  CHECK(j["data"][1]["id"] == "claims");
  CHECK(j["data"][1]["sensitivity"] == "special");
  CHECK(j["data"][1]["since"] == "2021-10");

  REQUIRE(j["flows"].size() == 1);
  CHECK(j["flows"][0]["consent"] == "opt_out");
  CHECK(j["flows"][0]["carries"] == json{{"identifiers", {"my_number"}}, {"data", {"name"}}});
  CHECK(j["laws"][0]["article"] == "第19条");
}

TEST_CASE("JSON: byte-stable, and the date filters entities and holdings") {
  Model m = test::export_model();
  ModelAt at(m, test::date("2026-01-01"));
  CHECK(export_json(at) == export_json(at));
  CHECK(export_json(at) == export_json(ModelAt(test::export_model(), test::date("2026-01-01"))));

  json before = json::parse(export_json(ModelAt(m, test::date("2020-06-01"))));
  CHECK(before["data"].size() == 2);  // claims starts 2021-10
  CHECK(before["systems"][0]["effective_holdings"]["data"] == json{"name"});

  json planned = json::parse(export_json(ModelAt(m, test::date("2026-01-01"), true)));
  CHECK(planned["include_planned"] == true);
  REQUIRE(planned["systems"].size() == 3);
  CHECK(planned["systems"][2]["id"] == "portal");
  CHECK(planned["systems"][2]["status"] == "planned");
}
