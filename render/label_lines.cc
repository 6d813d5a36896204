#include "render/label_lines.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace imozuru::render {
namespace {

// The size taken for text outside any FONT: Graphviz's default. Every
// label of render/diagram.cc has its text inside a FONT with a POINT-SIZE.
constexpr double kOuterSize = 14;

struct Open {
  std::string tag;  // as written, e.g. <FONT POINT-SIZE="9" COLOR="#555555">
  double size;      // the font size inside it
};

struct Line {
  std::string html;
  double size = 0;  // its largest font, in points; 0 while it has no text
};

// The font size inside `tag`, opened where the size is `outer`.
double size_inside(const std::string& tag, double outer) {
  static const std::string kSize = "POINT-SIZE=\"";
  const std::size_t at = tag.find(kSize);
  if (tag.rfind("<FONT", 0) != 0 || at == std::string::npos) return outer;
  const double size = std::strtod(tag.c_str() + at + kSize.size(), nullptr);
  return size > 0 ? size : outer;
}

// The closing tag of an opening one: <FONT ...> → </FONT>.
std::string closing(const std::string& tag) {
  return "</" + tag.substr(1, tag.find_first_of(" >") - 1) + ">";
}

}  // namespace

std::string leaded(const std::string& html) {
  if (html.find("<BR/>") == std::string::npos || html.find("<TABLE") != std::string::npos) return html;
  std::vector<Line> lines(1);
  std::vector<Open> open;
  auto size_now = [&] { return open.empty() ? kOuterSize : open.back().size; };
  for (std::size_t i = 0; i < html.size();) {
    if (html[i] != '<') {
      const std::size_t end = std::min(html.find('<', i), html.size());
      lines.back().html.append(html, i, end - i);
      lines.back().size = std::max(lines.back().size, size_now());
      i = end;
      continue;
    }
    const std::size_t end = std::min(html.find('>', i), html.size() - 1);
    const std::string tag = html.substr(i, end - i + 1);
    i = end + 1;
    if (tag == "<BR/>") {
      // The line ends with its open tags closed; the next opens them again.
      Line& ended = lines.back();
      if (ended.size == 0) ended.size = size_now();
      for (auto it = open.rbegin(); it != open.rend(); ++it) ended.html += closing(it->tag);
      lines.emplace_back();
      for (const Open& o : open) lines.back().html += o.tag;
    } else if (tag.size() > 1 && tag[1] == '/') {
      if (!open.empty()) open.pop_back();
      lines.back().html += tag;
    } else {
      open.push_back({tag, size_inside(tag, size_now())});
      lines.back().html += tag;
    }
  }
  if (lines.back().size == 0) lines.back().size = size_now();
  std::string rows;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    rows += "<TR><TD VALIGN=\"BOTTOM\"";
    if (k > 0) {
      const double em = std::max(lines[k].size, lines[k - 1].size);
      rows += " HEIGHT=\"" + std::to_string(static_cast<int>(std::ceil(kLabelLeading * em))) + "\"";
    }
    rows += ">" + lines[k].html + "</TD></TR>";
  }
  return "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLPADDING=\"0\" CELLSPACING=\"0\">" + rows + "</TABLE>";
}

}  // namespace imozuru::render
