// The tutorial's console blocks are real output: re-run each `$ imozuru …`
// command and compare, so the docs fail a test when the tool changes.
#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct ConsoleBlock {
  std::string command;  // after "$ imozuru "
  std::string output;
};

// Blocks with one `$ imozuru` command whose output was pasted verbatim.
std::vector<ConsoleBlock> verbatim_blocks(const std::string& markdown) {
  std::vector<ConsoleBlock> blocks;
  std::istringstream in(markdown);
  std::string line;
  bool inside = false;
  std::vector<std::string> lines;
  while (std::getline(in, line)) {
    if (!inside && line == "```console") {
      inside = true;
      lines.clear();
    } else if (inside && line == "```") {
      inside = false;
      int commands = 0;
      for (const auto& l : lines) commands += l.rfind("$ ", 0) == 0;
      if (commands != 1 || lines.empty() || lines[0].rfind("$ imozuru ", 0) != 0) continue;
      ConsoleBlock b{lines[0].substr(10), ""};
      // Condensed JSON and files that are not in the repo are not verbatim.
      if (b.command.find("--format json") != std::string::npos ||
          b.command.find("typo.yaml") != std::string::npos)
        continue;
      for (size_t i = 1; i < lines.size(); ++i) b.output += lines[i] + "\n";
      blocks.push_back(b);
    } else if (inside) {
      lines.push_back(line);
    }
  }
  return blocks;
}

std::string run(const std::string& args, int* status) {
  std::string cmd =
      std::string("cd '") + IMOZURU_SOURCE_DIR + "' && '" + IMOZURU_BINARY + "' " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int rc = pclose(p);
  *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

}  // namespace

TEST_CASE("every verbatim console block in docs/tutorial.md matches a real run", "[docs]") {
  std::ifstream f(std::string(IMOZURU_SOURCE_DIR) + "/docs/tutorial.md");
  REQUIRE(f);
  std::stringstream ss;
  ss << f.rdbuf();
  auto blocks = verbatim_blocks(ss.str());
  REQUIRE(blocks.size() >= 5);
  for (const auto& b : blocks) {
    if (b.command.rfind("render ", 0) == 0) continue;  // writes files; checked by the render tests
    INFO("imozuru " << b.command);
    int status = 0;
    std::string out = run(b.command, &status);
    CHECK(status == 0);
    CHECK(out == b.output);
  }
}
