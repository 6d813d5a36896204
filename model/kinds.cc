#include "model/kinds.h"

#include <algorithm>
#include <numeric>
#include <type_traits>

#include "model/model.h"

namespace imozuru {
namespace {

// Stable sort by id. Entities are large (hundreds of bytes), so this sorts
// their positions and then moves each entity at most once, following the
// permutation's cycles: std::stable_sort on the entities themselves moves
// each one O(log n) times and needs a buffer of half the vector.
template <typename T>
void sort_by_id(std::vector<T>& v) {
  // A loaded model is often already in order (a snapshot always is): then
  // the stable sort below would leave every entity where it is.
  if (std::is_sorted(v.begin(), v.end(), [](const T& a, const T& b) { return a.id < b.id; })) return;
  std::vector<Index> order(v.size());  // order[i]: the entity that belongs at i
  std::iota(order.begin(), order.end(), Index{0});
  std::stable_sort(order.begin(), order.end(), [&v](Index a, Index b) { return v[a].id < v[b].id; });
  for (Index start = 0; start < order.size(); ++start) {
    if (order[start] == start) continue;
    T held = std::move(v[start]);
    Index i = start;
    while (order[i] != start) {
      Index next = order[i];
      v[i] = std::move(v[next]);
      order[i] = i;
      i = next;
    }
    v[i] = std::move(held);
    order[i] = i;
  }
}

template <typename>
struct MemberOf;
template <typename E, typename T>
struct MemberOf<T E::*> {
  using Owner = E;
  using Type = T;
};

template <auto M>
void* storage(Entity& e) {
  using Owner = typename MemberOf<decltype(M)>::Owner;
  return &(static_cast<Owner&>(e).*M);
}

// Builds a field whose storage is the member M; the member's C++ type must be
// the one its FieldType says (checked at compile time).
template <auto M>
FieldSpec field(std::string_view name, FieldType type, std::string_view member,
                std::string_view description = {}) {
  using T = typename MemberOf<decltype(M)>::Type;
  FieldSpec f;
  f.name = name;
  f.type = type;
  f.member = member;
  f.description = description;
  f.storage = &storage<M>;
  if constexpr (std::is_enum_v<T>) {
    f.get_enum = [](const void* p) { return static_cast<std::size_t>(*static_cast<const T*>(p)); };
    f.set_enum = [](void* p, std::size_t i) { *static_cast<T*>(p) = static_cast<T>(i); };
  }
  return f;
}

// IMOZURU_FIELD(Kind, member, "yaml name", type, "description" or {})
#define IMOZURU_FIELD(Kind, member, name, type, description) \
  field<&Kind::member>(name, FieldType::type, #member, description)

FieldSpec required(FieldSpec f) {
  f.required = true;
  return f;
}
FieldSpec points_to(EntityKind target, FieldSpec f) {
  f.target = target;
  return f;
}
FieldSpec one_of(const std::vector<std::string_view>& values, std::string_view default_value, FieldSpec f) {
  f.values = &values;
  f.default_value = default_value;
  return f;
}
FieldSpec dated(EntityKind target, std::string_view item_key, FieldSpec f) {
  f.target = target;
  f.item_key = item_key;
  return f;
}
FieldSpec descriptive(FieldSpec f) {
  f.descriptive = true;
  return f;
}
FieldSpec defaults_to(std::string_view default_value, FieldSpec f) {
  f.default_value = default_value;
  return f;
}

// The fields every entity has (docs/model-format.md, "Fields every entity
// has"). A source's name defaults to its title, so it is not required there.
std::vector<FieldSpec> common_fields(bool name_required, std::string_view name_description = {}) {
  FieldSpec name = IMOZURU_FIELD(Entity, name, "name", text, name_description);
  name.required = name_required;
  return {required(IMOZURU_FIELD(Entity, id, "id", id, {})),
          std::move(name),
          IMOZURU_FIELD(Entity, name_en, "name_en", text, {}),
          IMOZURU_FIELD(Entity, note, "note", text, {}),
          IMOZURU_FIELD(Entity, sources, "sources", citations, {}),
          IMOZURU_FIELD(Entity, since, "since", date, {}),
          IMOZURU_FIELD(Entity, until, "until", date, {}),
          one_of(status_values(), "operational", IMOZURU_FIELD(Entity, status, "status", enumeration, {}))};
}

template <typename T, std::vector<T> ModelEntities::*V>
KindSpec kind(EntityKind k, std::string_view name, std::string_view section, std::string_view singular,
              std::string_view schema_name, std::string_view description, std::vector<FieldSpec> own,
              bool name_required = true, std::string_view name_description = {}) {
  KindSpec spec;
  spec.kind = k;
  spec.name = name;
  spec.section = section;
  spec.singular = singular;
  spec.schema_name = schema_name;
  spec.description = description;
  spec.fields = common_fields(name_required, name_description);
  // A kind's own field replaces the common field of the same name (an
  // assessment's `status` is its decision, not operational/planned).
  for (FieldSpec& f : own) {
    auto same = std::find_if(spec.fields.begin(), spec.fields.end(),
                             [&](const FieldSpec& c) { return c.name == f.name; });
    if (same != spec.fields.end())
      *same = std::move(f);
    else
      spec.fields.push_back(std::move(f));
  }
  for (const FieldSpec& f : spec.fields) spec.field_names.push_back(f.name);
  spec.count = [](const Model& m) { return (m.*V).size(); };
  spec.entity = [](Model& m, Index i) -> Entity& { return (m.*V)[i]; };
  spec.emplace = [](Model& m) -> Entity& { return (m.*V).emplace_back(); };
  spec.pop = [](Model& m) { (m.*V).pop_back(); };
  spec.sort_by_id = [](Model& m) { sort_by_id(m.*V); };
  return spec;
}

std::vector<KindSpec> make_kinds() {
  using K = EntityKind;
  std::vector<KindSpec> k;
  k.push_back(kind<Source, &ModelEntities::sources>(
      K::source, "source", "sources", "source", "source", "A document the model cites",
      {required(IMOZURU_FIELD(Source, title, "title", text, {})),
       IMOZURU_FIELD(Source, author, "author", text, {}), IMOZURU_FIELD(Source, date, "date", text, {}),
       IMOZURU_FIELD(Source, url, "url", text, {}), IMOZURU_FIELD(Source, publisher, "publisher", text, {})},
      false, "display name (default: the title)"));
  k.push_back(kind<Actor, &ModelEntities::actors>(
      K::actor, "actor", "actors", "actor", "actor", "An organisation or person that operates systems",
      {one_of(actor_kind_values(), "government",
              IMOZURU_FIELD(Actor, kind, "kind", enumeration, "Kind of actor")),
       descriptive(points_to(K::actor, IMOZURU_FIELD(Actor, parent, "parent", ref, {})))}));
  k.push_back(kind<Law, &ModelEntities::laws>(
      K::law, "law", "laws", "law", "law",
      "A law, or one provision of it; in force (施行) on since <= D < until",
      {one_of(law_kind_values(), "act",
              IMOZURU_FIELD(
                  Law, kind, "kind", enumeration,
                  "act (default; 法律), order (政令・省令・規則), ordinance (条例), guideline "
                  "(告示・ガイドライン), policy (閣議決定, plans) or judgment (court rulings); a policy or "
                  "judgment is never a legal basis")),
       IMOZURU_FIELD(Law, article, "article", text, "the provision: \"19条8号\", \"別表第一 1の項\""),
       points_to(K::law,
                 IMOZURU_FIELD(Law, parent, "parent", ref, "law id of the law this provision belongs to")),
       IMOZURU_FIELD(Law, enacted, "enacted", date,
                     "date passed or promulgated (成立・公布); informative only")}));
  k.push_back(kind<Identifier, &ModelEntities::identifiers>(
      K::identifier, "identifier", "identifiers", "identifier", "identifier",
      "An identifier that systems hold",
      {required(one_of(identifier_kind_values(), "",
                       IMOZURU_FIELD(Identifier, kind, "kind", enumeration, "Kind of identifier"))),
       points_to(K::system, IMOZURU_FIELD(Identifier, issuer, "issuer", ref, "system id")),
       defaults_to("false", IMOZURU_FIELD(Identifier, visible, "visible", boolean,
                                          "shown or printed to people (見える番号); default false")),
       defaults_to("false", IMOZURU_FIELD(Identifier, universal, "universal", boolean,
                                          "assigned to everyone in its population (悉皆性); default false")),
       defaults_to("false", IMOZURU_FIELD(Identifier, unique, "unique", boolean,
                                          "one value per person (唯一無二性); default false")),
       one_of(scope_values(), "global",
              IMOZURU_FIELD(
                  Identifier, scope, "scope", enumeration,
                  "global (default): the same value in every system; holder: each system has its own value")),
       points_to(K::law, IMOZURU_FIELD(Identifier, regulated_by, "regulated_by", refs,
                                       "law ids restricting its use")),
       points_to(K::data,
                 IMOZURU_FIELD(Identifier, composed_of, "composed_of", refs,
                               "only for kind quasi: data ids whose combination identifies a person")),
       defaults_to("0", IMOZURU_FIELD(Identifier, match_error, "match_error", fraction,
                                      "fraction of wrong matches when records are joined on it"))}));
  k.push_back(kind<DataItem, &ModelEntities::data>(
      K::data, "data", "data", "data item", "data_item", "A kind of personal data",
      {IMOZURU_FIELD(DataItem, category, "category", text, {}),
       one_of(sensitivity_values(), "normal",
              IMOZURU_FIELD(DataItem, sensitivity, "sensitivity", enumeration,
                            "special (要配慮個人情報 and like it), high or normal (default)"))}));
  k.push_back(kind<System, &ModelEntities::systems>(
      K::system, "system", "systems", "system", "system", "An information system",
      {required(IMOZURU_FIELD(System, sector, "sector", text, {})),
       one_of(system_kind_values(), "database",
              IMOZURU_FIELD(System, kind, "kind", enumeration,
                            "database (default), registry, portal, network, hub, card, app or actor")),
       points_to(K::actor, IMOZURU_FIELD(System, operator_, "operator", ref, "actor id")),
       IMOZURU_FIELD(System, holds, "holds", holdings, "per-person records this system keeps"),
       points_to(K::group, IMOZURU_FIELD(System, applies_to, "applies_to", refs,
                                         "group ids: records only of persons in every listed group"))}));
  k.push_back(kind<Flow, &ModelEntities::flows>(
      K::flow, "flow", "flows", "flow", "flow", "Data sent from one system to another",
      {required(points_to(K::system, IMOZURU_FIELD(Flow, from, "from", ref, "system id"))),
       required(points_to(K::system, IMOZURU_FIELD(Flow, to, "to", ref, "system id"))),
       IMOZURU_FIELD(Flow, carries, "carries", holdings, "what the flow sends"),
       points_to(K::identifier,
                 IMOZURU_FIELD(Flow, key, "key", ref, "identifier id used to find the person's record")),
       points_to(K::law, IMOZURU_FIELD(Flow, basis, "basis", refs, "law ids")),
       one_of(consent_values(), "none",
              IMOZURU_FIELD(Flow, consent, "consent", enumeration,
                            "none (default), notice, opt_out, opt_in, card or comprehensive")),
       IMOZURU_FIELD(Flow, mode, "mode", text, {}), IMOZURU_FIELD(Flow, purpose, "purpose", text, {}),
       points_to(K::group, IMOZURU_FIELD(Flow, applies_to, "applies_to", refs,
                                         "group ids: moves records only of persons in every listed group")),
       points_to(
           K::consent_act,
           IMOZURU_FIELD(Flow, consent_act, "consent_act", ref,
                         "consent act id: an opt_in act switches the flow on for a person, an opt_out act "
                         "switches it off"))}));
  k.push_back(kind<Group, &ModelEntities::groups>(
      K::group, "group", "groups", "group", "group",
      "A population a person may belong to (外国人住民, カード保有者, 18歳未満)", {}));
  k.push_back(kind<ConsentAct, &ModelEntities::consent_acts>(
      K::consent_act, "consent_act", "consent_acts", "consent act", "consent_act",
      "Something a person does that changes which flows concern them",
      {required(one_of(act_kind_values(), "",
                       IMOZURU_FIELD(ConsentAct, kind, "kind", enumeration,
                                     "opt_in (利用登録, 申請) or opt_out (拒否の申出, 登録解除)")))}));
  k.push_back(kind<Person, &ModelEntities::persons>(
      K::person, "person", "persons", "person", "person",
      "An example person (persona) for per-person analyses",
      {dated(K::group, "group",
             IMOZURU_FIELD(Person, groups, "groups", dated_refs,
                           "group ids, or {group: ID, since: D, until: D}: belongs on since <= D < until")),
       dated(K::consent_act, "act",
             IMOZURU_FIELD(
                 Person, acts, "acts", dated_refs,
                 "consent act ids, or {act: ID, since: D, until: D}: done on since, withdrawn on until"))}));
  k.push_back(kind<Assessment, &ModelEntities::assessments>(
      K::assessment, "assessment", "assessments", "assessment", "assessment",
      "A reviewer's decision on one gap, so that reports and CI show which gaps are still open",
      {required(
           IMOZURU_FIELD(Assessment, gap, "gap", text, "RULE:KIND:ID, e.g. unconsented-sensitive:flow:f_x")),
       required(one_of(assessment_status_values(), "",
                       IMOZURU_FIELD(Assessment, decision, "status", enumeration,
                                     "accepted (lawful or tolerated), mitigated (fixed outside the model) or "
                                     "disputed (contested, still open)"))),
       descriptive(required(IMOZURU_FIELD(Assessment, justification, "justification", text, {}))),
       points_to(K::law,
                 IMOZURU_FIELD(Assessment, laws, "laws", refs, "law ids the justification relies on")),
       descriptive(IMOZURU_FIELD(Assessment, by, "by", text, "who decided"))}));
  return k;
}

#undef IMOZURU_FIELD

const std::vector<std::string_view>& entity_kind_names() {
  static const std::vector<std::string_view> v{"identifier",  "system", "data",      "flow",
                                               "law",         "actor",  "source",    "group",
                                               "consent_act", "person", "assessment"};
  return v;
}

}  // namespace

const FieldSpec* KindSpec::field(std::string_view field_name) const {
  for (const FieldSpec& f : fields)
    if (f.name == field_name) return &f;
  return nullptr;
}

const std::vector<KindSpec>& entity_kinds() {
  static const std::vector<KindSpec> kinds = make_kinds();
  return kinds;
}

const KindSpec& kind_spec(EntityKind k) {
  static const auto by_kind = [] {
    std::vector<const KindSpec*> v(kEntityKindCount, nullptr);
    for (const KindSpec& s : entity_kinds()) v[static_cast<std::size_t>(s.kind)] = &s;
    return v;
  }();
  return *by_kind[static_cast<std::size_t>(k)];
}

const KindSpec* kind_of_section(std::string_view section) {
  for (const KindSpec& k : entity_kinds())
    if (k.section == section) return &k;
  return nullptr;
}

std::string_view to_string(EntityKind k) { return entity_kind_names()[static_cast<std::size_t>(k)]; }

std::optional<EntityKind> parse_entity_kind(std::string_view name) {
  const auto& names = entity_kind_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<EntityKind>(i);
  return std::nullopt;
}

}  // namespace imozuru
