#include <catch2/catch.hpp>

#include "export/export.h"
#include "model/as_of.h"
#include "tests/export/export_fixture.h"

using namespace imozuru;

TEST_CASE("Mermaid: labels cannot break out of their quotes or form entities") {
  CHECK(mermaid_label("plain 日本語") == "plain 日本語");
  CHECK(mermaid_label("say \"hi\"") == "say #quot;hi#quot;");
  CHECK(mermaid_label("#quot;") == "#35;quot;");
  CHECK(mermaid_label("a<b>&c") == "a#lt;b#gt;#amp;c");
  CHECK(mermaid_label("x|y") == "x#124;y");
  CHECK(mermaid_label("`md` %% note") == "#96;md#96; #37;#37; note");
  CHECK(mermaid_label("two\r\nlines\tand\x01") == "two  lines and");
}

TEST_CASE("Mermaid: flowchart LR, one subgraph per sector, neutral ids, flows and identifier holdings") {
  Model m = test::export_model();
  m.systems[1].name = "住民\"基本\"台帳 | <all>";  // jumin
  std::string text = export_mermaid(ModelAt(m, test::date("2026-01-01")), Lang::ja);
  CHECK(text ==
        "%% imozuru export at 2026-01-01\n"
        "flowchart LR\n"
        "  subgraph sector1[\"医療・健康\"]\n"
        "    s1[\"保険者 #quot;DB#quot;, 本店\"]\n"
        "  end\n"
        "  subgraph sector2[\"番号・本人確認\"]\n"
        "    s2[\"住民#quot;基本#quot;台帳 #124; #lt;all#gt;\"]\n"
        "  end\n"
        "  i1{{\"基本2情報\"}}\n"
        "  i2{{\"個人番号\"}}\n"
        "  s2 -->|\"本人確認 #lt;照会#gt;\"| s1\n"
        "  s1 -.- h1{{\"情報連携用符号\"}}\n"  // holder-scoped: a node of its own per holder
        "  s1 -.- i2\n"
        "  s2 -.- i1\n"
        "  s2 -.- i2\n");
}

TEST_CASE("Mermaid: --lang en uses name_en, and planned systems appear only when asked") {
  Model m = test::export_model();
  std::string en = export_mermaid(ModelAt(m, test::date("2026-01-01"), true), Lang::en);
  CHECK(en.find("subgraph sector3[\"Portals\"]\n    s3[\"Myna Portal\"]\n  end\n") != std::string::npos);
  CHECK(en.find("subgraph sector1[\"Health\"]") != std::string::npos);  // sector words in the output language
  CHECK(en.find("s2 -->|\"Identity check\"| s1") != std::string::npos);
  std::string ja = export_mermaid(ModelAt(m, test::date("2026-01-01")), Lang::ja);
  CHECK(ja.find("portal") == std::string::npos);
}

TEST_CASE("Mermaid: a holder-scoped code is one node per holder, never shared", "[export][mermaid]") {
  Model m = test::export_model();
  // Give the linkage code a second holder: the two values are different.
  for (System& s : m.systems)
    if (s.id == "jumin") s.holds.identifiers.push_back(test::ref("link_code"));
  test::resolve(m);
  std::string text = export_mermaid(ModelAt(m, test::date("2026-01-01")), Lang::ja);
  INFO(text);
  CHECK(text.find("-.- h1{{\"情報連携用符号\"}}") != std::string::npos);
  CHECK(text.find("-.- h2{{\"情報連携用符号\"}}") != std::string::npos);
  CHECK(text.find("{{\"情報連携用符号\"}}\n  i") == std::string::npos);
}

TEST_CASE("Mermaid: the size against Mermaid's default limits", "[export][mermaid]") {
  MermaidSize size = mermaid_size("flowchart LR\n  s1 -->|\"x\"| s2\n  s1 -.- i1\n  s2 -.- h1{{\"c\"}}\n");
  CHECK(size.edges == 3);
  CHECK(size.characters == 61);
}
