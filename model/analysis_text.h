// Human-readable output of the analyses (for talks and briefs), and CSV
// (RFC 4180) for gaps and diff. Names in the chosen language (`name_en`
// falls back to `name`).
#pragma once

#include <string>

#include "model/chains.h"
#include "model/diff.h"
#include "model/downstream.h"
#include "model/gaps.h"
#include "model/reach.h"

namespace imozuru {

std::string to_text(const Model& model, const ReachResult& result, Lang lang);
std::string to_text(const Model& model, const ChainsResult& result, Lang lang);
std::string to_text(const Model& model, const DownstreamResult& result, Lang lang);
std::string to_text(const Model& model, const GapsResult& result, Lang lang);
std::string to_text(const Model& model, const DiffResult& result, Lang lang);

// One chain as a single line: 名前 →[identifier / flow annotations]→ 名前 …
std::string chain_line(const Model& model, const Chain& chain, const EntityRef& from, Lang lang);

std::string to_csv(const Model& model, const GapsResult& result);
std::string to_csv(const Model& model, const DiffResult& result);

// How csv_field treats a cell a spreadsheet would run as a formula.
enum class CsvCells {
  spreadsheet_safe,  // a leading = + - @ TAB or CR gets a ' before it (OWASP's advice against CSV injection)
  raw,               // the text as it is, for programs that read the CSV
};

// One RFC 4180 field: quoted when it holds , " CR or LF, starts or ends with
// a space (some readers trim), or was neutralised against formulas.
std::string csv_field(std::string_view text, CsvCells cells = CsvCells::spreadsheet_safe);

}  // namespace imozuru
