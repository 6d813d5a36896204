#include <catch2/catch.hpp>
#include <map>

#include "export/export.h"
#include "model/as_of.h"
#include "tests/export/export_fixture.h"

using namespace imozuru;

namespace {

using Rows = std::vector<std::vector<std::string>>;

// A strict RFC 4180 reader: CRLF between records, quotes doubled inside
// quoted fields, anything else after a closing quote is an error.
Rows read_csv(const std::string& text) {
  Rows rows;
  std::vector<std::string> row;
  std::string field;
  size_t i = 0;
  bool record_open = false;
  while (i < text.size()) {
    record_open = true;
    if (text[i] == '"') {
      ++i;
      for (;;) {
        REQUIRE(i < text.size());
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\r') {
        REQUIRE(text[i] != '"');
        REQUIRE(text[i] != '\n');
        field += text[i++];
      }
    }
    row.push_back(std::move(field));
    field.clear();
    if (i < text.size() && text[i] == ',') {
      ++i;
      continue;
    }
    REQUIRE(text.compare(i, 2, "\r\n") == 0);
    i += 2;
    rows.push_back(std::move(row));
    row.clear();
    record_open = false;
  }
  REQUIRE_FALSE(record_open);
  return rows;
}

std::map<std::string, Rows> tables_at(const Model& m, const char* date) {
  std::map<std::string, Rows> out;
  for (const CsvTable& t : export_csv_tables(ModelAt(m, test::date(date)))) out[t.name] = read_csv(t.text);
  return out;
}

}  // namespace

TEST_CASE("CSV: fields are quoted only when needed, quotes doubled") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("日本語") == "日本語");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field(" padded") == "\" padded\"");
  CHECK(csv_field("") == "");
}

TEST_CASE("CSV: a cell a spreadsheet would run as a formula gets a ' before it, unless raw") {
  CHECK(csv_field("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
  CHECK(csv_field("+1") == "\"'+1\"");
  CHECK(csv_field("-1") == "\"'-1\"");
  CHECK(csv_field("@SUM(A1)") == "\"'@SUM(A1)\"");
  CHECK(csv_field("\tx") == "\"'\tx\"");
  CHECK(csv_field("\rx") == "\"'\rx\"");
  CHECK(csv_field("a=b") == "a=b");  // only the first character counts
  CHECK(csv_field("=x", CsvCells::raw) == "=x");
  CHECK(csv_field("-1,2", CsvCells::raw) == "\"-1,2\"");

  Model m = test::export_model();
  m.systems[m.find_system("jumin")].name = "=1+1";  // the second row, after insurer
  ModelAt at(m, test::date("2026-01-01"));
  CHECK(read_csv(export_csv_tables(at)[0].text)[2][1] == "'=1+1");
  CHECK(read_csv(export_csv_tables(at, CsvCells::raw)[0].text)[2][1] == "=1+1");
}

TEST_CASE("CSV: eleven tables in a fixed order with a header row each") {
  Model m = test::export_model();
  std::vector<CsvTable> tables = export_csv_tables(ModelAt(m, test::date("2026-01-01")));
  std::vector<std::string> names;
  for (const CsvTable& t : tables) names.push_back(t.name);
  const std::vector<std::string> expected{"systems",  "identifiers",  "data",       "flows",
                                          "holdings", "laws",         "sources",    "groups",
                                          "persons",  "consent_acts", "assessments"};
  CHECK(names == expected);
  CHECK(std::vector<std::string>(csv_table_names().begin(), csv_table_names().end()) == expected);
  auto t = tables_at(m, "2026-01-01");
  CHECK(t["systems"][0] == std::vector<std::string>{"id", "name", "name_en", "sector", "kind", "operator",
                                                    "status", "since", "until", "note", "sources"});
  CHECK(t["holdings"][0] == std::vector<std::string>{"system", "kind", "item", "holding"});
  CHECK(t["flows"][0][3] == "from");
}

TEST_CASE("CSV: a hostile cell (quotes, commas, CR LF, Japanese) reads back unchanged") {
  Model m = test::export_model();
  auto t = tables_at(m, "2026-01-01");
  const Rows& systems = t["systems"];
  REQUIRE(systems.size() == 3);  // header + insurer + jumin
  CHECK(systems[1][0] == "insurer");
  CHECK(systems[1][1] == "保険者 \"DB\", 本店");
  CHECK(systems[2][0] == "jumin");
  CHECK(systems[2][9] == test::kHostile);
  for (const Rows* rows : {&t["systems"], &t["identifiers"], &t["data"], &t["flows"], &t["holdings"]})
    for (const auto& row : *rows) CHECK(row.size() == (*rows)[0].size());
}

TEST_CASE("CSV: rows are the active entities and effective holdings with their origin") {
  Model m = test::export_model();
  auto t = tables_at(m, "2026-01-01");
  CHECK(t["identifiers"][3] == std::vector<std::string>{"my_number", "個人番号", "My Number", "national",
                                                        "global", "true", "true", "true", "jumin",
                                                        "bangou_law", "", "", "operational", "", "", "", ""});
  CHECK(t["identifiers"][1][10] == "address;name");
  CHECK(t["flows"][1] == std::vector<std::string>{"jumin_to_insurer", "本人確認 <照会>", "Identity check",
                                                  "jumin", "insurer", "my_number", "name", "", "bangou_law",
                                                  "opt_out", "api", "", "operational", "", "", "", ""});
  Rows expected{{"system", "kind", "item", "holding"},
                {"insurer", "identifier", "link_code", "declared"},
                {"insurer", "identifier", "my_number", "received"},
                {"insurer", "data", "claims", "declared"},
                {"insurer", "data", "name", "received"},
                {"jumin", "identifier", "basic2", "derived"},
                {"jumin", "identifier", "my_number", "declared"},
                {"jumin", "data", "address", "declared"},
                {"jumin", "data", "name", "declared"}};
  CHECK(t["holdings"] == expected);

  auto before = tables_at(m, "2020-01-01");
  CHECK(before["data"].size() == 3);  // header + address + name
  CHECK(before["holdings"].size() == 8);
}

TEST_CASE("CSV: every entity row names its sources, so a finding can be traced from a spreadsheet") {
  Model m = test::export_model();
  Citation slide;
  slide.source = "seed001";
  slide.at = "slide 3; fig. 2";
  Citation plain;
  plain.source = "seed004";
  m.flows[0].sources = {slide, plain};
  m.laws[0].sources = {plain};
  ModelAt at(m, test::date("2026-01-01"));
  auto t = tables_at(m, "2026-01-01");
  REQUIRE(t["flows"].size() == 2);
  CHECK(t["flows"][0].back() == "sources");
  CHECK(t["flows"][1].back() == "seed001 (slide 3\\; fig. 2);seed004");  // a ';' inside an item is escaped
  for (const char* name : {"systems", "identifiers", "data", "flows", "laws", "groups", "persons",
                           "consent_acts", "assessments"})
    CHECK(t[name][0].back() == "sources");
}

TEST_CASE("CSV: laws, sources, persons and assessments have tables of their own") {
  Model m = test::export_model();
  Source s;
  s.id = "seed001";
  s.title = "マイナンバー制度の概要";
  s.url = "https://example.jp/a.pdf";
  m.sources = {s};
  auto policy = test::entity<Law>("honebuto", "骨太の方針");
  policy.kind = LawKind::policy;
  m.laws.push_back(policy);
  auto member = test::entity<Group>("card_holders", "カード保有者");
  m.groups = {member};
  auto hanako = test::entity<Person>("hanako", "花子");
  DatedRef g;
  g.ref = test::ref("card_holders");
  g.since = test::date("2021-10-20");
  hanako.groups = {g};
  m.persons = {hanako};
  auto review = test::entity<Assessment>("a1", "評価");
  review.gap = "unconsented-sensitive:flow:jumin_to_insurer";
  review.decision = AssessmentStatus::accepted;
  review.justification = "法令に基づく提供";
  review.laws = {test::ref("bangou_law")};
  m.assessments = {review};
  test::resolve(m);
  auto t = tables_at(m, "2026-01-01");
  CHECK(t["laws"][0] == std::vector<std::string>{"id", "name", "name_en", "kind", "article", "parent",
                                                 "enacted", "can_be_basis", "status", "since", "until",
                                                 "note", "sources"});
  REQUIRE(t["laws"].size() == 3);
  CHECK(t["laws"][1][0] == "bangou_law");
  CHECK(t["laws"][1][4] == "第19条");
  CHECK(t["laws"][1][7] == "true");
  CHECK(t["laws"][2][0] == "honebuto");
  CHECK(t["laws"][2][3] == "policy");
  CHECK(t["laws"][2][7] == "false");  // a cabinet policy is never a legal basis
  CHECK(t["sources"] ==
        Rows{{"id", "title", "author", "publisher", "date", "url", "note"},
             {"seed001", "マイナンバー制度の概要", "", "", "", "https://example.jp/a.pdf", ""}});
  CHECK(t["persons"][1] == std::vector<std::string>{"hanako", "花子", "", "card_holders (2021-10-20–)", "",
                                                    "operational", "", "", "", ""});
  CHECK(t["assessments"][1] ==
        std::vector<std::string>{"a1", "評価", "", "unconsented-sensitive:flow:jumin_to_insurer", "accepted",
                                 "法令に基づく提供", "bangou_law", "", "", "", "", ""});
  CHECK(t["groups"][1][0] == "card_holders");
  CHECK(t["consent_acts"].size() == 1);  // the header only
}
