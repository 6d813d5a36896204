// Loading model files: YAML text → Model with source positions (docs/model-format.md).
// Loading checks structure (kinds, fields, types, enum values, dates, id
// syntax); `validate` (validate.h) checks the model as a whole.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "model/diagnostics.h"
#include "model/model.h"

namespace imozuru {

// Limits on what a model file may make the loader do. Each has a command-line
// flag to raise it.
struct LoadLimits {
  std::size_t max_file_bytes = 64u << 20;    // per file
  int max_depth = 64;                        // YAML nesting
  std::size_t max_entities = 2'000'000;      // in the whole model
  std::size_t max_references = 10'000'000;   // ids naming other entities, in the whole model
  std::size_t max_files = 10'000;            // in a directory
  std::size_t max_string_bytes = 64u << 10;  // one scalar
  // Threads that read and parse a directory's files (0: one per core, at
  // most kMaxLoadThreads). Not a limit on the result, which is the same on
  // any number (docs/performance.md#loading-on-several-cores), so not part
  // of the parsed-model cache's key.
  unsigned threads = 0;
};
inline constexpr unsigned kMaxLoadThreads = 8;

struct LoadResult {
  std::optional<Model> model;  // set when no error was found
  Diagnostics diagnostics;
  bool io_failure = false;  // the path could not be read (exit 1, not 2)
  // Bytes read to turn yaml-cpp's byte columns into character columns: linear
  // in the size of the files, however long their lines (tests check).
  std::size_t position_bytes_scanned = 0;
};

// Called with each model file's name (as diagnostics spell it) and exact
// bytes, in the order of the files (sorted by path), on the calling thread,
// also when the files are parsed on several threads (the parsed-model cache
// hashes them: model/model_cache.h).
using ModelFileObserver = std::function<void(const std::string& name, std::string_view text)>;

// Whether a file in a model directory is part of the model (*.yaml, *.yml).
bool is_model_file(const std::filesystem::path& path);

// The model files below a directory, as load_model reads them: every regular
// *.yaml / *.yml file, recursively, sorted by path (so the merged model and
// its messages never depend on the order the file system lists them in).
struct ModelFileList {
  enum class Problem { none, unreadable, too_many, empty };
  std::vector<std::filesystem::path> files;  // complete only when problem is none
  Problem problem = Problem::none;
  std::error_code error;  // why, when unreadable
};
ModelFileList list_model_files(const std::filesystem::path& directory, const LoadLimits& limits);

// Loads a file, or every *.yaml / *.yml below a directory (recursively,
// merged, in an order that does not change the result), then validates.
// The files of a directory are read and parsed on limits.threads threads and
// merged in order: the model, its messages and the observer's calls are
// those of loading the files one by one
// (docs/performance.md#loading-on-several-cores).
LoadResult load_model(const std::filesystem::path& path, const LoadLimits& limits = {},
                      const ModelFileObserver& observer = {});

// Loads one file's text as if it were the whole model; `file_name` is used in
// diagnostics. For tests and fuzzing.
LoadResult load_model_text(std::string_view text, const std::string& file_name,
                           const LoadLimits& limits = {});

}  // namespace imozuru
