// The message catalogue (output/messages.def): every user-visible sentence
// in Japanese and English, looked up by key. Code says what to show, the
// catalogue says it in the chosen language.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "model/model.h"

namespace imozuru {

enum class Msg : unsigned short {
#define IMOZURU_MESSAGE(key, ja, en) key,
#include "output/messages.def"
#undef IMOZURU_MESSAGE
};

// The text of `key` in `lang`.
std::string say(Lang lang, Msg key);

// The text of `key` in `lang` with its placeholders filled in.
template <typename... Args>
std::string say(Lang lang, Msg key, const Args&... args) {
  return fmt::format(fmt::runtime(say(lang, key)), args...);
}

// For tests and tools: the number of entries, and each one's key and texts.
struct MessageEntry {
  std::string_view key, ja, en;
};
std::size_t message_count();
MessageEntry message_entry(std::size_t index);

}  // namespace imozuru
