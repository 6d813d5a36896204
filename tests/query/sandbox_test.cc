// Every way out of the sandbox we could think of stays shut; limits hold
// even against the script's own pcall; errors name the script and line.
#include <catch2/catch.hpp>
#include <chrono>

#include "query_test_support.h"

using namespace imozuru::query;
using namespace imozuru::query::testing;

namespace {

// Runs `code`, which must end without error, and returns what it printed.
std::string ok(const std::string& code) {
  Run run = run_lua(code);
  INFO(run.result.message);
  REQUIRE(run.result.outcome == Outcome::ok);
  return run.out;
}

// Runs `code` and returns the error message; the run must fail as a script error.
std::string script_error(const std::string& code) {
  Run run = run_lua(code);
  INFO(run.out << run.result.message);
  REQUIRE(run.result.outcome == Outcome::script_error);
  REQUIRE(run.result.exit_code == 1);
  return run.result.message;
}

}  // namespace

TEST_CASE("only the safe libraries are there") {
  CHECK(ok("print(io, debug, package, dofile, loadfile)") == "nil\tnil\tnil\tnil\tnil\n");
  CHECK(ok("print(os.execute, os.exit, os.getenv, os.remove, os.rename, os.tmpname)") ==
        "nil\tnil\tnil\tnil\tnil\tnil\n");
  CHECK(ok("print(type(os.date), type(os.time), type(os.clock))") == "function\tfunction\tfunction\n");
  CHECK(
      ok("print(string.dump, type(string.format), type(table.concat), type(math.floor), type(utf8.char))") ==
      "nil\tfunction\tfunction\tfunction\tfunction\n");
  CHECK(
      script_error("os.execute('true')").find("test.lua:1: attempt to call a nil value (field 'execute')") ==
      0);
  CHECK(
      script_error("io.open('/etc/passwd')").find("test.lua:1: attempt to index a nil value (global 'io')") ==
      0);
}

TEST_CASE("load takes only text chunks, in the sandbox") {
  CHECK(ok("print(load('return 1 + 1')())") == "2\n");
  CHECK(ok("local f, e = load('return 1', 'x', 'b') print(f, e)") ==
        "nil\tload: only text chunks are allowed in queries (mode 't')\n");
  // A binary chunk given in text mode is refused by Lua itself.
  CHECK(ok("local f, e = load('\\27Lua\\84\\0', 'x') print(f, e:match('attempt to load a binary chunk') ~= "
           "nil)") == "nil\ttrue\n");
  CHECK(ok("print(load('return io')())") == "nil\n");
  CHECK(ok("print(load('return model')() == model)") == "true\n");
}

TEST_CASE("require reaches only the tool's own modules") {
  CHECK(ok("print(require('imozuru') == imozuru)") == "true\n");
  CHECK(script_error("require('io')")
            .find("module 'io' not found: queries can require only imozuru's own modules") !=
        std::string::npos);
  CHECK(script_error("require('socket.core')").find("module 'socket.core' not found") != std::string::npos);
  CHECK(script_error("require('sandbox')").find("module 'sandbox' is not available to queries") !=
        std::string::npos);
  CHECK(ok("print(package)") == "nil\n");
}

TEST_CASE("metatables and the tool's tables cannot be tampered with") {
  CHECK(ok("print(getmetatable(''))") == "false\n");
  CHECK(script_error("getmetatable('').__index = {}").find("attempt to index a boolean value") !=
        std::string::npos);
  CHECK(script_error("setmetatable(_G, {})").find("cannot change a protected metatable") !=
        std::string::npos);
  CHECK(script_error("string.upper = nil").find("string is read-only (cannot set 'upper')") !=
        std::string::npos);
  CHECK(script_error("imozuru.json = print").find("imozuru is read-only (cannot set 'json')") !=
        std::string::npos);
  CHECK(script_error("rawset(string, 'upper', nil)").find("rawset: the table is read-only") !=
        std::string::npos);
  CHECK(script_error("rawset(imozuru, 'x', 1)").find("rawset: the table is read-only") != std::string::npos);
  CHECK(script_error("setmetatable(math, {})").find("cannot change a protected metatable") !=
        std::string::npos);
  CHECK(ok("print(getmetatable(model), getmetatable(imozuru))") == "false\tfalse\n");
  Run assign = run_lua("model.reach = print");
  INFO(assign.result.message);
  CHECK(assign.result.outcome == Outcome::script_error);
  CHECK(assign.result.message.find("test.lua:1: attempt to index a imozuru.Model value (global 'model')") ==
        0);
  CHECK(ok("print(type(model.reach))") == "function\n");
  // Methods still work after a script replaced the global `string`.
  CHECK(ok("string = nil print(('abc'):upper())") == "ABC\n");
  CHECK(ok("local n = 0 for k in pairs(string) do n = n + 1 end print(n > 10, "
           "#imozuru.sorted_keys({b=1,a=2}))") == "true\t2\n");
  CHECK(ok("rawset(_G, 'x', 5) print(x)") == "5\n");
  CHECK(script_error("setmetatable({}, {__gc = function() end})")
            .find("test.lua:1: setmetatable: __gc metamethods are not available in queries") == 0);
  CHECK(ok("local t = setmetatable({}, {__index = function(_, k) return k .. '!' end}) print(t.a)") ==
        "a!\n");
}

TEST_CASE("xpcall still calls its handler") {
  CHECK(ok("print(xpcall(function() error('x', 0) end, function(e) return 'handled ' .. e end))") ==
        "false\thandled x\n");
  CHECK(ok("print(xpcall(function(a, b) return a + b end, print, 1, 2))") == "true\t3\n");
}

TEST_CASE("collectgarbage cannot stop or tune the collector") {
  CHECK(ok("print(collectgarbage(), collectgarbage('step'), collectgarbage('isrunning'), "
           "type(collectgarbage('count')))") == "0\t0\ttrue\tnumber\n");
  CHECK(script_error("collectgarbage('stop')").find("collectgarbage('stop') is not available in queries") !=
        std::string::npos);
  CHECK(script_error("collectgarbage('generational')").find("not available in queries") != std::string::npos);
}

TEST_CASE("an endless loop stops at the time limit, even inside pcall and coroutines") {
  Limits limits;
  limits.timeout_seconds = 0.3;
  const char* loops[] = {
      "while true do end",
      "while true do pcall(function() while true do end end) end",
      "local function f() while true do end end while true do print(pcall(f)) end",
      "while true do xpcall(function() while true do end end, function() while true do end end) end",
      "local co = coroutine.wrap(function() while true do end end) co()",
      "while true do pcall(coroutine.wrap(function() while true do end end)) end",
      "while true do local co = coroutine.create(function() while true do end end) coroutine.resume(co) end",
      "while true do pcall(function() local t <close> = setmetatable({}, {__close = function() while true do "
      "end end}) "
      "error('x') end) end",
      "local s = 'x' while true do pcall(string.rep, s, 10) end",
  };
  for (const char* loop : loops) {
    auto start = std::chrono::steady_clock::now();
    Run run = run_lua(loop, limits);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO(loop << "\n" << run.result.message);
    CHECK(run.result.outcome == Outcome::time_limit);
    CHECK(run.result.exit_code == 3);
    // Named where the script was stopped: test.lua:1, or inside the tool's xpcall wrapper.
    CHECK(run.result.message.find(":1") != std::string::npos);
    CHECK(run.result.message.find("time limit of 0.3 s exceeded (raise it with --timeout)") !=
          std::string::npos);
    CHECK(run.result.message.find("stack traceback:") != std::string::npos);
    CHECK(seconds < 5);
  }
}

TEST_CASE("memory hogs stop at the memory limit") {
  Limits limits;
  limits.memory_bytes = 32u << 20;
  limits.timeout_seconds = 20;
  const char* hogs[] = {
      "local t = {} local i = 0 while true do i = i + 1 t[i] = {i} end",
      "local s = 'x' while true do s = s .. s end",
      "local t = {} while true do t[#t + 1] = string.rep('y', 1000000) .. #t end",
      "local t = {} while true do pcall(function() for i = 1, 1e9 do t[#t + 1] = {} end end) end",
      "local parts = {} for i = 1, 1e8 do parts[i] = tostring(i) end print(#table.concat(parts))",
  };
  for (const char* hog : hogs) {
    Run run = run_lua(hog, limits);
    INFO(hog << "\n" << run.result.message);
    CHECK(run.result.outcome == Outcome::memory_limit);
    CHECK(run.result.exit_code == 4);
    CHECK(run.result.message.find("memory limit of 32 MiB exceeded (raise it with --memory)") !=
          std::string::npos);
    CHECK(run.result.message.find("test.lua") == 0);
  }
}

TEST_CASE("string.rep is capped before it allocates") {
  std::string message = script_error("local s = string.rep('x', 1e12)");
  CHECK(message.find("test.lua:1: string.rep: the result would be 1000000000000 bytes, more than the "
                     "67108864 allowed") == 0);
  CHECK(script_error("local s = ('ab'):rep(1e10, ',')").find("string.rep: the result would be") !=
        std::string::npos);
  CHECK(ok("print(('ab'):rep(3, '-'))") == "ab-ab-ab\n");
}

TEST_CASE("errors name the script and line, with a traceback") {
  SECTION("syntax error") {
    std::string message = script_error("local x = 1\nif x then\n");
    CHECK(message == "test.lua:3: 'end' expected (to close 'if' at line 2) near <eof>");
  }
  SECTION("runtime error in a function") {
    std::string message = script_error("local function f()\n  error('boom')\nend\nf()\n");
    CHECK(message.find("test.lua:2: boom\nstack traceback:") == 0);
    CHECK(message.find("test.lua:4: in main chunk") != std::string::npos);
  }
  SECTION("an error object that is not a string") {
    CHECK(script_error("error({})").find("(error object is a table value)") == 0);
  }
  SECTION("a bad argument to the API") {
    CHECK(script_error("model:at('yesterday')").find("test.lua:1: model:at: 'yesterday' is not a date") == 0);
  }
}
