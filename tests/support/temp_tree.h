// Fresh directories and files for tests that load a model from disk.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace imozuru::testing {

// A fresh empty directory `prefix` + `name` under the temporary directory.
inline std::filesystem::path fresh_temp_dir(const std::string& prefix, const std::string& name) {
  std::filesystem::path p = std::filesystem::temp_directory_path() / (prefix + name);
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

// Writes `text` to `path` exactly, creating the directories above it.
inline void write_tree_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace imozuru::testing
