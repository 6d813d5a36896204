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

}  // namespace imozuru
