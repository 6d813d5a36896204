// A report as a small document tree (headings, paragraphs, lists, tables,
// figures) and its two outputs: Markdown and one self-contained HTML file.
// Building the content (report.cc) stays apart from formatting it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imozuru::report {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // plain text cells
};

struct Figure {
  std::string name;  // file stem: Markdown writes FILES_DIR/NAME.svg
  std::string svg;   // the SVG document as Graphviz wrote it
  std::string caption;
};

struct Block {
  enum class Kind { heading, paragraph, list, table, figure };
  Kind kind = Kind::paragraph;
  int level = 2;                   // heading
  std::string text;                // heading, paragraph
  std::vector<std::string> items;  // list
  Table table;
  Figure figure;
};

struct Document {
  std::string lang = "ja";  // the HTML lang attribute
  std::string title;
  std::vector<Block> blocks;

  void heading(int level, std::string text);
  void paragraph(std::string text);
  void list(std::vector<std::string> items);
  void table(Table table);
  void figure(Figure figure);
};

// Markdown (CommonMark with pipe tables); figures become image links to
// `files_dir`/NAME.svg, which the caller writes.
std::string to_markdown(const Document& doc, const std::string& files_dir);
// One HTML file: inline CSS, figures as inline SVG, no external resources.
std::string to_html(const Document& doc);

// Backslash-escapes Markdown punctuation, turns line breaks into spaces and
// escapes other control characters (text::terminal_text). HTML text goes
// through text::html_escape.
std::string escape_markdown(std::string_view text);
// The <svg> element of a Graphviz SVG document, without the XML prolog and
// comments; every id="X" becomes id="PREFIX-X" unless `id_prefix` is empty,
// so several diagrams can share one page.
std::string inline_svg(std::string_view svg, std::string_view id_prefix);

}  // namespace imozuru::report
