// Lists joined into one string, through fmt::join.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

namespace imozuru::text {

// "a, b, c" from {"a", "b", "c"} and ", "; "" from an empty list.
template <typename Range>
std::string join(const Range& items, std::string_view separator) {
  return fmt::format("{}", fmt::join(items, separator));
}

// The same for what `project` makes of each item (a name from an index, …).
template <typename Range, typename Project>
std::string join(const Range& items, std::string_view separator, Project project) {
  std::vector<std::string> texts;
  for (const auto& item : items) texts.push_back(std::string(project(item)));
  return join(texts, separator);
}

// The lines of `text` (split at '\n'), leaving out empty ones: the inverse
// of join(lines, "\n") for lines that are not empty.
inline std::vector<std::string> non_empty_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace imozuru::text
