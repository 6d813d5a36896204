// When imozuru runs itself again with glibc.malloc.hugetlb=1
// (cli/huge_pages.h): only for model files of 8 MiB or more, only when the
// kernel gives huge pages to memory that asks (madvise), and never twice.
#include "cli/huge_pages.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
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

TEST_CASE("huge pages: counting the model bytes stops once they are enough, and after so many entries",
          "[cli][huge_pages]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("imozuru-huge-pages-stop-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  for (int k = 0; k < 10; ++k)
    std::ofstream(dir / ("f" + std::to_string(k) + ".yaml")) << std::string(7, 'x');
  std::ofstream(dir / "sub" / "g.yaml") << std::string(7, 'x');
  std::vector<std::string> args = {"imozuru", "validate", dir.string(), (dir / "f0.yaml").string()};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  const int argc = static_cast<int>(argv.size());
  CHECK(model_bytes_named(argc, argv.data()) == 12 * 7);  // eleven in the directory, one named again
  // Enough at 20 bytes: the third file of 7 reaches it, whichever comes first.
  CHECK(model_bytes_named(argc, argv.data(), 20) == 21);
  // Four entries of the directory (the subdirectory may be one of them),
  // then the file named on its own.
  const std::uintmax_t four = model_bytes_named(argc, argv.data(), kHugePageModelBytes, 4);
  CHECK(four >= 3 * 7 + 7);
  CHECK(four <= 4 * 7 + 7);
  fs::remove_all(dir);
}

namespace {

// Runs `imozuru render DIR --watch` (so the process stays up to be looked
// at) on a model of `bytes` bytes, waits until its diagram is written, and
// returns the process's environment then, as /proc/PID/environ gives it
// (execv replaces it, so it is the second start's).
std::string environment_of_watching_render(std::size_t bytes, const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("imozuru-huge-pages-run-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir / "model");
  {
    std::ofstream model(dir / "model" / "model.yaml", std::ios::binary);
    model << "sources: [{id: s, title: T}]\nsystems: [{id: a, name: A, sector: x, sources: [s]}]\n";
    const std::string comment = "# " + std::string(76, 'x') + "\n";
    for (std::size_t written = 0; written < bytes; written += comment.size()) model << comment;
  }
  const fs::path svg = dir / "a.svg";
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::unsetenv("GLIBC_TUNABLES");
    ::setenv("IMOZURU_NO_CACHE", "1", 1);
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    ::execl(IMOZURU_BINARY, "imozuru", "render", (dir / "model").c_str(), "--watch", "-o", svg.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::string environment;
  for (int tries = 0; tries < 300 && !fs::exists(svg); ++tries) ::usleep(100'000);
  const bool drawn = fs::exists(svg);
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  environment.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  fs::remove_all(dir);
  REQUIRE(drawn);
  return environment;
}

bool madvise_mode() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  const std::string mode((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return mode.find("[madvise]") != std::string::npos;
}

}  // namespace

TEST_CASE("huge pages: a command on a large model runs again with the tunable set, a small one does not",
          "[cli][huge_pages]") {
  if (!madvise_mode()) {
    WARN("transparent huge pages are not in madvise mode here: imozuru never runs itself again");
    return;
  }
  const std::string tunable = std::string("GLIBC_TUNABLES=") + "glibc.malloc.hugetlb=1";
  const std::string small = environment_of_watching_render(1u << 20, "small");
  CHECK(small.find("glibc.malloc.hugetlb") == std::string::npos);
  const std::string large = environment_of_watching_render(kHugePageModelBytes, "large");
#if defined(__SANITIZE_ADDRESS__)
  CHECK(large.find("glibc.malloc.hugetlb") == std::string::npos);  // never under AddressSanitizer
#else
  CHECK(large.find(tunable) != std::string::npos);
#endif
}
