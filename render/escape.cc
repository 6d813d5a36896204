#include "render/escape.h"

#include <algorithm>
#include <cstdint>

namespace imozuru::render {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one code point at `i`, advancing it; invalid sequences (overlong,
// surrogates, truncated, > U+10FFFF) give U+FFFD and consume one byte.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = b0 >= 0xF0 && b0 <= 0xF4 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC2 && b0 < 0xE0 ? 2 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return kReplacement;
  }
  char32_t cp = b0 & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kReplacement;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kReplacement;
  }
  i += len;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int width_of(char32_t cp) {
  bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
              (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
              (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
  return wide ? 2 : 1;
}

}  // namespace

std::string html_text(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = next_code_point(text, i);
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      // Graphviz expands \N, \G, \L … even in HTML labels (after entities): double it.
      case '\\': out += "\\\\"; break;
      case '\n': out += "<BR/>"; break;
      case '\r': break;
      default:
        // XML 1.0 forbids C0 controls; Graphviz's expat would reject the label.
        if (cp < 0x20 || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF)
          out += ' ';
        else
          append_utf8(out, cp);
    }
  }
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < text.size();) w += width_of(next_code_point(text, i));
  return w;
}

std::string abbreviate(std::string_view text, std::size_t max_width) {
  if (display_width(text) <= max_width) return std::string(text);
  std::string out;
  std::size_t w = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    int cw = width_of(next_code_point(text, i));
    if (w + cw + 1 > max_width) break;  // keep a column for the ellipsis
    out.append(text.substr(start, i - start));
    w += cw;
  }
  return out + "…";
}

std::vector<std::string> wrap_items(const std::vector<std::string>& items, std::string_view separator,
                                    std::size_t line_width, std::size_t max_items) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t shown = std::min(items.size(), max_items);
  auto add = [&](const std::string& item) {
    if (!line.empty() && display_width(line) + display_width(separator) + display_width(item) > line_width) {
      lines.push_back(line);
      line.clear();
    }
    if (!line.empty()) line += separator;
    line += item;
  };
  for (std::size_t k = 0; k < shown; ++k) add(abbreviate(items[k], line_width));
  if (items.size() > shown) add("+" + std::to_string(items.size() - shown));
  if (!line.empty()) lines.push_back(line);
  return lines;
}

}  // namespace imozuru::render
