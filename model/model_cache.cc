#include "model/model_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "model/output_file.h"
#include "model/snapshot.h"

namespace imozuru {
namespace fs = std::filesystem;
namespace {

// The key: XXH3-128 over the tool, the limits, then each file's name and
// bytes, every part preceded by its length so no two inputs run together.
class KeyHasher {
 public:
  explicit KeyHasher(const LoadLimits& limits) {
    state_ = XXH3_createState();
    XXH3_128bits_reset(state_);
    part(snapshot_tool_identity());
    const std::uint64_t numbers[] = {limits.max_file_bytes, static_cast<std::uint64_t>(limits.max_depth),
                                     limits.max_entities,   limits.max_references,
                                     limits.max_files,      limits.max_string_bytes};
    for (std::uint64_t n : numbers) word(n);
  }
  ~KeyHasher() { XXH3_freeState(state_); }
  KeyHasher(const KeyHasher&) = delete;
  KeyHasher& operator=(const KeyHasher&) = delete;

  void file(const std::string& name, std::string_view text) {
    part(name);
    part(text);
  }
  // The same as file(name, text) with text given in pieces of `size` bytes in all.
  void begin_file(const std::string& name, std::uint64_t size) {
    part(name);
    word(size);
  }
  void bytes(std::string_view piece) { XXH3_128bits_update(state_, piece.data(), piece.size()); }
  SnapshotKey key() const {
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, XXH3_128bits_digest(state_));
    SnapshotKey k;
    std::memcpy(k.data(), c.digest, k.size());
    return k;
  }

 private:
  void word(std::uint64_t n) {
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(n >> (8 * i));
    XXH3_128bits_update(state_, b, sizeof b);
  }
  void part(std::string_view s) {
    word(s.size());
    XXH3_128bits_update(state_, s.data(), s.size());
  }
  XXH3_state_t* state_;
};

// The files load_model would read, in its order; false when the path is
// not a regular file or a directory of them (then there is no cache).
bool model_files(const fs::path& path, const LoadLimits& limits, std::vector<fs::path>& files) {
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (ec) return false;
  if (fs::is_regular_file(status)) {
    files.push_back(path);
    return true;
  }
  if (!fs::is_directory(status)) return false;
  ModelFileList list = list_model_files(path, limits);
  if (list.problem != ModelFileList::Problem::none) return false;
  files = std::move(list.files);
  return true;
}

// A whole regular file mapped read-only, read where it lies with no copy (a
// snapshot is tens of megabytes at national scale). Only snapshots are
// mapped: they are only ever replaced by rename, never truncated in place.
class MappedFile {
 public:
  explicit MappedFile(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
      size_ = static_cast<std::size_t>(st.st_size);
      if (size_ == 0) {
        ok_ = true;
      } else {
        void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
          data_ = p;
          ok_ = true;
        }
      }
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (data_) ::munmap(data_, size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  bool ok() const { return ok_; }
  std::string_view bytes() const {
    return data_ ? std::string_view(static_cast<const char*>(data_), size_) : "";
  }

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
  bool ok_ = false;
};

// The key of the model files as they are now; false when one cannot be
// read, is larger than the loader would read, or changes while it is read.
// (Read, not mapped: a file truncated under a mapping would be SIGBUS.)
bool current_key(const std::vector<fs::path>& files, const LoadLimits& limits, SnapshotKey& key) {
  KeyHasher hasher(limits);
  std::vector<char> buffer(1 << 20);
  for (const fs::path& f : files) {
    const int fd = ::open(f.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st;
    bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
              static_cast<std::uint64_t>(st.st_size) <= limits.max_file_bytes;
    if (ok) {
      const std::uint64_t size = static_cast<std::uint64_t>(st.st_size);
      hasher.begin_file(f.string(), size);
      std::uint64_t total = 0;
      for (;;) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          ok = n == 0;
          break;
        }
        total += static_cast<std::uint64_t>(n);
        hasher.bytes(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
      }
      ok = ok && total == size;
    }
    ::close(fd);
    if (!ok) return false;
  }
  key = hasher.key();
  return true;
}

// A snapshot is used: its modification time says so, for prune_snapshots.
// Best effort (a read-only cache directory is still read).
void touch(const fs::path& path) { ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0); }

// Whether a file name is one snapshot_path makes: 16 hex digits and ".snapshot".
bool is_snapshot_name(const std::string& name) {
  static constexpr std::string_view kSuffix = ".snapshot";
  if (name.size() != 16 + kSuffix.size() || name.compare(16, kSuffix.size(), kSuffix) != 0) return false;
  return std::all_of(name.begin(), name.begin() + 16,
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string hex(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

fs::path default_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg == '/') return fs::path(xdg) / "imozuru";
  const char* home = std::getenv("HOME");
  if (home && *home) return fs::path(home) / ".cache" / "imozuru";
  return {};
}

bool cache_disabled_by_environment() {
  const char* v = std::getenv("IMOZURU_NO_CACHE");
  return v && *v && std::strcmp(v, "0") != 0;
}

fs::path snapshot_path(const fs::path& model_path, const fs::path& cache_dir) {
  std::error_code ec;
  fs::path absolute = fs::absolute(model_path, ec);
  std::string name = (ec ? model_path : absolute).lexically_normal().string();
  name += '\0';
  name += model_path.string();  // diagnostics name files as the path was given
  return cache_dir / (hex(XXH3_64bits(name.data(), name.size())) + ".snapshot");
}

std::vector<fs::path> prune_snapshots(const fs::path& cache_dir, std::uintmax_t max_bytes,
                                      const fs::path& keep) {
  struct Entry {
    fs::file_time_type used;
    fs::path path;
    std::uintmax_t bytes;
  };
  std::vector<Entry> entries;
  std::uintmax_t total = 0;
  std::error_code ec;
  for (fs::directory_iterator it(cache_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!is_snapshot_name(it->path().filename().string())) continue;
    std::error_code e;
    if (!it->is_regular_file(e)) continue;
    const std::uintmax_t bytes = it->file_size(e);
    if (e) continue;
    const fs::file_time_type used = it->last_write_time(e);
    if (e) continue;
    total += bytes;
    if (it->path() != keep) entries.push_back(Entry{used, it->path(), bytes});
  }
  std::vector<fs::path> removed;
  if (total <= max_bytes) return removed;
  // Oldest first; the name breaks ties, so the choice never depends on the
  // order the directory lists them in.
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.used != b.used ? a.used < b.used : a.path < b.path;
  });
  for (const Entry& e : entries) {
    if (total <= max_bytes) break;
    std::error_code remove_error;
    if (fs::remove(e.path, remove_error)) removed.push_back(e.path);
    total -= e.bytes;  // gone either way: removed here or by another process
  }
  return removed;
}

CachedLoad load_model_cached(const fs::path& path, const LoadLimits& limits, const fs::path& cache_dir,
                             std::uintmax_t max_cache_bytes, CacheWrite write) {
  CachedLoad out;
  std::vector<fs::path> files;
  if (cache_dir.empty() || path == "-" || !model_files(path, limits, files)) {
    out.result = load_model(path, limits);
    return out;
  }
  const fs::path snapshot = snapshot_path(path, cache_dir);
  std::error_code ec;
  if (fs::exists(snapshot, ec)) {
    SnapshotKey key;
    MappedFile bytes(snapshot);
    if (current_key(files, limits, key) && bytes.ok()) {
      SnapshotRead read = read_snapshot(bytes.bytes(), key);
      if (read.model) {
        out.result.model = std::move(read.model);
        out.result.diagnostics = std::move(read.diagnostics);
        out.from_snapshot = true;
        touch(snapshot);
        return out;
      }
      if (read.problem != SnapshotProblem::stale)
        out.warnings.push_back(
            CacheWarning{CacheWarning::Kind::snapshot_ignored, snapshot, read.problem, {}});
    }
  }
  // The key of the bytes the loader itself read, so the snapshot is always
  // of what was loaded, even when a file changes while this runs.
  KeyHasher hasher(limits);
  out.result = load_model(path, limits,
                          [&](const std::string& name, std::string_view text) { hasher.file(name, text); });
  if (!out.result.model || out.result.io_failure) return out;
  out.deferred = DeferredSnapshot{true, snapshot, cache_dir, hasher.key(), max_cache_bytes};
  if (write == CacheWrite::deferred) return out;
  SnapshotWrite written = write_deferred_snapshot(out.deferred, *out.result.model, out.result.diagnostics);
  out.deferred = DeferredSnapshot{};
  out.snapshot_written = written.written;
  out.warnings.insert(out.warnings.end(), written.warnings.begin(), written.warnings.end());
  out.pruned = std::move(written.pruned);
  return out;
}

SnapshotWrite write_deferred_snapshot(const DeferredSnapshot& deferred, const Model& model,
                                      const Diagnostics& diagnostics) {
  SnapshotWrite out;
  if (!deferred.due) return out;
  try {
    // Snapshots hold the whole model: a new cache directory is the user's alone.
    std::error_code exists_error;
    const bool existed = fs::is_directory(deferred.cache_dir, exists_error);
    fs::create_directories(deferred.cache_dir);
    if (!existed) fs::permissions(deferred.cache_dir, fs::perms::owner_all);
    write_file_atomically(deferred.snapshot, write_snapshot(model, diagnostics, deferred.key));
    out.written = true;
  } catch (const std::exception& e) {
    out.warnings.push_back(
        CacheWarning{CacheWarning::Kind::cannot_write, {}, SnapshotProblem::none, e.what()});
    return out;
  }
  try {
    out.pruned = prune_snapshots(deferred.cache_dir, deferred.max_cache_bytes, deferred.snapshot);
  } catch (const std::exception&) {
    // Pruning is best effort (an allocation failure while listing): the snapshot is written.
  }
  return out;
}

}  // namespace imozuru
