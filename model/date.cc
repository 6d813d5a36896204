#include "model/date.h"

#include <cstdio>
#include <ctime>

namespace imozuru {
namespace {

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` ASCII digits at `pos`.
bool digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::optional<Date> Date::parse(std::string_view s) {
  Date d;
  if (!digits(s, 0, 4, &d.year) || d.year < 1) return std::nullopt;
  if (s.size() == 4) {
    d.precision = Precision::year;
    return d;
  }
  if (s.size() < 7 || s[4] != '-' || !digits(s, 5, 2, &d.month)) return std::nullopt;
  if (d.month < 1 || d.month > 12) return std::nullopt;
  if (s.size() == 7) {
    d.precision = Precision::month;
    return d;
  }
  if (s.size() != 10 || s[7] != '-' || !digits(s, 8, 2, &d.day)) return std::nullopt;
  if (d.day < 1 || d.day > days_in_month(d.year, d.month)) return std::nullopt;
  d.precision = Precision::day;
  return d;
}

bool Date::valid() const {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
    return false;
  switch (precision) {
    case Precision::year:
      return month == 1 && day == 1;
    case Precision::month:
      return day == 1;
    case Precision::day:
      return true;
  }
  return false;
}

Date Date::today() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  Date d;
  d.year = local.tm_year + 1900;
  d.month = local.tm_mon + 1;
  d.day = local.tm_mday;
  return d;
}

std::string Date::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string Date::written() const {
  char buf[16];
  switch (precision) {
    case Precision::year:
      std::snprintf(buf, sizeof buf, "%04d", year);
      break;
    case Precision::month:
      std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
      break;
    case Precision::day:
      return iso();
  }
  return buf;
}

}  // namespace imozuru
