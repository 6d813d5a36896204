// Writing output files so that a failure never leaves a partial or
// clobbered file: write a temporary file in the target's directory, fsync,
// then rename it over the target.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace imozuru {

// Writes `content` to `path`. A regular file (or a new one) is written
// atomically: a temporary file in its directory, renamed over it, with the
// old file's permissions (a hard link to the old file is detached; a
// symbolic link is followed and kept). A character device or a FIFO
// (/dev/null, a named pipe) and a descriptor path (/dev/stdout,
// /dev/stderr, /dev/fd/N, /proc/self/fd/N) are written through, never
// replaced. Any other kind of file (a socket, a block device, a directory)
// is refused. Throws std::runtime_error with a message naming the path on
// any failure; a regular file is then left as it was.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// The open descriptor a path names (/dev/stdout is 1, /proc/self/fd/5 is
// 5), without following anything but the path's text; nullopt otherwise.
std::optional<int> descriptor_of_path(const std::filesystem::path& path);

// Removes the temporary file of a write in progress, if there is one. For a
// watchdog about to end the process with _exit (async-signal-safe: unlink
// only); the target file is never touched.
void remove_pending_temporary_file() noexcept;

}  // namespace imozuru
