#include "query/sandbox.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <lua.hpp>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "model/output_file.h"
#include "query/cxx_memory.h"
#include "query/lua_modules.h"
#include "query/query.h"

namespace imozuru::query {
namespace {

constexpr int kHookEvery = 1000;  // instructions between clock checks

// Counts every byte Lua holds and refuses growth past the budget. After the
// limit has tripped, a small reserve lets the error and traceback be built.
void* limited_alloc(void* ud, void* ptr, size_t osize, size_t nsize) {
  auto* rt = static_cast<Runtime*>(ud);
  const size_t old = ptr ? osize : 0;  // with ptr == NULL, osize is a type tag
  if (nsize == 0) {
    std::free(ptr);
    rt->used -= old;
    return nullptr;
  }
  if (nsize > old) {
    const size_t cap = rt->limits.memory_bytes + (rt->memory_tripped ? (size_t{1} << 20) : 0);
    if (memory_in_use(*rt) + (nsize - old) > cap) {
      // Lua runs a full GC and asks again; a second refusal is the real limit.
      if (rt->last_failed_size == nsize) rt->memory_tripped = true;
      rt->last_failed_size = nsize;
      return nullptr;
    }
  }
  void* block = std::realloc(ptr, nsize);
  if (!block) return nullptr;
  rt->last_failed_size = 0;
  rt->used = rt->used - old + nsize;
  if (rt->used > rt->peak) rt->peak = rt->used;
  return block;
}

// "1 GiB", "64 MiB" or "1000 bytes", into a buffer (no allocation: used just before longjmp).
void size_text(size_t bytes, char (&buf)[32]) {
  if (bytes >= (size_t{1} << 30) && bytes % (size_t{1} << 30) == 0)
    std::snprintf(buf, sizeof buf, "%zu GiB", bytes >> 30);
  else if (bytes >= (size_t{1} << 20) && bytes % (size_t{1} << 20) == 0)
    std::snprintf(buf, sizeof buf, "%zu MiB", bytes >> 20);
  else
    std::snprintf(buf, sizeof buf, "%zu bytes", bytes);
}

void count_hook(lua_State* L, lua_Debug*);

constexpr const char* kStackMessage =
    "coroutines closed inside the __close of other coroutines nest too deeply (the C stack would overflow: "
    "Lua 5.4.4 does not count them)";

// The C stack coroutines closed inside a __close may use, below where the
// script started: 1 MiB, or a quarter of a smaller stack limit.
std::size_t close_stack_budget() {
  std::size_t budget = std::size_t{1} << 20;
  struct rlimit limit {};
  if (getrlimit(RLIMIT_STACK, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur / 4 < budget)
    budget = static_cast<std::size_t>(limit.rlim_cur / 4);
  return budget;
}

[[noreturn]] void raise_limit(lua_State* L, Runtime& rt) {
  // Fire on every instruction from now on, so no Lua code (a pcall, an
  // error handler, a coroutine) gets to run on.
  lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  if (rt.main && rt.main != L) lua_sethook(rt.main, count_hook, LUA_MASKCOUNT, 1);
  char size[32];
  size_text(rt.limits.memory_bytes, size);
  // In a hook the running function is level 0 (luaL_error would name level 1).
  lua_Debug ar;
  if (lua_getstack(L, 0, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0)
    lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
  else
    luaL_where(L, 1);
  if (rt.memory_tripped)
    lua_pushfstring(L, "memory limit of %s exceeded (raise it with --memory)", size);
  else if (rt.time_tripped)
    lua_pushfstring(L, "time limit of %f s exceeded (raise it with --timeout)", rt.limits.timeout_seconds);
  else
    lua_pushfstring(L, "%s", kStackMessage);
  lua_concat(L, 2);
  lua_error(L);
  std::abort();  // lua_error does not return
}

void count_hook(lua_State* L, lua_Debug*) {
  Runtime& rt = runtime_of(L);
  if (!rt.time_tripped && std::chrono::steady_clock::now() >= rt.deadline) rt.time_tripped = true;
  if (rt.time_tripped || rt.memory_tripped || rt.stack_tripped) raise_limit(L, rt);
}

// Lua 5.4.4 runs the __close metamethods of a coroutine that
// coroutine.close closes with that coroutine's own C-call count, left from
// when it last ran, not the caller's: a chain of coroutines whose __close
// closes the next one nests C calls without limit and overflows the C stack
// ("C-stack overflow with deep nesting of coroutine.close", fixed in 5.4.5;
// Debian's 5.4.4 lacks the fix). Every other way into a coroutine (resume,
// wrap) counts from its caller. coroutine.close therefore measures the C
// stack used since the script started and stops the script, as a limit
// does, beyond Runtime::stack_budget; between two closes Lua's own limit
// (200 C levels) holds.
void check_close_stack(lua_State* L) {
  Runtime& rt = runtime_of(L);
  const char* here = static_cast<const char*>(__builtin_frame_address(0));
  if (!rt.stack_base) return;
  const std::size_t used =
      here < rt.stack_base ? std::size_t(rt.stack_base - here) : std::size_t(here - rt.stack_base);
  if (used > rt.stack_budget) {
    rt.stack_tripped = true;
    raise_limit(L, rt);
  }
}

// coroutine.close(co), guarded.
int guarded_close(lua_State* L) {
  check_close_stack(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

// lua.c's msghandler: the message plus a traceback.
int message_handler(lua_State* L) {
  if (runtime_of(L).usage_error && lua_type(L, 1) == LUA_TSTRING)
    return 1;  // imozuru.usage: the message alone
  const char* msg = lua_tostring(L, 1);
  if (msg == nullptr) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

// print, writing to the runtime's output.
int sandbox_print(lua_State* L) {
  int n = lua_gettop(L);
  for (int i = 1; i <= n; ++i) {
    size_t len;
    const char* s = luaL_tolstring(L, i, &len);
    if (i > 1) write_output(L, "\t", 1);
    write_output(L, s, len);
    lua_pop(L, 1);
  }
  write_output(L, "\n", 1);
  return 0;
}

// string.rep with its result capped: one call could otherwise allocate and
// fill gigabytes before the count hook gets a chance to run.
int capped_rep(lua_State* L) {
  size_t len, sep_len = 0;
  luaL_checklstring(L, 1, &len);
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_optlstring(L, 3, "", &sep_len);
  const size_t cap = runtime_of(L).limits.max_string_bytes;
  if (n > 0) {
    const double total = double(len) * double(n) + double(sep_len) * double(n - 1);
    if (total > double(cap))
      return luaL_error(L,
                        "string.rep: the result would be %I bytes, more than the %I allowed (raise it with "
                        "--max-lua-string)",
                        static_cast<lua_Integer>(total < 9e18 ? total : 9e18), static_cast<lua_Integer>(cap));
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

// The chunk of one of the tool's own modules, or nil and a message.
int load_tool_module(lua_State* L) {
  const char* name = luaL_checkstring(L, 1);
  const EmbeddedModule* module = find_embedded_module(name);
  if (!module) {
    luaL_pushfail(L);
    lua_pushfstring(L, "no module '%s' in imozuru", name);
    return 2;
  }
  lua_pushfstring(L, "@[imozuru]/%s.lua", name);
  if (luaL_loadbufferx(L, module->text, module->size, lua_tostring(L, -1), "t") != LUA_OK)
    return lua_error(L);
  return 1;
}

// Ends the process when a run is still going kStuckGraceSeconds after its
// deadline: by then the count hook would have stopped any Lua code, so the
// script is stuck inside one C call (a pathological string.find pattern) that
// nothing else can interrupt. Removes a half-written output's temporary file,
// reports, and exits with the time-limit status.
class StuckWatchdog {
 public:
  StuckWatchdog(const Runtime& rt, const std::string& chunkname) {
    if (!rt.limits.exit_when_stuck) return;
    const std::string name =
        chunkname.substr(!chunkname.empty() && (chunkname[0] == '@' || chunkname[0] == '=') ? 1 : 0);
    std::snprintf(message_, sizeof message_,
                  "%s: time limit of %g s exceeded inside a single library call that cannot be interrupted "
                  "(such as string.find with a pathological pattern); stopped (raise it with --timeout)\n",
                  name.c_str(), rt.limits.timeout_seconds);
    const auto wake = rt.deadline + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                        std::chrono::duration<double>(kStuckGraceSeconds));
    thread_ = std::thread([this, wake, out = rt.out] {
      std::unique_lock<std::mutex> lock(mutex_);
      if (done_cv_.wait_until(lock, wake, [this] { return done_; })) return;
      remove_pending_temporary_file();
      if (ftrylockfile(out) == 0) {  // never wait on a stream the stuck thread might hold
        fflush_unlocked(out);
        funlockfile(out);
      }
      if (write(STDERR_FILENO, message_, std::strlen(message_)) < 0) {
        // nothing more can be done: the exit status still says it
      }
      _exit(kExitTimeLimit);
    });
  }
  ~StuckWatchdog() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    done_cv_.notify_one();
    thread_.join();
  }
  StuckWatchdog(const StuckWatchdog&) = delete;
  StuckWatchdog& operator=(const StuckWatchdog&) = delete;

 private:
  char message_[1024] = {0};
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread thread_;
};

void set_field_nil(lua_State* L, int table, const char* name) {
  table = lua_absindex(L, table);
  lua_pushnil(L);
  lua_setfield(L, table, name);
}

}  // namespace

Runtime& runtime_of(lua_State* L) {
  void* ud = nullptr;
  lua_getallocf(L, &ud);
  return *static_cast<Runtime*>(ud);
}

void check_deadline(lua_State* L) {
  Runtime& rt = runtime_of(L);
  if (!rt.time_tripped && std::chrono::steady_clock::now() >= rt.deadline) rt.time_tripped = true;
  if (rt.time_tripped || rt.memory_tripped || rt.stack_tripped) raise_limit(L, rt);
}

void write_output(lua_State* L, const char* data, std::size_t size) {
  Runtime& rt = runtime_of(L);
  if (rt.output_errno == 0 && (std::fwrite(data, 1, size, rt.out) != size || std::ferror(rt.out)))
    rt.output_errno = errno ? errno : EIO;
  if (rt.output_errno != 0)
    luaL_error(L, "cannot write to standard output: %s", std::strerror(rt.output_errno));
}

std::size_t memory_in_use(const Runtime& rt) { return rt.used + (rt.cxx > 0 ? std::size_t(rt.cxx) : 0); }

void trip_memory_limit(Runtime& rt) {
  rt.memory_tripped = true;
  if (rt.main) lua_sethook(rt.main, count_hook, LUA_MASKCOUNT, 1);  // signal-safe: fine inside operator new
}

void raise_tripped_limit(lua_State* L) { raise_limit(L, runtime_of(L)); }

void collect_if_cxx_grew(lua_State* L) {
  Runtime& rt = runtime_of(L);
  const std::size_t cxx = rt.cxx > 0 ? std::size_t(rt.cxx) : 0;
  if (cxx < rt.cxx_at_last_collect) rt.cxx_at_last_collect = cxx;
  if (cxx - rt.cxx_at_last_collect <= rt.limits.memory_bytes / 8) return;
  lua_gc(L, LUA_GCCOLLECT, 0);
  rt.cxx_at_last_collect = rt.cxx > 0 ? std::size_t(rt.cxx) : 0;
}

Sandbox::Sandbox(const Limits& limits, std::FILE* out) {
  runtime_.limits = limits;
  runtime_.out = out;
  L_ = lua_newstate(limited_alloc, &runtime_);
  if (!L_) throw std::runtime_error("cannot create a Lua state");
  lua_State* L = L_;
  // Only the libraries a query needs (linit.c's pattern); no io, os, debug, package.
  const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},        {LUA_TABLIBNAME, luaopen_table},
                           {LUA_STRLIBNAME, luaopen_string}, {LUA_MATHLIBNAME, luaopen_math},
                           {LUA_UTF8LIBNAME, luaopen_utf8},  {LUA_COLIBNAME, luaopen_coroutine}};
  for (const luaL_Reg& lib : libs) {
    luaL_requiref(L, lib.name, lib.func, 1);
    lua_pop(L, 1);
  }
  lua_pushglobaltable(L);
  const int G = lua_gettop(L);
  // From os only the clock and calendar.
  luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
  lua_createtable(L, 0, 3);
  for (const char* name : {"date", "time", "clock"}) {
    lua_getfield(L, -2, name);
    lua_setfield(L, -2, name);
  }
  lua_setfield(L, G, "os");
  lua_pop(L, 1);
  for (const char* name : {"dofile", "loadfile", "require", "package", "io", "debug"})
    set_field_nil(L, G, name);
  lua_pushcfunction(L, sandbox_print);
  lua_setfield(L, G, "print");

  lua_getfield(L, G, "coroutine");
  lua_getfield(L, -1, "close");
  lua_pushcclosure(L, guarded_close, 1);
  lua_setfield(L, -2, "close");
  lua_pop(L, 1);
  runtime_.main = L;
  runtime_.stack_budget = close_stack_budget();

  lua_getfield(L, G, "string");
  set_field_nil(L, -1, "dump");  // bytecode out is the first half of bytecode in
  lua_getfield(L, -1, "rep");
  lua_pushcclosure(L, capped_rep, 1);
  lua_setfield(L, -2, "rep");
  lua_pop(L, 1);
  // getmetatable("") returns false instead of the table methods come from.
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 3);
  lua_gc(L, LUA_GCGEN, 0, 0);
  lua_sethook(L, count_hook, LUA_MASKCOUNT, kHookEvery);
}

Sandbox::~Sandbox() {
  // Finalizers a script left behind run in lua_close: let them not run on.
  runtime_.time_tripped = true;
  lua_sethook(L_, count_hook, LUA_MASKCOUNT, 1);
  lua_close(L_);
}

void Sandbox::seal() {
  lua_State* L = L_;
  lua_pushcfunction(L, message_handler);
  const int handler = lua_gettop(L);
  const EmbeddedModule* module = find_embedded_module("sandbox");
  if (!module || luaL_loadbufferx(L, module->text, module->size, "@[imozuru]/sandbox.lua", "t") != LUA_OK)
    throw std::runtime_error("cannot load the sandbox module");
  lua_pushcfunction(L, load_tool_module);
  lua_getfield(L, LUA_REGISTRYINDEX, "imozuru.Model.methods");
  lua_createtable(L, 0, 1);  // the limits the Lua half of the tool enforces itself
  lua_pushinteger(
      L, static_cast<lua_Integer>(std::min<std::size_t>(runtime_.limits.max_string_bytes, LUA_MAXINTEGER)));
  lua_setfield(L, -2, "max_lua_string");
  const int status = lua_pcall(L, 3, 0, handler);
  if (status != LUA_OK) {
    std::string message = lua_tostring(L, -1) ? lua_tostring(L, -1) : "unknown error";
    lua_settop(L, 0);
    throw std::runtime_error("cannot set up the Lua sandbox: " + message);
  }
  lua_settop(L, 0);
}

Outcome Sandbox::run(std::string_view text, const std::string& chunkname, int nargs, std::string& message) {
  lua_State* L = L_;
  Runtime& rt = runtime_;
  const int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, message_handler);
  lua_insert(L, base + 1);
  const int handler = base + 1;
  if (luaL_loadbufferx(L, text.data(), text.size(), chunkname.c_str(), "t") != LUA_OK) {
    message = lua_tostring(L, -1);
    lua_settop(L, base);
    return rt.memory_tripped ? Outcome::memory_limit : Outcome::script_error;
  }
  lua_insert(L, handler + 1);
  rt.bad_reference[0] = '\0';
  rt.usage_error = false;
  rt.deadline =
      std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                             std::chrono::duration<double>(rt.limits.timeout_seconds));
  int status;
  {
    StuckWatchdog watchdog(rt, chunkname);
    rt.stack_base = static_cast<const char*>(__builtin_frame_address(0));
    CountCxxMemory count(rt);
    status = lua_pcall(L, nargs, 0, handler);
  }
  rt.stack_base = nullptr;
  errno = 0;
  if ((std::fflush(rt.out) != 0 || std::ferror(rt.out)) && rt.output_errno == 0)
    rt.output_errno = errno ? errno : EIO;
  if (status == LUA_OK && !rt.time_tripped && !rt.memory_tripped && !rt.stack_tripped &&
      rt.output_errno == 0) {
    lua_settop(L, base);
    return Outcome::ok;
  }
  const char* msg = status == LUA_OK ? nullptr : lua_tostring(L, -1);
  message = msg ? msg : "error";
  lua_settop(L, base);
  if (rt.memory_tripped || status == LUA_ERRMEM) {
    if (message.find("memory limit of") == std::string::npos) {
      char size[32];
      size_text(rt.limits.memory_bytes, size);
      message = chunkname.substr(chunkname[0] == '@' ? 1 : 0) + ": memory limit of " + size +
                " exceeded (raise it with --memory)";
    }
    return Outcome::memory_limit;
  }
  if (rt.time_tripped) {
    if (message.find("time limit of") == std::string::npos) {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%.14g", rt.limits.timeout_seconds);  // as lua_pushfstring's %f
      message = chunkname.substr(chunkname[0] == '@' ? 1 : 0) + ": time limit of " + seconds +
                " s exceeded (raise it with --timeout)";
    }
    return Outcome::time_limit;
  }
  if (rt.stack_tripped) {
    if (message.find(kStackMessage) == std::string::npos)
      message = chunkname.substr(chunkname[0] == '@' ? 1 : 0) + ": " + kStackMessage;
    return Outcome::script_error;
  }
  if (rt.output_errno != 0 &&
      (status == LUA_OK || message.find("cannot write to standard output") == std::string::npos))
    message = chunkname.substr(chunkname[0] == '@' ? 1 : 0) +
              ": cannot write to standard output: " + std::strerror(rt.output_errno);
  if (rt.output_errno != 0) return Outcome::script_error;
  if (rt.bad_reference[0] && message.find(rt.bad_reference) != std::string::npos)
    return Outcome::bad_reference;
  return Outcome::script_error;
}

}  // namespace imozuru::query
