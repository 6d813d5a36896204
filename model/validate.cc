#include "model/validate.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

#include "model/gaps.h"
#include "model/sort_unique.h"

namespace imozuru {
namespace {

std::string where(const SourcePos& p) {
  return p.file() + ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
}

// Reports ids used twice within one kind; the kind is sorted (stably) by
// id, so the first of a run is the one written first.
void check_duplicates(const KindSpec& kind, const Model& model, Diagnostics& diagnostics) {
  const std::size_t n = kind.count(model);
  for (Index i = 1; i < n; ++i) {
    const Entity& e = kind.at(model, i);
    if (e.id != kind.at(model, i - 1).id) continue;
    Index first = i - 1;
    while (first > 0 && kind.at(model, first - 1).id == e.id) --first;
    diagnostics.error(e.pos, "duplicate " + std::string(kind.singular) + " id '" + e.id +
                                 "'; first defined at " + where(kind.at(model, first).pos));
  }
}

// Resolves every reference of the model, kind by kind and field by field in
// the order of the kind table, reporting unknown ids.
class Resolver {
 public:
  Resolver(Model& model, Diagnostics& diagnostics) : model_(model), diagnostics_(diagnostics) {
    for (const KindSpec& k : entity_kinds()) ids_[static_cast<std::size_t>(k.kind)] = model.ids(k.kind);
  }

  void resolve(const FieldSpec& f, Entity& e) {
    switch (f.type) {
      case FieldType::citations:
        for (Citation& c : e.sources) {
          c.source_index = model_.find_source(c.source);
          if (c.source_index == kNone) unknown(EntityKind::source, c.source, c.pos, "sources");
        }
        return;
      case FieldType::ref:
        if (f.optional_ref()) {
          if (auto& r = f.get<std::optional<Ref>>(e)) resolve(f.target, *r, f.name);
        } else {
          resolve(f.target, f.get<Ref>(e), f.name);
        }
        return;
      case FieldType::refs:
        for (Ref& r : f.get<Refs>(e)) resolve(f.target, r, f.name);
        return;
      case FieldType::dated_refs:
        for (DatedRef& d : f.get<DatedRefs>(e)) resolve(f.target, d.ref, f.name);
        return;
      case FieldType::holdings: {
        Holdings& h = f.get<Holdings>(e);
        const std::string field(f.name);
        for (Ref& r : h.identifiers) resolve(EntityKind::identifier, r, field + ".identifiers");
        for (Ref& r : h.data) resolve(EntityKind::data, r, field + ".data");
        return;
      }
      default:
        return;
    }
  }

 private:
  void resolve(EntityKind kind, Ref& ref, std::string_view field) {
    // A required reference that was never written is reported as missing.
    if (ref.id.empty() && ref.pos.line == 0) return;
    ref.index = model_.find(kind, ref.id);
    if (ref.index == kNone) unknown(kind, ref.id, ref.pos, field);
  }

  void unknown(EntityKind kind, const std::string& id, const SourcePos& pos, std::string_view field) {
    std::string hint =
        diagnostics_.errors_full() ? "" : did_you_mean(id, ids_[static_cast<std::size_t>(kind)]);
    diagnostics_.error(pos, "unknown " + std::string(kind_spec(kind).singular) + " '" + id + "' in '" +
                                std::string(field) + "'" + hint);
  }

  Model& model_;
  Diagnostics& diagnostics_;
  std::array<std::vector<std::string_view>, kEntityKindCount> ids_;
};

// What each system holds or receives through any flow, whatever the date:
// the items a flow out of it can truthfully carry.
class Possessions {
 public:
  explicit Possessions(const Model& m) : m_(m), ids_(m.systems.size()), data_(m.systems.size()) {
    for (Index s = 0; s < m.systems.size(); ++s) add(s, m.systems[s].holds);
    for (const Flow& f : m.flows)
      if (f.to.index != kNone) add(f.to.index, f.carries);
    for (auto& v : ids_) sort_unique(v);
    for (auto& v : data_) sort_unique(v);
  }

  bool has_data(Index system, Index data) const {
    return std::binary_search(data_[system].begin(), data_[system].end(), data);
  }
  // A quasi identifier is held by whoever holds all of its components.
  bool has_identifier(Index system, Index identifier) const {
    if (std::binary_search(ids_[system].begin(), ids_[system].end(), identifier)) return true;
    const Identifier& id = m_.identifiers[identifier];
    if (id.kind != IdentifierKind::quasi || id.composed_of.empty()) return false;
    return std::all_of(id.composed_of.begin(), id.composed_of.end(),
                       [&](const Ref& part) { return part.index != kNone && has_data(system, part.index); });
  }

 private:
  void add(Index s, const Holdings& h) {
    for (const Ref& r : h.identifiers)
      if (r.index != kNone) ids_[s].push_back(r.index);
    for (const Ref& r : h.data)
      if (r.index != kNone) data_[s].push_back(r.index);
  }

  const Model& m_;
  std::vector<std::vector<Index>> ids_, data_;
};

// Errors in what a flow's fields mean together (docs/model-format.md, "Validation").
void check_flows(const Model& model, Diagnostics& diagnostics) {
  for (const Flow& f : model.flows)
    if (f.from.index != kNone && f.from.index == f.to.index)
      diagnostics.error(f.to.pos, "flow '" + f.id + "' goes from system '" + f.from.id +
                                      "' to itself; a flow joins two different systems");
}

// A law whose `parent` chain comes back to itself has no place in a hierarchy.
void check_law_parents(const Model& model, Diagnostics& diagnostics) {
  for (Index start = 0; start < model.laws.size(); ++start) {
    Index l = start;
    for (std::size_t steps = 0; steps <= model.laws.size(); ++steps) {
      const auto& parent = model.laws[l].parent;
      if (!parent || parent->index == kNone) break;
      l = parent->index;
      if (l == start) {
        diagnostics.error(model.laws[start].parent->pos,
                          "law '" + model.laws[start].id + "' is its own ancestor through 'parent'");
        break;
      }
    }
  }
}

// `gap: RULE:KIND:ID`: a rule that exists, the kind of its main entity, and an
// entity of that kind.
void check_assessment_gaps(Model& model, Diagnostics& diagnostics) {
  static const std::vector<std::string_view> kinds{"flow", "identifier"};
  for (Assessment& a : model.assessments) {
    const SourcePos& at = a.pos;
    const std::size_t c1 = a.gap.find(':'), c2 = c1 == std::string::npos ? c1 : a.gap.find(':', c1 + 1);
    if (c2 == std::string::npos || c2 + 1 >= a.gap.size()) {
      diagnostics.error(at, "assessment '" + a.id + "': malformed gap '" + a.gap +
                                "'; write RULE:KIND:ID, e.g. unconsented-sensitive:flow:f_x");
      continue;
    }
    const std::string rule_text = a.gap.substr(0, c1), kind_text = a.gap.substr(c1 + 1, c2 - c1 - 1),
                      id = a.gap.substr(c2 + 1);
    auto rule = parse_gap_rule(rule_text);
    if (!rule) {
      std::string hint = diagnostics.errors_full() ? "" : did_you_mean(rule_text, gap_rule_names());
      diagnostics.error(
          at, "assessment '" + a.id + "': unknown gap rule '" + rule_text + "'" +
                  (hint.empty() ? "; the rules are: " + fmt::format("{}", fmt::join(gap_rule_names(), ", "))
                                : hint));
      continue;
    }
    const EntityKind main = gap_main_kind(*rule);
    if (kind_text != to_string(main)) {
      diagnostics.error(at, "assessment '" + a.id + "': rule '" + rule_text + "' names a " +
                                std::string(to_string(main)) + ", not '" + kind_text + "' (write " +
                                rule_text + ":" + std::string(to_string(main)) + ":" + id + ")");
      continue;
    }
    a.gap_kind = main;
    a.gap_entity = model.find(main, id);
    if (a.gap_entity == kNone) {
      std::string hint = diagnostics.errors_full() ? "" : did_you_mean(id, model.ids(main));
      diagnostics.error(at, "assessment '" + a.id + "': unknown " + std::string(kind_spec(main).singular) +
                                " '" + id + "' in 'gap'" + hint);
    }
  }
}

// Warnings about what flows claim (docs/model-format.md, "Validation").
void warn_flows(const Model& model, Diagnostics& diagnostics) {
  const Possessions has(model);
  for (const Flow& f : model.flows) {
    if (f.from.index == kNone || f.to.index == kNone) continue;
    const Index from = f.from.index, to = f.to.index;
    for (const Ref& i : f.carries.identifiers)
      if (i.index != kNone && !has.has_identifier(from, i.index))
        diagnostics.warning(i.pos, "flow '" + f.id + "' carries identifier '" + i.id + "' that its sender '" +
                                       f.from.id + "' neither holds nor receives through any flow");
    for (const Ref& d : f.carries.data)
      if (d.index != kNone && !has.has_data(from, d.index))
        diagnostics.warning(d.pos, "flow '" + f.id + "' carries data item '" + d.id + "' that its sender '" +
                                       f.from.id + "' neither holds nor receives through any flow");
    if (f.key && f.key->index != kNone && !has.has_identifier(from, f.key->index) &&
        !has.has_identifier(to, f.key->index))
      diagnostics.warning(f.key->pos, "flow '" + f.id + "' has key '" + f.key->id + "' that neither '" +
                                          f.from.id + "' nor '" + f.to.id + "' holds or receives");
    for (const Ref& b : f.basis) {
      if (b.index == kNone) continue;
      const Law& law = model.laws[b.index];
      if (!law.can_be_basis())
        diagnostics.warning(b.pos, "flow '" + f.id + "' names " + std::string(to_string(law.kind)) + " '" +
                                       law.id + "' as its basis; a " + std::string(to_string(law.kind)) +
                                       " is not a legal basis (cite it in the note or sources instead)");
      if (f.since && law.enacted && *f.since == *law.enacted)
        diagnostics.warning(f.pos, "flow '" + f.id + "' starts on " + f.since->written() +
                                       ", the day its basis '" + law.id +
                                       "' was enacted: a date of passage used as a date of operation?");
    }
  }
}

// An assessment that matches no gap on any date while it holds (checked at
// every date on which something in the model starts or ends, with planned
// entities included) is probably a typo or stale.
void warn_unmatched_assessments(const Model& model, Diagnostics& diagnostics) {
  if (model.assessments.empty()) return;
  std::vector<Date> dates{Date{}};  // 0001-01-01: before anything starts
  for (const KindSpec& k : entity_kinds()) {
    const std::size_t n = k.count(model);
    for (Index i = 0; i < n; ++i) {
      const Entity& e = k.at(model, i);
      if (e.since) dates.push_back(*e.since);
      if (e.until) dates.push_back(*e.until);
    }
  }
  for (const Person& p : model.persons)
    for (const DatedRefs* list : {&p.groups, &p.acts})
      for (const DatedRef& d : *list) {
        if (d.since) dates.push_back(*d.since);
        if (d.until) dates.push_back(*d.until);
      }
  sort_unique(dates);
  std::vector<bool> matched(model.assessments.size(), false);
  for (const Date& d : dates) {
    bool wanted = false;
    for (Index a = 0; a < model.assessments.size(); ++a)
      wanted = wanted || (!matched[a] && is_active(model.assessments[a], d, true));
    if (!wanted) continue;
    for (bool planned : {false, true})
      for (const Gap& g : find_gaps(ModelAt(model, d, planned)).gaps)
        if (g.assessment != kNone) matched[g.assessment] = true;
  }
  for (Index a = 0; a < model.assessments.size(); ++a)
    if (!matched[a])
      diagnostics.warning(model.assessments[a].pos, "assessment '" + model.assessments[a].id +
                                                        "' matches no gap '" + model.assessments[a].gap +
                                                        "' on any date while it holds");
}

}  // namespace

bool validate(Model& model, Diagnostics& diagnostics) {
  size_t errors_before = diagnostics.error_count();
  model.build_index();

  for (const KindSpec& k : entity_kinds()) check_duplicates(k, model, diagnostics);

  Resolver resolver(model, diagnostics);
  for (const KindSpec& k : entity_kinds()) {
    const std::size_t n = k.count(model);
    for (Index i = 0; i < n; ++i) {
      Entity& e = k.entity(model, i);
      for (const FieldSpec& f : k.fields) resolver.resolve(f, e);
    }
  }

  check_flows(model, diagnostics);
  check_law_parents(model, diagnostics);
  check_assessment_gaps(model, diagnostics);

  // Warnings only for an otherwise valid model: noise next to real errors.
  if (diagnostics.has_errors()) return false;
  // Sources are what make a model's claims checkable.
  for (const KindSpec& k : entity_kinds()) {
    if (k.kind == EntityKind::source) continue;
    const std::size_t n = k.count(model);
    for (Index i = 0; i < n; ++i) {
      const Entity& e = k.at(model, i);
      if (e.sources.empty())
        diagnostics.warning(e.pos, std::string(k.singular) + " '" + e.id + "' has no sources");
    }
  }

  warn_flows(model, diagnostics);
  warn_unmatched_assessments(model, diagnostics);
  return diagnostics.error_count() == errors_before;
}

}  // namespace imozuru
