#include "model/as_of.h"

#include <algorithm>
#include <iterator>
#include <map>

#include "model/sort_unique.h"

namespace imozuru {
namespace {

template <typename T>
std::vector<bool> activity(const std::vector<T>& entities, const Date& at, bool include_planned,
                           std::vector<Index>* active_list) {
  std::vector<bool> active(entities.size());
  for (size_t i = 0; i < entities.size(); ++i) {
    active[i] = is_active(entities[i], at, include_planned);
    if (active[i] && active_list) active_list->push_back(static_cast<Index>(i));
  }
  return active;
}

// Whether a dated membership or consent act holds at `at`: since <= at < until.
bool holds_at(const DatedRef& d, const Date& at) {
  return (!d.since || *d.since <= at) && (!d.until || at < *d.until);
}

}  // namespace

bool is_active(const Entity& e, const Date& at, bool include_planned) {
  if (e.since && at < *e.since) return false;
  if (e.until && at >= *e.until) return false;
  switch (e.status) {
    case Status::operational:
    case Status::pilot:
    case Status::abolished:
      return true;
    case Status::planned:
    case Status::proposed:
      return include_planned;
  }
  return false;
}

LawState law_state(const Law& law, const Date& at) {
  if (law.until && at >= *law.until) return LawState::ended;
  if (law.status == Status::planned) return LawState::planned;
  if (law.status == Status::proposed) return LawState::proposed;
  if (law.since && at < *law.since) return LawState::not_yet;
  return LawState::in_force;
}

std::string_view to_string(LawState s) {
  switch (s) {
    case LawState::in_force:
      return "in_force";
    case LawState::not_yet:
      return "not_yet";
    case LawState::ended:
      return "ended";
    case LawState::planned:
      return "planned";
    case LawState::proposed:
      return "proposed";
  }
  return "";
}

bool ModelAt::person_in_groups(const Refs& groups) const {
  return std::all_of(groups.begin(), groups.end(), [&](const Ref& g) {
    return g.index != kNone && std::binary_search(person_groups_.begin(), person_groups_.end(), g.index);
  });
}

bool ModelAt::flow_applies_to_person(const Flow& flow) const {
  if (person_ == kNone) return true;
  if (!person_in_groups(flow.applies_to)) return false;
  if (!flow.consent_act || flow.consent_act->index == kNone) return true;
  const Index act = flow.consent_act->index;
  const bool done = std::binary_search(person_acts_.begin(), person_acts_.end(), act);
  return model_->consent_acts[act].kind == ActKind::opt_in ? done : !done;
}

ModelAt::ModelAt(const Model& model, Date at, bool include_planned, Index person,
                 std::vector<Index> withdrawn_acts)
    : model_(&model), at_(at), include_planned_(include_planned), person_(person) {
  if (person != kNone) {
    // docs/model-format.md, "The model for a person": the groups P belongs
    // to and the consent acts P has done at the date, each active itself.
    const Person& p = model.persons[person];
    for (const DatedRef& g : p.groups)
      if (g.ref.index != kNone && holds_at(g, at) &&
          is_active(model.groups[g.ref.index], at, include_planned))
        person_groups_.push_back(g.ref.index);
    for (const DatedRef& a : p.acts)
      if (a.ref.index != kNone && holds_at(a, at) &&
          is_active(model.consent_acts[a.ref.index], at, include_planned))
        person_acts_.push_back(a.ref.index);
    sort_unique(person_groups_);
    sort_unique(person_acts_);
    withdrawn_acts_ = std::move(withdrawn_acts);
    sort_unique(withdrawn_acts_);
    std::vector<Index> done;
    std::set_difference(person_acts_.begin(), person_acts_.end(), withdrawn_acts_.begin(),
                        withdrawn_acts_.end(), std::back_inserter(done));
    person_acts_ = std::move(done);
  }
  system_active_ = activity(model.systems, at, include_planned, nullptr);
  for (Index s = 0; s < model.systems.size(); ++s) {
    if (system_active_[s] && person != kNone && !person_in_groups(model.systems[s].applies_to))
      system_active_[s] = false;
    if (system_active_[s]) systems_.push_back(s);
  }
  identifier_active_ = activity(model.identifiers, at, include_planned, &identifiers_);
  data_active_ = activity(model.data, at, include_planned, &data_);
  law_active_ = activity(model.laws, at, include_planned, nullptr);

  const size_t n_systems = model.systems.size();
  flow_active_.assign(model.flows.size(), false);
  flows_out_.resize(n_systems);
  flows_in_.resize(n_systems);
  for (size_t f = 0; f < model.flows.size(); ++f) {
    const Flow& flow = model.flows[f];
    Index from = flow.from.index, to = flow.to.index;
    if (from == kNone || to == kNone) continue;
    if (!is_active(flow, at, include_planned) || !system_active_[from] || !system_active_[to]) continue;
    if (!flow_applies_to_person(flow)) continue;
    flow_active_[f] = true;
    flows_.push_back(static_cast<Index>(f));
    flows_out_[from].push_back(static_cast<Index>(f));
    flows_in_[to].push_back(static_cast<Index>(f));
  }

  held_identifiers_.resize(n_systems);
  held_data_.resize(n_systems);
  auto add = [](std::vector<Index>& out, const Refs& refs, const std::vector<bool>& active) {
    for (const Ref& r : refs)
      if (r.index != kNone && active[r.index]) out.push_back(r.index);
  };
  for (Index s : systems_) {
    add(held_identifiers_[s], model.systems[s].holds.identifiers, identifier_active_);
    add(held_data_[s], model.systems[s].holds.data, data_active_);
  }
  // What active flows carry, in flow order (the lists are sorted below, so
  // the order of adding does not matter; walking flows in memory order does).
  for (Index f : flows_) {
    Index to = model.flows[f].to.index;
    add(held_identifiers_[to], model.flows[f].carries.identifiers, identifier_active_);
    add(held_data_[to], model.flows[f].carries.data, data_active_);
  }
  for (Index s : systems_) sort_unique(held_data_[s]);

  data_holders_.resize(model.data.size());
  for (Index s : systems_)
    for (Index d : held_data_[s]) data_holders_[d].push_back(s);

  // A quasi identifier is held wherever all of its components are. Models
  // draw the components of many quasi identifiers from a few data items
  // (name, address, ...), so a system's quasi identifiers depend only on
  // which of those items it holds: work them out once per such subset.
  std::vector<Index> quasi;
  std::vector<int> component_slot(model.data.size(), -1);
  std::vector<Index> components;  // slot → data item
  for (Index q : identifiers_) {
    const Identifier& id = model.identifiers[q];
    if (id.kind != IdentifierKind::quasi || id.composed_of.empty()) continue;
    if (std::any_of(id.composed_of.begin(), id.composed_of.end(),
                    [](const Ref& r) { return r.index == kNone; }))
      continue;
    quasi.push_back(q);
    for (const Ref& r : id.composed_of)
      if (component_slot[r.index] < 0) {
        component_slot[r.index] = static_cast<int>(components.size());
        components.push_back(r.index);
      }
  }
  if (!quasi.empty()) {
    std::map<std::vector<int>, std::vector<Index>>
        quasi_of_subset;  // held slots (ascending) → quasi ids held
    std::vector<char> in_subset(components.size(), 0);
    std::vector<int> subset;
    for (Index s : systems_) {
      subset.clear();
      for (Index d : held_data_[s])
        if (component_slot[d] >= 0) subset.push_back(component_slot[d]);
      if (subset.empty()) continue;
      std::sort(subset.begin(), subset.end());
      auto it = quasi_of_subset.find(subset);
      if (it == quasi_of_subset.end()) {
        std::vector<Index> held;
        for (int slot : subset) in_subset[slot] = 1;
        for (Index q : quasi) {
          const Refs& parts = model.identifiers[q].composed_of;
          if (std::all_of(parts.begin(), parts.end(),
                          [&](const Ref& r) { return in_subset[component_slot[r.index]]; }))
            held.push_back(q);
        }
        for (int slot : subset) in_subset[slot] = 0;
        it = quasi_of_subset.emplace(subset, std::move(held)).first;
      }
      held_identifiers_[s].insert(held_identifiers_[s].end(), it->second.begin(), it->second.end());
    }
  }

  identifier_holders_.resize(model.identifiers.size());
  for (Index s : systems_) {
    sort_unique(held_identifiers_[s]);
    for (Index i : held_identifiers_[s]) identifier_holders_[i].push_back(s);
  }
}

bool ModelAt::identifier_restricted(Index identifier) const {
  for (const Ref& l : model_->identifiers[identifier].regulated_by)
    if (l.index != kNone && law_active_[l.index] && model_->laws[l.index].can_be_basis()) return true;
  return false;
}

std::vector<Index> ModelAt::restricting_laws(Index identifier) const {
  std::vector<Index> out;
  for (const Ref& l : model_->identifiers[identifier].regulated_by)
    if (l.index != kNone && law_active_[l.index] && model_->laws[l.index].can_be_basis())
      out.push_back(l.index);
  sort_unique(out);
  return out;
}

bool ModelAt::holds_identifier(Index system, Index identifier) const {
  const auto& v = held_identifiers_[system];
  return std::binary_search(v.begin(), v.end(), identifier);
}

bool ModelAt::holds_data(Index system, Index data) const {
  const auto& v = held_data_[system];
  return std::binary_search(v.begin(), v.end(), data);
}

bool ModelAt::active(const EntityRef& ref) const {
  Index i = model_->find(ref);
  return i != kNone && active(ref.kind, i);
}

bool ModelAt::active(EntityKind kind, Index i) const {
  switch (kind) {
    case EntityKind::identifier:
      return identifier_active_[i];
    case EntityKind::system:
      return system_active_[i];
    case EntityKind::data:
      return data_active_[i];
    case EntityKind::flow:
      return flow_active_[i];
    case EntityKind::law:
      return law_active_[i];
    default:
      return is_active(model_->entity(kind, i), at_, include_planned_);
  }
}

}  // namespace imozuru
