// Whole-model checks (docs/model-format.md#checking-a-model): duplicate ids, references to entities of
// the right kind (with did-you-mean), dates, quasi identifier components; and
// the warnings (entity without sources, flow carrying an identifier neither
// end holds). Resolves every Ref's index.
#pragma once

#include "model/diagnostics.h"
#include "model/model.h"

namespace imozuru {

// Sorts and indexes `model`, resolves references and reports problems.
// Returns true when no error was found.
bool validate(Model& model, Diagnostics& diagnostics);

}  // namespace imozuru
