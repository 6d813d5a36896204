// Snapshots of a validated model for the parsed-model cache
// (docs/performance.md#parsed-model-cache): the model's entities with every
// source position, and the diagnostics (warnings) its load collected, as
// FlatBuffers bytes (schema: model/snapshot.fbs).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/diagnostics.h"
#include "model/model.h"

namespace imozuru {

// What a snapshot is the snapshot of: a hash of the tool, the load limits
// and every model file's name and exact bytes (model/model_cache.h).
using SnapshotKey = std::array<std::uint8_t, 16>;

// The writer's identity, stored in every snapshot: a snapshot written by
// another build is never read.
std::string snapshot_tool_identity();

// The bytes of a snapshot of `model` and `diagnostics` under `key`.
std::string write_snapshot(const Model& model, const Diagnostics& diagnostics, const SnapshotKey& key);

// Why a snapshot was not read (the cache's warning names it in words:
// output/messages.def, cache_problem_*).
enum class SnapshotProblem {
  none,            // it was read
  stale,           // a good snapshot of other model files: not a fault
  truncated,       // shorter than its header
  not_a_snapshot,  // another kind of file
  checksum,        // the checksum does not match: truncated or corrupt
  corrupt,         // fails FlatBuffers' verifier or the reader's checks
  other_build,     // written by another version or build of imozuru
};

struct SnapshotRead {
  std::optional<Model> model;  // set when the bytes were a good snapshot for the key
  Diagnostics diagnostics;
  SnapshotProblem problem = SnapshotProblem::none;  // why not, when `model` is not set
  std::string detail;  // which check a corrupt one failed (for tests and debugging)
};

// Reads a snapshot. The bytes are untrusted: FlatBuffers' verifier checks
// every offset and length first, and every index is checked against the
// model before it is used, so any bytes give either the model or a problem.
SnapshotRead read_snapshot(std::string_view bytes, const SnapshotKey& key);
// The same, whatever key the snapshot has (for the fuzz target and tests).
SnapshotRead read_snapshot_any_key(std::string_view bytes);

}  // namespace imozuru
