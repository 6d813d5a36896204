// Calendar dates as the model writes them: YYYY, YYYY-MM or YYYY-MM-DD.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace imozuru {

// A day in the proleptic Gregorian calendar. A partial date ("2021" or
// "2021-10") means its first day; `precision` remembers how it was written so
// output can echo it.
struct Date {
  int year = 1;
  int month = 1;
  int day = 1;
  enum class Precision { year, month, day } precision = Precision::day;

  // Parses YYYY, YYYY-MM or YYYY-MM-DD; nullopt for anything else, including
  // impossible days such as 2023-02-30.
  static std::optional<Date> parse(std::string_view text);
  // True when parse(written()) gives this date back: a year of four digits,
  // a month and day that exist, and month and day 1 where the precision
  // leaves them out (without formatting and parsing text).
  bool valid() const;
  // The local date today.
  static Date today();

  // YYYY-MM-DD always (analyses report full dates).
  std::string iso() const;
  // As written: YYYY, YYYY-MM or YYYY-MM-DD.
  std::string written() const;

  int key() const { return year * 10000 + month * 100 + day; }
  friend bool operator<(const Date& a, const Date& b) { return a.key() < b.key(); }
  friend bool operator<=(const Date& a, const Date& b) { return a.key() <= b.key(); }
  friend bool operator>(const Date& a, const Date& b) { return a.key() > b.key(); }
  friend bool operator>=(const Date& a, const Date& b) { return a.key() >= b.key(); }
  friend bool operator==(const Date& a, const Date& b) { return a.key() == b.key(); }
  friend bool operator!=(const Date& a, const Date& b) { return a.key() != b.key(); }
};

}  // namespace imozuru
