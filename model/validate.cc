#include "model/validate.h"

#include <algorithm>
#include <array>

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
    diagnostics.error(e.pos, "duplicate " + std::string(kind.singular) + " id '" + e.id + "'; first defined at " +
                                 where(kind.at(model, first).pos));
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
      case FieldType::holdings: {
        Holdings& h = f.get<Holdings>(e);
        const std::string field(f.name);
        for (Ref& r : h.identifiers) resolve(EntityKind::identifier, r, field + ".identifiers");
        for (Ref& r : h.data) resolve(EntityKind::data, r, field + ".data");
        return;
      }
      default: return;
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

bool holds_identifier(const Model& model, const System& s, Index identifier) {
  for (const Ref& r : s.holds.identifiers)
    if (r.index == identifier) return true;
  // A quasi identifier is held by whoever holds all of its components.
  const Identifier& id = model.identifiers[identifier];
  if (id.kind != IdentifierKind::quasi || id.composed_of.empty()) return false;
  for (const Ref& part : id.composed_of) {
    bool found = false;
    for (const Ref& d : s.holds.data) found = found || (d.index == part.index && part.index != kNone);
    if (!found) return false;
  }
  return true;
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

  // Warnings only for an otherwise valid model: noise next to real errors.
  if (diagnostics.has_errors()) return false;
  // Sources are what make a model's claims checkable.
  for (const KindSpec& k : entity_kinds()) {
    if (k.kind == EntityKind::source) continue;
    const std::size_t n = k.count(model);
    for (Index i = 0; i < n; ++i) {
      const Entity& e = k.at(model, i);
      if (e.sources.empty()) diagnostics.warning(e.pos, std::string(k.singular) + " '" + e.id + "' has no sources");
    }
  }

  for (const Flow& f : model.flows) {
    if (f.from.index == kNone || f.to.index == kNone) continue;
    const System& from = model.systems[f.from.index];
    const System& to = model.systems[f.to.index];
    for (const Ref& i : f.carries.identifiers) {
      if (i.index == kNone) continue;
      if (!holds_identifier(model, from, i.index) && !holds_identifier(model, to, i.index))
        diagnostics.warning(i.pos, "flow '" + f.id + "' carries identifier '" + i.id + "' that neither '" + from.id +
                                       "' nor '" + to.id + "' holds");
    }
  }
  return diagnostics.error_count() == errors_before;
}

}  // namespace imozuru
