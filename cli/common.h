// What every subcommand shares: the model argument and its limits, --at,
// --include-planned, --lang, errors and exit codes, writing output.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/as_of.h"
#include "model/load.h"
#include "model/model.h"

namespace CLI {
class App;
}

namespace imozuru::cli {

// Exit statuses (docs/cli.md#exit-status): 0 success, 1 other failure, 2 invalid model,
// bad reference or usage error (docs/cli.md lists them all).
inline constexpr int kExitFailure = 1;
inline constexpr int kExitInvalid = 2;
inline constexpr int kExitUsage = 2;
// gaps --fail-on: an open gap of at least that severity (after the output is written).
inline constexpr int kExitGapsFound = 3;

// Thrown to end a subcommand with a status; main() prints nothing more.
struct Exit {
  int code;
  bool usage = false;  // a usage error: --watch ends on it (cli/watch.h)
};

// Prints "imozuru: error: MESSAGE" to stderr and throws Exit{code}.
[[noreturn]] void fail(int code, const std::string& message);
// Prints "imozuru: warning: MESSAGE" to stderr.
void warn(const std::string& message);
// A usage error found after parsing (options that do not go together, a
// value out of range): "imozuru: error: MESSAGE", exit 2.
[[noreturn]] void usage_error(const std::string& message);

struct ModelOptions {
  std::string path;
  bool strict = false;  // warnings fail the load
  LoadLimits limits;
  // The parsed-model cache (docs/performance.md#parsed-model-cache): on by
  // default in default_cache_dir(); --no-cache or IMOZURU_NO_CACHE turns it
  // off, an explicit --cache-dir turns it on in that directory.
  bool no_cache = false;
  std::string cache_dir;
};

struct DateOptions {
  std::string at;  // empty: today
  bool include_planned = false;
};

// Adds the MODEL positional and the loader-limit flags.
void add_model_options(CLI::App& app, ModelOptions& options);
// Adds --at and --include-planned.
void add_date_options(CLI::App& app, DateOptions& options);
// Adds --lang ja|en (empty: the model's default_lang).
void add_lang_option(CLI::App& app, std::string& lang);
// render's and html's --dates (with `dates_help`), --every and --ghost, in
// the "Time-lapse" group; frame_dates_or_exit reads the first two.
void add_timelapse_options(CLI::App& app, std::vector<std::string>& dates, std::string& every, bool& ghost,
                           const std::string& dates_help);
// Adds --person P (docs/model-format.md, "The model for a person").
void add_person_option(CLI::App& app, std::string& person);

// The person of --person at the date (kNone when `id` is empty); an unknown
// person (did you mean) or one not active at the date ends with exit 2.
Index person_or_exit(const Model& model, const std::string& id, const Date& at, bool include_planned);
// The model at the date of `date` for the person of --person (everyone
// when `person` is empty), checked as person_or_exit does.
ModelAt model_at_or_exit(const Model& model, const DateOptions& date, const std::string& person);

// --open-only and --max-match-error (docs/model-format.md, "Joins,
// restricted and fuzzy"), for reach and chains.
struct JoinOptions {
  bool open_only = false;
  double max_match_error = -1;  // -1: not given
  std::optional<double> max_error() const {
    return max_match_error < 0 ? std::nullopt : std::optional<double>(max_match_error);
  }
};
void add_join_options(CLI::App& app, JoinOptions& options);

// Loads and validates; prints diagnostics to stderr (warnings too); on
// failure throws Exit (2 for an invalid model, 1 for an unreadable path).
// The parsed-model cache's own warnings are in `lang` (the command's --lang:
// empty for the model's default language).
Model load_or_exit(const ModelOptions& options, const std::string& lang = {});
// The same for a command that uses one model until the process ends: the
// model is never destroyed. Freeing a national-scale model's millions of
// blocks one by one took 5% of a warm `reach` (docs/performance.md), and
// the process returns them all at once when it exits. The model stays
// reachable (from a list that is never destroyed), so leak checkers do not
// count it. Not for anything that loads again (watch, query's reloads).
// A model loaded from its files (not from the cache) has its snapshot
// written on another thread while the command works, which reads the model
// meanwhile (only reads it): finish_background_snapshot waits for it.
const Model& load_for_process_or_exit(const ModelOptions& options, const std::string& lang = {});
// Waits for the snapshot load_for_process_or_exit is writing, if any, then
// prints the cache's warning if it could not be written. main() calls it
// before the process ends, whatever the command did.
void finish_background_snapshot();

// Parses a date given on the command line (`flag` names it in the message).
Date parse_date_or_exit(const std::string& text, std::string_view flag);
// The date of --at (today when empty).
Date as_of_date(const DateOptions& options);
// The frames' dates of a time-lapse (render and html): --dates, earliest
// first, and with --every (year or month) every year or month between the
// two dates given; exits 2 (usage, in `lang`) on a bad date, dates out of
// order, --every without two dates or more than render::kMaxFrames.
std::vector<Date> frame_dates_or_exit(const std::vector<std::string>& dates, const std::string& every,
                                      Lang lang);
Lang lang_or_default(const std::string& lang, const Model& model);

// Parses and checks an `identifier:ID` / `system:ID` / `data:ID` reference;
// a malformed one or one naming no entity ends with exit 2 and did-you-mean.
// An entity that exists but is inactive at the date only warns.
EntityRef parse_ref_or_exit(const std::string& text, const ModelAt& at);

// Writes to `path` atomically, or to stdout when `path` is empty or "-".
// A failed write (a full disk) ends with exit 1 and the reason.
void write_output(const std::string& path, std::string_view content);
void write_stdout(std::string_view content);
// Flushes std::cout and stdout; a write that failed, now or earlier, ends
// with exit 1 and "cannot write to standard output".
void flush_stdout_or_exit();

}  // namespace imozuru::cli
