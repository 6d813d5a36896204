#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "text/escape.h"
#include "text/join.h"
#include "text/utf8.h"
#include "text/width.h"

using namespace imozuru::text;

TEST_CASE("UTF-8: one decoder where each invalid byte is one U+FFFD", "[text][utf8]") {
  CHECK(code_points("aあ😀") == std::u32string{U'a', U'あ', U'😀'});
  CHECK(code_points("\xff") == std::u32string{kReplacement});
  CHECK(code_points("\xC0\x80") == std::u32string{kReplacement, kReplacement});  // overlong NUL
  CHECK(code_points("\xED\xA0\x80") == std::u32string(3, kReplacement));         // a surrogate
  CHECK(code_points("\xF4\x90\x80\x80") == std::u32string(4, kReplacement));     // past U+10FFFF
  CHECK(code_points("\xF5\x80\x80") == std::u32string(3, kReplacement));         // no such lead byte
  CHECK(code_points("\xE3\x81") == std::u32string(2, kReplacement));             // truncated
  CHECK(find_invalid_utf8("plain 日本語") == std::string::npos);
  CHECK(find_invalid_utf8("ok\xE3\x81") == 2);
  CHECK(find_invalid_utf8("日\x80") == 3);
  std::string out;
  for (char32_t cp : {U'a', U'é', U'あ', U'😀'}) append_utf8(out, cp);
  CHECK(out == "aéあ😀");
}

TEST_CASE("display width: one table where wide and fullwidth and emoji take 2 and combining marks 0",
          "[text][width]") {
  CHECK(display_width("abc") == 3);
  CHECK(display_width("番号") == 4);
  CHECK(display_width("ｶﾅ") == 2);            // halfwidth katakana
  CHECK(display_width("Ａ１") == 4);          // fullwidth forms
  CHECK(display_width("😀") == 2);             // emoji presentation: wide in every table now
  CHECK(display_width("🌡") == 1);          // text presentation by default
  CHECK(display_width("e\xCC\x81") == 1);     // e + combining acute
  CHECK(display_width("\xE2\x80\x8B") == 0);  // zero width space
  CHECK(display_width("\xff") == 1);          // U+FFFD
  CHECK(code_point_width(U'〜') == 2);
  CHECK(code_point_width(U'→') == 1);  // ambiguous: one column, as wcwidth()
}

TEST_CASE("long labels are abbreviated by display width", "[escape]") {
  CHECK(display_width("abc") == 3);
  CHECK(display_width("番号") == 4);
  CHECK(wrap_items({"aa", "bb", "cc", "dd", "ee"}, ", ", 6, 3) ==
        std::vector<std::string>{"aa, bb", "cc, +2"});
  // An item longer than a line is wrapped on lines of its own, never cut.
  CHECK(wrap_items({"aa", "Medical expenses (for tax)", "bb"}, ", ", 10, 3) ==
        std::vector<std::string>{"aa", "Medical", "expenses", "(for tax)", "bb"});
  CHECK(wrap_items({"被保険者番号", "個人番号"}, "、", 6, 2) ==
        std::vector<std::string>{"被保険者番号", "個人番号"});
}

TEST_CASE("HTML label text escapes markup and keeps Japanese", "[escape]") {
  CHECK(dot_label_text("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;");
  CHECK(dot_label_text("一\n二") == "一<BR/>二");
  CHECK(dot_label_text("x\x01y\x7f") == "x y ");
  CHECK(dot_label_text("bad\xff\xfe") == "bad\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(dot_label_text("\xC0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong NUL
  CHECK(dot_label_text("\\N{x|y}\\") == "\\\\N{x|y}\\\\");
}

TEST_CASE("XML: one rule for every XML output where characters XML 1.0 forbids become U+FFFD",
          "[text][xml]") {
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(allowed_in_xml(U'\t'));
  CHECK(allowed_in_xml(U'あ'));
  CHECK_FALSE(allowed_in_xml(0x1));
  CHECK_FALSE(allowed_in_xml(0xFFFE));
  CHECK_FALSE(allowed_in_xml(0xFFFF));
  CHECK(xml_safe("a\x01"
                 "b\x1b[2Jc") == "a" + fffd + "b" + fffd + "[2Jc");
  CHECK(xml_safe("\xEF\xBF\xBE\xEF\xBF\xBF") == fffd + fffd);  // U+FFFE U+FFFF
  CHECK(xml_safe("one\r\ntwo\rthree\tfour") == "one\ntwo\nthree\tfour");
  CHECK(xml_safe("bad\xff") == "bad" + fffd);
  CHECK(xml_safe("<&>") == "<&>");  // entities are the writer's job (Boost's, for GraphML)
  CHECK(html_escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  CHECK(html_escape("x\xEF\xBF\xBEy\x02") == "x" + fffd + "y" + fffd);
  CHECK(dot_label_text("x\xEF\xBF\xBF") == "x" + fffd);
  CHECK(json_for_html_script("{\"a\":\"</script>\xEF\xBF\xBE\"}") == "{\"a\":\"\\u003c/script>\\ufffe\"}");
}

TEST_CASE("CSV fields are quoted and neutralised as RFC 4180 and OWASP say", "[text][csv]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("=1+1") == "\"'=1+1\"");
  CHECK(csv_field("=1+1", CsvCells::raw) == "=1+1");
}

TEST_CASE("terminal text: control characters are escaped the way ls -b and git show them",
          "[text][terminal]") {
  CHECK(terminal_text("マイナンバー制度 (plain) a\\b") == "マイナンバー制度 (plain) a\\b");
  CHECK(terminal_text("tab\tkept") == "tab\tkept");
  CHECK(terminal_text("\x1b]0;owned\x07title") == "\\x1b]0;owned\\x07title");
  CHECK(terminal_text("erase\r\x1b[2Kvalid") == "erase\\r\\x1b[2Kvalid");
  CHECK(terminal_text("two\nlines") == "two\\nlines");
  CHECK(terminal_text("del\x7f") == "del\\x7f");
  CHECK(terminal_text("c1\xC2\x9B"
                      "31m") == "c1\\u009b31m");                          // CSI as one C1 character
  CHECK(terminal_text("rtl\xE2\x80\xAEtxt.exe") == "rtl\\u202etxt.exe");  // right-to-left override
  CHECK(terminal_text("bad\xff\xC0") == "bad\\xff\\xc0");
}

TEST_CASE("join: through fmt::join with or without a projection", "[text][join]") {
  CHECK(join(std::vector<std::string>{}, ", ") == "");
  CHECK(join(std::vector<std::string>{"a", "b", "c"}, "、") == "a、b、c");
  CHECK(join(std::vector<int>{1, 2}, ";", [](int i) { return std::to_string(i * 10); }) == "10;20");
}

TEST_CASE("non_empty_lines splits at LF and leaves out empty lines") {
  CHECK(non_empty_lines("") == std::vector<std::string>{});
  CHECK(non_empty_lines("a\n\nb\n") == std::vector<std::string>{"a", "b"});
  CHECK(non_empty_lines("\n警告: x\nlast") == std::vector<std::string>{"警告: x", "last"});
}

TEST_CASE("wrap_text breaks where the text allows, never inside a word or a Japanese run", "[text][width]") {
  using imozuru::text::wrap_text;
  CHECK(wrap_text("restricted by A, B, C", 14) == std::vector<std::string>{"restricted by", "A, B, C"});
  CHECK(wrap_text("short", 40) == std::vector<std::string>{"short"});
  CHECK(wrap_text("", 10).empty());
  // Japanese: only after 、 (its spaces are inside names), a run without a
  // break stays whole, without an ellipsis.
  CHECK(wrap_text("制限：番号法 9条、番号法 16条、番号法 19条", 20) ==
        std::vector<std::string>{"制限：番号法 9条、", "番号法 16条、", "番号法 19条"});
  CHECK(wrap_text("とても長い日本語の連なりで区切りがない", 6) ==
        std::vector<std::string>{"とても長い日本語の連なりで区切りがない"});
  // Japanese without 、 still keeps its spaces; it may break after ・.
  CHECK(wrap_text("システム 2件・分野内の流れ 1件", 24) ==
        std::vector<std::string>{"システム 2件・", "分野内の流れ 1件"});
  // English with a Japanese word in it breaks at its spaces.
  CHECK(wrap_text("second マイナポイント round of points", 21) ==
        std::vector<std::string>{"second マイナポイント", "round of points"});
}
