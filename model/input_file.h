// Reading a model file whatever it is: a regular file, a pipe (`<(cmd)`,
// `-` for standard input, /dev/stdin), a named FIFO or a character device.
// The whole input is read, to end of file, and the size limit is enforced
// while reading, so a stream that never ends stops at the limit.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace imozuru {

// How long a named FIFO may go without a writer before reading gives up
// (a FIFO nobody writes to would otherwise block for ever).
inline constexpr int kFifoWriterWaitSeconds = 10;

struct InputRead {
  enum class Status { ok, too_large, failed } status = Status::ok;
  std::string message;  // for too_large and failed: what to tell the user
};

// Reads `path` into `text` ("-" is standard input). A descriptor path
// (/dev/stdin, /dev/fd/N, /proc/self/fd/N) is read from the descriptor the
// process already has, to its end.
InputRead read_input_file(const std::filesystem::path& path, std::size_t max_bytes, std::string& text,
                          int fifo_wait_seconds = kFifoWriterWaitSeconds);

}  // namespace imozuru
