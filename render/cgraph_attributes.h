// Reading and setting cgraph attributes by name, shared by the time-lapse's
// frame code (render/timelapse.cc, render/frame_jobs.cc).
#pragma once

#include <graphviz/cgraph.h>

#include <string>

namespace imozuru::render {

// An attribute's value, or "" when the object has none.
inline std::string attribute(void* obj, const char* name) {
  const char* value = agget(obj, const_cast<char*>(name));
  return value ? value : "";
}

inline void set(void* obj, const char* name, const std::string& value) {
  agsafeset(obj, const_cast<char*>(name), const_cast<char*>(value.c_str()), const_cast<char*>(""));
}

// Sets `value` (a string of another object or graph) as it is there: HTML
// stays HTML.
inline void set_like(void* obj, const char* name, const char* value) {
  if (!aghtmlstr(const_cast<char*>(value))) return set(obj, name, value);
  Agraph_t* g = agroot(obj);
  char* html = agstrdup_html(g, const_cast<char*>(value));
  set(obj, name, html);
  agstrfree(g, html);
}

}  // namespace imozuru::render
