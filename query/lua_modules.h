// The tool's own Lua modules (query/lua/*.lua), embedded at build time.
#pragma once

#include <cstddef>

namespace imozuru::query {

struct EmbeddedModule {
  const char* name;  // file stem: "imozuru", "sandbox"
  const char* text;
  std::size_t size;
};

extern const EmbeddedModule kEmbeddedModules[];
extern const std::size_t kEmbeddedModuleCount;

// The module called `name`, or nullptr.
inline const EmbeddedModule* find_embedded_module(const char* name) {
  for (std::size_t i = 0; i < kEmbeddedModuleCount; ++i) {
    const char* a = kEmbeddedModules[i].name;
    const char* b = name;
    while (*a && *a == *b) ++a, ++b;
    if (*a == *b) return &kEmbeddedModules[i];
  }
  return nullptr;
}

}  // namespace imozuru::query
