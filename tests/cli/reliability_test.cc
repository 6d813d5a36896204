// What adversarial testing broke in the command line (issue 19), one
// regression test per defect, end to end through the built imozuru: -o onto
// devices, FIFOs and descriptor paths; models read from pipes; write errors
// on standard output; report's directories and links; a query's render
// child; usage errors (exit 2, did you mean, ranges in words); the html page
// of a large model; allocation failures; surrogate pairs; and every exit
// status docs/cli.md lists.
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "hostile_support.h"
#include "model/output_file.h"

using namespace imozuru::hostile;

namespace {

const std::string kModel = std::string(IMOZURU_SOURCE_DIR) + "/docs/examples/clinic.yaml";
const std::string kQueryModel = std::string(IMOZURU_FIXTURES) + "/query/small.yaml";

// Runs a bash script with $IMOZURU set, capturing both streams; with
// `kill_after`, a run still going then is killed (status -1).
Run shell(const std::string& script, int kill_after = 0) {
  static int counter = 0;
  fs::path dir = scratch("shell" + std::to_string(counter++));
  spit(dir / "script.sh", script);
  std::string cmd = "IMOZURU=" + quote(IMOZURU_BINARY) + " " +
                    (kill_after > 0 ? "timeout -s KILL " + std::to_string(kill_after) + " " : std::string()) +
                    "bash " + quote((dir / "script.sh").string()) + " >" + quote((dir / "out").string()) +
                    " 2>" + quote((dir / "err").string());
  int raw = std::system(cmd.c_str());
  Run r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  if (kill_after > 0 && r.status == 128 + 9) r.status = -1;
  r.out = slurp(dir / "out");
  r.err = slurp(dir / "err");
  return r;
}

std::string expected_export() {
  Run r = run("export " + quote(kModel) + " --format json --at 2026-01-01");
  REQUIRE(r.status == 0);
  REQUIRE(r.out.size() > 100);
  return r.out;
}

bool is_named_pipe(const fs::path& p) { return fs::is_fifo(fs::symlink_status(p)); }

}  // namespace

// ---- 8. -o onto devices, FIFOs and descriptor paths

TEST_CASE("reliability: -o writes through a FIFO and leaves it a FIFO", "[cli][reliability]") {
  fs::path dir = scratch("fifo_out");
  fs::path fifo = dir / "pipe";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  const std::string expected = expected_export();
  Run r = shell("timeout 30 cat " + quote(fifo.string()) + " > " + quote((dir / "got").string()) + " &\n" +
                "reader=$!\n\"$IMOZURU\" export " + quote(kModel) + " --format json --at 2026-01-01 -o " +
                quote(fifo.string()) + "\nstatus=$?\nwait $reader\nexit $status\n");
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(slurp(dir / "got") == expected);
  CHECK(is_named_pipe(fifo));  // it used to be replaced by a regular file
}

TEST_CASE("reliability: -o onto descriptor paths and a link to /dev/stdout writes to standard output",
          "[cli][reliability]") {
  const std::string expected = expected_export();
  for (const char* path : {"/dev/fd/1", "/proc/self/fd/1"}) {
    INFO(path);
    Run r = run("export " + quote(kModel) + " --format json --at 2026-01-01 -o " + path);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(r.out == expected);
  }
  // Through a pipe too, and through a symbolic link to /dev/stdout, which stays a link.
  fs::path dir = scratch("stdout_link");
  fs::create_symlink("/dev/stdout", dir / "out.json");
  Run piped = shell("\"$IMOZURU\" export " + quote(kModel) + " --format json --at 2026-01-01 -o " +
                    quote((dir / "out.json").string()) + " | cat\n");
  INFO(piped.err);
  CHECK(piped.status == 0);
  CHECK(piped.out == expected);
  CHECK(fs::is_symlink(dir / "out.json"));
  CHECK(fs::read_symlink(dir / "out.json") == "/dev/stdout");
}

TEST_CASE("reliability: descriptor paths are recognised by their text", "[cli][reliability]") {
  // Never renamed over: /dev/stdout is a node of the system's, not ours.
  CHECK(imozuru::descriptor_of_path("/dev/stdout") == 1);
  CHECK(imozuru::descriptor_of_path("/dev/stderr") == 2);
  CHECK(imozuru::descriptor_of_path("/dev/stdin") == 0);
  CHECK(imozuru::descriptor_of_path("/dev/fd/7") == 7);
  CHECK(imozuru::descriptor_of_path("/proc/self/fd/12") == 12);
  CHECK(imozuru::descriptor_of_path("/proc/" + std::to_string(getpid()) + "/fd/3") == 3);
  CHECK(imozuru::descriptor_of_path("/dev/./stdout") == 1);
  CHECK_FALSE(imozuru::descriptor_of_path("/dev/null"));
  CHECK_FALSE(imozuru::descriptor_of_path("/proc/self/fd/x"));
  CHECK_FALSE(imozuru::descriptor_of_path("stdout"));
}

TEST_CASE("reliability: -o onto a character device writes through it", "[cli][reliability]") {
  // A node of our own (mknod needs root; elsewhere the test has nothing to do).
  fs::path dir = scratch("chardev");
  fs::path null = dir / "null", full = dir / "full";
  if (mknod(null.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0 ||
      mknod(full.c_str(), S_IFCHR | 0666, makedev(1, 7)) != 0) {
    SUCCEED("mknod is not allowed here");
    return;
  }
  Run r = run("export " + quote(kModel) + " --format json -o " + quote(null.string()));
  CHECK(r.status == 0);
  struct stat st {};
  REQUIRE(stat(null.c_str(), &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  // A full device: the write fails, with the reason, and the node stays.
  Run f = run("export " + quote(kModel) + " --format json -o " + quote(full.string()));
  CHECK(f.status == 1);
  CHECK_THAT(f.err, Catch::Contains("cannot write " + full.string() + ": writing: No space left on device"));
  REQUIRE(stat(full.c_str(), &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
}

TEST_CASE("reliability: -o keeps the permissions of the file it replaces", "[cli][reliability]") {
  fs::path dir = scratch("mode");
  fs::path out = dir / "out.json";
  spit(out, "old");
  REQUIRE(chmod(out.c_str(), 0600) == 0);
  Run r = run("export " + quote(kModel) + " --format json -o " + quote(out.string()));
  CHECK(r.status == 0);
  struct stat st {};
  REQUIRE(stat(out.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);  // was 0644: the umask's default
  CHECK(slurp(out).find("\"systems\"") != std::string::npos);
  // A new file gets what a normal create would.
  fs::path fresh = dir / "fresh.json";
  CHECK(run("export " + quote(kModel) + " --format json -o " + quote(fresh.string())).status == 0);
  mode_t mask = umask(0);
  umask(mask);
  REQUIRE(stat(fresh.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == (0666 & ~mask));
}

TEST_CASE("reliability: -o follows a symbolic link to a regular file and keeps the link",
          "[cli][reliability]") {
  fs::path dir = scratch("link");
  spit(dir / "real.json", "old");
  fs::create_symlink("real.json", dir / "link.json");
  Run r = run("export " + quote(kModel) + " --format json -o " + quote((dir / "link.json").string()));
  CHECK(r.status == 0);
  CHECK(fs::is_symlink(dir / "link.json"));
  CHECK(slurp(dir / "real.json").find("\"systems\"") != std::string::npos);
  // A link to nothing is refused rather than replaced.
  fs::create_symlink("missing.json", dir / "dangling.json");
  Run d = run("export " + quote(kModel) + " --format json -o " + quote((dir / "dangling.json").string()));
  CHECK(d.status == 1);
  CHECK_THAT(d.err, Catch::Contains("symbolic link to a file that does not exist"));
  CHECK(fs::is_symlink(dir / "dangling.json"));
}

TEST_CASE("reliability: -o refuses a socket instead of replacing it", "[cli][reliability]") {
  fs::path dir = scratch("socket");
  fs::path sock = dir / "s.sock";
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  REQUIRE(sock.string().size() < sizeof addr.sun_path);
  std::strcpy(addr.sun_path, sock.c_str());
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  Run r = run("export " + quote(kModel) + " --format json -o " + quote(sock.string()));
  close(fd);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("cannot write " + sock.string() +
                                    ": it is neither a regular file, a character device nor a FIFO"));
  CHECK(fs::is_socket(fs::symlink_status(sock)));
}

// ---- 9. models from pipes

TEST_CASE("reliability: a model from a pipe is read to its end", "[cli][reliability]") {
  const std::string valid = "valid: 4 systems, 4 identifiers";
  Run dash = shell("cat " + quote(kModel) + " | \"$IMOZURU\" validate - --lang en\n");
  CHECK(dash.status == 0);
  CHECK_THAT(dash.out, Catch::Contains(valid));
  Run dev = shell("cat " + quote(kModel) + " | \"$IMOZURU\" validate /dev/stdin --lang en\n");
  CHECK(dev.status == 0);
  CHECK_THAT(dev.out, Catch::Contains(valid));  // "valid: 0 systems" before
  Run redirected = shell("\"$IMOZURU\" validate --lang en /dev/stdin < " + quote(kModel) + "\n");
  CHECK_THAT(redirected.out, Catch::Contains(valid));
  Run substituted = shell("\"$IMOZURU\" validate --lang en <(cat " + quote(kModel) + ")\n");
  CHECK(substituted.status == 0);
  CHECK_THAT(substituted.out, Catch::Contains(valid));
  // Any command takes it.
  Run reach =
      shell("cat " + quote(kModel) + " | \"$IMOZURU\" reach - --from identifier:my_number --at 2026-01-01\n");
  CHECK(reach.status == 0);
  CHECK_THAT(reach.out, Catch::Contains("3"));
}

TEST_CASE("reliability: a malformed model from a pipe is invalid and named <stdin>", "[cli][reliability]") {
  Run r = shell("printf 'systems:\\n  - {id: BAD, name: x}\\n' | \"$IMOZURU\" validate -\n");
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("<stdin>:2:"));
  Run dev = shell("printf 'systems: [\\n' | \"$IMOZURU\" validate /dev/stdin\n");
  CHECK(dev.status == 2);
}

TEST_CASE("reliability: --max-file-bytes holds while a pipe is read", "[cli][reliability]") {
  auto start = std::chrono::steady_clock::now();
  Run r = shell("yes 'x: 1' | \"$IMOZURU\" validate - --max-file-bytes 100000\n", 60);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("larger than the limit of 100000 bytes (--max-file-bytes)"));
  CHECK(seconds < 20);
}

TEST_CASE("reliability: a named FIFO is read and one nobody writes to gives up", "[cli][reliability]") {
  fs::path dir = scratch("fifo_in");
  fs::path fifo = dir / "model.yaml";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  Run fed = shell("(sleep 1; cat " + quote(kModel) + " > " + quote(fifo.string()) +
                  ") &\n\"$IMOZURU\" validate --lang en " + quote(fifo.string()) + "\n");
  CHECK(fed.status == 0);
  CHECK_THAT(fed.out, Catch::Contains("valid: 4 systems"));
  // No writer: a clear error after 10 s (it blocked for ever).
  auto start = std::chrono::steady_clock::now();
  Run idle = run("validate " + quote(fifo.string()), 60);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(idle.status == 1);
  CHECK_THAT(idle.err, Catch::Contains("cannot read: no process wrote to the FIFO within 10 s"));
  CHECK(seconds < 30);
}

// ---- 10. write errors on standard output

TEST_CASE("reliability: every command reports a failed write to standard output", "[cli][reliability]") {
  fs::path dir = scratch("full");
  spit(dir / "print.lua", "for i = 1, 10 do print(i) end\n");
  const std::string m = quote(kModel);
  const std::vector<std::string> commands = {
      "validate " + m,
      "info " + m,
      "reach " + m + " --from identifier:my_number",
      "chains " + m + " --from identifier:my_number --to data:prescriptions",
      "downstream " + m + " --from system:eligibility --data prescriptions",
      "gaps " + m,
      "diff " + m + " --from 2016 --to 2026",
      "export " + m + " --format json",
      "export " + m + " --format csv",
      "query " + m + " " + quote((dir / "print.lua").string()),
      "schema",
      "--help",
      "reach --help",
      "--version",
  };
  for (const std::string& c : commands) {
    INFO(c);
    Run r = shell("\"$IMOZURU\" " + c + " > /dev/full\n");
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("cannot write to standard output: No space left on device"));
  }
}

// ---- 11. report: directories and links

TEST_CASE("reliability: report -o in a missing directory creates nothing", "[cli][reliability]") {
  fs::path dir = scratch("report_dir");
  Run r =
      run("report " + quote(kModel) + " -o " + quote((dir / "missing" / "x.md").string()) + " --timeout 60");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("cannot write " + (dir / "missing" / "x.md").string()));
  CHECK_FALSE(fs::exists(dir / "missing"));  // it used to be made, with the diagrams in it
}

TEST_CASE("reliability: a Markdown report whose name has a space links its diagrams", "[cli][reliability]") {
  fs::path dir = scratch("report_space");
  fs::path md = dir / "my brief (draft).md";
  Run r = run("report " + quote(kModel) + " -o " + quote(md.string()) + " --timeout 60");
  INFO(r.err);
  REQUIRE(r.status == 0);
  std::string text = slurp(md);
  CHECK(text.find("](my%20brief%20%28draft%29-files/linkage.svg)") != std::string::npos);
  CHECK(fs::exists(dir / "my brief (draft)-files" / "linkage.svg"));
  // Every link target is one that a Markdown reader takes whole.
  std::regex link(R"(\]\(([^)]*)\))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), link); it != std::sregex_iterator(); ++it)
    CHECK((*it)[1].str().find(' ') == std::string::npos);
}

// ---- 12. a query's render child dies with the query

namespace {

std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid ...
    auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    std::string state;
    long ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent && state != "Z") found.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return found;
}

bool alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  auto close = line.rfind(')');
  return close != std::string::npos && line.substr(close + 2, 1) != "Z";
}

}  // namespace

TEST_CASE("reliability: a query's render child dies when the query is killed", "[cli][reliability]") {
  fs::path dir = scratch("render_child");
  spit(dir / "model.yaml", generated_model(1500));
  // neato on 3000 nodes: a layout that takes far longer than the test waits.
  spit(dir / "render.lua", "model:render{output = 'big.svg', view = 'linkage', engine = 'neato'}\n");
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    execl(IMOZURU_BINARY, IMOZURU_BINARY, "query", (dir / "model.yaml").c_str(), (dir / "render.lua").c_str(),
          "--timeout", "120", "--output-dir", dir.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::vector<pid_t> children;
  for (int i = 0; i < 600 && children.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    children = children_of(pid);
  }
  REQUIRE(children.size() == 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the child is past its start
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  bool gone = false;
  for (int i = 0; i < 50 && !gone; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    gone = !alive(children.front());
  }
  if (!gone) kill(children.front(), SIGKILL);  // do not leave it running
  CHECK(gone);
}

// ---- 15. usage errors

TEST_CASE("reliability: an unknown subcommand is a usage error with did you mean", "[cli][reliability]") {
  Run r = run("rech " + quote(kModel));
  CHECK(r.status == 2);
  CHECK(r.err ==
        "imozuru: error: unknown subcommand 'rech' (did you mean 'reach'?)\n"
        "Run 'imozuru --help' for the subcommands.\n");
  Run none = run("");
  CHECK(none.status == 2);
  CHECK_THAT(none.err, Catch::Contains("a subcommand is required"));
}

TEST_CASE("reliability: an unknown option is a usage error with did you mean", "[cli][reliability]") {
  Run r = run("reach " + quote(kModel) + " --frm identifier:my_number");
  CHECK(r.status == 2);
  CHECK(r.err ==
        "imozuru: error: unknown option '--frm' for 'imozuru reach' (did you mean '--from'?)\n"
        "Run 'imozuru reach --help' for its options.\n");
  Run eq = run("chains " + quote(kModel) + " --from identifier:a --to identifier:b --max-hop=3");
  CHECK(eq.status == 2);
  CHECK_THAT(eq.err,
             Catch::Contains("unknown option '--max-hop' for 'imozuru chains' (did you mean '--max-hops'?)"));
  Run top = run("--verbose");
  CHECK(top.status == 2);
  // A query script's own options are the script's.
  fs::path dir = scratch("script_options");
  spit(dir / "args.lua", "print(...)\n");
  Run q = run("query " + quote(kModel) + " " + quote((dir / "args.lua").string()) + " --frm -x");
  CHECK(q.status == 0);
  CHECK(q.out == "--frm\t-x\n");
}

TEST_CASE("reliability: values out of range and negative counts are refused in words", "[cli][reliability]") {
  const std::string m = quote(kModel);
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases = {
      {"chains " + m + " --from identifier:a --to identifier:b -k 0",
       "-k: expected a whole number, 1 or more, not '0'"},
      {"chains " + m + " --from identifier:a --to identifier:b -k x",
       "-k: expected a whole number, 1 or more, not 'x'"},
      {"chains " + m + " --from identifier:a --to identifier:b --max-hops 0",
       "--max-hops: expected a whole number from 1 to 1000, not '0'"},
      {"chains " + m + " --from identifier:a --to identifier:b --max-hops -1",
       "--max-hops: expected a whole number from 1 to 1000, not '-1'"},
      {"diff " + m + " --from 2020 --to 2021 --max-pairs -5",
       "--max-pairs: expected a whole number, 0 or more, not '-5'"},
      {"render " + m + " -o x.svg --view chain --from identifier:my_number -k 0",
       "-k: expected a whole number from 1 to 1000, not '0'"},
      {"render " + m + " -o x.svg --timeout 0",
       "--timeout: expected a number of seconds from 0.001 to 86400, not '0'"},
      {"reach " + m + " --from identifier:my_number --format yaml",
       "--format: 'yaml' is not one of text, json"},
      {"reach " + m + " --from identifier:my_number --lang jp",
       "--lang: 'jp' is not one of ja, en (did you mean 'ja'?)"},
      {"validate " + m + " --max-entities -1",
       "--max-entities: expected a whole number, 0 or more, not '-1'"},
      {"query " + m + " x.lua --memory 1M",
       "--memory: expected a size of at least 4 MiB (suffixes K, M, G), not 1 MiB"},
      {"chains " + m + " --from identifier:a --to identifier:b -k 5000",
       "-k 5000 is above the limit of 1000 chains; raise it with --max-chains"},
      {"render " + m + " -o x.jpg", "-o x.jpg: the extension must be .svg, .png, .pdf or .dot"},
      {"render " + m + " -o x.dot --label-width 7",
       "--label-width: expected a whole number from 8 to 200, not '7'"},
      {"render " + m + " -o x.svg --canvas 16:10",
       "--canvas: expected 16:9, 4:3, a4, a4-landscape or WIDTHxHEIGHT with in, mm or px (1 to 200 inches), "
       "not "
       "'16:10'"},
      {"export " + m + " --format json --bom", "--bom applies to --format csv only"},
      {"validate", "MODEL is required"},
      {"validate " + m + " extra", "unexpected argument: extra"},
  };
  for (const Case& c : cases) {
    INFO(c.args);
    Run r = run(c.args);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("imozuru: error: " + c.message));
  }
}

TEST_CASE("reliability: chains and render and Lua accept the same -k and --max-hops", "[cli][reliability]") {
  const std::string m = quote(kModel);
  fs::path dir = scratch("ranges");
  CHECK(run("chains " + m + " --from identifier:my_number --to data:prescriptions -k 1000 --max-hops 1000")
            .status == 0);
  CHECK(run("render " + m + " -o " + quote((dir / "c.dot").string()) +
            " --view chain --from identifier:my_number --to data:prescriptions -k 1000 --max-hops 1000")
            .status == 0);
  spit(dir / "k.lua",
       "print(#model:chains{from = 'identifier:my_number', to = 'data:prescriptions', k = 1000, max_hops = "
       "1000}.chains"
       " >= 1)\nprint(pcall(model.chains, model, {from = 'identifier:my_number', to = 'data:prescriptions', "
       "k = 1001}))\n");
  Run lua = run("query " + m + " " + quote((dir / "k.lua").string()));
  CHECK(lua.status == 0);
  CHECK_THAT(lua.out, Catch::Contains("true\nfalse\t"));
  CHECK_THAT(lua.out, Catch::Contains("k must be a whole number from 1 to 1000"));
}

// ---- 3. the html page of a large model, and allocation failures

TEST_CASE("reliability: html on a 1000-system model writes a page that grows with the model",
          "[cli][reliability]") {
  fs::path dir = scratch("html_big");
  spit(dir / "model.yaml", generated_model(1000));
  fs::path page = dir / "page.html";
  Run r = run(
      "html " + quote((dir / "model.yaml").string()) + " -o " + quote(page.string()) + " --timeout 240", 280);
  INFO(r.err);
  REQUIRE(r.status == 0);
  // It was 14 MB: the reach of 1000 identifiers over 1000 systems; now about 2 MB, most of it the diagram.
  CHECK(fs::file_size(page) < 4u << 20);
  // And the limit is named when the page is too large.
  Run small = run("html " + quote((dir / "model.yaml").string()) + " -o " +
                      quote((dir / "p2.html").string()) + " --timeout 240 --max-page-bytes 1M",
                  280);
  CHECK(small.status == 1);
  CHECK_THAT(small.err, Catch::Contains("more than the limit of 1 MiB (--max-page-bytes)"));
  CHECK_FALSE(fs::exists(dir / "p2.html"));
}

TEST_CASE("reliability: running out of memory is one line and exit 1 and never an abort",
          "[cli][reliability]") {
#ifdef __SANITIZE_ADDRESS__
  SUCCEED("no address-space limit under AddressSanitizer");
#else
  fs::path dir = scratch("oom");
  spit(dir / "model.yaml", generated_model(100000));  // 25 MB; loading it takes some 250 MB
  spit(dir / "print.lua", "print(1)\n");
  const std::string m = quote((dir / "model.yaml").string());
  // 200 MB of address space: enough for the program and its libraries (100 MB), not for this model.
  for (const std::string& c :
       {"validate " + m, "reach " + m + " --from identifier:shared", "export " + m + " --format json",
        "html " + m + " -o " + quote((dir / "p.html").string()),
        "query " + m + " " + quote((dir / "print.lua").string()),
        "render " + m + " -o " + quote((dir / "p.svg").string())}) {
    INFO(c);
    Run r = shell("ulimit -v 200000\n\"$IMOZURU\" " + c + " > /dev/null\n");
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("out of memory"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') <= 3);
  }
#endif
}

// ---- surrogate pairs in escapes

TEST_CASE("reliability: a UTF-16 surrogate pair escape is one character and a lone half an error",
          "[cli][reliability]") {
  fs::path dir = scratch("surrogates");
  spit(dir / "pair.yaml",
       "{\"systems\": [{\"id\": \"s\", \"name\": \"\\uD83D\\uDE00 \\ud83d\\ude00!\", \"sector\": \"x\"}], "
       "\"data\": [{\"id\": \"d\", \"name\": \"plain \\\\uD83D\\\\uDE00 text\"}]}\n");
  Run r = run("export " + quote((dir / "pair.yaml").string()) + " --format json");
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("\"name\": \"\xF0\x9F\x98\x80 \xF0\x9F\x98\x80!\""));
  CHECK_THAT(r.out, Catch::Contains("plain \\\\uD83D\\\\uDE00 text"));  // an escaped backslash stays text
  // In a plain scalar, a single-quoted one and a comment the text is text.
  spit(
      dir / "plain.yaml",
      "# \\uD83D\\uDE00\nsystems:\n  - {id: s, name: a\\uD83D\\uDE00b, sector: x, note: '\\uD83D\\uDE00'}\n");
  Run plain = run("export " + quote((dir / "plain.yaml").string()) + " --format json");
  CHECK(plain.status == 0);
  CHECK_THAT(plain.out, Catch::Contains("a\\\\uD83D\\\\uDE00b"));
  // A lone half is refused, where it is.
  spit(dir / "lone.yaml", "systems:\n  - {id: s, sector: x, name: \"ab\\uD83Dc\"}\n");
  Run lone = run("validate " + quote((dir / "lone.yaml").string()));
  CHECK(lone.status == 2);
  CHECK_THAT(lone.err, Catch::Contains("lone.yaml:2:"));
  CHECK_THAT(lone.err, Catch::Contains("\\uD83D is half of a UTF-16 surrogate pair"));
  spit(dir / "low.yaml", "systems:\n  - {id: s, sector: x, name: \"\\uDE00\"}\n");
  Run low = run("validate " + quote((dir / "low.yaml").string()));
  CHECK(low.status == 2);
  CHECK_THAT(low.err, Catch::Contains("\\uDE00 is half of a UTF-16 surrogate pair"));
  // Columns after a pair still point at the right place.
  spit(dir / "column.yaml", "systems:\n  - {id: s, name: \"\\uD83D\\uDE00\", sector: x, bogus: 1}\n");
  Run column = run("validate " + quote((dir / "column.yaml").string()));
  CHECK(column.status == 2);
  CHECK_THAT(column.err, Catch::Contains("column.yaml:2:46:"));
}

// ---- every exit status docs/cli.md lists

TEST_CASE("exit status 0: success", "[cli][reliability][exit]") {
  CHECK(run("validate " + quote(kModel)).status == 0);
}

TEST_CASE("exit status 1: a failure other than the model or the command line", "[cli][reliability][exit]") {
  fs::path dir = scratch("exit1");
  Run r =
      run("export " + quote(kModel) + " --format json -o " + quote((dir / "missing" / "x.json").string()));
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::StartsWith("imozuru: error: cannot write "));
  CHECK(run("validate " + quote((dir / "nothing.yaml").string())).status == 1);
}

TEST_CASE("exit status 2: an invalid model or a bad reference or a usage error", "[cli][reliability][exit]") {
  fs::path dir = scratch("exit2");
  spit(dir / "bad.yaml", "systems: [{id: BAD}]\n");
  CHECK(run("validate " + quote((dir / "bad.yaml").string())).status == 2);
  CHECK(run("reach " + quote(kModel) + " --from identifier:nope").status == 2);
  CHECK(run("reach " + quote(kModel) + " --nope").status == 2);
}

TEST_CASE("exit status 3: a query's time limit", "[cli][reliability][exit]") {
  fs::path dir = scratch("exit3");
  spit(dir / "loop.lua", "while true do end\n");
  Run r = run("query " + quote(kModel) + " " + quote((dir / "loop.lua").string()) + " --timeout 0.2");
  CHECK(r.status == 3);
  CHECK_THAT(r.err, Catch::Contains("time limit of 0.2 s exceeded (raise it with --timeout)"));
}

TEST_CASE("exit status 4: a query's memory limit", "[cli][reliability][exit]") {
  fs::path dir = scratch("exit4");
  spit(dir / "hog.lua", "local t = {} while true do t[#t + 1] = {} end\n");
  Run r = run("query " + quote(kModel) + " " + quote((dir / "hog.lua").string()) + " --memory 16M");
  CHECK(r.status == 4);
  CHECK_THAT(r.err, Catch::Contains("memory limit of 16 MiB exceeded (raise it with --memory)"));
}

TEST_CASE("docs/cli.md: every console example is a real run with its exit status",
          "[cli][reliability][docs]") {
  // Blocks of "$ COMMAND", its output (stdout and stderr) and, optionally,
  // "$ echo $?" and the status; without it the status must be 0.
  const std::string markdown = slurp(fs::path(IMOZURU_SOURCE_DIR) / "docs" / "cli.md");
  fs::path bin = scratch("docs_bin");
  fs::create_symlink(IMOZURU_BINARY, bin / "imozuru");
  std::istringstream in(markdown);
  std::string line;
  bool inside = false;
  std::vector<std::string> lines;
  int checked = 0;
  while (std::getline(in, line)) {
    if (!inside && line == "```console") {
      inside = true;
      lines.clear();
      continue;
    }
    if (!inside) continue;
    if (line != "```") {
      lines.push_back(line);
      continue;
    }
    inside = false;
    REQUIRE(!lines.empty());
    REQUIRE(lines[0].rfind("$ ", 0) == 0);
    const std::string command = lines[0].substr(2);
    std::string expected;
    int expected_status = 0;
    for (std::size_t i = 1; i < lines.size(); ++i) {
      if (lines[i] == "$ echo $?") {
        REQUIRE(i + 1 < lines.size());
        expected_status = std::stoi(lines[i + 1]);
        break;
      }
      expected += lines[i] + "\n";
    }
    INFO(command);
    Run r = shell("cd " + quote(IMOZURU_SOURCE_DIR) + "\nexport PATH=" + quote(bin.string()) +
                  ":\"$PATH\"\n" + "{ " + command + "; } 2>&1\n");
    CHECK(r.out == expected);
    CHECK(r.status == expected_status);
    ++checked;
  }
  CHECK(checked >= 5);
}
