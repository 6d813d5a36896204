// The layout process (LayoutProcess), the one way Graphviz lays out and
// renders: what imozuru draws is what `dot` draws from the DOT file imozuru
// writes, whether the process was started ahead of time or for the diagram.
#include "render/layout_process.h"

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
#include <memory>
#include <thread>

#include "model/load.h"
#include "model/output_file.h"
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
    const std::string dot = diagram_dot(at, options(view, Format::svg));
    LayoutProcess at_once(Format::svg);
    CHECK(at_once.render(dot, options(view, Format::svg)) == by_dot);
    LayoutProcess warmed_up(Format::svg);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(warmed_up.render(dot, options(view, Format::svg)) == by_dot);
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

TEST_CASE(
    "a layout process renders DOT text as render_diagram does, its own layout attribute choosing the engine",
    "[render][svg][engine]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  for (Engine engine : {Engine::dot, Engine::sfdp, Engine::neato}) {
    INFO("engine " << to_string(engine));
    RenderOptions o = options(View::linkage, Format::dot);
    o.engine = engine;
    const std::string dot = diagram_dot(at, o);
    CHECK(LayoutProcess(Format::dot).render(dot, o) == dot);  // DOT needs no layout
    o.format = Format::svg;
    const std::string expected = render_diagram(at, o);
    // The text says `layout=sfdp` (or neato) itself; the engine asked for
    // yields to it, as with `dot -Tsvg`.
    RenderOptions automatic = o;
    automatic.engine = Engine::automatic;
    CHECK(LayoutProcess(Format::svg).render(dot, automatic) == expected);
  }
  RenderOptions pdf = options(View::flows, Format::pdf);
  std::string bytes =
      LayoutProcess(Format::pdf).render(diagram_dot(at, options(View::flows, Format::dot)), pdf);
  CHECK(bytes == render_diagram(at, pdf));  // the creation date fixed in both
  CHECK(bytes.find("/CreationDate (D:20000101000000") != std::string::npos);
}

TEST_CASE("a layout process started ahead gives the same PNG and PDF as one made for the diagram",
          "[render][png][pdf]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  for (Format format : {Format::png, Format::pdf}) {
    LayoutProcess ahead_of_time(format);
    REQUIRE(ahead_of_time.pid() > 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::string ahead =
        ahead_of_time.render(diagram_dot(at, options(View::flows, format)), options(View::flows, format));
    std::string now = render_diagram(at, options(View::flows, format));
    CHECK(ahead.size() > 1000);
    CHECK(ahead == now);
  }
  CHECK(LayoutProcess(Format::dot).pid() == -1);  // DOT needs no layout: nothing forked
}

TEST_CASE("a layout process made for one format draws the format it is asked for", "[render][png]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  const std::string dot = diagram_dot(at, options(View::flows, Format::dot));
  LayoutProcess for_dot(Format::dot);
  CHECK(for_dot.pid() == -1);  // forked only when a drawing is asked for
  CHECK(for_dot.render(dot, options(View::flows, Format::svg)) ==
        render_diagram(at, options(View::flows, Format::svg)));
  LayoutProcess for_svg(Format::svg);
  const RenderOptions png = options(View::flows, Format::png);
  CHECK(for_svg.render(diagram_dot(at, png), png) ==
        render_diagram(at, png));  // (the DOT text names the PNG's dpi)
  LayoutProcess unneeded(Format::svg);
  const int pid = unneeded.pid();
  REQUIRE(pid > 0);
  CHECK(unneeded.render(dot, options(View::flows, Format::dot)) == dot);
  CHECK(unneeded.pid() == -1);
  CHECK(kill(pid, 0) != 0);  // stopped and reaped at once
}

TEST_CASE("a layout process serves one request, then refuses", "[render]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  auto process = std::make_unique<LayoutProcess>(Format::svg);
  const int pid = process->pid();
  CHECK(pid > 0);
  const std::string dot = diagram_dot(at, options(View::flows, Format::svg));
  process->render(dot, options(View::flows, Format::svg));
  CHECK(process->pid() == -1);
  CHECK_THROWS_WITH(process->render(dot, options(View::flows, Format::svg)), Catch::Contains("already used"));
  process.reset();
  CHECK(kill(pid, 0) != 0);  // reaped, not a zombie
}

TEST_CASE("an unused layout process is stopped and reaped when dropped", "[render]") {
  auto process = std::make_unique<LayoutProcess>(Format::png);
  const int pid = process->pid();
  REQUIRE(pid > 0);
  CHECK(kill(pid, 0) == 0);  // alive, waiting for its request
  auto start = std::chrono::steady_clock::now();
  process.reset();
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
  LayoutProcess process(Format::svg);
  const int pid = process.pid();
  RenderOptions o = options(View::linkage, Format::svg);
  o.timeout_seconds = 0.000001;
  const std::string dot = diagram_dot(at, o);
  CHECK_THROWS_WITH(write_file_atomically(out, process.render(dot, o)),
                    Catch::Contains("did not finish within"));
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
    LayoutProcess process(Format::svg);
    int pid = process.pid();
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

// --- the memory limit -----------------------------------------------------------

namespace {

#if !defined(__SANITIZE_ADDRESS__)
// A model whose linkage view takes Graphviz some memory to draw: `n`
// systems in seven sectors, each holding a shared identifier and its own.
Model linked_systems(int n) {
  std::string y = "model: {name: linked}\nidentifiers:\n  - {id: shared, name: 共通番号, kind: national}\n";
  for (int i = 0; i < n; ++i)
    y += "  - {id: own" + std::to_string(i) + ", name: 番号" + std::to_string(i) + ", kind: sectoral}\n";
  y += "systems:\n";
  for (int i = 0; i < n; ++i)
    y += "  - {id: s" + std::to_string(i) + ", name: システム" + std::to_string(i) + ", sector: sector" +
         std::to_string(i % 7) + ", holds: {identifiers: [shared, own" + std::to_string(i) + "]}}\n";
  LoadResult loaded = load_model_text(y, "linked.yaml");
  REQUIRE(loaded.model);
  return std::move(*loaded.model);
}

const std::string kRefusedStart =
    "the memory limit (--memory-limit 16) is too small: the layout process has taken ";
const std::string kRefusedEnd =
    " MiB of address space before it starts drawing, leaving less than 32 MiB to draw with";

// The MiB a refusal says the layout process had taken before drawing.
std::size_t taken_mib(const std::string& refusal) {
  REQUIRE(refusal.rfind(kRefusedStart, 0) == 0);
  return std::stoul(refusal.substr(kRefusedStart.size()));
}
#endif

}  // namespace

TEST_CASE("a memory limit the layout process has already come near is refused before drawing, every time",
          "[render][failure][memory]") {
#if defined(__SANITIZE_ADDRESS__)
  SUCCEED("no address-space limit under AddressSanitizer");
#else
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  RenderOptions o = options(View::flows, Format::svg);
  o.memory_limit_bytes = std::size_t{16} << 20;
  const std::string dot = diagram_dot(at, o);
  // Made for the diagram (the request comes at once), and warmed up first:
  // Graphviz has then taken more, and the answer is still the same.
  for (int run = 0; run < 4; ++run) {
    INFO("run " << run);
    LayoutProcess process(Format::svg);
    if (run % 2 == 1) std::this_thread::sleep_for(std::chrono::milliseconds(300));
    try {
      process.render(dot, o);
      FAIL("drawn within 16 MiB");
    } catch (const RenderError& e) {
      const std::string message = e.what();
      CHECK(message.rfind(kRefusedStart, 0) == 0);
      CHECK(message.size() > kRefusedEnd.size());
      CHECK(message.compare(message.size() - kRefusedEnd.size(), kRefusedEnd.size(), kRefusedEnd) == 0);
      CHECK(taken_mib(message) > 16);
    }
  }
#endif
}

TEST_CASE("near the memory limit a render is Graphviz's whole drawing or an error naming --memory-limit",
          "[render][failure][memory]") {
#if defined(__SANITIZE_ADDRESS__)
  SUCCEED("no address-space limit under AddressSanitizer");
#else
  // Pango draws on with a font it could not load ("expect ugly output"),
  // glib ends the process when it cannot start a thread, Graphviz's scanner
  // exit()s: whichever allocation the limit refuses, the result must not be a
  // damaged drawing, nor an error that does not say which limit to raise.
  Model m = linked_systems(150);
  ModelAt at(m, d("2024-01-01"));
  RenderOptions o = options(View::linkage, Format::svg);
  const std::string dot = diagram_dot(at, o);
  const std::string whole = render_diagram(at, o);
  o.memory_limit_bytes = std::size_t{16} << 20;
  std::size_t taken = 0;
  try {
    LayoutProcess(Format::svg).render(dot, o);
  } catch (const RenderError& e) {
    taken = taken_mib(e.what());
  }
  REQUIRE(taken > 0);
  // From just above what the process had taken (Graphviz's plugins and
  // fonts still to load) to where the drawing fits.
  std::size_t drawn = 0;
  for (std::size_t above : {32, 48, 80, 120, 160, 200, 230, 260, 290, 320, 400}) {
    const std::size_t limit = taken + above;
    o.memory_limit_bytes = limit << 20;
    INFO("--memory-limit " << limit);
    std::string svg;
    try {
      svg = LayoutProcess(Format::svg).render(dot, o);
    } catch (const RenderError& e) {
      CHECK_THAT(e.what(), Catch::Contains("(--memory-limit " + std::to_string(limit) + ")"));
      continue;
    }
    CHECK(svg == whole);
    ++drawn;
  }
  CHECK(drawn > 0);
#endif
}

TEST_CASE("what Graphviz prints comes back as its messages, not onto the caller's terminal", "[render]") {
  Model m = testing::small_model();
  ModelAt at(m, d("2024-01-01"));
  RenderOptions o = options(View::sectors, Format::svg);
  const std::string dot = diagram_dot(at, o);
  // Fontconfig, under Graphviz's text layout, prints its own errors to stderr.
  REQUIRE(setenv("FONTCONFIG_FILE", "/nonexistent/fonts.conf", 1) == 0);
  fs::path dir = temp_dir();
  const fs::path err = dir / "stderr.txt";
  std::fflush(stderr);
  const int saved = dup(STDERR_FILENO);
  std::FILE* file = std::fopen(err.c_str(), "w");
  REQUIRE(file);
  dup2(fileno(file), STDERR_FILENO);
  std::vector<std::string> messages;
  std::string svg;
  try {
    svg = LayoutProcess(Format::svg).render(dot, o, &messages);
  } catch (...) {
  }
  dup2(saved, STDERR_FILENO);
  close(saved);
  std::fclose(file);
  unsetenv("FONTCONFIG_FILE");
  CHECK(svg.find("<svg") != std::string::npos);
  CHECK(slurp(err).empty());
  bool fontconfig = false;
  for (const auto& line : messages)
    fontconfig = fontconfig || line.find("Fontconfig error") != std::string::npos;
  CHECK(fontconfig);
  fs::remove_all(dir);
}
