#include "text/width.h"

#include <algorithm>
#include <iterator>

#include "text/utf8.h"

namespace imozuru::text {
namespace {

struct CodePointRange {
  char32_t first, last;
};

#include "text/width_table.inc"

template <std::size_t N>
bool in_table(const CodePointRange (&table)[N], char32_t cp) {
  auto it = std::upper_bound(std::begin(table), std::end(table), cp,
                             [](char32_t c, const CodePointRange& r) { return c < r.first; });
  return it != std::begin(table) && cp <= std::prev(it)->last;
}

}  // namespace

int code_point_width(char32_t cp) {
  if (cp < 0x300) return 1;  // Latin and ASCII: the common case, no search
  if (in_table(kWide, cp)) return 2;
  if (in_table(kZeroWidth, cp)) return 0;
  return 1;
}

std::size_t display_width(std::string_view text) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < text.size();) w += code_point_width(next_code_point(text, i));
  return w;
}

std::vector<std::string> wrap_items(const std::vector<std::string>& items, std::string_view separator,
                                    std::size_t line_width, std::size_t max_items) {
  std::vector<std::string> lines;
  std::string line;
  const std::size_t shown = std::min(items.size(), max_items);
  auto add = [&](const std::string& item) {
    if (!line.empty() && display_width(line) + display_width(separator) + display_width(item) > line_width) {
      lines.push_back(line);
      line.clear();
    }
    if (!line.empty()) line += separator;
    line += item;
  };
  for (std::size_t k = 0; k < shown; ++k) {
    // An item longer than a line is wrapped on lines of its own, never cut.
    std::vector<std::string> parts = wrap_text(items[k], line_width);
    if (parts.size() <= 1) {
      add(items[k]);
      continue;
    }
    if (!line.empty()) lines.push_back(line);
    lines.insert(lines.end(), parts.begin(), parts.end() - 1);
    line = parts.back();
  }
  if (items.size() > shown) add("+" + std::to_string(items.size() - shown));
  if (!line.empty()) lines.push_back(line);
  return lines;
}

std::vector<std::string> wrap_text(std::string_view text, std::size_t line_width) {
  // Pieces end at a break opportunity; a line takes pieces while they fit.
  // Japanese text (more kana and kanji than Latin letters) breaks only after
  // 、，；・: its spaces sit inside names ("番号法 19条"). English with a
  // Japanese word in it breaks at spaces.
  std::size_t cjk = 0, latin = 0;
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = next_code_point(text, i);
    if (cp >= U'\u3000') ++cjk;
    if ((cp >= U'a' && cp <= U'z') || (cp >= U'A' && cp <= U'Z')) ++latin;
  }
  const bool japanese = cjk > latin;
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = next_code_point(text, i);
    if (japanese ? (cp == U'、' || cp == U'，' || cp == U'；' || cp == U'・') : cp == U' ') {
      pieces.push_back(text.substr(start, i - start));
      start = i;
    }
  }
  if (start < text.size()) pieces.push_back(text.substr(start));
  std::vector<std::string> lines;
  std::string line;
  for (std::string_view piece : pieces) {
    std::string_view visible = piece;  // a line's trailing space is dropped, so it need not fit
    while (!visible.empty() && visible.back() == ' ') visible.remove_suffix(1);
    if (!line.empty() && display_width(line) + display_width(visible) > line_width) {
      while (!line.empty() && line.back() == ' ') line.pop_back();
      lines.push_back(std::move(line));
      line.clear();
    }
    line += piece;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

}  // namespace imozuru::text
