// A Lua 5.4 state for untrusted query scripts: only safe libraries, a time
// limit and a memory limit that the script's own pcall cannot swallow.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

struct lua_State;

namespace imozuru::query {

struct Limits {
  double timeout_seconds = 10;                      // wall clock, from the start of the script
  std::size_t memory_bytes = std::size_t{1} << 30;  // everything the Lua state allocates
  std::size_t max_string_bytes = 64u << 20;         // one string.rep / json / csv result
  // The count hook cannot stop a single C call that runs on (a pathological
  // string.find pattern is one call). With this set, a watchdog thread ends
  // the whole process with status 3 when a run outlives its deadline by
  // kStuckGraceSeconds. For the command-line tool, not for callers that must
  // survive (tests, the fuzzer).
  bool exit_when_stuck = false;
};

inline constexpr double kStuckGraceSeconds = 1.0;

// How a run ended; query.h maps these to exit statuses.
enum class Outcome { ok, script_error, bad_reference, time_limit, memory_limit };

// Shared by the sandbox and the bindings; reached from any lua_State through
// the allocator's user data.
struct Runtime {
  Limits limits;
  std::FILE* out = stdout;       // print, imozuru.json, imozuru.csv
  std::string output_dir = ".";  // where model:render may write files
  std::size_t used = 0;          // bytes allocated by Lua now
  std::size_t peak = 0;
  // Bytes of C++ memory made on the script's behalf while it runs (model
  // handles, JSON trees and texts, analysis results): allocated less freed by
  // the script's thread (query/cxx_memory.h). Counts against the same budget.
  std::ptrdiff_t cxx = 0;
  std::size_t cxx_at_last_collect = 0;
  std::size_t last_failed_size = 0;  // Lua retries a failed allocation once after a full GC
  bool memory_tripped = false;
  bool time_tripped = false;
  // Lua 5.4.4 does not count coroutines closed inside a __close against its
  // C-stack limit; the sandbox measures the C stack there itself.
  bool stack_tripped = false;
  const char* stack_base = nullptr;  // the C stack where the script started
  std::size_t stack_budget = 0;      // bytes of C stack such closes may use
  lua_State* main = nullptr;         // the state's main thread
  int output_errno = 0;              // the first failed write to `out` (a full disk, /dev/full)
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  // The last "no such entity" error raised by the API, to exit 2 when the
  // script dies of it (a bad reference given on the command line).
  char bad_reference[512] = {0};
  // Set by imozuru.usage: the script stops with its message alone (no
  // traceback) and exit status 2, a mistake in its arguments.
  bool usage_error = false;
};

Runtime& runtime_of(lua_State* L);
// Raises the time-limit error when the deadline has passed; for C functions
// that do a lot of work per call, so a loop of them cannot outrun the hook.
void check_deadline(lua_State* L);
// Bytes of the budget in use: Lua's and the C++ memory made for the script.
std::size_t memory_in_use(const Runtime& rt);
// Marks the memory limit as exceeded and makes every thread of the script
// stop at its next instruction (callable from inside an allocation).
void trip_memory_limit(Runtime& rt);
// Raises the error of a limit that has tripped (time, memory, C stack), so
// that neither pcall nor an error handler can carry on past it.
[[noreturn]] void raise_tripped_limit(lua_State* L);
// Writes to the script's output; a failed write (a full disk) raises a Lua
// error naming the reason, and the run fails even if the script catches it.
void write_output(lua_State* L, const char* data, std::size_t size);

// Runs a full collection when the C++ memory made for the script has grown
// by an eighth of the budget since the last one: Lua's collector sees only
// the small userdata that own that memory, not the memory itself.
void collect_if_cxx_grew(lua_State* L);

class Sandbox {
 public:
  Sandbox(const Limits& limits, std::FILE* out);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  lua_State* state() const { return L_; }
  Runtime& runtime() { return runtime_; }

  // Finishes the sandbox (proxies, require, load) once the bindings have put
  // `model` and `imozuru` in place. Throws std::runtime_error on failure.
  void seal();

  // Runs a chunk of Lua text named `chunkname` ("@path" for a file) with the
  // given arguments already pushed (`nargs`). On failure `message` is
  // "file:line: message" plus a traceback. Starts the clock.
  Outcome run(std::string_view text, const std::string& chunkname, int nargs, std::string& message);

 private:
  Runtime runtime_;
  lua_State* L_ = nullptr;
};

}  // namespace imozuru::query
