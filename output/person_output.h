// Output of `imozuru person`: the `person` JSON of docs/model-format.md
// ("Machine-readable output") and readable text, by sector, with
// special-category data marked; and the same for a comparison of two
// exposures.
#pragma once

#include <string>

#include "model/person.h"
#include "output/analysis_json.h"

namespace imozuru {

// The shape is written once against ResultWriter (output/analysis_json.h):
// to_json builds JSON with it, model:person{} the Lua table.
void write_result(ResultWriter& out, const Model& model, const PersonResult& result);
void write_result(ResultWriter& out, const Model& model, const PersonComparison& comparison);
Json to_json(const Model& model, const PersonResult& result);
Json to_json(const Model& model, const PersonComparison& comparison);

std::string to_text(const Model& model, const PersonResult& result, Lang lang);
std::string to_text(const Model& model, const PersonComparison& comparison, Lang lang);

// How one side of a comparison is told apart from the other, as short as
// it can be: the person's name if the persons differ, the date if the dates
// differ, "withdrawing X" if acts were withdrawn ("as recorded" otherwise).
std::string exposure_label(const Model& model, const PersonResult& side, const PersonResult& other,
                           Lang lang);

}  // namespace imozuru
