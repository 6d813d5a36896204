// User text into Graphviz labels. All user text goes into HTML-like labels
// (agstrdup_html): no record syntax ({x|y}) there, and agwrite writes them
// without quoting, so quotes and backslashes survive a DOT round trip.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace imozuru::render {

// Text for an HTML-like label: & < > " ' become entities, a backslash is
// doubled (Graphviz 2.43 expands \N, \G … in HTML text too), a newline becomes
// <BR/>, other control characters a space, invalid UTF-8 U+FFFD.
std::string html_text(std::string_view text);

// Width of text in terminal-like columns (CJK and other wide characters 2).
std::size_t display_width(std::string_view text);

// `text` cut to at most `max_width` columns, ending in "…" when cut.
std::string abbreviate(std::string_view text, std::size_t max_width);

// Items joined with `separator` into lines of at most `line_width` columns;
// after `max_items` the rest is summarised as "+N".
std::vector<std::string> wrap_items(const std::vector<std::string>& items, std::string_view separator,
                                    std::size_t line_width, std::size_t max_items);

}  // namespace imozuru::render
