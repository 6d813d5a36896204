// `imozuru html`: one self-contained offline page for presenting a model —
// the linkage diagram as inline SVG, a date slider, identifier highlighting,
// hover details and search, in vanilla JavaScript with no network access.
#pragma once

#include <string>
#include <vector>

#include "model/date.h"
#include "model/model.h"

namespace imozuru::report {

struct PageOptions {
  Date at;  // where the slider starts (the last date boundary not after it)
  bool include_planned = false;
  Lang lang = Lang::ja;
  double render_timeout_seconds = 60;
};

// The dates at which the model changes: every since/until of an entity that
// can be active (planned/proposed only with include_planned), ascending;
// `at` alone when the model has no dates.
std::vector<Date> date_boundaries(const Model& model, const Date& at, bool include_planned);

// The page's embedded data (entities, and per date boundary the active
// systems, holdings and reach from every joining identifier), as JSON text.
std::string page_data_json(const Model& model, const PageOptions& options);

// The whole page. Throws render::RenderError when the diagram can't be drawn.
std::string build_page(const Model& model, const PageOptions& options, std::vector<std::string>* warnings = nullptr);

}  // namespace imozuru::report
