#include "text/utf8.h"

namespace imozuru::text {

bool decode(std::string_view s, std::size_t& i, char32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    cp = b0;
    return true;
  }
  // The length a lead byte announces, and the range its second byte must be
  // in (which rules out overlong forms, surrogates and values past U+10FFFF).
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  }
  bool valid = len > 0 && i + len <= s.size() && byte(i + 1) >= lo && byte(i + 1) <= hi;
  for (std::size_t k = 2; valid && k < len; ++k) valid = (byte(i + k) & 0xC0) == 0x80;
  if (!valid) {
    ++i;
    cp = kReplacement;
    return false;
  }
  char32_t value = b0 & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) value = (value << 6) | (byte(i + k) & 0x3F);
  i += len;
  cp = value;
  return true;
}

char32_t next_code_point(std::string_view s, std::size_t& i) {
  char32_t cp;
  decode(s, i, cp);
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::u32string code_points(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) out.push_back(next_code_point(s, i));
  return out;
}

std::size_t find_invalid_utf8(std::string_view s) {
  char32_t cp;
  for (std::size_t i = 0; i < s.size();) {
    // ASCII runs are most of a model file: skip them without decoding.
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    if (!decode(s, i, cp)) return start;
  }
  return std::string_view::npos;
}

}  // namespace imozuru::text
