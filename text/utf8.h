// UTF-8, decoded one way everywhere (the loader's check, diagnostics, labels,
// escaping): a valid sequence is its code point; anything else (a stray or
// truncated byte, an overlong form, a surrogate, beyond U+10FFFF) is one byte
// of U+FFFD, so display code never loops, throws or reads past the end.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace imozuru::text {

inline constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point at s[i] and advances i past it. Returns false (and
// U+FFFD in `cp`, i advanced by one byte) where s[i] starts no valid sequence.
bool decode(std::string_view s, std::size_t& i, char32_t& cp);

// The code point at s[i] (U+FFFD for an invalid byte); advances i.
char32_t next_code_point(std::string_view s, std::size_t& i);

// Appends the UTF-8 form of `cp` (a scalar value) to `out`.
void append_utf8(std::string& out, char32_t cp);

// The code points of `s`, invalid bytes as U+FFFD.
std::u32string code_points(std::string_view s);

// The offset of the first byte that starts no valid UTF-8 sequence, or npos.
std::size_t find_invalid_utf8(std::string_view s);

}  // namespace imozuru::text
