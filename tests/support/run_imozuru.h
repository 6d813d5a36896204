// Running the built imozuru as a user would, and reading the files its output
// is compared with: shared by the end-to-end tests of every suite.
#pragma once

#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace imozuru::testing {

struct Run {
  int status = -1;  // exit status; -1 when killed by a signal
  std::string out;  // standard output (and standard error when merged)
};

enum class Stderr { dropped, merged };
enum class Directory { current, source };  // `source`: model paths may be relative to the repository

// Runs `imozuru ARGS` through the shell and collects its output.
inline Run run_imozuru(const std::string& args, Stderr err = Stderr::dropped,
                       Directory dir = Directory::current) {
  std::string command;
  if (dir == Directory::source) command = "cd '" + std::string(IMOZURU_SOURCE_DIR) + "' && ";
  command +=
      "'" + std::string(IMOZURU_BINARY) + "' " + args + (err == Stderr::merged ? " 2>&1" : " 2>/dev/null");
  Run r;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) r.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// The whole file, which must exist.
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  INFO(path);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A file of tests/golden/.
inline std::string golden(const std::string& name) {
  return read_file(std::string(IMOZURU_SOURCE_DIR) + "/tests/golden/" + name);
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace imozuru::testing
