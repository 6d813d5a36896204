// A large model's heap on transparent huge pages (docs/performance.md#huge-pages).
//
// Loading a national-scale model allocates a few hundred MB in millions of
// small blocks, and most of a warm run's CPU time went to the page faults of
// first touching them (4 KiB each; on a virtual machine every fault is also
// an exit to the hypervisor). When the kernel gives huge pages only to
// memory that asks for them (transparent_hugepage "madvise", the default of
// several distributions), glibc's malloc asks only when the tunable
// glibc.malloc.hugetlb=1 is set, and it reads tunables before main. So
// imozuru, given model files of 8 MiB or more, runs itself again once with
// the tunable set; nothing has been read or written by then.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace imozuru::cli {

// From this many bytes of model files (.yaml/.yml) on the command line.
inline constexpr std::uintmax_t kHugePageModelBytes = 8u << 20;

// Whether to run again with the tunable: `thp_enabled` is the text of
// /sys/kernel/mm/transparent_hugepage/enabled, `tunables` the value of
// GLIBC_TUNABLES (nullptr when unset), `model_bytes` the size of the model
// files named on the command line.
bool want_huge_page_heap(std::string_view thp_enabled, const char* tunables, std::uintmax_t model_bytes);

// GLIBC_TUNABLES with glibc.malloc.hugetlb=1 added.
std::string tunables_with_huge_pages(const char* tunables);

// The bytes of .yaml/.yml files the arguments name: a file itself, or the
// files in a directory (two levels down at most). It stops counting once the
// total reaches `enough` (the decision needs no more), and looks at no more
// than `max_entries` directory entries in all, so an argument such as `/`
// or a home directory costs a bounded look before the command starts.
inline constexpr std::size_t kHugePageScanEntries = 20000;
std::uintmax_t model_bytes_named(int argc, char** argv, std::uintmax_t enough = kHugePageModelBytes,
                                 std::size_t max_entries = kHugePageScanEntries);

// Runs /proc/self/exe again with the tunable set when want_huge_page_heap
// says so; returns (and the program goes on as it is) when it does not or
// when that fails. Does nothing in sanitizer builds (their malloc is not
// glibc's) or when GLIBC_TUNABLES already names the tunable (set
// glibc.malloc.hugetlb=0 to keep the heap on small pages).
void rerun_with_huge_page_heap_if_large(int argc, char** argv);

}  // namespace imozuru::cli
