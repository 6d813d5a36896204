// C++ memory made on a script's behalf counts against --memory (issue 19).
// Model handles from model:at, their linkage graphs, analysis results and
// the trees and texts of imozuru.json live in C++, outside Lua's allocator.
// While a script runs, every operator new and delete on its thread is
// counted in its Runtime (allocated less freed). Where the C++ code is ready
// for an exception (inside cxx() and new_box, query/lua_support.h), an
// allocation past the budget throws std::bad_alloc at once, so a tree or a
// model is refused while it is built; anywhere else it trips the limit and
// the script stops at its next instruction. Exit status 4 either way.
#pragma once

namespace imozuru::query {

struct Runtime;

// While alive, this thread's C++ allocations count in `rt` (one at a time).
class CountCxxMemory {
 public:
  explicit CountCxxMemory(Runtime& rt);
  ~CountCxxMemory();
  CountCxxMemory(const CountCxxMemory&) = delete;
  CountCxxMemory& operator=(const CountCxxMemory&) = delete;

 private:
  Runtime* previous_;
};

// While alive, an allocation past the budget throws std::bad_alloc. Only
// around C++ code that no Lua error (longjmp) can leave.
class CxxMayFail {
 public:
  CxxMayFail();
  ~CxxMayFail();
  CxxMayFail(const CxxMayFail&) = delete;
  CxxMayFail& operator=(const CxxMayFail&) = delete;
};

}  // namespace imozuru::query
