// imozuru export MODEL --format graphml|graphml-yed|gexf|json|csv|mermaid: the
// model at a date (gexf: its whole history) for other tools (Gephi, yEd,
// networkx, spreadsheets, Markdown).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <system_error>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/options.h"
#include "export/export.h"
#include "output/messages.h"

namespace imozuru::cli {
namespace {

struct ExportOptions {
  ModelOptions model;
  DateOptions date;
  std::string lang;
  std::string format;
  std::string output;
  std::string table;     // csv: one table only
  bool bom = false;      // csv: UTF-8 byte order mark for Excel
  bool csv_raw = false;  // csv: no ' before cells a spreadsheet would run as formulas
  std::string person;
};

const char kBom[] = "\xEF\xBB\xBF";

void write_csv(const ModelAt& at, const ExportOptions& o) {
  std::vector<CsvTable> tables =
      export_csv_tables(at, o.csv_raw ? CsvCells::raw : CsvCells::spreadsheet_safe);
  const std::string bom = o.bom ? kBom : "";
  if (!o.table.empty()) {
    for (const CsvTable& t : tables)
      if (t.name == o.table) return write_output(o.output, bom + t.text);
  }
  if (o.output.empty() || o.output == "-") {
    // All tables on stdout, each after a "# NAME" line, a blank line between.
    std::string all = bom;
    for (size_t i = 0; i < tables.size(); ++i) {
      if (i > 0) all += "\r\n";
      all += "# " + tables[i].name + "\r\n" + tables[i].text;
    }
    return write_output("", all);
  }
  std::filesystem::path dir(o.output);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    fail(kExitFailure,
         "-o " + o.output +
             ": not a directory (csv writes one file per table; use --table NAME for one file)");
  for (const CsvTable& t : tables) write_output((dir / (t.name + ".csv")).string(), bom + t.text);
}

void run_export(const ExportOptions& o) {
  if (o.format != "csv" && (o.bom || o.csv_raw || !o.table.empty()))
    usage_error(std::string(o.bom       ? "--bom"
                            : o.csv_raw ? "--csv-raw"
                                        : "--table") +
                " applies to --format csv only");
  Model model = load_or_exit(o.model, o.lang);
  Lang lang = lang_or_default(o.lang, model);
  if (o.format == "gexf") {
    // The whole history: no one date, and no person (whose model is a date's).
    if (!o.date.at.empty() || !o.person.empty())
      usage_error(say(lang, Msg::export_gexf_whole_history, o.date.at.empty() ? "--person" : "--at"));
    return write_output(o.output, export_gexf(model, o.date.include_planned, lang));
  }
  ModelAt at = model_at_or_exit(model, o.date, o.person);
  if (o.format == "graphml" || o.format == "graphml-yed")
    write_output(
        o.output,
        export_graphml(at, lang, o.format == "graphml" ? GraphmlFlavour::plain : GraphmlFlavour::yed));
  else if (o.format == "json")
    write_output(o.output, export_json(at));
  else if (o.format == "mermaid") {
    const std::string text = export_mermaid(at, lang);
    write_output(o.output, text);
    const MermaidSize size = mermaid_size(text);
    if (size.edges > kMermaidMaxEdges || size.characters > kMermaidMaxText)
      warn(say(lang, Msg::export_mermaid_too_large, size.edges, size.characters, kMermaidMaxEdges,
               kMermaidMaxText));
  } else
    write_csv(at, o);
}

}  // namespace

void setup_export(CLI::App& app) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "export",
      "Write the model at a date as GraphML, JSON, CSV tables or Mermaid, or its whole history as GEXF");
  add_model_options(*cmd, o->model);
  cmd->add_option(
         "--format", o->format,
         "graphml (Gephi, networkx, Cytoscape), graphml-yed (yEd: shapes, colours, labels), gexf (Gephi: the "
         "whole history on a timeline), json, csv (spreadsheets) or mermaid")
      ->required()
      ->check(one_of({"graphml", "graphml-yed", "gexf", "json", "csv", "mermaid"}));
  add_date_options(*cmd, o->date);
  add_person_option(*cmd, o->person);
  add_lang_option(*cmd, o->lang);
  cmd->add_option("-o,--output", o->output,
                  "Output file (default: stdout); for csv without --table, a directory of NAME.csv files");
  std::vector<std::string> tables(csv_table_names().begin(), csv_table_names().end());
  cmd->add_option("--table", o->table,
                  "csv: write only this table (systems, identifiers, data, flows, holdings)")
      ->check(one_of(tables));
  cmd->add_flag("--bom", o->bom, "csv: start with a UTF-8 byte order mark (for Excel)");
  cmd->add_flag(
      "--csv-raw", o->csv_raw,
      "csv: write every cell as it is; by default a cell starting with = + - @ gets a ' before it, so a "
      "spreadsheet shows it instead of running it as a formula");
  cmd->callback([o] { run_export(*o); });
}

}  // namespace imozuru::cli
