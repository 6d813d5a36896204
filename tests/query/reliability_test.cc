// What adversarial testing broke in the sandbox (issue 19), one regression
// test per defect: a C-stack overflow through nested coroutine closes, C++
// memory made for a script that --memory did not count, imozuru.to_csv past
// --max-lua-string, and read-only proxies that handed out their tables.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "query_test_support.h"

using namespace imozuru::query;
using namespace imozuru::query::testing;

namespace {

std::string ok(const std::string& code, Limits limits = {}) {
  Run run = run_lua(code, limits);
  INFO(run.result.message);
  REQUIRE(run.result.outcome == Outcome::ok);
  return run.out;
}

// A chain of `n` suspended coroutines, each with a <close> variable whose
// __close closes the previous one: closing the last runs every __close nested
// inside the one before. Lua 5.4.4 does not count those levels against its
// C-stack limit (fixed upstream in 5.4.5), so without a guard this overflows
// the C stack and the process dies of SIGSEGV.
std::string nested_closes(int n, const std::string& how) {
  return "local function link(prev)\n"
         "  local co = coroutine.create(function()\n"
         "    local guard <close> = setmetatable({}, {__close = function() " +
         how +
         " end})\n"
         "    coroutine.yield()\n"
         "  end)\n"
         "  coroutine.resume(co)\n"
         "  return co\n"
         "end\n"
         "local co = coroutine.create(function() coroutine.yield() end)\n"
         "coroutine.resume(co)\n"
         "for i = 1, " +
         std::to_string(n) +
         " do local prev = co; co = link(prev) end\n"
         "print(coroutine.close(co))\n";
}

}  // namespace

TEST_CASE("reliability: nested coroutine.close cannot overflow the C stack", "[query][reliability]") {
  Limits limits;
  limits.timeout_seconds = 60;
  // `prev` is an upvalue of the __close function: each close closes the one before.
  std::string script = nested_closes(200000, "coroutine.close(prev)");
  Run run = run_lua(script, limits);
  INFO(run.out << run.result.message.substr(0, 2000));
  CHECK(run.result.outcome == Outcome::script_error);
  CHECK(run.result.exit_code == 1);
  CHECK(run.result.message.find("test.lua:") == 0);
  CHECK(run.result.message.find("coroutines closed inside the __close of other coroutines nest too deeply") !=
        std::string::npos);
  // The script's own pcall cannot swallow it and carry on.
  Run caught = run_lua("pcall(function()\n" + script + "\nend)\nprint('carried on')", limits);
  CHECK(caught.result.outcome == Outcome::script_error);
  CHECK(caught.out.find("carried on") == std::string::npos);
}

TEST_CASE("reliability: ordinary coroutine closes and wraps still work", "[query][reliability]") {
  CHECK(ok(nested_closes(50, "coroutine.close(prev)")) == "true\n");
  CHECK(ok("local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end)\n"
           "print(co(1), co(5))") == "2\t10\n");
  CHECK(ok("local co = coroutine.wrap(function() error('boom') end)\n"
           "print(pcall(co))") == "false\ttest.lua:1: boom\n");
  CHECK(ok("local co = coroutine.wrap(function() error({}) end)\n"
           "print(select('#', pcall(co)), type(select(2, pcall(co))))") == "2\tstring\n");
  CHECK(ok("local co = coroutine.create(function() coroutine.yield() end) coroutine.resume(co)\n"
           "print(coroutine.close(co), coroutine.status(co))") == "true\tdead\n");
}

TEST_CASE("reliability: read-only proxies do not hand out their tables through pairs",
          "[query][reliability]") {
  // pairs(proxy) used to return next, the real table, nil.
  for (const char* lib : {"string", "table", "math", "utf8", "os", "coroutine", "imozuru"}) {
    INFO(lib);
    std::string code = std::string("local f, t, k = pairs(") + lib +
                       ")\n"
                       "print(t == nil or t == " +
                       lib +
                       ", k)\n"
                       "if type(t) == 'table' and t ~= " +
                       lib +
                       " then rawset(t, 'x', 1) end\n"
                       "local n = 0 for key, value in pairs(" +
                       lib +
                       ") do n = n + 1 end\n"
                       "print(n > 0, " +
                       lib + ".x)\n";
    CHECK(ok(code) == "true\tnil\ntrue\tnil\n");
  }
  // Nor through next with the iterator's state, nor through a nested table.
  CHECK(ok("local f, s = pairs(string)\n"
           "local k, v = f(s, nil)\n"
           "print(type(k), s == string or s == nil)") == "string\ttrue\n");
  CHECK(ok("local up = string.upper\n"
           "local _, t = pairs(string)\n"
           "pcall(function() t.upper = function() return 'pwned' end end)\n"
           "print(('abc'):upper(), string.upper == up)") == "ABC\ttrue\n");
}

TEST_CASE("reliability: imozuru.to_csv obeys --max-lua-string", "[query][reliability]") {
  Limits limits;
  limits.max_string_bytes = 1000;
  // 200 rows of 10 bytes: 2,000 bytes of CSV, twice the cap.
  const std::string rows = "local rows = {} for i = 1, 200 do rows[i] = {a = 'xxxxxxxxx'} end\n";
  Run run = run_lua(rows + "local s = imozuru.to_csv(rows) print(#s)", limits);
  INFO(run.out << run.result.message);
  CHECK(run.result.outcome == Outcome::script_error);
  CHECK(run.result.message.find(
            "test.lua:2: imozuru.to_csv: the text would be more than 1000 bytes (raise it with "
            "--max-lua-string)") == 0);
  run = run_lua(rows + "imozuru.csv(rows)", limits);
  CHECK(run.result.outcome == Outcome::script_error);
  CHECK(run.result.message.find("test.lua:2: imozuru.csv: the text would be more than 1000 bytes") == 0);
  CHECK(run.out.empty());
  // One cell that is a list of many copies of one string is caught before it is joined.
  run = run_lua(
      "local big = string.rep('y', 900) local list = {} for i = 1, 1000 do list[i] = big end\n"
      "imozuru.to_csv({{a = list}})",
      limits);
  CHECK(run.result.outcome == Outcome::script_error);
  CHECK(run.result.message.find("more than 1000 bytes (raise it with --max-lua-string)") !=
        std::string::npos);
  // Under the cap it is written.
  CHECK(ok("print(imozuru.to_csv({{a = 1, b = 'x'}}))", limits) == "a,b\n1,x\n\n");
}

TEST_CASE("reliability: --memory counts the C++ trees imozuru.to_json builds", "[query][reliability]") {
  // 40 tables that each refer to the next one twice: a few kilobytes of Lua
  // tables, 2^40 nodes as a JSON tree. Building the tree used to count nothing.
  Limits limits;
  limits.memory_bytes = 16u << 20;
  limits.max_string_bytes = std::size_t{1} << 40;  // only the memory budget can stop it
  limits.timeout_seconds = 60;
  const std::string dag = "local t = {1} for i = 1, 40 do t = {t, t} end\n";
  for (const char* call :
       {"local s = imozuru.to_json(t)", "imozuru.json(t)", "pcall(imozuru.to_json, t) print('x')"}) {
    auto start = std::chrono::steady_clock::now();
    Run run = run_lua(dag + call, limits);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO(call << "\n" << run.result.message);
    CHECK(run.result.outcome == Outcome::memory_limit);
    CHECK(run.result.exit_code == 4);
    CHECK(run.result.message.find("memory limit of 16 MiB exceeded (raise it with --memory)") !=
          std::string::npos);
    CHECK(run.out.empty());
    CHECK(seconds < 20);
  }
}

TEST_CASE("reliability: --memory counts the text imozuru.to_json builds", "[query][reliability]") {
  // 2.5 MB of control characters: each is escaped as \u0001, six bytes, so
  // the text is 15 MB, all of it C++ memory until it is written out.
  Limits limits;
  limits.memory_bytes = 16u << 20;
  limits.max_string_bytes = std::size_t{1} << 40;
  Run run = run_lua("local s = string.rep('\\1', 2500000) imozuru.json(s)", limits);
  INFO(run.result.message);
  CHECK(run.result.outcome == Outcome::memory_limit);
  CHECK(run.out.empty());
}

TEST_CASE("reliability: --memory counts model handles made by model:at", "[query][reliability]") {
  // Every handle holds a C++ model at its date (and a linkage graph once
  // used); keeping them alive used to cost memory nothing counted.
  Limits limits;
  limits.memory_bytes = 8u << 20;
  limits.timeout_seconds = 60;
  Run run = run_lua(
      "local keep = {}\n"
      "for i = 1, 6000 do keep[i] = model:at('2020-01-01'); keep[i]:reach{from = {'identifier:insured_no'}} "
      "end",
      limits);
  INFO(run.result.message);
  CHECK(run.result.outcome == Outcome::memory_limit);
  CHECK(run.result.message.find("memory limit of 8 MiB exceeded (raise it with --memory)") !=
        std::string::npos);
  // Handles that are dropped are collected: a long loop over dates fits.
  CHECK(ok("local n = 0 for i = 1, 20000 do local m = model:at('2020-01-01') n = n + #m:systems() end "
           "print(n > 0)",
           limits) == "true\n");
}
