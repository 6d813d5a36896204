// The layout process started ahead of time (LayoutProcess), and rendering
// from the DOT text: what imozuru draws is what `dot` draws from the DOT
// file imozuru writes, whichever way the layout process was started.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "model/output_file.h"
#include "render/graphviz.h"
#include "render/render.h"
#include "render_support.h"
#include "small_model.h"

using namespace imozuru;
using namespace imozuru::render;
namespace fs = std::filesystem;
using testing_support::slurp;

namespace {

Date d(const char* s) { return *Date::parse(s); }

RenderOptions options(View view, Format format) {
  RenderOptions o;
  o.view = view;
  o.format = format;
  return o;
}

fs::path temp_dir() { return testing_support::temp_dir("layout_process_test"); }

// `dot -Tsvg` (Graphviz's own command) on a DOT file.
std::string dot_command_svg(const fs::path& dot_file) {
  std::string command = "dot -Tsvg '" + dot_file.string() + "'";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  REQUIRE(pclose(pipe) == 0);
  return out;
}

// Whether process `pid` has ended: reaped, or a zombie nobody reaped yet.
bool ended(pid_t pid) {
  if (kill(pid, 0) != 0) return errno == ESRCH;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::size_t paren = text.rfind(')');
  return paren == std::string::npos || text.substr(paren + 2, 1) == "Z";
}

bool ends_within(pid_t pid, std::chrono::milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (!ended(pid)) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace

TEST_CASE("a rendered SVG is byte-identical to dot -Tsvg on the DOT imozuru writes", "[render][svg][dot]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"), true);
  fs::path dir = temp_dir();
  for (View view : {View::flows, View::sectors, View::linkage}) {
    INFO("view " << to_string(view));
    fs::path dot_file = dir / "diagram.dot";
    write_file_atomically(dot_file, diagram_dot(at, options(view, Format::dot)));
    const std::string by_dot = dot_command_svg(dot_file);
    CHECK(render_diagram(at, options(view, Format::svg)) == by_dot);
    // The request sent at once (the layout process skips its warm-up), and
    // after the process has had time to warm up.
    auto prestarted = start_layout_process(Format::svg);
    CHECK(render_diagram(at, options(view, Format::svg), nullptr, prestarted.get()) == by_dot);
    auto warmed_up = start_layout_process(Format::svg);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(render_diagram(at, options(view, Format::svg), nullptr, warmed_up.get()) == by_dot);
  }
  fs::remove_all(dir);
}

TEST_CASE("with every layout engine the SVG is dot's and names its nodes", "[render][svg][engine]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  fs::path dir = temp_dir();
  for (Engine engine : {Engine::dot, Engine::sfdp, Engine::fdp, Engine::neato}) {
    INFO("engine " << to_string(engine));
    RenderOptions o = options(View::linkage, Format::dot);
    o.engine = engine;
    fs::path dot_file = dir / "diagram.dot";
    write_file_atomically(dot_file, diagram_dot(at, o));
    o.format = Format::svg;
    const std::string svg = render_diagram(at, o);
    // Graphviz 2.43's fdp lays this graph out one of two ways from run to
    // run, `dot -Kfdp` as much as imozuru; the other engines are stable.
    if (engine != Engine::fdp) CHECK(svg == dot_command_svg(dot_file));
    // SVG titles name the graph and nodes (a tooltip in browsers), never cgraph's "%N".
    CHECK(svg.find("<title>imozuru</title>") != std::string::npos);
    CHECK(svg.find("<title>%") == std::string::npos);
  }
  fs::remove_all(dir);
}

TEST_CASE("render_dot renders DOT text as render_diagram does, its own layout attribute choosing the engine",
          "[render][svg][engine]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  for (Engine engine : {Engine::dot, Engine::sfdp, Engine::neato}) {
    INFO("engine " << to_string(engine));
    RenderOptions o = options(View::linkage, Format::dot);
    o.engine = engine;
    const std::string dot = diagram_dot(at, o);
    CHECK(render_dot(dot, o) == dot);  // DOT needs no layout
    o.format = Format::svg;
    const std::string expected = render_diagram(at, o);
    // The text says `layout=sfdp` (or neato) itself; the engine asked for
    // yields to it, as with `dot -Tsvg`.
    RenderOptions automatic = o;
    automatic.engine = Engine::automatic;
    CHECK(render_dot(dot, automatic) == expected);
    auto prestarted = start_layout_process(Format::svg);
    CHECK(render_dot(dot, automatic, nullptr, prestarted.get()) == expected);
  }
  RenderOptions pdf = options(View::flows, Format::pdf);
  std::string bytes = render_dot(diagram_dot(at, options(View::flows, Format::dot)), pdf);
  CHECK(bytes == render_diagram(at, pdf));  // the creation date fixed in both
  CHECK(bytes.find("/CreationDate (D:20000101000000") != std::string::npos);
}

TEST_CASE("a layout process started ahead gives the same PNG and PDF as one forked at render time",
          "[render][png][pdf]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  for (Format format : {Format::png, Format::pdf}) {
    auto prestarted = start_layout_process(format);
    REQUIRE(prestarted);
    std::string ahead = render_diagram(at, options(View::flows, format), nullptr, prestarted.get());
    std::string now = render_diagram(at, options(View::flows, format));
    CHECK(ahead.size() > 1000);
    CHECK(ahead == now);
  }
  CHECK(start_layout_process(Format::dot) == nullptr);  // DOT needs no layout
}

TEST_CASE("a layout process serves one request, then refuses", "[render]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  auto prestarted = start_layout_process(Format::svg);
  const int pid = prestarted->pid();
  CHECK(pid > 0);
  render_diagram(at, options(View::flows, Format::svg), nullptr, prestarted.get());
  CHECK(prestarted->pid() == -1);
  CHECK_THROWS_WITH(render_diagram(at, options(View::flows, Format::svg), nullptr, prestarted.get()),
                    Catch::Contains("already used"));
  prestarted.reset();
  CHECK(kill(pid, 0) != 0);  // reaped, not a zombie
}

TEST_CASE("an unused layout process is stopped and reaped when dropped", "[render]") {
  auto prestarted = start_layout_process(Format::png);
  const int pid = prestarted->pid();
  REQUIRE(pid > 0);
  CHECK(kill(pid, 0) == 0);  // alive, waiting for its request
  auto start = std::chrono::steady_clock::now();
  prestarted.reset();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  CHECK(kill(pid, 0) != 0);
  CHECK(errno == ESRCH);
}

TEST_CASE("a layout process keeps the time limit from the request, and the output file is untouched",
          "[render][failure]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"), true);
  fs::path dir = temp_dir();
  fs::path out = dir / "kept.svg";
  write_file_atomically(out, "previous contents");
  auto prestarted = start_layout_process(Format::svg);
  const int pid = prestarted->pid();
  RenderOptions o = options(View::linkage, Format::svg);
  o.timeout_seconds = 0.000001;
  CHECK_THROWS_WITH(render_to_file(at, o, out, nullptr, prestarted.get()), Catch::Contains("did not finish within"));
  CHECK(slurp(out) == "previous contents");
  CHECK(kill(pid, 0) != 0);  // killed and reaped at the deadline
  fs::remove_all(dir);
}

TEST_CASE("a layout process ends when the program that started it dies", "[render]") {
  // This test process adopts the orphaned layout process so it can see it end.
  REQUIRE(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  pid_t program = fork();
  REQUIRE(program >= 0);
  if (program == 0) {
    close(fds[0]);
    auto prestarted = start_layout_process(Format::svg);
    int pid = prestarted->pid();
    if (write(fds[1], &pid, sizeof pid) != sizeof pid) _exit(2);
    _exit(0);  // no destructor runs: as if killed
  }
  close(fds[1]);
  int layout_pid = -1;
  REQUIRE(read(fds[0], &layout_pid, sizeof layout_pid) == sizeof layout_pid);
  close(fds[0]);
  int status = 0;
  REQUIRE(waitpid(program, &status, 0) == program);
  REQUIRE(layout_pid > 0);
  CHECK(ends_within(layout_pid, std::chrono::seconds(10)));
  waitpid(layout_pid, &status, 0);
  prctl(PR_SET_CHILD_SUBREAPER, 0);
}
