#include "model/input_file.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "model/output_file.h"

namespace imozuru {
namespace {

InputRead failed(const std::string& what) { return {InputRead::Status::failed, "cannot read: " + what}; }

InputRead too_large(std::size_t max_bytes, std::size_t seen, bool known) {
  return {InputRead::Status::too_large,
          (known ? "file is " + std::to_string(seen) + " bytes" : std::string("input is longer")) +
              ", larger than the limit of " + std::to_string(max_bytes) + " bytes (--max-file-bytes)"};
}

// Waits until `fd` (non-blocking) has something to read or has ended;
// `timeout_ms` < 0 waits as long as it takes. False on timeout.
bool wait_readable(int fd, int timeout_ms) {
  struct pollfd p {};
  p.fd = fd;
  p.events = POLLIN;
  for (;;) {
    int n = poll(&p, 1, timeout_ms);
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return true;  // let read() report it
  }
}

// Reads to end of file, refusing more than `max_bytes`. `size_hint` (a
// regular file's size) saves reallocations. A named FIFO (`fifo_wait` >= 0)
// is read without blocking: until its first writer it waits at most that
// many seconds, then as long as the writer keeps it open.
InputRead read_all(int fd, std::size_t max_bytes, std::string& text, std::size_t size_hint, int fifo_wait) {
  text.clear();
  if (size_hint > 0) text.reserve(size_hint < max_bytes ? size_hint + 1 : max_bytes + 1);
  char buf[65536];
  bool writer_seen = fifo_wait < 0;
  if (!writer_seen) {
    // Linux's poll reports no hang-up on a FIFO that never had a writer: it
    // just waits, which is what the deadline is for.
    if (!wait_readable(fd, fifo_wait * 1000))
      return failed("no process wrote to the FIFO within " + std::to_string(fifo_wait) + " s");
    writer_seen = true;
  }
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {  // a FIFO whose writer has not finished
        wait_readable(fd, -1);
        continue;
      }
      return failed(std::strerror(errno));
    }
    if (n == 0) return {};
    if (text.size() + static_cast<std::size_t>(n) > max_bytes) return too_large(max_bytes, 0, false);
    text.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace

InputRead read_input_file(const std::filesystem::path& path, std::size_t max_bytes, std::string& text,
                          int fifo_wait_seconds) {
  // Standard input and the descriptors the shell passed (`<(cmd)` is
  // /dev/fd/63): read what is already open, to its end.
  std::optional<int> descriptor = path == "-" ? std::optional<int>(STDIN_FILENO) : descriptor_of_path(path);
  if (descriptor) {
    struct stat st {};
    if (fstat(*descriptor, &st) != 0) return failed(std::strerror(errno));
    if (S_ISDIR(st.st_mode)) return failed("it is a directory");
    if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > max_bytes) {
      off_t at = lseek(*descriptor, 0, SEEK_CUR);
      if (at >= 0 && static_cast<std::size_t>(st.st_size - at) > max_bytes)
        return too_large(max_bytes, static_cast<std::size_t>(st.st_size - at), true);
    }
    // A descriptor the shell opened may be non-blocking; reading copes (EAGAIN waits).
    return read_all(*descriptor, max_bytes, text,
                    S_ISREG(st.st_mode) ? static_cast<std::size_t>(st.st_size) : 0, -1);
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return failed(std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return failed("it is a directory");
  if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > max_bytes)
    return too_large(max_bytes, static_cast<std::size_t>(st.st_size), true);
  const bool fifo = S_ISFIFO(st.st_mode);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | (fifo ? O_NONBLOCK : 0));
  if (fd < 0) return failed(std::strerror(errno));
  InputRead r = read_all(fd, max_bytes, text, S_ISREG(st.st_mode) ? static_cast<std::size_t>(st.st_size) : 0,
                         fifo ? fifo_wait_seconds : -1);
  close(fd);
  return r;
}

}  // namespace imozuru
