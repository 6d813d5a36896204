#include "model/diagnostics.h"

#include <algorithm>
#include <fstream>
#include <ostream>
#include <tuple>

#include "text/escape.h"
#include "text/utf8.h"
#include "text/width.h"

namespace imozuru {
namespace {

// Line `line` (1-based) of `text`, without its line break.
std::string line_of(std::string_view text, int line) {
  size_t start = 0;
  for (int l = 1; l < line; ++l) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  size_t end = text.find('\n', start);
  std::string_view out =
      text.substr(start, end == std::string_view::npos ? text.size() - start : end - start);
  if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
  return std::string(out);
}

std::string read_line_from_file(const std::string& file, int line) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  std::string text;
  for (int l = 1; l <= line && std::getline(in, text); ++l) {
    if (l == line) {
      if (!text.empty() && text.back() == '\r') text.pop_back();
      return text;
    }
  }
  return {};
}

// The source line as a terminal shows it (text::terminal_text: control
// characters escaped), and the padding that puts a caret under character
// `column`: as wide as what stands before it, tabs kept as tabs.
struct ShownLine {
  std::string text, padding;
};
ShownLine shown_line(std::string_view line, int column) {
  ShownLine out;
  int c = 1;
  for (std::size_t i = 0; i < line.size(); ++c) {
    const std::size_t start = i;
    text::next_code_point(line, i);
    const std::string piece = text::terminal_text(line.substr(start, i - start));
    out.text += piece;
    if (c >= column) continue;
    if (line[start] == '\t')
      out.padding += '\t';
    else
      out.padding.append(text::display_width(piece), ' ');
  }
  return out;
}

}  // namespace

void Diagnostics::error(SourcePos pos, std::string message) {
  add(Diagnostic{Severity::error, std::move(pos), std::move(message), {}});
}

void Diagnostics::warning(SourcePos pos, std::string message) {
  add(Diagnostic{Severity::warning, std::move(pos), std::move(message), {}});
}

void Diagnostics::add(Diagnostic d) {
  bool is_error = d.severity == Severity::error;
  size_t& kept = is_error ? kept_errors_ : kept_warnings_;
  ++(is_error ? error_count_ : warning_count_);
  if (kept >= cap_) return;
  ++kept;
  kept_.push_back(std::move(d));
}

void Diagnostics::rollback(const Checkpoint& c) {
  if (kept_.size() > c.kept) kept_.resize(c.kept);
  error_count_ = std::min(error_count_, c.errors);
  warning_count_ = std::min(warning_count_, c.warnings);
  kept_errors_ = std::min(kept_errors_, c.kept_errors);
  kept_warnings_ = std::min(kept_warnings_, c.kept_warnings);
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = kept_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.pos.file(), a.pos.line, a.pos.column, a.message) <
           std::tie(b.pos.file(), b.pos.line, b.pos.column, b.message);
  });
  return out;
}

void Diagnostics::attach_source(const std::string& file, std::string_view text) {
  for (Diagnostic& d : kept_)
    if (d.pos.file() == file && d.pos.line > 0 && d.source_line.empty())
      d.source_line = line_of(text, d.pos.line);
}

void Diagnostics::print(std::ostream& out, bool warnings) const {
  for (const Diagnostic& d : sorted())
    if (warnings || d.severity == Severity::error) out << format_diagnostic(d);
  auto more = [&out](size_t total, size_t kept, const char* what) {
    if (total > kept)
      out << "and " << (total - kept) << " more " << what << (total - kept == 1 ? "" : "s") << "\n";
  };
  more(error_count_, kept_errors_, "error");
  if (warnings) more(warning_count_, kept_warnings_, "warning");
}

std::string format_diagnostic(const Diagnostic& d) {
  // Names, messages and source lines come from the model: shown escaped, so
  // no control character in them reaches the terminal.
  std::string out;
  if (!d.pos.file().empty()) {
    out += text::terminal_text(d.pos.file());
    if (d.pos.line > 0) {
      out += ":" + std::to_string(d.pos.line);
      if (d.pos.column > 0) out += ":" + std::to_string(d.pos.column);
    }
    out += ": ";
  }
  out += d.severity == Severity::error ? "error: " : "warning: ";
  out += text::terminal_text(d.message);
  out += "\n";
  if (d.pos.line <= 0) return out;
  std::string line = d.source_line.empty() && !d.pos.file().empty()
                         ? read_line_from_file(d.pos.file(), d.pos.line)
                         : d.source_line;
  if (line.empty()) return out;
  int column = std::max(d.pos.column, 1);
  // A very long line (minified or hostile input) is shown as a window around
  // the column, so the report stays readable and small.
  constexpr int kBefore = 60, kAfter = 60;
  const std::u32string chars = text::code_points(line);
  if (chars.size() > static_cast<size_t>(kBefore + kAfter)) {
    size_t first = column - 1 > kBefore ? static_cast<size_t>(column - 1 - kBefore) : 0;
    size_t last = std::min(chars.size(), first + kBefore + kAfter);
    std::string window = first > 0 ? "..." : "";
    size_t i = 0, c = 0;
    for (; i < line.size() && c < first; ++c) text::next_code_point(line, i);
    size_t start = i;
    for (; i < line.size() && c < last; ++c) text::next_code_point(line, i);
    window += line.substr(start, i - start);
    column = static_cast<int>(column - first + (first > 0 ? 3 : 0));
    if (last < chars.size()) window += "...";
    line = window;
  }
  const ShownLine shown = shown_line(line, column);
  out += shown.text + "\n";
  out += shown.padding + "^\n";
  return out;
}

namespace {
// Levenshtein distance over code points, giving up (returning limit + 1) once
// every path exceeds `limit`.
size_t edit_distance(const std::u32string& a, const std::u32string& b, size_t limit) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0], best = ++row[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
      best = std::min(best, row[j]);
    }
    if (best > limit) return limit + 1;
  }
  return row[b.size()];
}
}  // namespace

std::string_view closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
  const std::u32string w = text::code_points(word);
  // Plausible typo: 1 edit for short words, up to 3 for long ones.
  const size_t limit = w.size() <= 3 ? 1 : w.size() <= 6 ? 2 : 3;
  std::string_view best;
  size_t best_distance = limit + 1;
  for (std::string_view c : candidates) {
    if (c == word) continue;
    // Byte length bounds the character length difference only loosely; a
    // cheap filter for huge id lists.
    if (c.size() > word.size() * 4 + limit * 4 + 4) continue;
    std::u32string cc = text::code_points(c);
    size_t diff = cc.size() > w.size() ? cc.size() - w.size() : w.size() - cc.size();
    if (diff > limit) continue;
    size_t d = edit_distance(w, cc, limit);
    if (d < best_distance && d < std::max(w.size(), cc.size())) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view best = closest_match(word, candidates);
  if (best.empty()) return {};
  return " (did you mean '" + std::string(best) + "'?)";
}

}  // namespace imozuru
