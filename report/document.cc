#include "report/document.h"

#include <algorithm>

#include "output/messages.h"
#include "text/escape.h"

namespace imozuru::report {

using text::html_escape;

void Document::heading(int level, std::string text) {
  Block b;
  b.kind = Block::Kind::heading;
  b.level = level;
  b.text = std::move(text);
  blocks.push_back(std::move(b));
}
void Document::paragraph(std::string text) {
  Block b;
  b.kind = Block::Kind::paragraph;
  b.text = std::move(text);
  blocks.push_back(std::move(b));
}
void Document::list(std::vector<std::string> items) {
  Block b;
  b.kind = Block::Kind::list;
  b.items = std::move(items);
  blocks.push_back(std::move(b));
}
void Document::table(Table table) {
  Block b;
  b.kind = Block::Kind::table;
  b.table = std::move(table);
  blocks.push_back(std::move(b));
}
void Document::figure(Figure figure) {
  Block b;
  b.kind = Block::Kind::figure;
  b.figure = std::move(figure);
  blocks.push_back(std::move(b));
}

std::string escape_markdown(std::string_view text) {
  // Inline markup everywhere; block markup (# - +) only where a line starts.
  static constexpr std::string_view kSpecial = "\\`*_[]<>|~";
  std::string out;
  out.reserve(text.size());
  if (!text.empty() && (text[0] == '#' || text[0] == '-' || text[0] == '+')) out += '\\';
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    if (kSpecial.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return text::terminal_text(out);  // a report is read with cat and less too
}

std::string inline_svg(std::string_view svg, std::string_view id_prefix) {
  auto start = svg.find("<svg");
  if (start == std::string_view::npos) return {};
  std::string_view body = svg.substr(start);
  std::string out;
  out.reserve(body.size());
  for (std::size_t k = 0; k < body.size();) {
    if (body.compare(k, 4, "<!--") == 0) {
      auto end = body.find("-->", k + 4);
      k = end == std::string_view::npos ? body.size() : end + 3;
      // Drop the newline after a comment that stood on its own line.
      if (k < body.size() && body[k] == '\n' && (out.empty() || out.back() == '\n')) ++k;
      continue;
    }
    if (!id_prefix.empty() && body.compare(k, 5, " id=\"") == 0) {
      out += " id=\"";
      out += id_prefix;
      out += '-';
      k += 5;
      continue;
    }
    out += body[k++];
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

namespace {

constexpr std::string_view kCss = R"css(
:root { color-scheme: light; }
body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif;
  color: #222; background: #fff; max-width: 64rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.6; }
h1 { font-size: 1.7rem; border-bottom: 3px solid #222; padding-bottom: .3rem; }
h2 { font-size: 1.3rem; border-bottom: 1px solid #bbb; margin-top: 2.2rem; }
h3 { font-size: 1.1rem; margin-top: 1.6rem; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0 1.2rem; font-size: .86rem; }
th, td { border: 1px solid #c8c8c8; padding: .3rem .45rem; vertical-align: top; text-align: left; }
th { background: #f0f2f4; }
tbody tr:nth-child(even) td { background: #fafafa; }
figure { margin: 1.2rem 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: .85rem; color: #555; margin-top: .3rem; }
nav.toc ol { columns: 2; font-size: .9rem; }
@page { size: A4; margin: 16mm 14mm 18mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #555; } }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  h2, h3 { break-after: avoid; }
  /* A long table runs on over pages with its header repeated; a row stays whole. */
  tr, figure { break-inside: avoid; }
  thead { display: table-header-group; }
  figure svg { max-height: 24cm; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)css";

// A relative link target as Markdown readers take it: spaces and the
// characters that end or change a link (parentheses, brackets, #, ?, %)
// percent-encoded, the rest (Japanese too) as it is.
std::string link_target(std::string_view path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7F || std::string_view("%()<>[]\\\"'`#?").find(ch) != std::string_view::npos) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace

std::string to_markdown(const Document& doc, const std::string& files_dir) {
  std::string out = "# " + escape_markdown(doc.title) + "\n";
  for (const Block& b : doc.blocks) {
    out += "\n";
    switch (b.kind) {
      case Block::Kind::heading:
        out += std::string(static_cast<std::size_t>(std::clamp(b.level, 2, 6)), '#') + " " +
               escape_markdown(b.text) + "\n";
        break;
      case Block::Kind::paragraph:
        out += escape_markdown(b.text) + "\n";
        break;
      case Block::Kind::list:
        for (const auto& item : b.items) out += "- " + escape_markdown(item) + "\n";
        break;
      case Block::Kind::table: {
        auto row = [](const std::vector<std::string>& cells) {
          std::string line = "|";
          for (const auto& c : cells) line += " " + escape_markdown(c) + " |";
          return line + "\n";
        };
        out += row(b.table.header);
        out += "|";
        for (std::size_t k = 0; k < b.table.header.size(); ++k) out += " --- |";
        out += "\n";
        for (const auto& r : b.table.rows) out += row(r);
        break;
      }
      case Block::Kind::figure:
        out += "![" + escape_markdown(b.figure.caption) + "](" +
               link_target(files_dir + "/" + b.figure.name + ".svg") + ")\n";
        if (!b.figure.caption.empty()) out += "\n*" + escape_markdown(b.figure.caption) + "*\n";
        break;
    }
  }
  return out;
}

std::string to_html(const Document& doc) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"" + html_escape(doc.lang) + "\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + html_escape(doc.title) + "</title>\n<style>" + std::string(kCss) +
         "</style>\n</head>\n<body>\n";
  out += "<h1>" + html_escape(doc.title) + "</h1>\n";
  // A table of contents of the sections, for the screen and for print.
  std::string contents;
  int section = 0;
  for (const Block& b : doc.blocks)
    if (b.kind == Block::Kind::heading && b.level <= 2)
      contents +=
          "<li><a href=\"#s" + std::to_string(++section) + "\">" + html_escape(b.text) + "</a></li>\n";
  if (section > 1)
    out += "<nav class=\"toc\"><h2>" +
           html_escape(say(parse_lang(doc.lang).value_or(Lang::ja), Msg::report_contents)) + "</h2>\n<ol>\n" +
           contents + "</ol></nav>\n";
  section = 0;
  for (const Block& b : doc.blocks) {
    switch (b.kind) {
      case Block::Kind::heading: {
        std::string h = "h" + std::to_string(std::clamp(b.level, 2, 6));
        const std::string id = b.level <= 2 ? " id=\"s" + std::to_string(++section) + "\"" : "";
        out += "<" + h + id + ">" + html_escape(b.text) + "</" + h + ">\n";
        break;
      }
      case Block::Kind::paragraph:
        out += "<p>" + html_escape(b.text) + "</p>\n";
        break;
      case Block::Kind::list:
        out += "<ul>\n";
        for (const auto& item : b.items) out += "<li>" + html_escape(item) + "</li>\n";
        out += "</ul>\n";
        break;
      case Block::Kind::table:
        out += "<table>\n<thead><tr>";
        for (const auto& c : b.table.header) out += "<th>" + html_escape(c) + "</th>";
        out += "</tr></thead>\n<tbody>\n";
        for (const auto& r : b.table.rows) {
          out += "<tr>";
          for (const auto& c : r) out += "<td>" + html_escape(c) + "</td>";
          out += "</tr>\n";
        }
        out += "</tbody>\n</table>\n";
        break;
      case Block::Kind::figure:
        out += "<figure id=\"figure-" + html_escape(b.figure.name) + "\">\n" +
               inline_svg(b.figure.svg, b.figure.name) + "\n<figcaption>" + html_escape(b.figure.caption) +
               "</figcaption>\n</figure>\n";
        break;
    }
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace imozuru::report
