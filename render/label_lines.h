// The lines of a node's HTML-like label set far enough apart to read
// (issue 17; docs/rendering.md#labels).
#pragma once

#include <string>

namespace imozuru::render {

// The leading of a label's lines: each baseline at least this many ems of
// the larger font of two consecutive lines below the one above.
constexpr double kLabelLeading = 1.3;

// `html`, a label built of FONT and B tags and text with its lines split by
// <BR/>, as a table of one row per line, each line's text at the foot of a
// row kLabelLeading times as tall as the larger font of the line and the
// one above it (whole points). Graphviz sets the lines of one text block
// about one font size apart (0.73 em below a larger line), where two lines
// of Noto Sans CJK's kanji nearly touch. The text, its fonts (re-opened on
// each row) and the centring stay as they were; a label of one line, or one
// that is a table already, is returned as it is.
std::string leaded(const std::string& html);

}  // namespace imozuru::render
