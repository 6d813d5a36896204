// Writing output files so that a failure never leaves a partial or
// clobbered file: write a temporary file in the target's directory, fsync,
// then rename it over the target.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace imozuru {

// Writes `content` to `path` atomically. Throws std::runtime_error with a
// message naming the path on any failure; the previous file is left as it was.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Removes the temporary file of a write in progress, if there is one. For a
// watchdog about to end the process with _exit (async-signal-safe: unlink
// only); the target file is never touched.
void remove_pending_temporary_file() noexcept;

}  // namespace imozuru
