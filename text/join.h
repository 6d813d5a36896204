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

}  // namespace imozuru::text
