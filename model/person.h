// One person's exposure (docs/model-format.md, "The model for a person" and
// the `person` JSON): the systems that hold their records at a date, what
// each holds, the flows that move them; and what one exposure has that
// another lacks (the same person at two dates, before and after withdrawing
// a consent act, or two persons).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/as_of.h"

namespace imozuru {

// Finds the person an analysis is asked for: an unknown id (with a did-you-
// mean) or a person not active at the date is an error (exit 2 on the
// command line). `error` is empty when `person` was found.
struct PersonLookup {
  Index person = kNone;
  std::string error;
};
PersonLookup find_person_at(const Model& model, std::string_view id, const Date& at, bool include_planned);

// A system holding some of the person's records, and which items it holds.
struct PersonHolding {
  Index system = kNone;
  std::vector<Index> identifiers;  // effective holdings, ascending by id
  std::vector<Index> data;         // ascending by id
};

struct PersonResult {
  Date at;
  Index person = kNone;
  std::vector<Index> withdrawn;        // consent acts taken as withdrawn (ModelAt::withdrawn_acts)
  std::vector<Index> groups, acts;     // the person's groups and done acts at the date
  std::vector<PersonHolding> systems;  // active systems with non-empty holdings, ascending by id
  std::vector<Index> flows;            // flows active for the person, ascending by id
};

// `at` must be the model for a person (at.person() != kNone).
PersonResult person_exposure(const ModelAt& at);

// What `first` has that `second` lacks, and the reverse. A system appears
// with the items missing on the other side (all it holds when the other side
// has no record there at all: `whole`).
struct PersonDifference {
  struct System {
    Index system = kNone;
    bool whole = false;  // the other side has no record in this system
    std::vector<Index> identifiers, data;
  };
  std::vector<System> systems;  // ascending by id
  std::vector<Index> flows;     // ascending by id
  bool empty() const { return systems.empty() && flows.empty(); }
};

struct PersonComparison {
  PersonResult first, second;
  PersonDifference only_first, only_second;
};

PersonComparison compare_exposures(PersonResult first, PersonResult second);

}  // namespace imozuru
