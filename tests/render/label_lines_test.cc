// The form of a leaded label (render/label_lines.h, issue 17): one table row
// per line, the fonts open at a line break closed at the row's end and
// opened again on the next row, each row after the first 1.3 em of the
// larger font of its line and the one above tall, whole points rounded up.
#include "render/label_lines.h"

#include <catch2/catch.hpp>
#include <string>

#include "render_support.h"

using namespace imozuru::render;
using testing_support::label_text;

namespace {
const std::string kTable = "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLPADDING=\"0\" CELLSPACING=\"0\">";
}

TEST_CASE("leaded: a label's lines as table rows 1.3 em apart", "[render][labels][leading]") {
  // A 15 pt bold name over a 10 pt count: the count's row is 1.3 × 15 =
  // 19.5, so 20 pt tall; a third 9 pt line 1.3 × 10 = 13.
  const std::string label =
      "<FONT POINT-SIZE=\"15\" COLOR=\"#111111\"><B>医療</B></FONT>"
      "<BR/><FONT POINT-SIZE=\"10\">システム 8件</FONT>"
      "<BR/><FONT POINT-SIZE=\"9\">個人番号</FONT>";
  CHECK(leaded(label) == kTable +
                             "<TR><TD VALIGN=\"BOTTOM\"><FONT POINT-SIZE=\"15\" "
                             "COLOR=\"#111111\"><B>医療</B></FONT></TD></TR>"
                             "<TR><TD VALIGN=\"BOTTOM\" HEIGHT=\"20\"><FONT POINT-SIZE=\"10\">システム "
                             "8件</FONT></TD></TR>"
                             "<TR><TD VALIGN=\"BOTTOM\" HEIGHT=\"13\"><FONT "
                             "POINT-SIZE=\"9\">個人番号</FONT></TD></TR>"
                             "</TABLE>");
  // What a reader sees is unchanged.
  CHECK(label_text(leaded(label)) == label_text(label));
}

TEST_CASE("leaded: a break inside a font closes the font on its row and opens it on the next",
          "[render][labels][leading]") {
  // A wrapped name: one FONT and B round both lines; a smaller line below
  // the larger takes the larger's leading (1.3 × 13 = 16.9 → 17).
  const std::string label =
      "<FONT POINT-SIZE=\"13\"><B>住民基本台帳<BR/>ネットワーク</B></FONT><BR/><FONT "
      "POINT-SIZE=\"8\">national</FONT>";
  CHECK(leaded(label) ==
        kTable +
            "<TR><TD VALIGN=\"BOTTOM\"><FONT POINT-SIZE=\"13\"><B>住民基本台帳</B></FONT></TD></TR>"
            "<TR><TD VALIGN=\"BOTTOM\" HEIGHT=\"17\"><FONT "
            "POINT-SIZE=\"13\"><B>ネットワーク</B></FONT></TD></TR>"
            "<TR><TD VALIGN=\"BOTTOM\" HEIGHT=\"17\"><FONT POINT-SIZE=\"8\">national</FONT></TD></TR>"
            "</TABLE>");
  CHECK(label_text(leaded(label)) == label_text(label));
}

TEST_CASE("leaded: one line, or a table, is left as it is", "[render][labels][leading]") {
  const std::string one = "<FONT POINT-SIZE=\"11\">税務</FONT>";
  CHECK(leaded(one) == one);
  const std::string table = kTable + "<TR><TD>a<BR/>b</TD></TR></TABLE>";
  CHECK(leaded(table) == table);
}

TEST_CASE("leaded: the slide form's 22 pt name over 16 pt lines", "[render][labels][leading]") {
  // render --view sectors --brief: 1.3 × 22 = 28.6 → 29, then 1.3 × 16 = 20.8 → 21.
  const std::string label =
      "<FONT POINT-SIZE=\"22\"><B>医療</B></FONT><BR/><FONT POINT-SIZE=\"16\">システム "
      "8件</FONT><BR/><FONT POINT-SIZE=\"16\"><B>● 要配慮</B></FONT>";
  const std::string out = leaded(label);
  CHECK(out.find("<TD VALIGN=\"BOTTOM\" HEIGHT=\"29\"><FONT POINT-SIZE=\"16\">システム") !=
        std::string::npos);
  CHECK(out.find("<TD VALIGN=\"BOTTOM\" HEIGHT=\"21\"><FONT POINT-SIZE=\"16\"><B>●") != std::string::npos);
}
