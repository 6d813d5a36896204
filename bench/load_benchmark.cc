// Times loading a model: `load_benchmark MODEL` runs load_model (parse,
// build, validate; its files on one thread per core, `--threads N` on N);
// `load_benchmark --bare MODEL` only parses the same files with yaml-cpp's
// event API and a handler that does nothing, on one thread. One mode per
// process so each peak RSS is its own.
#include <sys/resource.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "model/load.h"

namespace fs = std::filesystem;

namespace {

class NullHandler : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {
    ++scalars;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
  }
  void OnMapEnd() override {}
  long scalars = 0;
};

std::vector<fs::path> model_files(const fs::path& path) {
  std::vector<fs::path> files;
  if (!fs::is_directory(path)) return {path};
  for (const auto& e : fs::recursive_directory_iterator(path)) {
    auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // Linux reports KiB
}

// User + system CPU time: steadier than wall time on a busy machine.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto sec = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return sec(usage.ru_utime) + sec(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  const bool bare = argc == 3 && std::strcmp(argv[1], "--bare") == 0;
  const bool threads_given = argc == 4 && std::strcmp(argv[1], "--threads") == 0;
  imozuru::LoadLimits limits;
  if (threads_given) limits.threads = static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10));
  if (argc != 2 && !bare && !(threads_given && limits.threads >= 1)) {
    std::fprintf(stderr, "usage: load_benchmark [--bare | --threads N] MODEL\n");
    return 1;
  }
  fs::path path = argv[argc - 1];
  auto start = std::chrono::steady_clock::now();
  std::size_t bytes = 0, files = 0, count = 0;
  if (bare) {
    for (const fs::path& file : model_files(path)) {
      std::ifstream in(file, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      bytes += text.str().size();
      ++files;
      NullHandler handler;
      YAML::Parser parser(text);
      while (parser.HandleNextDocument(handler)) {
      }
      count += handler.scalars;
    }
  } else {
    imozuru::LoadResult result = imozuru::load_model(path, limits);
    if (!result.model) {
      result.diagnostics.print(std::cerr);
      return 2;
    }
    const imozuru::Model& m = *result.model;
    count = m.systems.size() + m.flows.size() + m.identifiers.size() + m.data.size() + m.laws.size() +
            m.actors.size() + m.sources.size();
    for (const fs::path& file : model_files(path)) bytes += fs::file_size(file), ++files;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%-6s files=%zu bytes=%zu %s=%zu wall_seconds=%.3f cpu_seconds=%.3f peak_rss_mib=%.1f\n",
              bare ? "bare" : "loader", files, bytes, bare ? "scalars" : "entities", count, seconds,
              cpu_seconds(), peak_rss_mib());
  return 0;
}
