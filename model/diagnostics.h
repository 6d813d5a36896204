// Problems found in model files, reported the way compilers do:
//   FILE:LINE:COLUMN: error: message
//     source line
//     ^
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.h"

namespace imozuru {

enum class Severity { error, warning };

struct Diagnostic {
  Severity severity = Severity::error;
  SourcePos pos;            // file may be empty for problems with no place
  std::string message;      // one line, no trailing period
  std::string source_line;  // the line at pos, when known; else read from pos.file()
};

// Collects diagnostics; keeps the first `cap` of each severity and counts the
// rest, so a hostile file cannot make the report itself huge.
class Diagnostics {
 public:
  explicit Diagnostics(size_t cap = 100) : cap_(cap) {}

  void error(SourcePos pos, std::string message);
  void warning(SourcePos pos, std::string message);
  void add(Diagnostic d);

  bool has_errors() const { return error_count_ > 0; }
  size_t error_count() const { return error_count_; }
  size_t warning_count() const { return warning_count_; }
  // The kept diagnostics, sorted by file, line, column, then message.
  std::vector<Diagnostic> sorted() const;
  const std::vector<Diagnostic>& all() const { return kept_; }
  // True once no more errors will be kept (costly hints can be skipped).
  bool errors_full() const { return kept_errors_ >= cap_; }
  // What has been collected so far, and forgetting everything collected
  // after it (a file whose YAML is broken reports only that: its other
  // messages were about a structure the parser never finished).
  struct Checkpoint {
    size_t kept = 0, errors = 0, warnings = 0, kept_errors = 0, kept_warnings = 0;
  };
  Checkpoint checkpoint() const {
    return {kept_.size(), error_count_, warning_count_, kept_errors_, kept_warnings_};
  }
  void rollback(const Checkpoint& c);
  // Fills `source_line` of kept diagnostics in `file` from its text.
  void attach_source(const std::string& file, std::string_view text);

  // Writes every kept diagnostic with its source line and caret, then
  // "and N more errors" when some were dropped. `warnings` selects whether
  // warnings are printed.
  void print(std::ostream& out, bool warnings = true) const;

 private:
  size_t cap_;
  size_t error_count_ = 0, warning_count_ = 0;
  size_t kept_errors_ = 0, kept_warnings_ = 0;
  std::vector<Diagnostic> kept_;
};

// "FILE:LINE:COL: error: message" plus the source line and a caret under the
// column (text/width.h: wide characters count as two columns so the caret
// lines up in a terminal). The source line is read from `pos.file()` when it
// exists. Control characters in the file name, the message and the line are
// escaped (text::terminal_text).
std::string format_diagnostic(const Diagnostic& d);

// The closest of `candidates` to `word` by edit distance (in characters), or
// empty when none is close enough to be a plausible typo.
std::string_view closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace imozuru
