// Small file helpers shared by the render tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace imozuru::render::testing_support {

namespace fs = std::filesystem;

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A directory of this test process's own, named after `what`.
inline fs::path temp_dir(const std::string& what) {
  fs::path dir = fs::temp_directory_path() / ("imozuru_" + what + "_" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

}  // namespace imozuru::render::testing_support
