#include "cli/common.h"

#include <pthread.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "cli/options.h"
#include "model/diagnostics.h"
#include "model/model_cache.h"
#include "model/output_file.h"
#include "model/person.h"
#include "output/messages.h"
#include "render/timelapse.h"
#include "text/escape.h"

namespace imozuru::cli {

// Messages quote model text and command-line arguments: shown escaped.
void fail(int code, const std::string& message) {
  std::cerr << "imozuru: error: " << text::terminal_text(message) << "\n";
  throw Exit{code};
}

void warn(const std::string& message) {
  std::cerr << "imozuru: warning: " << text::terminal_text(message) << "\n";
}

void usage_error(const std::string& message) {
  std::cerr << "imozuru: error: " << text::terminal_text(message) << "\n";
  throw Exit{kExitUsage, true};
}

void add_model_options(CLI::App& app, ModelOptions& o) {
  app.add_option("MODEL", o.path, "Model file or directory of *.yaml files; - for standard input")
      ->required();
  app.add_option("--max-file-bytes", o.limits.max_file_bytes, "Largest model file to read")
      ->capture_default_str()
      ->check(whole_number(0))
      ->group("Limits");
  app.add_option("--max-depth", o.limits.max_depth, "Deepest YAML nesting accepted")
      ->capture_default_str()
      ->check(whole_number(1, 100000))
      ->group("Limits");
  app.add_option("--max-entities", o.limits.max_entities, "Most entities in a model")
      ->capture_default_str()
      ->check(whole_number(0))
      ->group("Limits");
  app.add_option("--max-references", o.limits.max_references,
                 "Most references (ids naming other entities) in a model")
      ->capture_default_str()
      ->check(whole_number(0))
      ->group("Limits");
  app.add_option("--max-string-bytes", o.limits.max_string_bytes,
                 "Longest YAML scalar (a name, a note) in bytes")
      ->capture_default_str()
      ->check(whole_number(0))
      ->group("Limits");
  app.add_option("--cache-dir", o.cache_dir,
                 "Keep parsed-model snapshots here (default: $XDG_CACHE_HOME/imozuru or ~/.cache/imozuru)")
      ->group("Cache");
  app.add_flag("--no-cache", o.no_cache,
               "Read the model files without the parsed-model cache (also: IMOZURU_NO_CACHE=1)")
      ->group("Cache");
  app.add_option("--max-files", o.limits.max_files, "Most model files read from a directory")
      ->capture_default_str()
      ->check(whole_number(0))
      ->group("Limits");
}

void add_date_options(CLI::App& app, DateOptions& o) {
  app.add_option("--at", o.at, "Analyse the model as of this date (YYYY[-MM[-DD]]; default: today)");
  app.add_flag("--include-planned", o.include_planned, "Count planned and proposed entities as active");
}

void add_lang_option(CLI::App& app, std::string& lang) {
  app.add_option("--lang", lang, "Language of names: ja or en (default: the model's default_lang)")
      ->check(one_of({"ja", "en"}));
}

void add_timelapse_options(CLI::App& app, std::vector<std::string>& dates, std::string& every, bool& ghost,
                           const std::string& dates_help) {
  app.add_option("--dates", dates, dates_help)->delimiter(',')->group("Time-lapse");
  app.add_option("--every", every,
                 "Time-lapse: a frame every year or month from the first --dates to the last")
      ->check(one_of({"year", "month"}))
      ->group("Time-lapse");
  app.add_flag("--ghost", ghost, "Time-lapse: draw what a frame does not have faint, instead of hiding it")
      ->group("Time-lapse");
}

void add_person_option(CLI::App& app, std::string& person) {
  app.add_option(
      "--person", person,
      "Analyse the model for this person (a `persons` id): only their groups' systems and flows, and "
      "flows their consent acts switch on");
}

Index person_or_exit(const Model& model, const std::string& id, const Date& at, bool include_planned) {
  if (id.empty()) return kNone;
  PersonLookup found = find_person_at(model, id, at, include_planned);
  if (found.person == kNone) fail(kExitInvalid, "--person: " + found.error);
  return found.person;
}

ModelAt model_at_or_exit(const Model& model, const DateOptions& date, const std::string& person) {
  const Date at = as_of_date(date);
  return ModelAt(model, at, date.include_planned, person_or_exit(model, person, at, date.include_planned));
}

void add_join_options(CLI::App& app, JoinOptions& o) {
  app.add_flag(
      "--open-only", o.open_only,
      "Join only through identifiers no law in force restricts (a policy or judgment restricts nothing)");
  app.add_option("--max-match-error", o.max_match_error,
                 "Never join through an identifier whose match_error is above this fraction (0 to 1)")
      ->check(number_between(0, 1, "fraction"));
}

namespace {

std::string problem_in_words(Lang lang, SnapshotProblem problem) {
  switch (problem) {
    case SnapshotProblem::truncated:
      return say(lang, Msg::cache_problem_truncated);
    case SnapshotProblem::not_a_snapshot:
      return say(lang, Msg::cache_problem_not_a_snapshot);
    case SnapshotProblem::checksum:
      return say(lang, Msg::cache_problem_checksum);
    case SnapshotProblem::other_build:
      return say(lang, Msg::cache_problem_other_build);
    case SnapshotProblem::corrupt:
    case SnapshotProblem::stale:  // never warned about
    case SnapshotProblem::none:
      break;
  }
  return say(lang, Msg::cache_problem_corrupt);
}

void warn_about_cache(Lang lang, const CacheWarning& w) {
  switch (w.kind) {
    case CacheWarning::Kind::snapshot_ignored:
      warn(say(lang, Msg::cache_snapshot_ignored, w.snapshot.string(), problem_in_words(lang, w.problem)));
      break;
    case CacheWarning::Kind::cannot_write:
      warn(say(lang, Msg::cache_cannot_write, w.error));
      break;
  }
}

}  // namespace

namespace {

// IMOZURU_LOAD_THREADS: how many threads read a model directory's files
// (docs/cli.md#several-cores); 0 (one per core) when unset or not a number
// from 1 to kMaxLoadThreads, which is said.
unsigned load_threads_from_environment(Lang lang) {
  const char* v = std::getenv("IMOZURU_LOAD_THREADS");
  if (!v || !*v) return 0;
  char* end = nullptr;
  errno = 0;
  const unsigned long n = std::strtoul(v, &end, 10);
  if (errno == 0 && *end == '\0' && std::isdigit(static_cast<unsigned char>(*v)) && n >= 1 &&
      n <= kMaxLoadThreads)
    return static_cast<unsigned>(n);
  warn(say(lang, Msg::load_threads_invalid, v, kMaxLoadThreads));
  return 0;
}

}  // namespace

namespace {

// The model loaded and checked, with the snapshot still to write when
// CacheWrite::deferred, and the language of the cache's warnings.
struct CheckedLoad {
  CachedLoad cached;
  Lang warnings_lang = Lang::ja;
};

CheckedLoad load_checked_or_exit(const ModelOptions& o, const std::string& lang, CacheWrite write) {
  LoadLimits limits = o.limits;
  limits.threads = load_threads_from_environment(parse_lang(lang).value_or(Lang::ja));
  std::filesystem::path cache_dir;
  if (!o.no_cache) {
    if (!o.cache_dir.empty())
      cache_dir = o.cache_dir;
    else if (!cache_disabled_by_environment())
      cache_dir = default_cache_dir();
  }
  CheckedLoad out;
  out.cached = load_model_cached(o.path, limits, cache_dir, kDefaultCacheMaxBytes, write);
  LoadResult& result = out.cached.result;
  // In --lang, else the model's default language (Japanese when the model
  // did not load, as for a model that names none).
  out.warnings_lang =
      result.model ? lang_or_default(lang, *result.model) : parse_lang(lang).value_or(Lang::ja);
  for (const CacheWarning& w : out.cached.warnings) warn_about_cache(out.warnings_lang, w);
  result.diagnostics.print(std::cerr);
  if (result.io_failure) throw Exit{kExitFailure};
  if (!result.model) throw Exit{kExitInvalid};
  if (o.strict && result.diagnostics.warning_count() > 0) {
    // The snapshot is written all the same, as without --strict.
    for (const CacheWarning& w :
         write_deferred_snapshot(out.cached.deferred, *result.model, result.diagnostics).warnings)
      warn_about_cache(out.warnings_lang, w);
    fail(kExitInvalid, std::to_string(result.diagnostics.warning_count()) + " warning(s) with --strict");
  }
  return out;
}

// The snapshot of the model load_for_process_or_exit loaded, written on its
// own thread while the command works (docs/cli.md#parsed-model-cache).
// Started and finished on the main thread only.
struct BackgroundSnapshot {
  DeferredSnapshot deferred;
  const Model* model = nullptr;  // kept for the process: never moved nor destroyed
  Diagnostics diagnostics;
  Lang warnings_lang = Lang::ja;
  SnapshotWrite written;  // set by the thread, read after join
  std::thread thread;
};
BackgroundSnapshot* g_background_snapshot = nullptr;

void start_background_snapshot(std::unique_ptr<BackgroundSnapshot> job) {
  // The thread takes no SIGINT, SIGTERM or SIGHUP: they go to the main
  // thread, whose handler (model/output_file.cc) removes the snapshot's
  // temporary file. A thread inherits the mask of the one that creates it.
  sigset_t held, previous;
  sigemptyset(&held);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&held, sig);
  const bool masked = pthread_sigmask(SIG_BLOCK, &held, &previous) == 0;
  BackgroundSnapshot* j = job.get();
  try {
    j->thread = std::thread([j] {
      try {
        j->written = write_deferred_snapshot(j->deferred, *j->model, j->diagnostics);
      } catch (...) {
        j->written = SnapshotWrite{};  // write_deferred_snapshot does not throw
      }
    });
    g_background_snapshot = job.release();
  } catch (const std::system_error&) {
    // No thread to be had: write it here, as before.
    j->written = write_deferred_snapshot(j->deferred, *j->model, j->diagnostics);
    for (const CacheWarning& w : j->written.warnings) warn_about_cache(j->warnings_lang, w);
  }
  if (masked) pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

}  // namespace

void finish_background_snapshot() {
  BackgroundSnapshot* job = g_background_snapshot;
  if (!job) return;
  g_background_snapshot = nullptr;
  job->thread.join();
  for (const CacheWarning& w : job->written.warnings) warn_about_cache(job->warnings_lang, w);
  delete job;
}

Model load_or_exit(const ModelOptions& o, const std::string& lang) {
  return std::move(*load_checked_or_exit(o, lang, CacheWrite::now).cached.result.model);
}

const Model& load_for_process_or_exit(const ModelOptions& o, const std::string& lang) {
  static auto* kept = new std::vector<std::unique_ptr<Model>>;  // never destroyed
  finish_background_snapshot();  // one at a time (a command that loads two models)
  CheckedLoad loaded = load_checked_or_exit(o, lang, CacheWrite::deferred);
  kept->push_back(std::make_unique<Model>(std::move(*loaded.cached.result.model)));
  const Model& model = *kept->back();
  if (loaded.cached.deferred.due) {
    auto job = std::make_unique<BackgroundSnapshot>();
    job->deferred = std::move(loaded.cached.deferred);
    job->model = &model;
    job->diagnostics = std::move(loaded.cached.result.diagnostics);
    job->warnings_lang = loaded.warnings_lang;
    start_background_snapshot(std::move(job));
  }
  return model;
}

Date parse_date_or_exit(const std::string& text, std::string_view flag) {
  auto d = Date::parse(text);
  if (!d)
    fail(kExitInvalid, std::string(flag) + ": '" + text + "' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
  return *d;
}

Date as_of_date(const DateOptions& o) {
  return o.at.empty() ? Date::today() : parse_date_or_exit(o.at, "--at");
}

std::vector<Date> frame_dates_or_exit(const std::vector<std::string>& texts, const std::string& every,
                                      Lang lang) {
  std::vector<Date> dates;
  for (const auto& text : texts) {
    auto d = Date::parse(text);
    if (!d) usage_error(say(lang, Msg::render_dates_not_a_date, text));
    if (!dates.empty() && *d <= dates.back())
      usage_error(say(lang, Msg::render_dates_not_increasing, dates.back().written(), d->written()));
    dates.push_back(*d);
  }
  if (!every.empty()) {
    if (dates.size() != 2) usage_error(say(lang, Msg::render_every_needs_two_dates));
    dates = render::dates_every(dates[0], dates[1], every == "year" ? 12 : 1);
  }
  if (dates.size() > render::kMaxFrames)
    usage_error(say(lang, Msg::render_too_many_frames, dates.size(), render::kMaxFrames));
  return dates;
}

Lang lang_or_default(const std::string& lang, const Model& model) {
  if (auto l = parse_lang(lang)) return *l;
  return model.default_lang();
}

EntityRef parse_ref_or_exit(const std::string& text, const ModelAt& at) {
  auto ref = EntityRef::parse(text);
  if (!ref)
    fail(kExitInvalid, "'" + text + "' is not a reference; write identifier:ID, system:ID or data:ID");
  const Model& model = at.model();
  if (model.find(*ref) == kNone) {
    auto ids = model.ids(ref->kind);
    std::string hint;
    std::string_view best = closest_match(ref->id, ids);
    if (!best.empty())
      hint = " (did you mean '" + std::string(to_string(ref->kind)) + ":" + std::string(best) + "'?)";
    fail(kExitInvalid, "no " + std::string(to_string(ref->kind)) + " '" + ref->id + "' in the model" + hint);
  }
  if (!at.active(*ref)) warn(ref->str() + " is not active at " + at.at().iso() + "; it reaches nothing");
  return *ref;
}

void write_stdout(std::string_view content) {
  // What went through std::cout or stdio first, then the content itself with
  // write(2), so that a failure (a full disk, /dev/full) names its reason.
  flush_stdout_or_exit();
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(STDOUT_FILENO, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      fail(kExitFailure,
           std::string("cannot write to standard output: ") + std::strerror(n < 0 ? errno : EIO));
    done += static_cast<std::size_t>(n);
  }
}

void flush_stdout_or_exit() {
  // A write that already failed (std::endl flushes) most likely left its
  // reason in errno.
  bool failed = !std::cout || std::ferror(stdout);
  int err = failed ? errno : 0;
  errno = 0;
  std::cout.flush();
  if (!std::cout) {
    failed = true;
    if (errno) err = errno;
  }
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    failed = true;
    if (errno) err = errno;
  }
  if (failed) {
    std::clearerr(stdout);
    std::cout.clear();
    fail(kExitFailure,
         "cannot write to standard output" + (err ? ": " + std::string(std::strerror(err)) : std::string()));
  }
}

void write_output(const std::string& path, std::string_view content) {
  if (path.empty() || path == "-") return write_stdout(content);
  try {
    write_file_atomically(path, content);
  } catch (const std::exception& e) {
    fail(kExitFailure, e.what());
  }
}

}  // namespace imozuru::cli
