// Helpers shared by the exports (not part of the public API).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/as_of.h"
#include "model/model.h"

namespace imozuru::export_detail {

// How a system came to hold an item at the date.
enum class HoldingOrigin { declared, received, derived };
std::string_view to_string(HoldingOrigin);
// `declared` in `holds`, `received` through an active flow into it, or
// `derived` (a quasi identifier whose components it holds).
HoldingOrigin identifier_origin(const ModelAt& at, Index system, Index identifier);
HoldingOrigin data_origin(const ModelAt& at, Index system, Index data);

// The ids of `refs`, sorted and without repeats.
std::vector<std::string> sorted_ids(const Refs& refs);
// The same, joined with ";" (for one CSV / GraphML cell).
std::string joined_ids(const Refs& refs);
std::string ref_id(const std::optional<Ref>& ref);            // "" when absent
std::string written(const std::optional<Date>& date);         // "" when absent
std::string bool_text(bool value);                            // "true" / "false"
std::string number_text(const std::optional<double>& value);  // "" when absent

}  // namespace imozuru::export_detail
