#include "output/messages.h"

#include <fmt/args.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "model/gaps.h"
#include "output/labels.h"

using namespace imozuru;

namespace {

// The argument ids a format string uses: {} counts up from 0, {N} is N.
// Returns false for a malformed string.
bool placeholders(std::string_view text, std::set<int>& ids) {
  int next = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '}') {
      if (i + 1 < text.size() && text[i + 1] == '}') {
        ++i;
        continue;
      }
      return false;
    }
    if (text[i] != '{') continue;
    if (i + 1 < text.size() && text[i + 1] == '{') {
      ++i;
      continue;
    }
    std::size_t close = text.find('}', i);
    if (close == std::string_view::npos) return false;
    std::string_view inside = text.substr(i + 1, close - i - 1);
    ids.insert(inside.empty() ? next++ : std::stoi(std::string(inside)));
    i = close;
  }
  return true;
}

std::string entry_text(std::string_view key, Lang lang) {
  for (std::size_t i = 0; i < message_count(); ++i)
    if (message_entry(i).key == key)
      return std::string(lang == Lang::ja ? message_entry(i).ja : message_entry(i).en);
  return "<no entry " + std::string(key) + ">";
}

}  // namespace

TEST_CASE("catalogue: every entry has both languages taking the same arguments", "[output][messages]") {
  REQUIRE(message_count() > 100);
  const std::regex key_scheme(
      "(word|list|consent|status|gap_rule|identifier_kind|sector|law|gap|text|person|report|page|diagram|"
      "legend|"
      "highlight|validate|export|watch|render|cache|load)_["
      "a-z0-9_]+");
  for (std::size_t i = 0; i < message_count(); ++i) {
    MessageEntry e = message_entry(i);
    INFO(e.key);
    CHECK(std::regex_match(std::string(e.key), key_scheme));
    CHECK_FALSE(e.ja.empty());
    CHECK_FALSE(e.en.empty());
    std::set<int> ja, en;
    CHECK(placeholders(e.ja, ja));
    CHECK(placeholders(e.en, en));
    CHECK(ja == en);
    // fmt accepts both with that many arguments.
    std::vector<std::string> args(ja.size(), "x");
    fmt::dynamic_format_arg_store<fmt::format_context> store;
    for (const auto& a : args) store.push_back(a);
    CHECK_NOTHROW(fmt::vformat(e.ja, store));
    CHECK_NOTHROW(fmt::vformat(e.en, store));
  }
}

TEST_CASE("catalogue: say looks up and formats in the chosen language", "[output][messages]") {
  CHECK(say(Lang::ja, Msg::word_none) == "なし");
  CHECK(say(Lang::en, Msg::word_none) == "none");
  CHECK(say(Lang::ja, Msg::text_data_name, "病歴") == "『病歴』");
  CHECK(say(Lang::en, Msg::text_data_name, "history") == "{history}");
  // Positional arguments where the languages order them differently.
  CHECK(say(Lang::ja, Msg::diagram_subtitle, "2026-01-01", "データの流れ") ==
        "2026-01-01 時点・データの流れ");
  CHECK(say(Lang::en, Msg::diagram_subtitle, "2026-01-01", "Data flows") == "Data flows, as of 2026-01-01");
}

TEST_CASE("labels: every enum value has its catalogue entry keyed by its spelling", "[output][labels]") {
  for (Lang lang : {Lang::ja, Lang::en}) {
    for (std::string_view v : consent_values())
      CHECK(consent_label(*parse_consent(v), lang) == entry_text("consent_" + std::string(v), lang));
    for (std::string_view v : status_values())
      CHECK(status_label(*parse_status(v), lang) == entry_text("status_" + std::string(v), lang));
    for (std::string_view v : identifier_kind_values())
      CHECK(identifier_kind_label(*parse_identifier_kind(v), lang) ==
            entry_text("identifier_kind_" + std::string(v), lang));
    for (std::string_view v : gap_rule_names()) {
      std::string key = "gap_rule_" + std::string(v);
      std::replace(key.begin(), key.end(), '-', '_');
      CHECK(gap_rule_label(*parse_gap_rule(v), lang) == entry_text(key, lang));
    }
  }
}

TEST_CASE("labels: sectors of the reference model by name and any other word as written",
          "[output][labels]") {
  CHECK(sector_label("health", Lang::ja) == "医療・健康");
  CHECK(sector_label("health", Lang::en) == "Health");
  CHECK(sector_label("local_government", Lang::en) == "Local government");
  CHECK(sector_label("space_agency", Lang::ja) == "space agency");
  // Every sector of flows/ has a name in the table.
  std::set<std::string> sectors;
  for (const auto& f : std::filesystem::directory_iterator(std::string(IMOZURU_SOURCE_DIR) + "/flows")) {
    std::ifstream in(f.path());
    std::string line;
    std::smatch m;
    while (std::getline(in, line))
      if (std::regex_search(line, m, std::regex("sector: ([a-z_]+)"))) sectors.insert(m[1]);
  }
  REQUIRE(sectors.size() > 5);
  for (const auto& s : sectors) {
    INFO(s);
    CHECK(sector_label(s, Lang::en) == entry_text("sector_" + s, Lang::en));
  }
}

TEST_CASE("user-visible text lives in the catalogue: no language ternaries in production code",
          "[output][messages]") {
  const std::regex ternary(R"(Lang::(ja|en)\s*\?)");
  std::size_t files = 0;
  std::string offenders;
  for (const char* dir : {"text", "model", "output", "render", "report", "export", "query", "cli"}) {
    for (const auto& f :
         std::filesystem::recursive_directory_iterator(std::string(IMOZURU_SOURCE_DIR) + "/" + dir)) {
      const std::string ext = f.path().extension().string();
      if (ext != ".cc" && ext != ".h") continue;
      if (f.path().filename() == "messages.cc") continue;  // the one place that picks a language
      ++files;
      std::ifstream in(f.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n)
        if (std::regex_search(line, ternary))
          offenders += f.path().string() + ":" + std::to_string(n) + ": " + line + "\n";
    }
  }
  CHECK(files > 40);
  CHECK(offenders == "");
}
