// CSV (RFC 4180, text::csv_field) of the gaps and diff analyses: ids and the
// engine's reasons, one row per finding, for spreadsheets.
#pragma once

#include <string>

#include "model/diff.h"
#include "model/gaps.h"

namespace imozuru {

// One row per gap: rule, severity, open, the main entity, consent, laws with
// their states and ids, systems, data, assessment, reason and sources, in `lang`.
std::string to_csv(const Model& model, const GapsResult& result, Lang lang);
// Gap rows carry each gap's `reason` (output/legal_text.h set_gap_reasons).
std::string to_csv(const Model& model, const DiffResult& result);

}  // namespace imozuru
