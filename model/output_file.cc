#include "model/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace imozuru {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const char* what, int err) {
  throw std::runtime_error("cannot write " + path.string() + ": " + what + ": " + std::strerror(err));
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmpl = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) fail(path, "creating a temporary file", errno);

  auto abandon = [&](const char* what) {
    int err = errno;
    close(fd);
    unlink(tmpl.c_str());
    fail(path, what, err);
  };
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      abandon("writing");
    }
    written += static_cast<size_t>(n);
  }
  // mkstemp creates 0600; give the file the permissions a normal create would.
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0) abandon("setting permissions");
  if (fsync(fd) != 0) abandon("syncing");
  if (close(fd) != 0) {
    int err = errno;
    unlink(tmpl.c_str());
    fail(path, "closing", err);
  }
  if (rename(tmpl.c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(tmpl.c_str());
    fail(path, "renaming into place", err);
  }
}

}  // namespace imozuru
