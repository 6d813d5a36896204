// `imozuru html`: one self-contained offline page for presenting a model —
// the linkage diagram as inline SVG, a date slider, identifier highlighting,
// hover details and search, in vanilla JavaScript with no network access.
#pragma once

#include <cstddef>
#include <stdexcept>
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
  std::size_t max_page_bytes = std::size_t{64} << 20;  // --max-page-bytes
};

// The page would be larger than PageOptions::max_page_bytes.
struct PageTooLarge : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The dates at which the model changes: every since/until of an entity that
// can be active (planned/proposed only with include_planned), ascending;
// `at` alone when the model has no dates.
std::vector<Date> date_boundaries(const Model& model, const Date& at, bool include_planned);

// The page's embedded data as JSON text: the date boundaries; every entity
// with the runs of dates at which it is active; the effective holdings, each
// with the runs of dates it is held (data items only where they make up a
// quasi identifier). The page computes reach itself from these, so the data
// grows with the model, not with dates × identifiers × reach.
std::string page_data_json(const Model& model, const PageOptions& options);

// The whole page. Throws render::RenderError when the diagram can't be
// drawn, PageTooLarge when the page would pass the limit.
std::string build_page(const Model& model, const PageOptions& options,
                       std::vector<std::string>* warnings = nullptr);

}  // namespace imozuru::report
