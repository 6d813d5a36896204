// CSV (RFC 4180, text::csv_field) of the gaps and diff analyses: ids and the
// engine's reasons, one row per finding, for spreadsheets.
#pragma once

#include <string>

#include "model/diff.h"
#include "model/gaps.h"

namespace imozuru {

std::string to_csv(const Model& model, const GapsResult& result);
std::string to_csv(const Model& model, const DiffResult& result);

}  // namespace imozuru
