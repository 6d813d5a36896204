// The parsed-model cache (docs/performance.md#parsed-model-cache): a snapshot
// of each validated model in the user's cache directory, read instead of the
// YAML when every model file still has exactly the bytes it was made from.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "model/load.h"

namespace imozuru {

// $XDG_CACHE_HOME/imozuru, else $HOME/.cache/imozuru; empty when neither
// variable is set (no cache then).
std::filesystem::path default_cache_dir();

// True when the environment turns the cache off: IMOZURU_NO_CACHE set to
// anything but "" or "0".
bool cache_disabled_by_environment();

struct CachedLoad {
  LoadResult result;              // exactly what load_model would give
  bool from_snapshot = false;     // the model came from a snapshot
  bool snapshot_written = false;  // a new snapshot was written
  // About the cache itself (a corrupt snapshot ignored, a snapshot that
  // could not be written): one line each, for the command to print as
  // warnings. Never about the model.
  std::vector<std::string> warnings;
};

// load_model through the cache in `cache_dir`. The snapshot's key is a
// 128-bit XXH3 hash of this build of imozuru, the limits and every model
// file's name and exact bytes, so an edited, added or removed file is never
// answered from an old snapshot. A snapshot of other bytes is replaced
// silently; a truncated, corrupt or foreign one is replaced with a warning.
// Snapshots are written atomically (model/output_file.h). A model read from
// standard input, a pipe or a device is never cached.
CachedLoad load_model_cached(const std::filesystem::path& path, const LoadLimits& limits,
                             const std::filesystem::path& cache_dir);

// The file a model's snapshot is kept in (one per model path).
std::filesystem::path snapshot_path(const std::filesystem::path& model_path,
                                    const std::filesystem::path& cache_dir);

}  // namespace imozuru
