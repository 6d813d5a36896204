// `imozuru report`: a self-contained report of a model at a date for a legal
// brief or a talk handout. Every figure comes from the engine (reach, chains,
// gaps, diff) and every fact carries its citation (source title + `at`).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model/date.h"
#include "model/model.h"

namespace imozuru::report {

enum class ReportFormat { markdown, html };

struct ReportOptions {
  Date at;
  std::optional<Date> compare;  // "what changed since": diff(compare → at)
  bool include_planned = false;
  Index person = kNone;  // the model for this person (docs/model-format.md), kNone: everyone
  Lang lang = Lang::ja;
  ReportFormat format = ReportFormat::html;
  // Markdown: where the diagrams go, relative to the report ("report-files").
  std::string files_dir = "report-files";
  std::size_t key_identifiers = 3;  // identifiers whose chains are listed
  std::size_t chains_per_identifier = 5;
  double render_timeout_seconds = 60;
};

struct ReportFile {
  std::string path;  // relative to the report's directory
  std::string content;
};

struct Report {
  std::string text;               // the Markdown or HTML
  std::vector<ReportFile> files;  // Markdown: the diagrams as SVG files
};

// Builds the report. Problems that do not stop it (a diagram too large to
// draw) are appended to `warnings`.
Report build_report(const Model& model, const ReportOptions& options,
                    std::vector<std::string>* warnings = nullptr);

// Writes the report to `path` and its files next to it, each atomically.
void write_report(const std::filesystem::path& path, const Report& report);

// The files directory for a report path: "brief.md" → "brief-files".
std::string files_dir_for(const std::filesystem::path& report_path);

}  // namespace imozuru::report
