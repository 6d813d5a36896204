// Lists of indices stored flat: one array of values and one of offsets
// (compressed sparse rows), instead of a vector per list. ModelAt keeps each
// system's holdings, each item's holders and each system's flows this way:
// at national scale that is a few hundred thousand lists, and a vector each
// meant as many heap blocks to allocate, fill and free again.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "model/kinds.h"

namespace imozuru {

// A read-only run of indices: one row of IndexRows, or a whole vector.
// Valid while what it points into lives and is not changed.
class IndexSpan {
 public:
  using value_type = Index;
  using const_iterator = const Index*;
  using iterator = const Index*;

  IndexSpan() = default;
  IndexSpan(const Index* begin, const Index* end) : begin_(begin), end_(end) {}
  IndexSpan(const std::vector<Index>& v) : begin_(v.data()), end_(v.data() + v.size()) {}  // NOLINT

  const Index* begin() const { return begin_; }
  const Index* end() const { return end_; }
  std::size_t size() const { return static_cast<std::size_t>(end_ - begin_); }
  bool empty() const { return begin_ == end_; }
  Index operator[](std::size_t i) const { return begin_[i]; }
  Index front() const { return *begin_; }
  Index back() const { return end_[-1]; }
  std::vector<Index> vec() const { return std::vector<Index>(begin_, end_); }

  friend bool operator==(IndexSpan a, IndexSpan b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }
  friend bool operator!=(IndexSpan a, IndexSpan b) { return !(a == b); }
  friend bool operator==(IndexSpan a, const std::vector<Index>& b) { return a == IndexSpan(b); }
  friend bool operator==(const std::vector<Index>& a, IndexSpan b) { return IndexSpan(a) == b; }

 private:
  const Index* begin_ = nullptr;
  const Index* end_ = nullptr;
};

// Rows 0 … rows()-1 of indices; row r is values[offsets[r] … offsets[r+1]).
struct IndexRows {
  std::vector<std::size_t> offsets{0};
  std::vector<Index> values;

  std::size_t rows() const { return offsets.size() - 1; }
  IndexSpan operator[](std::size_t row) const {
    return IndexSpan(values.data() + offsets[row], values.data() + offsets[row + 1]);
  }
  // Ends the row being filled (the values appended since the previous one).
  void end_row() { offsets.push_back(values.size()); }

  // Rows from (row, value) pairs given by `each(emit)`, which calls
  // emit(row, value) for every pair, twice over (once to count, once to
  // fill): each row keeps the order the pairs came in.
  template <typename Each>
  static IndexRows counted(std::size_t rows, Each each) {
    IndexRows out;
    out.offsets.assign(rows + 1, 0);
    each([&](std::size_t row, Index) { ++out.offsets[row + 1]; });
    for (std::size_t r = 0; r < rows; ++r) out.offsets[r + 1] += out.offsets[r];
    out.values.resize(out.offsets[rows]);
    std::vector<std::size_t> next(out.offsets.begin(), out.offsets.end() - 1);
    each([&](std::size_t row, Index value) { out.values[next[row]++] = value; });
    return out;
  }
};

}  // namespace imozuru
