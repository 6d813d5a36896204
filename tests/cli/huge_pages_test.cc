// When imozuru runs itself again with glibc.malloc.hugetlb=1
// (cli/huge_pages.h): only for model files of 8 MiB or more, only when the
// kernel gives huge pages to memory that asks (madvise), and never twice.
#include "cli/huge_pages.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace imozuru::cli;

TEST_CASE("huge pages: asked for only for large models under madvise and only once", "[cli][huge_pages]") {
  const char* madvise = "always [madvise] never\n";
  CHECK(want_huge_page_heap(madvise, nullptr, kHugePageModelBytes));
  CHECK(want_huge_page_heap(madvise, "glibc.malloc.arena_max=2", 100u << 20));
  CHECK_FALSE(want_huge_page_heap(madvise, nullptr, kHugePageModelBytes - 1));
  CHECK_FALSE(want_huge_page_heap("[always] madvise never\n", nullptr, 100u << 20));
  CHECK_FALSE(want_huge_page_heap("always madvise [never]\n", nullptr, 100u << 20));
  CHECK_FALSE(want_huge_page_heap("", nullptr, 100u << 20));
  CHECK_FALSE(want_huge_page_heap(madvise, "glibc.malloc.hugetlb=1", 100u << 20));
  CHECK_FALSE(want_huge_page_heap(madvise, "glibc.malloc.hugetlb=0", 100u << 20));  // the way to turn it off
  CHECK(tunables_with_huge_pages(nullptr) == "glibc.malloc.hugetlb=1");
  CHECK(tunables_with_huge_pages("") == "glibc.malloc.hugetlb=1");
  CHECK(tunables_with_huge_pages("glibc.malloc.arena_max=2") ==
        "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
}

TEST_CASE("huge pages: the model bytes named count .yaml and .yml files, in directories two levels down",
          "[cli][huge_pages]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("imozuru-huge-pages-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "a" / "b" / "c");
  auto write = [](const fs::path& p, std::size_t n) { std::ofstream(p) << std::string(n, 'x'); };
  write(dir / "model.yaml", 100);
  write(dir / "a" / "systems.yml", 20);
  write(dir / "a" / "b" / "flows.yaml", 3);
  write(dir / "a" / "b" / "c" / "too_deep.yaml", 1000);
  write(dir / "notes.txt", 5000);
  const std::string d = dir.string(), f = (dir / "model.yaml").string(), t = (dir / "notes.txt").string();
  std::vector<std::string> args = {
      "imozuru", "reach", d, "--from", "identifier:x", f, t, "-", (dir / "none").string()};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  CHECK(model_bytes_named(static_cast<int>(argv.size()), argv.data()) == 123 + 100);
  fs::remove_all(dir);
}
