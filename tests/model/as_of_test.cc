#include "model/as_of.h"

#include <catch2/catch.hpp>

using namespace imozuru;

namespace {

Date d(const char* s) { return *Date::parse(s); }

Ref ref(const char* id) {
  Ref r;
  r.id = id;
  return r;
}

// Two systems and a flow, with references resolved by hand.
Model small_model() {
  Model m;
  DataItem name;
  name.id = "name";
  DataItem address;
  address.id = "address";
  DataItem claims;
  claims.id = "claims";
  claims.sensitivity = Sensitivity::special;
  claims.since = d("2021-10");
  m.data = {address, claims, name};

  Identifier mn;
  mn.id = "my_number";
  Identifier basic;
  basic.id = "basic2";
  basic.kind = IdentifierKind::quasi;
  basic.composed_of = {ref("name"), ref("address")};
  m.identifiers = {basic, mn};

  System a;
  a.id = "a";
  a.holds.identifiers = {ref("my_number")};
  a.holds.data = {ref("name")};
  System b;
  b.id = "b";
  b.holds.data = {ref("address")};
  System planned;
  planned.id = "p";
  planned.status = Status::planned;
  planned.since = d("2020");
  m.systems = {a, b, planned};

  Flow f;
  f.id = "a_to_b";
  f.from = ref("a");
  f.to = ref("b");
  f.carries.identifiers = {ref("my_number")};
  f.carries.data = {ref("name"), ref("claims")};
  f.since = d("2017-07-18");
  f.until = d("2030");
  m.flows = {f};

  m.build_index();
  auto resolve = [&](Ref& r, EntityKind k) { r.index = m.find(EntityRef{k, r.id}); };
  for (auto& s : m.systems) {
    for (auto& r : s.holds.identifiers) resolve(r, EntityKind::identifier);
    for (auto& r : s.holds.data) resolve(r, EntityKind::data);
  }
  for (auto& i : m.identifiers)
    for (auto& r : i.composed_of) resolve(r, EntityKind::data);
  for (auto& fl : m.flows) {
    resolve(fl.from, EntityKind::system);
    resolve(fl.to, EntityKind::system);
    for (auto& r : fl.carries.identifiers) resolve(r, EntityKind::identifier);
    for (auto& r : fl.carries.data) resolve(r, EntityKind::data);
  }
  return m;
}

std::vector<std::string> ids_of(const Model& m, IndexSpan v, EntityKind kind) {
  std::vector<std::string> out;
  for (Index i : v) {
    if (kind == EntityKind::identifier) out.push_back(m.identifiers[i].id);
    if (kind == EntityKind::data) out.push_back(m.data[i].id);
    if (kind == EntityKind::system) out.push_back(m.systems[i].id);
  }
  return out;
}

}  // namespace

TEST_CASE("dates parse in three precisions and reject impossible days", "[date]") {
  CHECK(d("2021").iso() == "2021-01-01");
  CHECK(d("2021-10").iso() == "2021-10-01");
  CHECK(d("2024-02-29").iso() == "2024-02-29");
  CHECK(d("2021-10").written() == "2021-10");
  CHECK_FALSE(Date::parse("2023-02-29"));
  CHECK_FALSE(Date::parse("2023-13"));
  CHECK_FALSE(Date::parse("2023-1-01"));
  CHECK_FALSE(Date::parse("21"));
  CHECK_FALSE(Date::parse("2023-01-01x"));
  CHECK_FALSE(Date::parse("0000"));
}

TEST_CASE("an entity is active on since <= d < until, partial dates mean their first day", "[as_of]") {
  Entity e;
  e.since = d("2017-07");
  e.until = d("2030");
  CHECK_FALSE(is_active(e, d("2017-06-30"), false));
  CHECK(is_active(e, d("2017-07-01"), false));
  CHECK(is_active(e, d("2029-12-31"), false));
  CHECK_FALSE(is_active(e, d("2030-01-01"), false));
}

TEST_CASE("planned and proposed entities are active only when asked, abolished ones until their end",
          "[as_of]") {
  Entity e;
  e.since = d("2026");
  e.status = Status::planned;
  CHECK_FALSE(is_active(e, d("2027"), false));
  CHECK(is_active(e, d("2027"), true));
  CHECK_FALSE(is_active(e, d("2025"), true));
  e.status = Status::abolished;
  e.until = d("2028");
  CHECK(is_active(e, d("2027"), false));
  CHECK_FALSE(is_active(e, d("2028"), false));
}

TEST_CASE("effective holdings add what active flows carry in, less inactive items", "[as_of]") {
  Model m = small_model();
  Index b = m.find_system("b");

  ModelAt before(m, d("2017-07-17"));
  CHECK(ids_of(m, before.identifiers_of(b), EntityKind::identifier).empty());
  CHECK(ids_of(m, before.data_of(b), EntityKind::data) == std::vector<std::string>{"address"});

  ModelAt flowing(m, d("2017-07-18"));
  CHECK(ids_of(m, flowing.identifiers_of(b), EntityKind::identifier) ==
        std::vector<std::string>{"basic2", "my_number"});
  // claims is carried, but the data item itself only exists from 2021-10.
  CHECK(ids_of(m, flowing.data_of(b), EntityKind::data) == std::vector<std::string>{"address", "name"});

  ModelAt later(m, d("2021-10-01"));
  CHECK(ids_of(m, later.data_of(b), EntityKind::data) ==
        std::vector<std::string>{"address", "claims", "name"});
  CHECK(ids_of(m, later.holders_of_identifier(m.find_identifier("my_number")), EntityKind::system) ==
        std::vector<std::string>{"a", "b"});
}

TEST_CASE("a quasi identifier is held where all of its components are", "[as_of]") {
  Model m = small_model();
  ModelAt at(m, d("2020"));
  Index basic = m.find_identifier("basic2");
  // a holds name only; b holds address and receives name from a.
  CHECK_FALSE(at.holds_identifier(m.find_system("a"), basic));
  CHECK(at.holds_identifier(m.find_system("b"), basic));
}

TEST_CASE("flows are active only while both their systems are", "[as_of]") {
  Model m = small_model();
  m.flows[0].to.id = "p";
  m.flows[0].to.index = m.find_system("p");
  ModelAt without(m, d("2021"));
  CHECK(without.flows().empty());
  CHECK_FALSE(without.system_active(m.find_system("p")));
  ModelAt with(m, d("2021"), /*include_planned=*/true);
  CHECK(with.flows().size() == 1);
  CHECK(with.flows_in(m.find_system("p")).size() == 1);
  CHECK(with.flows_out(m.find_system("a")).size() == 1);
}

TEST_CASE("entity references parse as kind:id", "[model]") {
  auto r = EntityRef::parse("identifier:my_number");
  REQUIRE(r);
  CHECK(r->kind == EntityKind::identifier);
  CHECK(r->id == "my_number");
  CHECK(r->str() == "identifier:my_number");
  CHECK_FALSE(EntityRef::parse("law:x"));
  CHECK_FALSE(EntityRef::parse("system:"));
  CHECK_FALSE(EntityRef::parse("my_number"));
}

TEST_CASE("a copied model finds its entities by id", "[model]") {
  Model m = small_model();
  Model copy = m;
  m = Model();
  CHECK(copy.find_system("b") == 1);
  CHECK(copy.find_identifier("my_number") == 1);
}
