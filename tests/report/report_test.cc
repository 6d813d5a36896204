// imozuru report and imozuru html on a small cited model: figures from the
// engine, gap rows with laws and citations, the compare section, both
// formats, self-containment and deterministic bytes.
#include "report/report.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "model/load.h"
#include "render/render.h"
#include "report/document.h"
#include "report/page.h"
#include "text/escape.h"

namespace imozuru {
namespace {

const std::string kSmall = IMOZURU_SOURCE_DIR "/tests/report/fixtures/small.yaml";

const Model& small_model() {
  static const Model model = [] {
    LoadResult r = load_model(kSmall);
    REQUIRE(r.model);
    return std::move(*r.model);
  }();
  return model;
}

report::ReportOptions options(report::ReportFormat format, Lang lang = Lang::ja) {
  report::ReportOptions o;
  o.at = *Date::parse("2024-01-01");
  o.compare = Date::parse("2019-01-01");
  o.lang = lang;
  o.format = format;
  o.files_dir = "report-files";
  return o;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Resource references a browser would fetch; namespace URIs (xmlns) are not.
void require_self_contained(const std::string& html) {
  CHECK_FALSE(contains(html, "<script src"));
  CHECK_FALSE(contains(html, "<link"));
  CHECK_FALSE(contains(html, "@import"));
  CHECK_FALSE(std::regex_search(html, std::regex(R"((src|href)\s*=\s*["']?\s*(https?:|//))")));
  CHECK_FALSE(std::regex_search(html, std::regex(R"(url\(\s*["']?\s*(https?:|//))")));
  CHECK_FALSE(contains(html, "<!DOCTYPE svg"));
}

TEST_CASE("report summary figures come from the model at the date", "[report]") {
  report::Report r = report::build_report(small_model(), options(report::ReportFormat::markdown));
  const std::string& md = r.text;
  CHECK(contains(md, "# 小さな芋づるモデル：芋づる分析レポート\n"));
  CHECK(contains(md, "| 基準日 | 2024\\-01\\-01 |") == false);  // dates are not escaped
  CHECK(contains(md, "| 基準日 | 2024-01-01 |"));
  CHECK(contains(md, "| システム | 5 |"));
  CHECK(contains(md, "| 分野 | 4 |"));
  CHECK(contains(md, "| 識別子（共通の値／保有機関ごとの値） | 4 (3 / 1) |"));
  CHECK(contains(md, "| データ項目（うち要配慮） | 3 (1) |"));
  CHECK(contains(md, "| データの流れ | 2 |"));
  CHECK(contains(md, "| 同意の欠落（未解決 / 評価により解決） | 3 (3 / 0) |"));
}

TEST_CASE("report ranks identifiers by holders, then reach, then id", "[report]") {
  std::string md = report::build_report(small_model(), options(report::ReportFormat::markdown)).text;
  // insured_no and my_number: 3 holders each, reach 5 of 5: the id breaks the tie.
  // Open reach beside it: the unregulated insured_no still reaches 3 systems;
  // my_number, restricted by 番号法, reaches nothing through open joins.
  CHECK(contains(md,
                 "| 1 | 被保険者番号 | 3 (2): 診療所、健康管理アプリ、医療保険者 | 5 / 5 (4) | 3 / 5 (2) | 2 "
                 "| レセプト | "
                 "なし | 医療DX説明資料（slide 4） |"));
  CHECK(contains(
      md,
      "| 2 | マイナンバー | 3 (3): 医療保険者、住基ネット、国税庁システム | 5 / 5 (4) | 0 / 5 (0) | 2 | "
      "レセプト | 番号法 第19条（施行中） | 番号制度白書（p.3）; 番号制度白書（p.12） |"));
  CHECK(contains(md, "| 3 | アプリID | 1 (1): 健康管理アプリ |"));
  // The holder-scoped code joins nothing and is not ranked.
  CHECK_FALSE(contains(md, "| 情報連携用符号 |"));
}

TEST_CASE("report lists chains from key identifiers to special data", "[report]") {
  std::string md = report::build_report(small_model(), options(report::ReportFormat::markdown)).text;
  CHECK(contains(md, "### 被保険者番号\n"));
  CHECK(contains(md, "### マイナンバー\n"));
  CHECK_FALSE(contains(md, "### アプリID\n"));  // one holder: joins nothing
  // my_number → insurer, which holds the claims: one system.
  // Its join is restricted by 番号法, whose source is cited with the chain's.
  std::regex chain_row(
      R"(\| レセプト \| 1 \| [^|]*医療保険者[^|]* \| 制限あり — 番号法 第19条 \| 番号制度白書（p\.3）; )"
      R"(医療DX説明資料（slide 5）; 医療DX説明資料; 番号制度白書（p\.12） \|)");
  CHECK(std::regex_search(md, chain_row));
  CHECK(contains(md,
                 "| レセプト | 1 | 「被保険者番号」 → 診療所 → 『レセプト』 | 制限なし — "
                 "これらの突合を制限する法律はモデルにない |"));
}

TEST_CASE("report gaps table names laws and cites sources", "[report]") {
  std::string md = report::build_report(small_model(), options(report::ReportFormat::markdown)).text;
  CHECK(contains(md, "### 未解決の欠落 (3)\n"));
  CHECK(contains(md,
                 "| 1 | 高 | 要配慮情報を本人の選択なしに提供 (unconsented-sensitive) | "
                 "データの流れ「レセプト請求」（診療所 → "
                 "医療保険者） | 同意なし | 健康保険法（施行中） | データの流れ「レセプト請求」（診療所 → "
                 "医療保険者）は、"
                 "要配慮個人情報（レセプト）を本人の選択なしに提供している（同意: 同意なし）。 | — | "
                 "医療DX説明資料（slide 7）; 番号制度白書 |"));
  CHECK(contains(md,
                 "| 2 | 高 | 利用を制限する法令のない識別子による突合 (unregulated-key) | "
                 "識別子「被保険者番号」 | — | なし |"));
  CHECK(contains(md,
                 "| 3 | 中 | 要配慮情報を包括同意のみで提供 (comprehensive-consent) | "
                 "データの流れ「アプリ連携」（医療保険者 → "
                 "健康管理アプリ） | 包括同意 |"));
  CHECK(contains(md, "医療DX説明資料（slide 10） |"));
  CHECK(contains(md, "### 評価により解決した欠落 (0)\n\n評価により解決した欠落はない。\n"));
}

TEST_CASE("report compare section lists what was added", "[report]") {
  std::string md = report::build_report(small_model(), options(report::ReportFormat::markdown)).text;
  CHECK(contains(md, "## 2019-01-01 からの変化\n"));
  CHECK(contains(
      md, "| 追加 | 健康管理アプリ | health\\_app | 2022-04〜 | 運用中 | 医療DX説明資料（slide 9） |"));
  CHECK(contains(md, "| 追加 | アプリID | app\\_id |"));
  CHECK(contains(md, "| 追加 | アプリ連携 | claims\\_to\\_app |"));
  // The app joins the clinic and the insurer through the insured number.
  CHECK(contains(md, "### 突合可能になったシステムの組 (2)\n"));
  CHECK(contains(
      md,
      "| 診療所 | 健康管理アプリ | 被保険者番号 | 医療DX説明資料（slide 6）; 医療DX説明資料（slide 9） |"));
  CHECK(contains(md, "| 健康管理アプリ | 医療保険者 | 被保険者番号 |"));
  auto no_compare = options(report::ReportFormat::markdown);
  no_compare.compare.reset();
  CHECK_FALSE(contains(report::build_report(small_model(), no_compare).text, "からの変化"));
}

TEST_CASE("report in English uses name_en", "[report]") {
  std::string md =
      report::build_report(small_model(), options(report::ReportFormat::markdown, Lang::en)).text;
  CHECK(contains(md, "## Consent gaps\n"));
  CHECK(contains(md, "| added | Health app | health\\_app |"));
  CHECK(contains(md, "flow “Claims submission” (Clinic → Health insurer)"));
  CHECK(contains(md, "My Number Act 第19条 (in force)"));
  CHECK(contains(md, "## What changed since 2019-01-01\n"));
}

TEST_CASE("markdown report writes its diagrams as files next to it", "[report]") {
  report::Report r = report::build_report(small_model(), options(report::ReportFormat::markdown));
  REQUIRE(r.files.size() == 2);
  CHECK(r.files[0].path == "report-files/linkage.svg");
  CHECK(r.files[1].path == "report-files/sectors.svg");
  for (const auto& f : r.files) CHECK(contains(f.content, "<svg"));
  CHECK(contains(r.text, "](report-files/linkage.svg)"));
  CHECK(contains(r.text, "](report-files/sectors.svg)"));
  CHECK(report::files_dir_for("out/brief.md") == "brief-files");
}

TEST_CASE("html report is one self-contained, deterministic file", "[report]") {
  auto o = options(report::ReportFormat::html);
  report::Report a = report::build_report(small_model(), o);
  report::Report b = report::build_report(small_model(), o);
  CHECK(a.text == b.text);
  CHECK(a.files.empty());
  require_self_contained(a.text);
  CHECK(contains(a.text, "<html lang=\"ja\">"));
  CHECK(contains(a.text, "<figure id=\"figure-linkage\">\n<svg"));
  CHECK(contains(a.text, "<figure id=\"figure-sectors\">\n<svg"));
  CHECK(contains(a.text, "<td>医療DX説明資料（slide 7）; 番号制度白書</td>"));
  // Two diagrams on one page: Graphviz's ids are prefixed so none repeats.
  CHECK(contains(a.text, "id=\"linkage-graph0\""));
  CHECK(contains(a.text, "id=\"sectors-graph0\""));
  CHECK_FALSE(contains(a.text, "id=\"graph0\""));
  // A table of contents linking each section; A4 pages numbered in print.
  CHECK(contains(a.text, "<nav class=\"toc\"><h2>目次</h2>\n<ol>\n<li><a href=\"#s1\">"));
  CHECK(contains(a.text, "<h2 id=\"s1\">"));
  CHECK(contains(a.text, "@page { size: A4;"));
  CHECK(contains(a.text, "content: counter(page) \" / \" counter(pages)"));
}

TEST_CASE("escaping keeps text text in both formats", "[report]") {
  CHECK(text::html_escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  CHECK(report::escape_markdown("a|b *c* [d]\nnext") == "a\\|b \\*c\\* \\[d\\] next");
  CHECK(report::escape_markdown("- item") == "\\- item");
  CHECK(report::inline_svg(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg id=\"g\">\n<!-- c -->\n<g id=\"n\"/></svg>\n",
            "p") == "<svg id=\"p-g\">\n<g id=\"p-n\"/></svg>");
}

TEST_CASE("renderer gives SVG nodes entity ids when asked", "[report][render]") {
  ModelAt at(small_model(), *Date::parse("2024-01-01"));
  render::RenderOptions o;
  o.view = render::View::linkage;
  o.format = render::Format::dot;
  std::string plain = render::diagram_dot(at, o);
  CHECK_FALSE(contains(plain, "system:juki"));
  o.entity_ids = true;
  std::string dot = render::diagram_dot(at, o);
  CHECK(contains(dot, "id=\"system:juki\""));
  CHECK(contains(dot, "id=\"identifier:my_number\""));
  CHECK(contains(dot, "id=\"holds:insurer:my_number\""));
  CHECK(contains(dot, "id=\"holder:tax:link_code\""));
  o.format = render::Format::svg;
  std::string svg = render::render_diagram(at, o);
  CHECK(contains(svg, "<g id=\"system:juki\" class=\"node system\">"));
  CHECK(contains(svg, "<g id=\"identifier:insured_no\" class=\"node identifier\">"));
  CHECK(contains(svg, "<g id=\"holds:clinic:insured_no\" class=\"edge holds\">"));
  o.view = render::View::flows;
  o.format = render::Format::dot;
  CHECK(contains(render::diagram_dot(at, o), "id=\"flow:claims_to_insurer\""));
}

TEST_CASE("page date boundaries are the model's since and until days and the date asked for", "[html]") {
  auto dates = report::date_boundaries(small_model(), *Date::parse("2024-01-01"), false);
  std::vector<std::string> iso;
  for (const auto& d : dates) iso.push_back(d.iso());
  // Before: the page opened at 2022-04-01, the last change, when asked for 2024-01-01.
  CHECK(iso == std::vector<std::string>{"2002-08-01", "2016-01-01", "2022-04-01", "2024-01-01"});
  dates = report::date_boundaries(small_model(), *Date::parse("2016-01"), false);
  CHECK(dates.size() == 3);  // 2016-01-01 is a boundary already
}

TEST_CASE("page data holds activity and holdings as runs of dates", "[html]") {
  report::PageOptions o;
  o.at = *Date::parse("2024-01-01");
  auto j = nlohmann::json::parse(report::page_data_json(small_model(), o));
  const Model& m = small_model();
  Index app = m.find_system("health_app"), juki = m.find_system("juki"), tax = m.find_system("tax");
  Index my_number = m.find_identifier("my_number"), insured_no = m.find_identifier("insured_no");
  CHECK(j["initial"] == 3);
  CHECK(j["dates"] == nlohmann::json::array({"2002-08-01", "2016-01-01", "2022-04-01", "2024-01-01"}));
  // Runs of date indices [a, b): the app from 2022 on, juki throughout, My Number from 2016.
  CHECK(j["systems"][app]["on"] == nlohmann::json::array({2, 4}));
  CHECK(j["systems"][juki]["on"] == nlohmann::json::array({0, 4}));
  CHECK(j["identifiers"][my_number]["on"] == nlohmann::json::array({1, 4}));
  // Effective holdings with their runs: tax holds My Number once it exists;
  // nobody holds the insured number through a date it lacks.
  bool tax_my_number = false;
  for (const auto& h : j["holds"]) {
    if (h[0] == tax && h[1] == my_number) tax_my_number = h[2] == 1 && h[3] == 4;
    CHECK(h[2] < h[3]);
  }
  CHECK(tax_my_number);
  bool insured_held = false;
  for (const auto& h : j["holds"]) insured_held |= h[1] == insured_no;
  CHECK(insured_held);
  // No reach is stored: the page computes it (tests/browser compares it with the engine's).
  CHECK_FALSE(j.contains("reach_sets"));
  CHECK(j["systems"][app]["name_en"] == "Health app");
  CHECK(j["systems"][app]["since"] == "2022-04");
  CHECK(j["identifiers"][my_number]["laws"][0] == "番号法 第19条");
}

TEST_CASE("page data grows with the model and not with dates times identifiers", "[html]") {
  // 400 systems, each holding one shared and one own global identifier, in a
  // ring of flows: reach from every identifier covers every system, so a
  // page that stored reach per identifier held 400 × 400 entries.
  std::string y = "model: {name: ring}\nidentifiers:\n  - {id: shared, name: S, kind: national}\n";
  for (int i = 0; i < 400; ++i) y += "  - {id: own" + std::to_string(i) + ", name: O, kind: sectoral}\n";
  y += "systems:\n";
  for (int i = 0; i < 400; ++i)
    y += "  - {id: s" + std::to_string(i) + ", name: S, sector: x, holds: {identifiers: [shared, own" +
         std::to_string(i) + "]}}\n";
  LoadResult loaded = load_model_text(y, "ring.yaml");
  REQUIRE(loaded.model);
  report::PageOptions o;
  o.at = *Date::parse("2024-01-01");
  std::string data = report::page_data_json(*loaded.model, o);
  CHECK(data.size() < 200 * 1000);  // about 300 bytes per entity and holding
}

TEST_CASE("html page over --max-page-bytes is refused with the limit named", "[html]") {
  report::PageOptions o;
  o.at = *Date::parse("2024-01-01");
  o.max_page_bytes = 10000;
  try {
    report::build_page(small_model(), o);
    FAIL("no PageTooLarge");
  } catch (const report::PageTooLarge& e) {
    CHECK(std::string(e.what()).find("more than the limit of 10000 bytes (--max-page-bytes)") !=
          std::string::npos);
  }
}

TEST_CASE("page data gives each law with when it is in force, and policies as no law", "[html]") {
  LoadResult loaded = load_model(IMOZURU_SOURCE_DIR "/tests/fixtures/gaps/rule3_unregulated_key.yaml");
  REQUIRE(loaded.model);
  const Model& m = *loaded.model;
  report::PageOptions o;
  o.at = *Date::parse("2025-01-01");
  auto j = nlohmann::json::parse(report::page_data_json(m, o));
  // The page spans dates: a law shows its period, not "in force" at one date.
  CHECK(j["identifiers"][m.find_identifier("ended_reg")]["laws"][0] == "旧法（施行 〜2020-04-01）");
  CHECK(j["identifiers"][m.find_identifier("later_reg")]["laws"][0] == "新法（施行 2026-04-01〜）");
  CHECK(j["identifiers"][m.find_identifier("restricted")]["laws"][1] == "現行法");
  CHECK(j["identifiers"][m.find_identifier("policy_reg")]["laws"][0] ==
        "閣議決定（政策文書・判決であり法令ではない）");
}

TEST_CASE("html page embeds the data and the SVG and needs no network", "[html]") {
  report::PageOptions o;
  o.at = *Date::parse("2024-01-01");
  std::string a = report::build_page(small_model(), o);
  CHECK(a == report::build_page(small_model(), o));
  require_self_contained(a);
  CHECK(contains(a, "<script type=\"application/json\" id=\"imozuru-data\">{"));
  CHECK(contains(a, "<g id=\"system:health_app\" class=\"node system\">"));
  CHECK(contains(a, "<g id=\"identifier:my_number\" class=\"node identifier\">"));
  CHECK(contains(a, "id=\"date-slider\" min=\"0\" max=\"3\""));
  CHECK(contains(a, "id=\"search\""));
  // Only the two inline scripts, and no "</" inside the data could end one early.
  std::size_t scripts = 0;
  for (std::size_t p = a.find("<script"); p != std::string::npos; p = a.find("<script", p + 1)) ++scripts;
  CHECK(scripts == 2);
  auto data_start = a.find("id=\"imozuru-data\">");
  auto data_end = a.find("</script>", data_start);
  CHECK(a.substr(data_start, data_end - data_start).find('<') == std::string::npos);
}

TEST_CASE("report shows open and assessed gaps in separate tables with the justification and its laws",
          "[report][assessments]") {
  LoadResult loaded = load_model(IMOZURU_SOURCE_DIR "/tests/fixtures/gaps/assessments.yaml");
  REQUIRE(loaded.model);
  auto o = options(report::ReportFormat::markdown);
  o.at = *Date::parse("2025-06-01");
  o.compare.reset();
  std::string md = report::build_report(*loaded.model, o).text;
  // The disputed assessment leaves its gap open, shown with its assessment.
  CHECK(contains(md, "### 未解決の欠落 (1)\n"));
  CHECK(contains(md,
                 "| 1 | 高 | 要配慮情報を本人の選択なしに提供 (unconsented-sensitive) | "
                 "データの流れ「照会」（病院 → 保険者） | "
                 "通知のみ | 番号法（施行中） |"));
  CHECK(contains(md, "| 異議あり（未解決）（a\\_query）: 通知のみで足りるかに争いがある | 出典なし |"));
  CHECK(contains(md, "### 評価により解決した欠落 (3)\n"));
  CHECK(contains(md,
                 "| 1 | 高 | 要配慮情報を本人の選択なしに提供 (unconsented-sensitive) | "
                 "データの流れ「請求」（病院 → 保険者） | "
                 "受容（適法・許容） (a\\_claims) | 法令に基づく提供として適法 | 番号法 19条8号（施行中） | "
                 "審査チーム |"));
  CHECK(contains(md, "| 対処済み (a\\_passing\\_on) | 2024年に同意取得の手続を導入した | なし | — |"));
  // After the accepted assessment's until, its gap is open again.
  o.at = *Date::parse("2026-01-01");
  md = report::build_report(*loaded.model, o).text;
  CHECK(contains(md, "### 未解決の欠落 (2)\n"));
  CHECK(contains(md, "### 評価により解決した欠落 (2)\n"));
}

}  // namespace
}  // namespace imozuru
