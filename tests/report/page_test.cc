// imozuru html's data for what issues 14 and 15 ask of the page: the consent
// gaps of every date (the engine's, in words, stored once per distinct row
// and list), whether each identifier is restricted at each date (open
// reach), and the page for one person; and what issue 17 asks: the persons
// of the selector (what `imozuru person` finds at each date), the systems
// linked to nothing (listed apart), and a time-lapse's frames.
// tests/browser/page.test.mjs checks what the page shows from this data.
#include "report/page.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "model/as_of.h"
#include "model/gaps.h"
#include "model/load.h"
#include "model/person.h"
#include "output/legal_text.h"

namespace imozuru {
namespace {

using Json = nlohmann::json;

const std::string kPeople = IMOZURU_SOURCE_DIR "/tests/report/fixtures/people.yaml";

const Model& people() {
  static const Model model = [] {
    LoadResult r = load_model(kPeople);
    REQUIRE(r.model);
    return std::move(*r.model);
  }();
  return model;
}

report::PageOptions page_options(const char* at, Lang lang = Lang::ja, Index person = kNone) {
  report::PageOptions o;
  o.at = *Date::parse(at);
  o.lang = lang;
  o.person = person;
  return o;
}

std::vector<std::string> iso(const std::vector<Date>& dates) {
  std::vector<std::string> out;
  for (const Date& d : dates) out.push_back(d.iso());
  return out;
}

std::size_t date_index(const Json& j, const std::string& date) {
  for (std::size_t k = 0; k < j["dates"].size(); ++k)
    if (j["dates"][k] == date) return k;
  FAIL("no date " << date);
  return 0;
}

bool on_at(const Json& runs, std::size_t k) {
  for (std::size_t r = 0; r + 1 < runs.size(); r += 2)
    if (runs[r].get<std::size_t>() <= k && k < runs[r + 1].get<std::size_t>()) return true;
  return false;
}

// The rows the page lists at date index k, in stored order.
std::vector<Json> gaps_at(const Json& j, std::size_t k) {
  std::vector<Json> out;
  for (const auto& row : j["gap_rows"])
    if (on_at(row["on"], k)) out.push_back(row);
  return out;
}

}  // namespace

TEST_CASE("page gaps are the engine's at every date with the report's words", "[html][gaps]") {
  const Model& m = people();
  for (Lang lang : {Lang::ja, Lang::en}) {
    auto j = Json::parse(report::page_data_json(m, page_options("2025-01-01", lang)));
    const auto dates = report::date_boundaries(m, *Date::parse("2025-01-01"), false);
    REQUIRE(j["dates"].size() == dates.size());
    for (std::size_t k = 0; k < dates.size(); ++k) {
      ModelAt at(m, dates[k], false);
      GapsResult engine = find_gaps(at);
      std::vector<Json> rows = gaps_at(j, k);
      REQUIRE(rows.size() == engine.gaps.size());
      for (std::size_t g = 0; g < rows.size(); ++g) {
        const Gap& gap = engine.gaps[g];
        INFO(dates[k].iso() << " " << gap_key(m, gap));
        CHECK(rows[g]["key"] == gap_key(m, gap));
        CHECK(rows[g]["reason"] == gap_reason(m, gap, lang));
        CHECK(rows[g]["subject"] == gap_subject(m, gap, lang));
        CHECK(rows[g]["laws"] == gap_laws_text(m, gap, lang));
        CHECK(rows[g]["severity"] == std::string(to_string(gap.severity())));
        CHECK(rows[g]["open"] == gap_is_open(m, gap));
      }
    }
  }
}

TEST_CASE("page gap rows say the rule, consent, laws in force, sources and the assessment", "[html][gaps]") {
  const Model& m = people();
  auto j = Json::parse(report::page_data_json(m, page_options("2025-01-01")));
  auto claims_at = [&](const std::string& date) {
    for (const Json& row : gaps_at(j, date_index(j, date)))
      if (row["key"] == "unconsented-sensitive:flow:claims") return row;
    FAIL("no claims gap at " << date);
    return Json();
  };
  // Before the review of 2024-01-01 the gap is open; after it, closed with
  // the decision, its justification and the laws it relies on.
  Json before = claims_at("2022-04-01");
  CHECK(before["open"] == true);
  CHECK(before["rule_label"] == "要配慮情報を本人の選択なしに提供");
  CHECK(before["severity_text"] == "高");
  CHECK(before["consent"] == "同意なし");
  CHECK(before["laws"] == "健康保険法（施行中）");
  CHECK(before["data"] == Json::array({"レセプト"}));
  CHECK(before["systems"] == Json::array({m.find_system("clinic"), m.find_system("insurer")}));
  CHECK(before["sources"] == "検討メモ（p.5）; 検討メモ");
  CHECK_FALSE(before.contains("decision"));
  Json after = claims_at("2024-01-01");
  CHECK(after["open"] == false);
  CHECK(after["decision"] == "受容（適法・許容） (claims_review)");
  CHECK(after["justification"] == "保険請求は法令に基づく提供で本人同意を要しない");
  CHECK(after["assessment_laws"] == "健康保険法（施行中）");
  CHECK(after["by"] == "審査チーム");
  // An identifier's gap has no consent.
  for (const Json& row : gaps_at(j, date_index(j, "2024-01-01")))
    if (row["rule"] == "unregulated-key") CHECK(row["consent"].is_null());
}

TEST_CASE("page gaps store each distinct row once, with the runs of dates it is listed", "[html][gaps]") {
  auto j = Json::parse(report::page_data_json(people(), page_options("2025-01-01")));
  std::set<std::string> rows;
  for (Json r : j["gap_rows"]) {
    // Runs ascending, not touching, within the dates.
    const Json& on = r["on"];
    REQUIRE(on.size() % 2 == 0);
    for (std::size_t i = 0; i < on.size(); ++i) CHECK((i == 0 ? on[i] >= 0 : on[i] > on[i - 1]));
    CHECK(on.back() <= j["dates"].size());
    r.erase("on");
    CHECK(rows.insert(r.dump()).second);
  }
  // The claims gap: one row while open (until the review of 2024-01-01), one
  // after; nothing stored per date.
  const std::size_t d2024 = date_index(j, "2024-01-01"), end = j["dates"].size();
  std::vector<Json> claims;
  for (const auto& r : j["gap_rows"])
    if (r["key"] == "unconsented-sensitive:flow:claims") claims.push_back(r);
  REQUIRE(claims.size() == 2);
  CHECK(claims[0]["open"] == true);
  CHECK(claims[0]["on"] == Json::array({0, d2024}));
  CHECK(claims[1]["open"] == false);
  CHECK(claims[1]["on"] == Json::array({d2024, end}));
  CHECK_FALSE(j.contains("gap_lists"));
}

TEST_CASE("page gaps count against --max-page-bytes before the page is built", "[html][gaps]") {
  report::PageOptions o = page_options("2025-01-01");
  o.max_page_bytes = 600;  // less than the gap rows alone
  try {
    report::page_data_json(people(), o);
    FAIL("no PageTooLarge");
  } catch (const report::PageTooLarge& e) {
    CHECK(std::string(e.what()).find("more than the limit of 600 bytes (--max-page-bytes)") !=
          std::string::npos);
  }
}

TEST_CASE("page data says at which dates a law in force restricts each identifier", "[html][open]") {
  const Model& m = people();
  auto j = Json::parse(report::page_data_json(m, page_options("2025-01-01")));
  const std::size_t d2016 = date_index(j, "2016-01-01"), d2018 = date_index(j, "2018-01-01"),
                    d2024 = date_index(j, "2024-01-01"), end = j["dates"].size();
  // The card rule restricts the serial from 2018 until it ends on 2024-01-01.
  CHECK(j["identifiers"][m.find_identifier("serial")]["restricted"] == Json::array({d2018, d2024}));
  CHECK(j["identifiers"][m.find_identifier("my_number")]["restricted"] == Json::array({d2016, end}));
  CHECK(j["identifiers"][m.find_identifier("insured_no")]["restricted"] == Json::array());
  // As ModelAt says at every date.
  const auto dates = report::date_boundaries(m, *Date::parse("2025-01-01"), false);
  for (std::size_t k = 0; k < dates.size(); ++k) {
    ModelAt at(m, dates[k], false);
    for (Index i = 0; i < m.identifiers.size(); ++i) {
      const Json& runs = j["identifiers"][i]["restricted"];
      bool on = false;
      for (std::size_t r = 0; r + 1 < runs.size(); r += 2) on |= runs[r] <= k && k < runs[r + 1];
      CHECK(on == at.identifier_restricted(i));
    }
  }
}

TEST_CASE("page date boundaries for a person add their memberships, acts and own dates", "[html][person]") {
  const Model& m = people();
  const Date at = *Date::parse("2025-06-01");
  CHECK(iso(report::date_boundaries(m, at, false)) == std::vector<std::string>{"2016-01-01", "2018-01-01",
                                                                               "2021-10-01", "2022-04-01",
                                                                               "2024-01-01", "2025-06-01"});
  CHECK(iso(report::date_boundaries(m, at, false, m.find_person("hanako"))) ==
        std::vector<std::string>{"2016-01-01", "2018-01-01", "2021-10-01", "2022-04-01", "2024-01-01",
                                 "2025-03-01", "2025-06-01"});
  CHECK(iso(report::date_boundaries(m, at, false, m.find_person("baby"))) ==
        std::vector<std::string>{"2016-01-01", "2018-01-01", "2021-10-01", "2022-04-01", "2024-01-01",
                                 "2025-05-01", "2025-06-01"});
}

TEST_CASE("page data for a person is the model for that person at every date", "[html][person]") {
  const Model& m = people();
  const Index hanako = m.find_person("hanako"), taro = m.find_person("taro"), baby = m.find_person("baby");
  auto page = [&](Index person) {
    return Json::parse(report::page_data_json(m, page_options("2025-06-01", Lang::ja, person)));
  };
  const Index registration = m.find_flow("registration"), card = m.find_system("card");
  // Everyone: the registration flow runs from 2021-10-01 (the eligibility check's start).
  Json all = page(kNone);
  CHECK(all["person"].is_null());
  CHECK(all["flows"][registration]["on"] ==
        Json::array({date_index(all, "2021-10-01"), all["dates"].size()}));
  // Hanako: only while her registration holds.
  Json h = page(hanako);
  CHECK(h["person"]["id"] == "hanako");
  CHECK(h["person"]["name"] == "花子（hanako）");
  CHECK(h["person"]["on"] == Json::array({0, h["dates"].size()}));
  CHECK(h["flows"][registration]["on"] ==
        Json::array({date_index(h, "2021-10-01"), date_index(h, "2025-03-01")}));
  // Taro holds no card: the card system and the flow are never his.
  Json t = page(taro);
  CHECK(t["systems"][card]["on"] == Json::array());
  CHECK(t["flows"][registration]["on"] == Json::array());
  // Baby exists from 2025-05-01: nothing before, the card system after.
  Json b = page(baby);
  const std::size_t born = date_index(b, "2025-05-01"), end = b["dates"].size();
  CHECK(b["person"]["on"] == Json::array({born, end}));
  CHECK(b["systems"][card]["on"] == Json::array({born, end}));
  CHECK(b["systems"][m.find_system("tax")]["on"] == Json::array({born, end}));
  for (const auto& hold : b["holds"]) CHECK(hold[2] >= born);
  CHECK(gaps_at(b, 0).empty());
  CHECK_FALSE(gaps_at(b, born).empty());
  // The gaps are those of the person's model.
  for (std::size_t k = 0; k < h["dates"].size(); ++k) {
    ModelAt at(m, *Date::parse(h["dates"][k].get<std::string>()), false, hanako);
    CHECK(gaps_at(h, k).size() == find_gaps(at).gaps.size());
  }
}

TEST_CASE("page for a person names them in the title and is the same bytes each time", "[html][person]") {
  const Model& m = people();
  report::PageOptions o = page_options("2025-06-01", Lang::en, m.find_person("hanako"));
  std::string page = report::build_page(m, o);
  CHECK(page == report::build_page(m, o));
  CHECK(page.find("<title>Persons and joins example (Hanako (hanako))</title>") != std::string::npos);
  CHECK(page.find("<h1>Persons and joins example (Hanako (hanako))</h1>") != std::string::npos);
  CHECK(page.find("id=\"open-only\"> Show reach through open joins only</label>") != std::string::npos);
  CHECK(page.find("<section id=\"gaps\"></section>") != std::string::npos);
}

// Two systems share the global `x`; `alone` holds a global identifier no
// other system holds, `coded` only a holder-scoped code, `empty` nothing;
// `late` shares `x` only from 2020, so it is linked at some date.
const char kIsolated[] = R"(
model: {name: 孤立の例, name_en: Isolated example}
identifiers:
  - {id: x, name: X, kind: national}
  - {id: y, name: Y, kind: sectoral}
  - {id: z, name: Z, kind: token, scope: holder}
systems:
  - {id: a, name: A, sector: tax, holds: {identifiers: [x, z]}}
  - {id: b, name: B, sector: tax, holds: {identifiers: [x]}}
  - {id: alone, name: Alone, sector: health, holds: {identifiers: [y]}}
  - {id: coded, name: Coded, sector: health, holds: {identifiers: [z]}}
  - {id: empty, name: Empty, sector: health}
  - {id: late, name: Late, sector: health, since: 2020-01-01, holds: {identifiers: [x]}}
  - {id: never, name: Never, sector: health, status: planned}
)";

TEST_CASE("page data lists the systems linked to no other at any date", "[html][isolated]") {
  LoadResult r = load_model_text(kIsolated, "isolated.yaml");
  REQUIRE(r.model);
  const Model& m = *r.model;
  auto j = Json::parse(report::page_data_json(m, page_options("2025-01-01")));
  std::set<std::string> isolated;
  for (const auto& s : j["isolated"]) isolated.insert(m.systems[s.get<Index>()].id);
  // Not `late` (linked from 2020), not `never` (never active, so not drawn).
  CHECK(isolated == std::set<std::string>{"alone", "coded", "empty"});
  // A time-lapse before `late` starts: it is linked at none of its dates.
  report::PageOptions o = page_options("2010-01-01");
  o.frames = {*Date::parse("2010-01-01"), *Date::parse("2015-01-01")};
  j = Json::parse(report::page_data_json(m, o));
  CHECK(j["dates"] == Json::array({"2010-01-01", "2015-01-01"}));
  CHECK(j["frames"] == true);
  CHECK(j["initial"] == 0);
  isolated.clear();
  for (const auto& s : j["isolated"]) isolated.insert(m.systems[s.get<Index>()].id);
  CHECK(isolated == std::set<std::string>{"alone", "coded", "empty"});
  // No persons in the model: nothing for a selector.
  CHECK(j["persons"] == Json::array());
}

TEST_CASE("page data for the person selector is imozuru person at every date", "[html][person]") {
  const Model& m = people();
  for (Lang lang : {Lang::ja, Lang::en}) {
    auto j = Json::parse(report::page_data_json(m, page_options("2025-06-01", lang)));
    REQUIRE(j["persons"].size() == m.persons.size());
    const auto dates = report::date_boundaries(m, *Date::parse("2025-06-01"), false);
    for (Index p = 0; p < m.persons.size(); ++p) {
      const Json& person = j["persons"][p];
      CHECK(person["id"] == m.persons[p].id);
      // [index, runs...] rows: the indices whose runs hold date k.
      auto in_rows = [](const Json& rows, std::size_t k) {
        std::vector<Index> out;
        for (const auto& row : rows) {
          Json runs(row.begin() + 1, row.end());
          if (on_at(runs, k)) out.push_back(row[0].get<Index>());
        }
        return out;
      };
      for (std::size_t k = 0; k < dates.size(); ++k) {
        INFO(m.persons[p].id << " at " << dates[k].iso());
        std::vector<Index> systems, identifiers_held, flows, acts;
        std::vector<std::pair<Index, Index>> holds;
        if (is_active(m.persons[p], dates[k], false)) {
          PersonResult r = person_exposure(ModelAt(m, dates[k], false, p));
          for (const PersonHolding& h : r.systems) {
            systems.push_back(h.system);
            for (Index i : h.identifiers) holds.emplace_back(h.system, i);
          }
          flows = r.flows;
          acts = r.acts;
        }
        CHECK(on_at(person["on"], k) == is_active(m.persons[p], dates[k], false));
        CHECK(in_rows(person["systems"], k) == systems);
        CHECK(in_rows(person["flows"], k) == flows);
        std::vector<std::pair<Index, Index>> page_holds;
        for (const auto& h : person["holds"])
          if (h[2].get<std::size_t>() <= k && k < h[3].get<std::size_t>())
            page_holds.emplace_back(h[0].get<Index>(), h[1].get<Index>());
        CHECK(page_holds == holds);
        std::vector<Index> page_acts;
        for (const auto& a : person["acts"])
          if (on_at(a["on"], k)) page_acts.push_back(m.find_consent_act(a["id"].get<std::string>()));
        CHECK(page_acts == acts);
      }
    }
  }
  // Hanako's act, in words, with her entry's dates.
  auto j = Json::parse(report::page_data_json(m, page_options("2025-06-01", Lang::en)));
  const Json& act = j["persons"][m.find_person("hanako")]["acts"][0];
  CHECK(act["name"] == "Insurance-card registration");
  CHECK(act["period"] == "2021-10-01〜2025-03-01");
  CHECK(act["kind"] == "the flow happens once done (opt-in)");
  // The page for one person has no selector.
  auto one =
      Json::parse(report::page_data_json(m, page_options("2025-06-01", Lang::ja, m.find_person("hanako"))));
  CHECK(one["persons"] == Json::array());
  CHECK(report::build_page(m, page_options("2025-06-01", Lang::ja, m.find_person("hanako")))
            .find("id=\"person\"") == std::string::npos);
  CHECK(report::build_page(m, page_options("2025-06-01")).find("<select id=\"person\">") !=
        std::string::npos);
}

TEST_CASE("page with --dates holds one frame per date, each node at the same place", "[html][frames]") {
  const Model& m = people();
  report::PageOptions o = page_options("2016-01-01", Lang::en);
  o.frames = {*Date::parse("2016-01-01"), *Date::parse("2022-06-01"), *Date::parse("2026-01-01")};
  const std::string page = report::build_page(m, o);
  CHECK(page == report::build_page(m, o));
  std::vector<std::string> frames;
  // Before the panel: the script's comments name the element too.
  const std::size_t panel = page.find("<aside id=\"panel\">");
  for (std::size_t at = 0; (at = page.find("<template class=\"frame\"", at)) < panel; ++at)
    frames.push_back(page.substr(at, page.find("</template>", at) - at));
  REQUIRE(frames.size() == 3);
  CHECK(frames[0].find("data-date=\"2016-01-01\"") != std::string::npos);
  CHECK(frames[2].find("data-date=\"2026-01-01\"") != std::string::npos);
  // The insurer's box: the same bytes in every frame; the app (since
  // 2022-04-01) is not in the first frame, new in the second.
  auto node = [](const std::string& frame, const std::string& id) {
    std::size_t at = frame.find("<g id=\"" + id + "\"");
    if (at == std::string::npos) return std::string();
    return frame.substr(at, frame.find("</g>", at) - at);
  };
  auto shape = [](const std::string& g) {
    return g.substr(g.find("<path"), g.find("/>", g.find("<path")) - g.find("<path"));
  };
  const std::string insurer = shape(node(frames[0], "system:insurer"));
  CHECK_FALSE(insurer.empty());
  for (const auto& f : frames) CHECK(shape(node(f, "system:insurer")) == insurer);
  CHECK(node(frames[0], "system:app").empty());
  CHECK(node(frames[1], "system:app").find("class=\"node system new\"") != std::string::npos);
  CHECK(node(frames[2], "system:app").find("new") == std::string::npos);
  // The player and its slider over the three dates.
  CHECK(page.find("<button type=\"button\" id=\"play\" title=\"Play (Space)\">Play</button>") !=
        std::string::npos);
  CHECK(page.find("max=\"2\"") != std::string::npos);
  CHECK(page.find("<option value=\"1\" label=\"2022-06-01\"></option>") != std::string::npos);
  auto j = Json::parse(report::page_data_json(m, o));
  CHECK(j["dates"] == Json::array({"2016-01-01", "2022-06-01", "2026-01-01"}));
  // Without --dates: no player, one diagram.
  const std::string plain = report::build_page(m, page_options("2025-01-01"));
  CHECK(plain.find("id=\"play\"") == std::string::npos);
  CHECK(plain.find("<template") > plain.find("<aside id=\"panel\">"));
}

}  // namespace imozuru
