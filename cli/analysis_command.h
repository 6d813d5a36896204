// Options the analysis subcommands (reach, chains, downstream, gaps, diff)
// share beyond cli/common.h: the output format and file.
#pragma once

#include <string>
#include <vector>

#include "cli/common.h"
#include "cli/options.h"
#include "output/analysis_json.h"
#include "output/analysis_text.h"

namespace imozuru::cli {

struct OutputOptions {
  std::string format = "text";
  std::string path;  // empty or "-": stdout
  std::string lang;  // empty: the model's default
};

inline void add_output_options(CLI::App& app, OutputOptions& o, std::vector<std::string> formats) {
  app.add_option("--format", o.format, "Output format")->check(one_of(formats))->capture_default_str();
  app.add_option("-o,--output", o.path, "Write to this file (atomically) instead of standard output");
  add_lang_option(app, o.lang);
}

// Writes an analysis result as JSON (docs/cli.md) or readable text, both in
// the output language.
template <typename Result>
void write_result(const OutputOptions& o, const Model& model, const Result& result) {
  const Lang lang = lang_or_default(o.lang, model);
  if (o.format == "json")
    write_output(o.path, json_text(model, result, lang));
  else
    write_output(o.path, to_text(model, result, lang));
}

}  // namespace imozuru::cli
