#include "query/cxx_memory.h"

#include <malloc.h>
#include <pthread.h>

#include <cstdlib>
#include <new>

#include "query/sandbox.h"

namespace imozuru::query {
namespace {

// Plain data with constant initialisers: usable from the first allocation
// of the process to the last.
thread_local Runtime* t_runtime = nullptr;
thread_local int t_may_fail = 0;

// A render's layout process is forked while a script runs: the child counts
// nothing (it has limits of its own).
void stop_counting_in_child() {
  t_runtime = nullptr;
  t_may_fail = 0;
}
const int kAtFork = pthread_atfork(nullptr, nullptr, stop_counting_in_child);

void* allocate(std::size_t size) {
  if (size == 0) size = 1;
  void* p;
  while ((p = std::malloc(size)) == nullptr) {
    std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
  }
  if (Runtime* rt = t_runtime) {
    const std::size_t n = malloc_usable_size(p);
    rt->cxx += static_cast<std::ptrdiff_t>(n);
    const bool over = memory_in_use(*rt) > rt->limits.memory_bytes;
    if (t_may_fail > 0 && (over || rt->memory_tripped)) {
      rt->cxx -= static_cast<std::ptrdiff_t>(n);
      std::free(p);
      trip_memory_limit(*rt);
      throw std::bad_alloc();
    }
    if (over) trip_memory_limit(*rt);
  }
  return p;
}

void release(void* p) noexcept {
  if (!p) return;
  if (Runtime* rt = t_runtime) rt->cxx -= static_cast<std::ptrdiff_t>(malloc_usable_size(p));
  std::free(p);
}

}  // namespace

CountCxxMemory::CountCxxMemory(Runtime& rt) : previous_(t_runtime) {
  (void)kAtFork;
  t_runtime = &rt;
}
CountCxxMemory::~CountCxxMemory() { t_runtime = previous_; }

CxxMayFail::CxxMayFail() { ++t_may_fail; }
CxxMayFail::~CxxMayFail() { --t_may_fail; }

}  // namespace imozuru::query

// The replaceable allocation functions (aligned ones keep their defaults,
// which allocate and free on their own and are not counted).
void* operator new(std::size_t size) { return imozuru::query::allocate(size); }
void* operator new[](std::size_t size) { return imozuru::query::allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return imozuru::query::allocate(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return imozuru::query::allocate(size);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { imozuru::query::release(p); }
void operator delete[](void* p) noexcept { imozuru::query::release(p); }
void operator delete(void* p, std::size_t) noexcept { imozuru::query::release(p); }
void operator delete[](void* p, std::size_t) noexcept { imozuru::query::release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { imozuru::query::release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { imozuru::query::release(p); }
