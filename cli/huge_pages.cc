#include "cli/huge_pages.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace imozuru::cli {
namespace {

constexpr std::string_view kTunable = "glibc.malloc.hugetlb";

bool model_file(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml";
}

}  // namespace

bool want_huge_page_heap(std::string_view thp_enabled, const char* tunables, std::uintmax_t model_bytes) {
  if (model_bytes < kHugePageModelBytes) return false;
  if (thp_enabled.find("[madvise]") == std::string_view::npos) return false;  // always, never: nothing to ask
  return tunables == nullptr || std::string_view(tunables).find(kTunable) == std::string_view::npos;
}

std::string tunables_with_huge_pages(const char* tunables) {
  std::string out = tunables && *tunables ? std::string(tunables) + ":" : std::string();
  return out + std::string(kTunable) + "=1";
}

std::uintmax_t model_bytes_named(int argc, char** argv, std::uintmax_t enough, std::size_t max_entries) {
  namespace fs = std::filesystem;
  std::uintmax_t total = 0;
  std::size_t entries = 0;
  for (int i = 1; i < argc && total < enough; ++i) {
    if (argv[i][0] == '-') continue;
    std::error_code ec;
    const fs::path path(argv[i]);
    const fs::file_status st = fs::status(path, ec);
    if (ec) continue;
    if (fs::is_regular_file(st)) {
      if (model_file(path)) total += fs::file_size(path, ec);
    } else if (fs::is_directory(st)) {
      fs::recursive_directory_iterator it(path, ec), end;
      for (; !ec && it != end && total < enough && entries < max_entries; it.increment(ec), ++entries) {
        if (it.depth() >= 2) it.disable_recursion_pending();
        std::error_code size_ec;
        if (it->is_regular_file(size_ec) && model_file(it->path())) {
          const std::uintmax_t size = it->file_size(size_ec);
          if (!size_ec) total += size;
        }
      }
    }
  }
  return total;
}

void rerun_with_huge_page_heap_if_large(int argc, char** argv) {
#if defined(__SANITIZE_ADDRESS__)
  return;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return;
#endif
#endif
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables && std::string_view(tunables).find(kTunable) != std::string_view::npos) return;  // ran again
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  const std::string thp((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (thp.find("[madvise]") == std::string::npos) return;
  if (!want_huge_page_heap(thp, tunables, model_bytes_named(argc, argv))) return;
  const std::string value = tunables_with_huge_pages(tunables);
  if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // Could not: go on as we are, without the tunable in the environment.
  if (tunables)
    setenv("GLIBC_TUNABLES", tunables, 1);
  else
    unsetenv("GLIBC_TUNABLES");
}

}  // namespace imozuru::cli
