// Exports of the model as of a date for other tools: GraphML (Gephi, yEd,
// networkx), JSON, CSV tables (spreadsheets) and Mermaid (Markdown).
// Every export is deterministic: the same model gives the same bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/model.h"
#include "text/escape.h"

namespace imozuru {

// The CSV rule of every CSV imozuru writes (text/escape.h).
using text::csv_field;
using text::CsvCells;

class ModelAt;

// Nodes are systems, identifiers and data items (in that order, each by id;
// a holder-scoped identifier is one node per holder); edges are effective
// holdings then active flows. Typed keys, node ids equal to references
// (system:ID, ...). `yed` adds yFiles graphics (shape, fill, label) for yEd.
// See docs/export.md#graphml.
enum class GraphmlFlavour { plain, yed };
std::string export_graphml(const ModelAt& at, Lang lang, GraphmlFlavour flavour = GraphmlFlavour::plain);

// GEXF 1.3 of the model's whole history (docs/export.md#gexf): every entity
// and holding that is ever active, with the dates it is active as spells
// (start and end inclusive days: an `until` is exclusive, so `end` is the day
// before it). `include_planned` as --include-planned: planned and proposed
// entities count from their `since`.
std::string export_gexf(const Model& model, bool include_planned, Lang lang);

// The resolved model at the date, every list sorted; ends with a newline.
std::string export_json(const ModelAt& at);

// One CSV table (RFC 4180: CRLF line ends, quoted when needed, UTF-8).
struct CsvTable {
  std::string name;  // "systems", ... ; the file is NAME.csv
  std::string text;
};
// systems, identifiers, data, flows, holdings — in that order.
// Cells a spreadsheet would run as formulas are neutralised unless `cells`
// is CsvCells::raw (text::csv_field).
std::vector<CsvTable> export_csv_tables(const ModelAt& at, CsvCells cells = CsvCells::spreadsheet_safe);
const std::vector<std::string_view>& csv_table_names();

// The JSON Schema (draft 2020-12) of one model file, from the kind table.
std::string model_json_schema();

// `flowchart LR` with one subgraph per sector; systems, identifiers, flows
// and identifier holdings. Node ids are neutral (s1, i1) so no model id can
// collide with Mermaid keywords.
std::string export_mermaid(const ModelAt& at, Lang lang);

// Mermaid refuses, by default, diagrams of more than kMermaidMaxEdges links
// (its maxEdges setting) or kMermaidMaxText characters (maxTextSize).
inline constexpr std::size_t kMermaidMaxEdges = 500;
inline constexpr std::size_t kMermaidMaxText = 50000;
struct MermaidSize {
  std::size_t edges = 0, characters = 0;
};
MermaidSize mermaid_size(std::string_view text);
// Text made safe inside a quoted Mermaid label ("…").
std::string mermaid_label(std::string_view text);

}  // namespace imozuru
