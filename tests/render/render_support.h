// Small file and label helpers shared by the render tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace imozuru::render::testing_support {

namespace fs = std::filesystem;

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A directory of this test process's own, named after `what`.
inline fs::path temp_dir(const std::string& what) {
  fs::path dir = fs::temp_directory_path() / ("imozuru_" + what + "_" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

// The visible text of an HTML-like label: tags dropped, <BR/> as a newline,
// each row of a table a line, entities decoded, \\ as one backslash — what a reader of the diagram sees.
inline std::string label_text(std::string_view html) {
  std::string out;
  for (std::size_t i = 0; i < html.size();) {
    if (html[i] == '<') {
      std::size_t end = html.find('>', i);
      std::string tag(html.substr(i, end - i + 1));
      // A line is ended by <BR/>, or is a row of a table (leaded lines).
      if (tag == "<BR/>" || (tag.rfind("<TR", 0) == 0 && !out.empty() && out.back() != '\n')) out += '\n';
      i = end + 1;
    } else if (html[i] == '&') {
      std::size_t end = html.find(';', i);
      std::string entity(html.substr(i, end - i + 1));
      out += entity == "&amp;"    ? "&"
             : entity == "&lt;"   ? "<"
             : entity == "&gt;"   ? ">"
             : entity == "&quot;" ? "\""
                                  : "'";
      i = end + 1;
    } else if (html[i] == '\\' && i + 1 < html.size() && html[i + 1] == '\\') {
      out += '\\';
      i += 2;
    } else if (html[i] == '\\') {
      out += "<unescaped backslash: Graphviz would expand it>";
      ++i;
    } else {
      out += html[i++];
    }
  }
  return out;
}

}  // namespace imozuru::render::testing_support
