#include "model/diagnostics.h"

#include <algorithm>
#include <fstream>
#include <ostream>
#include <tuple>

namespace imozuru {
namespace {

// Decodes one UTF-8 code point at s[i], advancing i; invalid bytes decode as
// themselves so display code never loops or throws.
char32_t next_code_point(std::string_view s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
  if (extra <= 0 || i + extra >= s.size()) {
    ++i;
    return c;
  }
  char32_t cp = c & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += extra + 1;
  return cp;
}

bool is_wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF) ||
         (c >= 0x20000 && c <= 0x3FFFD);
}

std::u32string code_points(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) out.push_back(next_code_point(s, i));
  return out;
}

// Line `line` (1-based) of `text`, without its line break.
std::string line_of(std::string_view text, int line) {
  size_t start = 0;
  for (int l = 1; l < line; ++l) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  size_t end = text.find('\n', start);
  std::string_view out = text.substr(start, end == std::string_view::npos ? text.size() - start : end - start);
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

// Spaces (tabs kept as tabs) as wide as the first `column - 1` characters.
std::string caret_padding(std::string_view line, int column) {
  std::string pad;
  size_t i = 0;
  for (int c = 1; c < column && i < line.size(); ++c) {
    if (line[i] == '\t') {
      pad += '\t';
      ++i;
      continue;
    }
    pad.append(is_wide(next_code_point(line, i)) ? 2 : 1, ' ');
  }
  return pad;
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
    if (d.pos.file() == file && d.pos.line > 0 && d.source_line.empty()) d.source_line = line_of(text, d.pos.line);
}

void Diagnostics::print(std::ostream& out, bool warnings) const {
  for (const Diagnostic& d : sorted())
    if (warnings || d.severity == Severity::error) out << format_diagnostic(d);
  auto more = [&out](size_t total, size_t kept, const char* what) {
    if (total > kept) out << "and " << (total - kept) << " more " << what << (total - kept == 1 ? "" : "s") << "\n";
  };
  more(error_count_, kept_errors_, "error");
  if (warnings) more(warning_count_, kept_warnings_, "warning");
}

std::string format_diagnostic(const Diagnostic& d) {
  std::string out;
  if (!d.pos.file().empty()) {
    out += d.pos.file();
    if (d.pos.line > 0) {
      out += ":" + std::to_string(d.pos.line);
      if (d.pos.column > 0) out += ":" + std::to_string(d.pos.column);
    }
    out += ": ";
  }
  out += d.severity == Severity::error ? "error: " : "warning: ";
  out += d.message;
  out += "\n";
  if (d.pos.line <= 0) return out;
  std::string line = d.source_line.empty() && !d.pos.file().empty() ? read_line_from_file(d.pos.file(), d.pos.line)
                                                                     : d.source_line;
  if (line.empty()) return out;
  int column = std::max(d.pos.column, 1);
  // A very long line (minified or hostile input) is shown as a window around
  // the column, so the report stays readable and small.
  constexpr int kBefore = 60, kAfter = 60;
  std::u32string chars = code_points(line);
  if (chars.size() > static_cast<size_t>(kBefore + kAfter)) {
    size_t first = column - 1 > kBefore ? static_cast<size_t>(column - 1 - kBefore) : 0;
    size_t last = std::min(chars.size(), first + kBefore + kAfter);
    std::string window = first > 0 ? "..." : "";
    size_t i = 0, c = 0;
    for (; i < line.size() && c < first; ++c) next_code_point(line, i);
    size_t start = i;
    for (; i < line.size() && c < last; ++c) next_code_point(line, i);
    window += line.substr(start, i - start);
    column = static_cast<int>(column - first + (first > 0 ? 3 : 0));
    if (last < chars.size()) window += "...";
    line = window;
  }
  out += line + "\n";
  out += caret_padding(line, column) + "^\n";
  return out;
}

int display_width(std::string_view s) {
  int w = 0;
  for (size_t i = 0; i < s.size();) w += is_wide(next_code_point(s, i)) ? 2 : 1;
  return w;
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
  const std::u32string w = code_points(word);
  // Plausible typo: 1 edit for short words, up to 3 for long ones.
  const size_t limit = w.size() <= 3 ? 1 : w.size() <= 6 ? 2 : 3;
  std::string_view best;
  size_t best_distance = limit + 1;
  for (std::string_view c : candidates) {
    if (c == word) continue;
    // Byte length bounds the character length difference only loosely; a
    // cheap filter for huge id lists.
    if (c.size() > word.size() * 4 + limit * 4 + 4) continue;
    std::u32string cc = code_points(c);
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
