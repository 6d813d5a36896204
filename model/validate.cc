#include "model/validate.h"

#include <algorithm>

namespace imozuru {
namespace {

std::string where(const SourcePos& p) {
  return p.file() + ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
}

// Reports ids used twice within one kind; `v` is sorted (stably) by id, so
// the first of a run is the one written first.
template <typename T>
void check_duplicates(const std::vector<T>& v, std::string_view kind, Diagnostics& diagnostics) {
  for (size_t i = 1; i < v.size(); ++i) {
    if (v[i].id != v[i - 1].id) continue;
    size_t first = i - 1;
    while (first > 0 && v[first - 1].id == v[i].id) --first;
    diagnostics.error(v[i].pos, "duplicate " + std::string(kind) + " id '" + v[i].id + "'; first defined at " +
                                    where(v[first].pos));
  }
}

template <typename T>
std::vector<std::string_view> ids_of(const std::vector<T>& v) {
  std::vector<std::string_view> out;
  out.reserve(v.size());
  for (const T& e : v) out.push_back(e.id);
  return out;
}

// Resolves references to one kind of entity, reporting unknown ids.
class Resolver {
 public:
  Resolver(std::string_view kind, const std::vector<std::string_view>& ids,
           Index (Model::*find)(std::string_view) const, const Model& model, Diagnostics& diagnostics)
      : kind_(kind), ids_(ids), find_(find), model_(model), diagnostics_(diagnostics) {}

  void resolve(Ref& ref, std::string_view field) {
    // A required reference that was never written is reported as missing.
    if (ref.id.empty() && ref.pos.line == 0) return;
    ref.index = (model_.*find_)(ref.id);
    if (ref.index == kNone) unknown(ref.id, ref.pos, field);
  }
  void resolve(Refs& refs, std::string_view field) {
    for (Ref& r : refs) resolve(r, field);
  }
  void resolve(std::optional<Ref>& ref, std::string_view field) {
    if (ref) resolve(*ref, field);
  }
  Index find(const std::string& id) const { return (model_.*find_)(id); }

  void unknown(const std::string& id, const SourcePos& pos, std::string_view field) {
    std::string hint = diagnostics_.errors_full() ? "" : did_you_mean(id, ids_);
    diagnostics_.error(pos, "unknown " + std::string(kind_) + " '" + id + "' in '" + std::string(field) + "'" + hint);
  }

 private:
  std::string_view kind_;
  const std::vector<std::string_view>& ids_;
  Index (Model::*find_)(std::string_view) const;
  const Model& model_;
  Diagnostics& diagnostics_;
};

template <typename T>
void warn_without_sources(const std::vector<T>& v, std::string_view kind, Diagnostics& diagnostics) {
  for (const T& e : v)
    if (e.sources.empty()) diagnostics.warning(e.pos, std::string(kind) + " '" + e.id + "' has no sources");
}

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

  check_duplicates(model.sources, "source", diagnostics);
  check_duplicates(model.actors, "actor", diagnostics);
  check_duplicates(model.laws, "law", diagnostics);
  check_duplicates(model.identifiers, "identifier", diagnostics);
  check_duplicates(model.data, "data item", diagnostics);
  check_duplicates(model.systems, "system", diagnostics);
  check_duplicates(model.flows, "flow", diagnostics);

  const auto source_ids = ids_of(model.sources), actor_ids = ids_of(model.actors), law_ids = ids_of(model.laws),
             identifier_ids = ids_of(model.identifiers), data_ids = ids_of(model.data),
             system_ids = ids_of(model.systems);
  Resolver sources("source", source_ids, &Model::find_source, model, diagnostics);
  Resolver actors("actor", actor_ids, &Model::find_actor, model, diagnostics);
  Resolver laws("law", law_ids, &Model::find_law, model, diagnostics);
  Resolver identifiers("identifier", identifier_ids, &Model::find_identifier, model, diagnostics);
  Resolver data("data item", data_ids, &Model::find_data, model, diagnostics);
  Resolver systems("system", system_ids, &Model::find_system, model, diagnostics);

  auto cite = [&](Entity& e) {
    for (Citation& c : e.sources) {
      c.source_index = sources.find(c.source);
      if (c.source_index == kNone) sources.unknown(c.source, c.pos, "sources");
    }
  };
  for (Source& s : model.sources) cite(s);
  for (Actor& a : model.actors) {
    cite(a);
    actors.resolve(a.parent, "parent");
  }
  for (Law& l : model.laws) cite(l);
  for (Identifier& i : model.identifiers) {
    cite(i);
    systems.resolve(i.issuer, "issuer");
    laws.resolve(i.regulated_by, "regulated_by");
    data.resolve(i.composed_of, "composed_of");
  }
  for (DataItem& d : model.data) cite(d);
  for (System& s : model.systems) {
    cite(s);
    actors.resolve(s.operator_, "operator");
    identifiers.resolve(s.holds.identifiers, "holds.identifiers");
    data.resolve(s.holds.data, "holds.data");
  }
  for (Flow& f : model.flows) {
    cite(f);
    systems.resolve(f.from, "from");
    systems.resolve(f.to, "to");
    identifiers.resolve(f.carries.identifiers, "carries.identifiers");
    data.resolve(f.carries.data, "carries.data");
    identifiers.resolve(f.key, "key");
    laws.resolve(f.basis, "basis");
  }

  // Warnings only for an otherwise valid model: noise next to real errors.
  if (diagnostics.has_errors()) return false;
  // Sources are what make a model's claims checkable.
  warn_without_sources(model.actors, "actor", diagnostics);
  warn_without_sources(model.laws, "law", diagnostics);
  warn_without_sources(model.identifiers, "identifier", diagnostics);
  warn_without_sources(model.data, "data item", diagnostics);
  warn_without_sources(model.systems, "system", diagnostics);
  warn_without_sources(model.flows, "flow", diagnostics);

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
