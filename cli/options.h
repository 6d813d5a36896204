// The values a user types on the command line: each range stated once and
// checked with a message in words ("-k: expected a whole number from 1 to
// 1000, not '0'"), and names checked before CLI11 parses, so an unknown
// subcommand or option is a usage error with "did you mean" (docs/cli.md#exit-status,
// "Usage errors": exit 2).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace imozuru::cli {

inline constexpr long long kNoMaximum = -1;

// A whole number from `min` to `max` (kNoMaximum: no upper bound). Refuses
// signs, decimals and words before CLI11 converts the text, so "-5" never
// wraps around into a huge unsigned count.
CLI::Validator whole_number(long long min, long long max = kNoMaximum);
// A size in bytes of at least `min`, after CLI::AsSizeValue has read its
// suffix: "expected a size of at least 4 MiB (suffixes K, M, G), not 1 MiB".
CLI::Validator byte_size(unsigned long long min);
// A number of `unit` (decimals allowed) from `min` to `max`.
CLI::Validator number_between(double min, double max, const std::string& unit);
// One of `words`, with "did you mean" for a near miss.
CLI::Validator one_of(std::vector<std::string> words);

// Checks the subcommand and option names in argv against `app`; the first
// unknown one ends with exit 2: "unknown option '--frm' for 'imozuru reach'
// (did you mean '--from'?)". Values and positional arguments are left to
// CLI11. For `query`, what follows the script belongs to the script.
void check_names(const CLI::App& app, const std::vector<char*>& args);

// The message and exit status (2, or 0 for --help and --version) for an
// error CLI11 raised while parsing `args`.
int report_parse_error(CLI::App& app, const CLI::ParseError& error, const std::vector<char*>& args);

}  // namespace imozuru::cli
