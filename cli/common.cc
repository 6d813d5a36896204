#include "cli/common.h"

#include <iostream>
#include <stdexcept>

#include "model/diagnostics.h"
#include "model/output_file.h"
#include "text/escape.h"

namespace imozuru::cli {

// Messages quote model text and command-line arguments: shown escaped.
void fail(int code, const std::string& message) {
  std::cerr << "imozuru: error: " << text::terminal_text(message) << "\n";
  throw Exit{code};
}

void warn(const std::string& message) {
  std::cerr << "imozuru: warning: " << text::terminal_text(message) << "\n";
}

void add_model_options(CLI::App& app, ModelOptions& o) {
  app.add_option("MODEL", o.path, "Model file or directory of *.yaml files")->required();
  app.add_option("--max-file-bytes", o.limits.max_file_bytes, "Largest model file to read")
      ->capture_default_str()
      ->group("Limits");
  app.add_option("--max-depth", o.limits.max_depth, "Deepest YAML nesting accepted")
      ->capture_default_str()
      ->group("Limits");
  app.add_option("--max-entities", o.limits.max_entities, "Most entities in a model")
      ->capture_default_str()
      ->group("Limits");
  app.add_option("--max-references", o.limits.max_references,
                 "Most references (ids naming other entities) in a model")
      ->capture_default_str()
      ->group("Limits");
  app.add_option("--max-string-bytes", o.limits.max_string_bytes, "Longest YAML scalar (a name, a note) in bytes")
      ->capture_default_str()
      ->group("Limits");
  app.add_option("--max-files", o.limits.max_files, "Most model files read from a directory")
      ->capture_default_str()
      ->group("Limits");
}

void add_date_options(CLI::App& app, DateOptions& o) {
  app.add_option("--at", o.at, "Analyse the model as of this date (YYYY[-MM[-DD]]; default: today)");
  app.add_flag("--include-planned", o.include_planned, "Count planned and proposed entities as active");
}

void add_lang_option(CLI::App& app, std::string& lang) {
  app.add_option("--lang", lang, "Language of names: ja or en (default: the model's default_lang)")
      ->check(CLI::IsMember({"ja", "en"}));
}

Model load_or_exit(const ModelOptions& o) {
  LoadResult result = load_model(o.path, o.limits);
  result.diagnostics.print(std::cerr);
  if (result.io_failure) throw Exit{kExitFailure};
  if (!result.model) throw Exit{kExitInvalid};
  if (o.strict && result.diagnostics.warning_count() > 0)
    fail(kExitInvalid, std::to_string(result.diagnostics.warning_count()) + " warning(s) with --strict");
  return std::move(*result.model);
}

Date parse_date_or_exit(const std::string& text, std::string_view flag) {
  auto d = Date::parse(text);
  if (!d) fail(kExitInvalid, std::string(flag) + ": '" + text + "' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
  return *d;
}

Date as_of_date(const DateOptions& o) { return o.at.empty() ? Date::today() : parse_date_or_exit(o.at, "--at"); }

Lang lang_or_default(const std::string& lang, const Model& model) {
  if (auto l = parse_lang(lang)) return *l;
  return model.default_lang();
}

EntityRef parse_ref_or_exit(const std::string& text, const ModelAt& at) {
  auto ref = EntityRef::parse(text);
  if (!ref)
    fail(kExitInvalid, "'" + text + "' is not a reference; write identifier:ID, system:ID or data:ID");
  const Model& model = at.model();
  if (model.find(*ref) == kNone) {
    auto ids = model.ids(ref->kind);
    std::string hint;
    std::string_view best = closest_match(ref->id, ids);
    if (!best.empty()) hint = " (did you mean '" + std::string(to_string(ref->kind)) + ":" + std::string(best) + "'?)";
    fail(kExitInvalid, "no " + std::string(to_string(ref->kind)) + " '" + ref->id + "' in the model" + hint);
  }
  if (!at.active(*ref)) warn(ref->str() + " is not active at " + at.at().iso() + "; it reaches nothing");
  return *ref;
}

std::vector<std::string>& script_arguments_after_dashes() {
  static std::vector<std::string> args;
  return args;
}

void write_output(const std::string& path, std::string_view content) {
  if (path.empty() || path == "-") {
    std::cout << content;
    std::cout.flush();
    if (!std::cout) fail(kExitFailure, "cannot write to standard output");
    return;
  }
  try {
    write_file_atomically(path, content);
  } catch (const std::exception& e) {
    fail(kExitFailure, e.what());
  }
}

}  // namespace imozuru::cli
