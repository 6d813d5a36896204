// Sorts a vector and drops repeated elements: the set-as-sorted-vector shape
// the analyses use for ids and indices.
#pragma once

#include <algorithm>
#include <vector>

namespace imozuru {

template <typename T>
void sort_unique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace imozuru
