#include "text/escape.h"

#include <fmt/format.h>

#include "text/utf8.h"

namespace imozuru::text {
namespace {

// Calls out(cp) for each code point of `text` under the XML rule: invalid
// bytes and characters XML forbids arrive as U+FFFD, CR LF and CR as LF.
template <typename Out>
void for_each_xml_char(std::string_view text, Out out) {
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = next_code_point(text, i);
    if (cp == '\r') {
      if (i < text.size() && text[i] == '\n') continue;  // the LF follows
      cp = '\n';
    }
    out(allowed_in_xml(cp) ? cp : kReplacement);
  }
}

bool append_entity(std::string& out, char32_t cp) {
  switch (cp) {
    case '&':
      out += "&amp;";
      return true;
    case '<':
      out += "&lt;";
      return true;
    case '>':
      out += "&gt;";
      return true;
    case '"':
      out += "&quot;";
      return true;
    case '\'':
      out += "&#39;";
      return true;
  }
  return false;
}

bool is_c0_or_del(char32_t cp) { return cp < 0x20 || cp == 0x7F; }

// Characters a terminal acts on instead of showing.
bool needs_terminal_escape(char32_t cp) {
  return (is_c0_or_del(cp) && cp != '\t') || (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

}  // namespace

bool allowed_in_xml(char32_t cp) {
  // XML 1.0 §2.2: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

std::string xml_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for_each_xml_char(text, [&](char32_t cp) { append_utf8(out, cp); });
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for_each_xml_char(text, [&](char32_t cp) {
    if (!append_entity(out, cp)) append_utf8(out, cp);
  });
  return out;
}

std::string json_for_html_script(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size();) {
    const std::size_t start = i;
    const char32_t cp = next_code_point(json, i);
    if (cp == '<')
      out += "\\u003c";
    else if (cp == 0xFFFE || cp == 0xFFFF)
      out += cp == 0xFFFE ? "\\ufffe" : "\\uffff";
    else
      out.append(json.substr(start, i - start));
  }
  return out;
}

std::string dot_label_text(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = next_code_point(text, i);
    if (cp == '\n') {
      out += "<BR/>";
    } else if (cp == '\r') {
      // dropped: the newline that may follow breaks the line
    } else if (cp == '\\') {
      out += "\\\\";
    } else if (is_c0_or_del(cp)) {
      out += ' ';  // Graphviz's XML parser (expat) would reject the label
    } else if (!append_entity(out, cp)) {
      append_utf8(out, allowed_in_xml(cp) ? cp : kReplacement);
    }
  }
  return out;
}

std::string csv_field(std::string_view text, CsvCells cells) {
  const bool formula = cells == CsvCells::spreadsheet_safe && !text.empty() &&
                       std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
  const bool quote = formula || text.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) return std::string(text);
  std::string out = formula ? "\"'" : "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string terminal_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t start = i;
    char32_t cp;
    if (!decode(text, i, cp)) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[start]));
    } else if (!needs_terminal_escape(cp)) {
      out.append(text.substr(start, i - start));
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp < 0x80) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
    } else {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
    }
  }
  return out;
}

}  // namespace imozuru::text
