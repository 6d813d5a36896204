// Reading the XML exports back as their users' tools do: a Python script
// (networkx, ElementTree) and xmllint against XSDs kept in
// tests/export/schema/: GEXF's own, vendored, and a GraphML 1.0 schema of our
// own (the README there says which is which and why).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace imozuru::test {

inline const std::string kSchemaDir = std::string(IMOZURU_SOURCE_DIR) + "/tests/export/schema";

// A file in the temporary directory, removed at the end of the test.
struct TempFile {
  std::filesystem::path path;
  TempFile(const std::string& name, const std::string& text)
      : path(std::filesystem::temp_directory_path() /
             ("imozuru-export-" + std::to_string(::getpid()) + "-" + name)) {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  ~TempFile() { std::filesystem::remove(path); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
};

struct Output {
  int status = -1;
  std::string text;  // stdout and stderr
};

inline Output run_command(const std::string& command) {
  Output r;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe);
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) r.text.append(buffer.data(), n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// Runs `script` with /usr/bin/python3, the file to read as sys.argv[1].
inline Output run_python(const std::string& script, const std::filesystem::path& file) {
  TempFile code("script.py", script);
  return run_command("/usr/bin/python3 '" + code.path.string() + "' '" + file.string() + "'");
}

// xmllint --schema, offline (--nonet: every schema it needs is vendored).
inline Output validate(const std::string& schema, const std::filesystem::path& file) {
  return run_command("xmllint --noout --nonet --schema '" + kSchemaDir + "/" + schema + "' '" +
                     file.string() + "'");
}

}  // namespace imozuru::test
