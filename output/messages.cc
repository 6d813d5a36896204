#include "output/messages.h"

namespace imozuru {
namespace {

constexpr MessageEntry kEntries[] = {
#define IMOZURU_MESSAGE(key, ja, en) {#key, ja, en},
#include "output/messages.def"
#undef IMOZURU_MESSAGE
};

}  // namespace

std::string say(Lang lang, Msg key) {
  const MessageEntry& e = kEntries[static_cast<std::size_t>(key)];
  return std::string(lang == Lang::ja ? e.ja : e.en);
}

std::size_t message_count() { return std::size(kEntries); }

MessageEntry message_entry(std::size_t index) { return kEntries[index]; }

}  // namespace imozuru
