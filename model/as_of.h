// The model as of a date (docs/model-format.md#dates-the-model-as-of-a-date): which entities are active, and
// what each system effectively holds.
#pragma once

#include <vector>

#include "model/index_rows.h"
#include "model/model.h"

namespace imozuru {

// True when `e` is active at `at`: since <= at < until, and its status is
// operational, pilot or abolished (planned/proposed only when asked).
bool is_active(const Entity& e, const Date& at, bool include_planned);

// Where a law stands at a date, for display (docs/model-format.md, "laws"):
// in force, or why not. `in_force` is exactly is_active(law, at, false); a
// planned or proposed law is never shown as in force, even when
// --include-planned counts it so.
enum class LawState {
  in_force,  // since <= at < until, status operational, pilot or abolished
  not_yet,   // comes into force on its `since`, after the date
  ended,     // its `until` is on or before the date
  planned,   // status planned
  proposed,  // status proposed
};
LawState law_state(const Law& law, const Date& at);
std::string_view to_string(LawState);  // "in_force", "not_yet", "ended", "planned", "proposed"

// A read-only view of a validated Model at one date, for everyone or, with a
// person, for that person (docs/model-format.md, "The model as of a date").
// Cheap to build (one pass over the model); it copies no entity, only indices.
class ModelAt {
 public:
  // `person`: an index into model.persons, or kNone for everyone (groups and
  // consent acts then filter nothing). `withdrawn_acts`: consent acts taken
  // as not done by the person at the date, whatever their `acts` say (what
  // would change if they withdrew them); ignored without a person.
  ModelAt(const Model& model, Date at, bool include_planned = false, Index person = kNone,
          std::vector<Index> withdrawn_acts = {});

  const Model& model() const { return *model_; }
  const Date& at() const { return at_; }
  bool include_planned() const { return include_planned_; }
  Index person() const { return person_; }  // kNone: everyone
  // The person's groups and done consent acts at the date, ascending.
  const std::vector<Index>& person_groups() const { return person_groups_; }
  const std::vector<Index>& person_acts() const { return person_acts_; }
  const std::vector<Index>& withdrawn_acts() const { return withdrawn_acts_; }  // ascending

  bool system_active(Index s) const { return system_active_[s]; }
  bool identifier_active(Index i) const { return identifier_active_[i]; }
  bool data_active(Index d) const { return data_active_[d]; }
  bool flow_active(Index f) const { return flow_active_[f]; }
  bool law_active(Index l) const { return law_active_[l]; }  // in force at the date
  // An identifier is restricted when one of its regulated_by laws that can
  // be a basis (not a policy or judgment) is in force; those laws, ascending.
  bool identifier_restricted(Index identifier) const;
  std::vector<Index> restricting_laws(Index identifier) const;
  bool active(const EntityRef& ref) const;
  bool active(EntityKind kind, Index i) const;  // any kind

  // Active entities of each kind, ascending by id.
  const std::vector<Index>& systems() const { return systems_; }
  const std::vector<Index>& identifiers() const { return identifiers_; }
  const std::vector<Index>& data() const { return data_; }
  const std::vector<Index>& flows() const { return flows_; }

  // Effective holdings H(S): declared, plus what active flows carry into S,
  // less inactive items; quasi identifiers whose components S holds are
  // included. Ascending by id. Empty for an inactive system. (Each list is a
  // row of one flat array: model/index_rows.h.)
  IndexSpan identifiers_of(Index system) const { return held_identifiers_[system]; }
  IndexSpan data_of(Index system) const { return held_data_[system]; }
  bool holds_identifier(Index system, Index identifier) const;
  bool holds_data(Index system, Index data) const;

  // Active systems whose effective holdings include the identifier / data
  // item, ascending by id.
  IndexSpan holders_of_identifier(Index identifier) const { return identifier_holders_[identifier]; }
  IndexSpan holders_of_data(Index data) const { return data_holders_[data]; }

  // Active flows leaving / entering a system, ascending by flow id.
  IndexSpan flows_out(Index system) const { return flows_out_[system]; }
  IndexSpan flows_in(Index system) const { return flows_in_[system]; }

 private:
  bool person_in_groups(const Refs& groups) const;
  bool flow_applies_to_person(const Flow& flow) const;

  const Model* model_;
  Date at_;
  bool include_planned_;
  Index person_ = kNone;
  std::vector<Index> person_groups_, person_acts_, withdrawn_acts_;
  std::vector<bool> system_active_, identifier_active_, data_active_, flow_active_, law_active_;
  std::vector<Index> systems_, identifiers_, data_, flows_;
  IndexRows held_identifiers_, held_data_;       // row per system
  IndexRows identifier_holders_, data_holders_;  // row per identifier / data item
  IndexRows flows_out_, flows_in_;               // row per system
};

}  // namespace imozuru
