#include "model/as_of.h"

#include <algorithm>
#include <cstdint>
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
  for (size_t f = 0; f < model.flows.size(); ++f) {
    const Flow& flow = model.flows[f];
    Index from = flow.from.index, to = flow.to.index;
    if (from == kNone || to == kNone) continue;
    if (!is_active(flow, at, include_planned) || !system_active_[from] || !system_active_[to]) continue;
    if (!flow_applies_to_person(flow)) continue;
    flow_active_[f] = true;
    flows_.push_back(static_cast<Index>(f));
  }
  // Each system's active flows, ascending by flow (flows_ is ascending).
  flows_out_ = IndexRows::counted(n_systems, [&](auto emit) {
    for (Index f : flows_) emit(model.flows[f].from.index, f);
  });
  flows_in_ = IndexRows::counted(n_systems, [&](auto emit) {
    for (Index f : flows_) emit(model.flows[f].to.index, f);
  });

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
  // A subset of the components as a bit set (slot s is bit s % 64 of word
  // s / 64) → the quasi identifiers held with exactly that subset.
  std::map<std::vector<std::uint64_t>, std::vector<Index>> quasi_of_subset;
  std::vector<std::uint64_t> subset((components.size() + 63) / 64);

  // Effective holdings, system by system, straight into the flat rows:
  // declared, plus what the active flows into the system carry, less
  // inactive items, plus quasi identifiers; sorted and without repeats.
  auto add = [](std::vector<Index>& out, const Refs& refs, const std::vector<bool>& active) {
    for (const Ref& r : refs)
      if (r.index != kNone && active[r.index]) out.push_back(r.index);
  };
  auto append_sorted = [](IndexRows& rows, std::vector<Index>& items) {
    std::sort(items.begin(), items.end());
    rows.values.insert(rows.values.end(), items.begin(), std::unique(items.begin(), items.end()));
    rows.end_row();
  };
  held_identifiers_.offsets.reserve(n_systems + 1);
  held_data_.offsets.reserve(n_systems + 1);
  std::vector<Index> ids, items;
  for (Index s = 0; s < n_systems; ++s) {
    if (!system_active_[s]) {
      held_identifiers_.end_row();
      held_data_.end_row();
      continue;
    }
    ids.clear();
    items.clear();
    add(ids, model.systems[s].holds.identifiers, identifier_active_);
    add(items, model.systems[s].holds.data, data_active_);
    for (Index f : flows_in_[s]) {
      add(ids, model.flows[f].carries.identifiers, identifier_active_);
      add(items, model.flows[f].carries.data, data_active_);
    }
    append_sorted(held_data_, items);
    if (!quasi.empty()) {
      std::fill(subset.begin(), subset.end(), 0);
      bool any = false;
      for (Index d : held_data_[s])
        if (component_slot[d] >= 0) {
          subset[component_slot[d] / 64] |= std::uint64_t{1} << (component_slot[d] % 64);
          any = true;
        }
      if (any) {
        auto it = quasi_of_subset.find(subset);
        if (it == quasi_of_subset.end()) {
          std::vector<Index> held;
          for (Index q : quasi) {
            const Refs& parts = model.identifiers[q].composed_of;
            if (std::all_of(parts.begin(), parts.end(), [&](const Ref& r) {
                  const int slot = component_slot[r.index];
                  return (subset[slot / 64] >> (slot % 64)) & 1;
                }))
              held.push_back(q);
          }
          it = quasi_of_subset.emplace(subset, std::move(held)).first;
        }
        ids.insert(ids.end(), it->second.begin(), it->second.end());
      }
    }
    append_sorted(held_identifiers_, ids);
  }

  // Holders, ascending: systems are walked in order.
  identifier_holders_ = IndexRows::counted(model.identifiers.size(), [&](auto emit) {
    for (Index s : systems_)
      for (Index i : held_identifiers_[s]) emit(i, s);
  });
  data_holders_ = IndexRows::counted(model.data.size(), [&](auto emit) {
    for (Index s : systems_)
      for (Index d : held_data_[s]) emit(d, s);
  });
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
  const IndexSpan v = held_identifiers_[system];
  return std::binary_search(v.begin(), v.end(), identifier);
}

bool ModelAt::holds_data(Index system, Index data) const {
  const IndexSpan v = held_data_[system];
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
