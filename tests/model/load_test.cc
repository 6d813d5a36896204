// Loading valid models: every kind and field, directory merging, resolved
// references, dates, and the model at a date on a YAML-loaded model.
#include "model/load.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/as_of.h"
#include "support/temp_tree.h"

using namespace imozuru;
namespace fs = std::filesystem;

namespace {

const std::string kFixtures = IMOZURU_FIXTURES "/loader";

std::string printed(const Diagnostics& d) {
  std::ostringstream out;
  d.print(out);
  return out.str();
}

Model load_ok(const std::string& text) {
  LoadResult r = load_model_text(text, "m.yaml");
  INFO(printed(r.diagnostics));
  REQUIRE(r.model);
  return std::move(*r.model);
}

Date d(const char* s) { return *Date::parse(s); }

fs::path temp_dir(const std::string& name) { return testing::fresh_temp_dir("imozuru_load_test_", name); }

void write(const fs::path& p, const std::string& text) { testing::write_tree_file(p, text); }

std::vector<std::string> ids_of(const std::vector<System>& v) {
  std::vector<std::string> out;
  for (const auto& e : v) out.push_back(e.id);
  return out;
}

}  // namespace

TEST_CASE("the documented example loads with every field", "[load]") {
  LoadResult r = load_model(kFixtures + "/example.yaml");
  INFO(printed(r.diagnostics));
  REQUIRE(r.model);
  CHECK(r.diagnostics.error_count() == 0);
  CHECK(r.diagnostics.warning_count() == 0);
  const Model& m = *r.model;

  REQUIRE(m.info);
  CHECK(m.info->name == "マイナンバー連携の例");
  CHECK(m.info->name_en == "A My Number linkage example");
  CHECK(m.model_name(Lang::en) == "A My Number linkage example");
  CHECK(m.model_name() == "マイナンバー連携の例");
  CHECK(m.info->default_lang == Lang::ja);

  REQUIRE(m.sources.size() == 1);
  const Source& src = m.sources[0];
  CHECK(src.title == "マイナンバー制度の概要");
  CHECK(src.name == src.title);  // name defaults to title
  CHECK(src.author == "デジタル庁");
  CHECK(src.date == "2023-04");
  CHECK(src.url == "https://www.digital.go.jp/");
  CHECK(src.publisher == "デジタル庁");

  REQUIRE(m.actors.size() == 2);
  CHECK(m.actors[m.find_actor("city")].kind == ActorKind::local_government);
  CHECK(m.actors[m.find_actor("digital_agency")].name_en == "Digital Agency");

  REQUIRE(m.laws.size() == 1);
  const Law& law = m.laws[0];
  CHECK(law.article == "19");
  CHECK(law.since == d("2015-10-05"));
  REQUIRE(law.sources.size() == 1);
  CHECK(law.sources[0].source == "digital_agency_2023");
  CHECK(law.sources[0].at == "p. 3");
  CHECK(law.sources[0].source_index == 0);

  const Identifier& mn = m.identifiers[m.find_identifier("my_number")];
  CHECK(mn.kind == IdentifierKind::national);
  CHECK(mn.visible);
  CHECK(mn.universal);
  CHECK(mn.unique);
  CHECK(mn.scope == Scope::global);
  REQUIRE(mn.issuer);
  CHECK(mn.issuer->index == m.find_system("resident_registry"));
  REQUIRE(mn.regulated_by.size() == 1);
  CHECK(mn.regulated_by[0].index == m.find_law("mynumber_act_19"));
  CHECK(mn.since->precision == Date::Precision::month);

  const Identifier& link = m.identifiers[m.find_identifier("link_code")];
  CHECK(link.scope == Scope::holder);
  CHECK_FALSE(link.visible);

  const Identifier& basic = m.identifiers[m.find_identifier("basic2")];
  CHECK(basic.kind == IdentifierKind::quasi);
  REQUIRE(basic.composed_of.size() == 2);
  CHECK(basic.composed_of[0].index == m.find_data("name"));
  CHECK(basic.composed_of[1].index == m.find_data("address"));
  REQUIRE(basic.match_error);
  CHECK(*basic.match_error == Approx(0.02));

  const DataItem& claims = m.data[m.find_data("medical_claims")];
  CHECK(claims.sensitivity == Sensitivity::special);
  CHECK(claims.category == "health");
  CHECK(m.data[m.find_data("name")].sensitivity == Sensitivity::normal);

  const System& registry = m.systems[m.find_system("resident_registry")];
  CHECK(registry.sector == "local_government");
  CHECK(registry.kind == SystemKind::registry);
  REQUIRE(registry.operator_);
  CHECK(registry.operator_->index == m.find_actor("city"));
  REQUIRE(registry.holds.identifiers.size() == 2);
  CHECK(registry.holds.identifiers[0].index == m.find_identifier("my_number"));
  CHECK(registry.holds.identifiers[1].index == m.find_identifier("link_code"));
  REQUIRE(registry.holds.data.size() == 2);
  CHECK(registry.holds.data[1].index == m.find_data("address"));
  CHECK(m.systems[m.find_system("future_app")].status == Status::planned);
  CHECK(m.systems[m.find_system("hub")].kind == SystemKind::hub);

  const Flow& f = m.flows[m.find_flow("registry_to_hub")];
  CHECK(f.from.index == m.find_system("resident_registry"));
  CHECK(f.to.index == m.find_system("hub"));
  REQUIRE(f.key);
  CHECK(f.key->index == m.find_identifier("link_code"));
  REQUIRE(f.basis.size() == 1);
  CHECK(f.basis[0].index == m.find_law("mynumber_act_19"));
  CHECK(f.consent == Consent::none);
  CHECK(f.mode == "pull");
  CHECK(f.purpose == "情報連携");
  CHECK(f.carries.data.size() == 2);
  const Flow& g = m.flows[m.find_flow("hub_to_portal")];
  CHECK(g.consent == Consent::card);
  CHECK(g.until == d("2030"));

  // Vectors are sorted by id.
  CHECK(ids_of(m.systems) == std::vector<std::string>{"future_app", "hub", "portal", "resident_registry"});
}

TEST_CASE("positions are 1-based lines and character columns", "[load]") {
  Model m = load_ok(
      "systems:\n"
      "  - {name: 住民基本台帳, id: registry, sector: x, sources: [s]}\n"
      "sources:\n"
      "  - id: s\n"
      "    title: t\n");
  const System& s = m.systems[0];
  CHECK(s.pos.file() == "m.yaml");
  CHECK(s.pos.line == 2);
  // "  - {name: 住民基本台帳, id: " is 23 characters (35 bytes).
  CHECK(s.pos.column == 24);
  CHECK(m.sources[0].pos.line == 4);
  CHECK(m.sources[0].pos.column == 9);
}

TEST_CASE("defaults when optional fields are absent", "[load]") {
  Model m = load_ok(
      "identifiers: [{id: i, name: I, kind: service}]\n"
      "systems: [{id: s, name: S, sector: x}, {id: t, name: T, sector: x}]\n"
      "data: [{id: d, name: D}]\n"
      "actors: [{id: a, name: A}]\n"
      "flows: [{id: f, name: F, from: s, to: t}]\n"
      "laws: []\n"
      "sources:\n");
  const Identifier& i = m.identifiers[0];
  CHECK_FALSE(i.visible);
  CHECK_FALSE(i.universal);
  CHECK_FALSE(i.unique);
  CHECK(i.scope == Scope::global);
  CHECK(i.regulated_by.empty());
  CHECK_FALSE(i.match_error);
  CHECK(i.status == Status::operational);
  CHECK_FALSE(i.since);
  CHECK_FALSE(i.until);
  CHECK(m.systems[0].kind == SystemKind::database);
  CHECK_FALSE(m.systems[0].operator_);
  CHECK(m.data[0].sensitivity == Sensitivity::normal);
  CHECK(m.flows[0].consent == Consent::none);
  CHECK_FALSE(m.flows[0].key);
  CHECK_FALSE(m.info);
}

TEST_CASE("a directory merges every yaml and yml file below it, in any order", "[load][directory]") {
  const std::string systems =
      "systems:\n"
      "  - {id: a, name: A, sector: x, holds: {identifiers: [i]}, sources: [s]}\n"
      "  - {id: b, name: B, sector: y, holds: {identifiers: [i]}, sources: [s]}\n";
  const std::string rest =
      "identifiers: [{id: i, name: I, kind: national, sources: [s]}]\n"
      "flows: [{id: f, name: F, from: a, to: b, carries: {identifiers: [i]}, sources: [s]}]\n"
      "sources: [{id: s, title: T}]\n";
  fs::path one = temp_dir("merge1"), two = temp_dir("merge2");
  write(one / "a.yaml", systems);
  write(one / "sub" / "deeper" / "b.yml", rest);
  write(one / "notes.txt", "not: [a model");  // ignored: not *.yaml / *.yml
  write(two / "a.yml", rest);
  write(two / "z" / "b.yaml", systems);

  LoadResult r1 = load_model(one), r2 = load_model(two);
  INFO(printed(r1.diagnostics) << printed(r2.diagnostics));
  REQUIRE(r1.model);
  REQUIRE(r2.model);
  for (const Model* m : {&*r1.model, &*r2.model}) {
    CHECK(ids_of(m->systems) == std::vector<std::string>{"a", "b"});
    REQUIRE(m->flows.size() == 1);
    CHECK(m->flows[0].from.index == 0);
    CHECK(m->flows[0].to.index == 1);
    CHECK(m->systems[1].holds.identifiers[0].index == 0);
  }
  CHECK(r1.model->systems[0].pos.file() == (one / "a.yaml").string());
  CHECK(r2.model->systems[0].pos.file() == (two / "z" / "b.yaml").string());
}

TEST_CASE("list_model_files: every yaml and yml file below a directory, sorted; too many; none",
          "[load][directory]") {
  fs::path dir = temp_dir("list");
  write(dir / "z.yaml", "");
  write(dir / "b" / "c.yml", "");
  write(dir / "a.yml", "");
  write(dir / "notes.txt", "");
  fs::create_directories(dir / "d.yaml");  // a directory named like a model file is not one
  ModelFileList list = list_model_files(dir, {});
  CHECK(list.problem == ModelFileList::Problem::none);
  CHECK(list.files == std::vector<fs::path>{dir / "a.yml", dir / "b" / "c.yml", dir / "z.yaml"});

  LoadLimits two;
  two.max_files = 2;
  CHECK(list_model_files(dir, two).problem == ModelFileList::Problem::too_many);
  LoadLimits three;
  three.max_files = 3;
  CHECK(list_model_files(dir, three).problem == ModelFileList::Problem::none);

  fs::path empty = temp_dir("list_empty");
  write(empty / "readme.md", "");
  CHECK(list_model_files(empty, {}).problem == ModelFileList::Problem::empty);
  ModelFileList missing = list_model_files(empty / "missing", {});
  CHECK(missing.problem == ModelFileList::Problem::unreadable);
  CHECK(missing.error);
}

TEST_CASE("dates: since is inclusive, until exclusive, partial dates mean their first day", "[load][dates]") {
  Model m = load_ok(
      "systems:\n"
      "  - {id: s, name: S, sector: x, since: 2021-10, until: 2024}\n"
      "  - {id: t, name: T, sector: x, since: 2020-02-29, status: abolished, until: 2020-03-01}\n"
      "  - {id: p, name: P, sector: x, status: planned, since: 2026}\n");
  const System& s = m.systems[m.find_system("s")];
  CHECK(*s.since == d("2021-10-01"));
  CHECK(*s.until == d("2024-01-01"));
  CHECK_FALSE(is_active(s, d("2021-09-30"), false));
  CHECK(is_active(s, d("2021-10-01"), false));
  CHECK(is_active(s, d("2023-12-31"), false));
  CHECK_FALSE(is_active(s, d("2024-01-01"), false));
  const System& t = m.systems[m.find_system("t")];
  CHECK(is_active(t, d("2020-02-29"), false));
  CHECK_FALSE(is_active(t, d("2020-03-01"), false));
  const System& p = m.systems[m.find_system("p")];
  CHECK_FALSE(is_active(p, d("2026-06-01"), false));
  CHECK(is_active(p, d("2026-06-01"), true));
  CHECK_FALSE(is_active(p, d("2025-12-31"), true));
}

TEST_CASE("effective holdings and quasi identifiers on a loaded model", "[load][as_of]") {
  LoadResult r = load_model(kFixtures + "/example.yaml");
  REQUIRE(r.model);
  const Model& m = *r.model;
  const Index hub = m.find_system("hub"), portal = m.find_system("portal"),
              registry = m.find_system("resident_registry");
  const Index basic2 = m.find_identifier("basic2"), link = m.find_identifier("link_code");

  ModelAt before(m, d("2017-06-30"));
  CHECK_FALSE(before.system_active(hub));
  // The registry holds name and address, so the quasi identifier 基本2情報.
  CHECK(before.holds_identifier(registry, basic2));

  ModelAt later(m, d("2018-01-01"));
  CHECK(later.system_active(hub));
  // The hub keeps what the registry flow carries: name, address → basic2.
  CHECK(later.holds_data(hub, m.find_data("name")));
  CHECK(later.holds_identifier(hub, basic2));
  CHECK(later.holds_identifier(hub, link));
  CHECK(later.holds_data(portal, m.find_data("medical_claims")));
  CHECK_FALSE(later.holds_identifier(portal, basic2));

  ModelAt after(m, d("2030-01-01"));
  CHECK_FALSE(after.flow_active(m.find_flow("hub_to_portal")));
  CHECK_FALSE(after.system_active(m.find_system("future_app")));
  ModelAt planned(m, d("2030-01-01"), true);
  CHECK(planned.system_active(m.find_system("future_app")));
}
