// The parsed-model cache (docs/performance.md#parsed-model-cache): a snapshot
// of each validated model in the user's cache directory, read instead of the
// YAML when every model file still has exactly the bytes it was made from.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "model/load.h"
#include "model/snapshot.h"

namespace imozuru {

// $XDG_CACHE_HOME/imozuru, else $HOME/.cache/imozuru; empty when neither
// variable is set (no cache then).
std::filesystem::path default_cache_dir();

// True when the environment turns the cache off: IMOZURU_NO_CACHE set to
// anything but "" or "0".
bool cache_disabled_by_environment();

// Something about the cache itself, never about the model: the command
// prints it as one warning in the user's language (output/messages.def,
// cache_*).
struct CacheWarning {
  enum class Kind {
    snapshot_ignored,  // a truncated, corrupt or foreign snapshot: read the YAML, wrote it again
    cannot_write,      // the snapshot could not be written (the command still runs)
  };
  Kind kind;
  std::filesystem::path snapshot;                   // snapshot_ignored: which file
  SnapshotProblem problem = SnapshotProblem::none;  // snapshot_ignored: what is wrong with it
  std::string error;                                // cannot_write: the system's reason
};

// A snapshot load_model_cached left for its caller to write (CacheWrite::
// deferred): where, under which key, and the cap of the cache it goes in.
struct DeferredSnapshot {
  bool due = false;  // a snapshot is to be written
  std::filesystem::path snapshot, cache_dir;
  SnapshotKey key{};
  std::uintmax_t max_cache_bytes = 0;
};

// What writing a snapshot did: written or not (then one cannot_write
// warning), and the snapshots pruned after it.
struct SnapshotWrite {
  bool written = false;
  std::vector<CacheWarning> warnings;
  std::vector<std::filesystem::path> pruned;
};

struct CachedLoad {
  LoadResult result;              // exactly what load_model would give
  bool from_snapshot = false;     // the model came from a snapshot
  bool snapshot_written = false;  // a new snapshot was written
  std::vector<CacheWarning> warnings;
  std::vector<std::filesystem::path> pruned;  // snapshots removed to keep the cache under its cap
  DeferredSnapshot deferred;                  // CacheWrite::deferred: the snapshot still to write
};

// When load_model_cached writes a new snapshot: before it returns (`now`),
// or not at all, leaving it in CachedLoad::deferred for the caller to write
// with write_deferred_snapshot once the model lies where it stays (a
// command writes it on another thread while it works: cli/common.h).
enum class CacheWrite { now, deferred };

// The cache's size cap: after a snapshot is written, the least recently used
// other snapshots are removed until all of them together are no larger
// (docs/cli.md#parsed-model-cache). A snapshot's modification time is its
// last use: reading one touches it.
inline constexpr std::uintmax_t kDefaultCacheMaxBytes = std::uintmax_t(1) << 30;  // 1 GiB

// load_model through the cache in `cache_dir`. The snapshot's key is a
// 128-bit XXH3 hash of this build of imozuru, the limits and every model
// file's name and exact bytes, so an edited, added or removed file is never
// answered from an old snapshot. A snapshot of other bytes is replaced
// silently; a truncated, corrupt or foreign one is replaced with a warning.
// Snapshots are written atomically (model/output_file.h). A model read from
// standard input, a pipe or a device is never cached.
CachedLoad load_model_cached(const std::filesystem::path& path, const LoadLimits& limits,
                             const std::filesystem::path& cache_dir,
                             std::uintmax_t max_cache_bytes = kDefaultCacheMaxBytes,
                             CacheWrite write = CacheWrite::now);

// Writes the snapshot load_model_cached deferred, of the model and
// diagnostics it loaded (both only read: another thread may read them
// meanwhile), exactly as CacheWrite::now would have: atomically, then
// pruning the cache. Never throws; a failure is its cannot_write warning.
SnapshotWrite write_deferred_snapshot(const DeferredSnapshot& deferred, const Model& model,
                                      const Diagnostics& diagnostics);

// Removes the least recently used snapshots (files named as snapshot_path
// names them; nothing else in the directory is touched) other than `keep`
// until those left take at most `max_bytes` in all. Returns those removed,
// oldest first. Errors (a file removed by another process meanwhile) are
// skipped.
std::vector<std::filesystem::path> prune_snapshots(const std::filesystem::path& cache_dir,
                                                   std::uintmax_t max_bytes,
                                                   const std::filesystem::path& keep);

// The file a model's snapshot is kept in (one per model path).
std::filesystem::path snapshot_path(const std::filesystem::path& model_path,
                                    const std::filesystem::path& cache_dir);

}  // namespace imozuru
