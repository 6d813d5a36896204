// Terminal columns of text, from one table (text/width_table.inc, generated
// by tools/gen_width_table.py): East Asian Wide and Fullwidth characters,
// emoji among them, take two columns; combining marks and zero-width format
// characters none; everything else one. Caret lines under a source line,
// abbreviated diagram labels and wrapped lists all measure with it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace imozuru::text {

// 0, 1 or 2 columns.
int code_point_width(char32_t cp);

// Columns of UTF-8 text (an invalid byte counts as U+FFFD, one column).
std::size_t display_width(std::string_view text);

// Items joined with `separator` into lines of at most `line_width` columns;
// an item longer than a line is wrapped by wrap_text, never cut; after
// `max_items` the rest is summarised as "+N".
std::vector<std::string> wrap_items(const std::vector<std::string>& items, std::string_view separator,
                                    std::size_t line_width, std::size_t max_items);

// `text` broken into lines of at most `line_width` columns where it allows a
// break: after "、", "，", "；" or "・" in Japanese text (more kana and kanji
// than Latin letters), after a space otherwise. A
// run longer than a line with no break in it stays whole (never cut, never
// given an ellipsis).
std::vector<std::string> wrap_text(std::string_view text, std::size_t line_width);

}  // namespace imozuru::text
