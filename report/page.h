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
  // The model for this person (docs/model-format.md, "The model for a
  // person"), kNone: everyone. At dates where the person is not active the
  // page shows nothing active and says so.
  Index person = kNone;
  Lang lang = Lang::ja;
  double render_timeout_seconds = 60;
  std::size_t max_page_bytes = std::size_t{64} << 20;  // --max-page-bytes
  // A time-lapse (docs/cli.md#html, --dates): the page steps through these
  // dates, ascending, instead of the date boundaries, each a frame that
  // render::render_timelapse draws on one layout (what a frame lacks hidden,
  // or faint with `ghost`; what is new since the frame before highlighted).
  // `at` is the first of them. Empty: one diagram of every date.
  std::vector<Date> frames;
  bool ghost = false;
};

// The page would be larger than PageOptions::max_page_bytes.
struct PageTooLarge : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The dates at which the model changes: every since/until of an entity that
// can be active (planned/proposed only with include_planned), and `at`,
// ascending. With a person, also the dates their model changes on: the
// person's own, their group memberships and consent acts, and those groups'
// and acts' own.
std::vector<Date> date_boundaries(const Model& model, const Date& at, bool include_planned,
                                  Index person = kNone);

// The dates the page steps through: options.frames when given, otherwise
// date_boundaries.
std::vector<Date> page_dates(const Model& model, const PageOptions& options);

// The page's embedded data as JSON text: the dates (page_dates); every entity
// with the runs of dates at which it is active; the effective holdings, each
// with the runs of dates it is held (data items only where they make up a
// quasi identifier); each identifier with the runs of dates a law in force
// restricts joins through it (ModelAt::identifier_restricted, for open
// reach). The page computes reach itself from these, so the data grows with
// the model, not with dates × identifiers × reach. The consent gaps
// (model/gaps.h) are found at every date and stored as rows in words, each
// distinct row once with the runs of dates it is listed. "isolated": the
// systems the diagram links to no other at any of the dates (no global
// identifier shared with another system), listed apart on the page, the
// first view fitted to the rest. "persons" (only without options.person):
// for each person of the model, what `imozuru person` finds at each date
// (model/person.h: the systems holding their records, the identifiers they
// hold, the flows moving them, the consent acts done), as runs of dates.
// Throws PageTooLarge as soon as the gaps alone pass the limit.
std::string page_data_json(const Model& model, const PageOptions& options);

// The whole page. Throws render::RenderError when the diagram can't be
// drawn, PageTooLarge when the page would pass the limit.
std::string build_page(const Model& model, const PageOptions& options,
                       std::vector<std::string>* warnings = nullptr);

}  // namespace imozuru::report
