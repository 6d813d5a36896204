// The consent gaps as SARIF 2.1.0 (docs/model-format.md, "SARIF"), for
// code-scanning tools and CI gates (docs/cli.md, "gaps").
#pragma once

#include <string>

#include "model/gaps.h"
#include "output/analysis_json.h"

namespace imozuru {

struct SarifOptions {
  std::string tool_version;  // tool.driver.version; empty: left out
};
// One run: the six rules, one result per gap located at its main entity's
// id, suppressions for gaps an assessment closed. Messages follow `lang`.
// A file name that is relative stays relative (so a model path given
// relative to the current directory gives URIs relative to it); an absolute
// one becomes a file: URI.
Json gaps_sarif(const Model& model, const GapsResult& result, Lang lang, const SarifOptions& options = {});

// A path as a URI reference: relative paths percent-encoded as they are,
// absolute ones as file: URIs.
std::string path_uri(const std::string& path);

}  // namespace imozuru
