#include "cli/options.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string_view>

#include "cli/common.h"
#include "model/diagnostics.h"

namespace imozuru::cli {
namespace {

std::string range_words(long long min, long long max) {
  if (max == kNoMaximum) return "a whole number, " + std::to_string(min) + " or more";
  return "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
}

// "0.001", "86400": the shortest plain decimal that reads back the same.
std::string number_text(double v) {
  char buf[64];
  for (int decimals = 0; decimals <= 9; ++decimals) {
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    if (std::strtod(buf, nullptr) == v) return buf;
  }
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// "4 MiB", "1536 KiB", "1000 bytes".
std::string bytes_text(unsigned long long n) {
  if (n > 0 && n % (1ull << 30) == 0) return std::to_string(n >> 30) + " GiB";
  if (n > 0 && n % (1ull << 20) == 0) return std::to_string(n >> 20) + " MiB";
  if (n > 0 && n % (1ull << 10) == 0) return std::to_string(n >> 10) + " KiB";
  return std::to_string(n) + " bytes";
}

[[noreturn]] void usage(const std::string& message, const std::string& help_for) {
  std::cerr << "imozuru: error: " << message << "\n"
            << "Run '" << help_for << " --help' for "
            << (help_for == "imozuru" ? "the subcommands" : "its options") << ".\n";
  throw Exit{kExitUsage, true};
}

const CLI::Option* find_option(const CLI::App& app, std::string_view token) {
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_positional() && opt->get_lnames().empty() && opt->get_snames().empty()) continue;
    if (token.substr(0, 2) == "--") {
      for (const std::string& n : opt->get_lnames())
        if (token.substr(2) == n) return opt;
    } else {
      for (const std::string& n : opt->get_snames())
        if (token.substr(1) == n) return opt;
    }
  }
  return nullptr;
}

std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : app.get_options()) {
    for (const std::string& n : opt->get_lnames()) names.push_back("--" + n);
    for (const std::string& n : opt->get_snames()) names.push_back("-" + n);
  }
  return names;
}

std::string suggestion(std::string_view word, const std::vector<std::string>& names) {
  std::vector<std::string_view> views(names.begin(), names.end());
  return did_you_mean(word, views);
}

bool takes_value(const CLI::Option* opt) { return opt->get_type_size_max() > 0; }

// "-5", "-0.5", "-.5": a negative number, which is a value, not an option.
bool looks_like_number(std::string_view token) {
  return token.size() > 1 && token[0] == '-' &&
         (std::isdigit(static_cast<unsigned char>(token[1])) || token[1] == '.');
}

}  // namespace

CLI::Validator whole_number(long long min, long long max) {
  std::string words = range_words(min, max);
  return CLI::Validator(
      [min, max, words](std::string& text) -> std::string {
        bool digits = !text.empty();
        for (char c : text) digits = digits && std::isdigit(static_cast<unsigned char>(c));
        errno = 0;
        const unsigned long long value = digits ? std::strtoull(text.c_str(), nullptr, 10) : 0;
        const bool in_range = digits && errno == 0 && value >= static_cast<unsigned long long>(min) &&
                              (max == kNoMaximum || value <= static_cast<unsigned long long>(max));
        if (in_range) return {};
        return "expected " + words + ", not '" + text + "'";
      },
      max == kNoMaximum ? "INT >= " + std::to_string(min)
                        : "INT from " + std::to_string(min) + " to " + std::to_string(max));
}

CLI::Validator byte_size(unsigned long long min) {
  return CLI::Validator(
      [min](std::string& text) -> std::string {
        bool digits = !text.empty();
        for (char c : text) digits = digits && std::isdigit(static_cast<unsigned char>(c));
        errno = 0;
        const unsigned long long value = digits ? std::strtoull(text.c_str(), nullptr, 10) : 0;
        if (digits && errno == 0 && value >= min) return {};
        return "expected a size of at least " + bytes_text(min) + " (suffixes K, M, G), not " +
               (digits ? bytes_text(value) : "'" + text + "'");
      },
      "SIZE >= " + bytes_text(min));
}

CLI::Validator number_between(double min, double max, const std::string& unit) {
  std::string words = "a number of " + unit + " from " + number_text(min) + " to " + number_text(max);
  return CLI::Validator(
      [min, max, words](std::string& text) -> std::string {
        char* end = nullptr;
        errno = 0;
        const double value = text.empty() ? NAN : std::strtod(text.c_str(), &end);
        if (end && *end == '\0' && errno == 0 && std::isfinite(value) && value >= min && value <= max)
          return {};
        return "expected " + words + ", not '" + text + "'";
      },
      "NUMBER from " + number_text(min) + " to " + number_text(max));
}

CLI::Validator one_of(std::vector<std::string> words) {
  std::string list;
  for (const std::string& w : words) list += (list.empty() ? "" : ", ") + w;
  std::string desc = "one of " + list;
  return CLI::Validator(
      [words, list](std::string& text) -> std::string {
        for (const std::string& w : words)
          if (text == w) return {};
        return "'" + text + "' is not one of " + list + suggestion(text, words);
      },
      "{" + list + "}");
}

void check_names(const CLI::App& app, const std::vector<char*>& args) {
  if (args.size() < 2) return;  // CLI11 says a subcommand is required
  std::string_view first = args[1];
  const CLI::App* sub = nullptr;
  if (first.empty() || first[0] != '-') {
    std::vector<std::string> names;
    for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; })) {
      names.push_back(s->get_name());
      if (s->get_name() == first) sub = s;
    }
    if (!sub) usage("unknown subcommand '" + std::string(first) + "'" + suggestion(first, names), "imozuru");
  } else if (!find_option(app, first.substr(0, first.find('=')))) {
    usage("unknown option '" + std::string(first) + "'" + suggestion(first, option_names(app)), "imozuru");
  }
  if (!sub) return;
  const std::string command = "imozuru " + sub->get_name();
  const bool script_follows = sub->get_name() == "query";
  int positionals = 0;
  for (std::size_t i = 2; i < args.size(); ++i) {
    std::string_view token = args[i];
    if (token == "--") break;
    if (token.size() > 1 && token[0] == '-' && !looks_like_number(token)) {
      std::string_view name = token.substr(0, token.find('='));
      if (name.size() > 2 && name[1] != '-') name = name.substr(0, 2);  // -k3
      const CLI::Option* opt = find_option(*sub, name);
      // After the script, the first option query does not know is the script's.
      if (!opt && script_follows && positionals >= 2) break;
      if (!opt)
        usage("unknown option '" + std::string(name) + "' for '" + command + "'" +
                  suggestion(name, option_names(*sub)),
              command);
      // The next word is its value (even one that starts with '-').
      if (takes_value(opt) && token.find('=') == std::string_view::npos && token.size() == name.size()) ++i;
      continue;
    }
    // MODEL, then for query SCRIPT; the first word after the script is the script's.
    if (script_follows && ++positionals > 2) break;
  }
}

int report_parse_error(CLI::App& app, const CLI::ParseError& error, const std::vector<char*>& args) {
  if (dynamic_cast<const CLI::Success*>(&error)) {
    int code = app.exit(error);  // --help, --version: printed to stdout
    flush_stdout_or_exit();
    return code;
  }
  std::string command = "imozuru";
  if (args.size() > 1 && args[1][0] != '-') command += " " + std::string(args[1]);
  std::string message = error.what();
  if (dynamic_cast<const CLI::RequiredError*>(&error) && message == "A subcommand is required")
    message = "a subcommand is required";
  for (const char* prefix :
       {"The following argument was not expected: ", "The following arguments were not expected: "})
    if (message.rfind(prefix, 0) == 0)
      message = "unexpected argument: " + message.substr(std::strlen(prefix));
  std::cerr << "imozuru: error: " << message << "\n"
            << "Run '" << command << " --help' for "
            << (command == "imozuru" ? "the subcommands" : "its options") << ".\n";
  return kExitUsage;
}

}  // namespace imozuru::cli
