// The entities of a model (docs/model-format.md) and the model that owns them.
//
// Data path: load (load.h) → validate (validate.h) → Model (this file) →
// model at a date (as_of.h) → linkage graph → analyses → output.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/date.h"
#include "model/kinds.h"

namespace imozuru {

// Index of an entity within its kind's vector in Model (Index: model/kinds.h).
inline constexpr Index kNone = static_cast<Index>(-1);

// Where something was written: 1-based line, column counted in characters.
// A large model has millions of positions, so a position names its file by a
// number in a process-wide table of file names (12 bytes, copied freely).
struct SourcePos {
  SourcePos() = default;
  explicit SourcePos(const std::string& file, int line = 0, int column = 0);
  // A position in the same file as this one.
  SourcePos at(int line_, int column_) const {
    SourcePos p = *this;
    p.line = line_;
    p.column = column_;
    return p;
  }
  const std::string& file() const;  // empty for problems with no place

  int line = 0;
  int column = 0;

 private:
  std::uint32_t file_ = 0;  // 0: no file
};

enum class Lang { ja, en };

enum class Status { operational, pilot, planned, proposed, abolished };
enum class ActorKind { government, local_government, public_body, private_, individual, group };
enum class IdentifierKind { national, sectoral, token, credential, card, account, service, local, quasi };
enum class Scope { global, holder };
enum class Sensitivity { special, high, normal };
enum class SystemKind { database, registry, portal, network, hub, card, app, actor };
enum class Consent { none, notice, opt_out, opt_in, card, comprehensive };
enum class LawKind { act, order, ordinance, guideline, policy, judgment };
enum class ActKind { opt_in, opt_out };
enum class AssessmentStatus { accepted, mitigated, disputed };

// Enum spellings exactly as docs/model-format.md writes them.
std::string_view to_string(Status);
std::string_view to_string(ActorKind);
std::string_view to_string(IdentifierKind);
std::string_view to_string(Scope);
std::string_view to_string(Sensitivity);
std::string_view to_string(SystemKind);
std::string_view to_string(Consent);
std::string_view to_string(LawKind);
std::string_view to_string(ActKind);
std::string_view to_string(AssessmentStatus);
std::string_view to_string(Lang);

// Parsers return nullopt for a value docs/model-format.md does not list.
std::optional<Status> parse_status(std::string_view);
std::optional<ActorKind> parse_actor_kind(std::string_view);
std::optional<IdentifierKind> parse_identifier_kind(std::string_view);
std::optional<Scope> parse_scope(std::string_view);
std::optional<Sensitivity> parse_sensitivity(std::string_view);
std::optional<SystemKind> parse_system_kind(std::string_view);
std::optional<Consent> parse_consent(std::string_view);
std::optional<LawKind> parse_law_kind(std::string_view);
std::optional<Lang> parse_lang(std::string_view);

// The spellings each parser accepts, for "expected one of …" messages.
const std::vector<std::string_view>& status_values();
const std::vector<std::string_view>& actor_kind_values();
const std::vector<std::string_view>& identifier_kind_values();
const std::vector<std::string_view>& scope_values();
const std::vector<std::string_view>& sensitivity_values();
const std::vector<std::string_view>& system_kind_values();
const std::vector<std::string_view>& consent_values();
const std::vector<std::string_view>& law_kind_values();
const std::vector<std::string_view>& act_kind_values();
const std::vector<std::string_view>& assessment_status_values();

// Consent modes that do / do not record a person's own choice (docs/cli.md#gaps).
bool is_weak_consent(Consent);    // none, notice, opt_out
bool is_strong_consent(Consent);  // opt_in, card, comprehensive

struct Citation {
  std::string source;  // source id
  std::string at;      // "slide 34", a heading; may be empty
  Index source_index = kNone;
  SourcePos pos;
};

// Fields every entity has (docs/model-format.md, "Fields every entity has").
struct Entity {
  std::string id;
  std::string name;
  std::string name_en;
  std::string note;
  std::vector<Citation> sources;
  std::optional<Date> since;
  std::optional<Date> until;
  Status status = Status::operational;
  SourcePos pos;  // where the entity's `id` was written

  // `name_en` for Lang::en when present, otherwise `name`.
  const std::string& display_name(Lang lang) const {
    return lang == Lang::en && !name_en.empty() ? name_en : name;
  }
};

// A reference to an entity of another kind, as written and as resolved.
struct Ref {
  std::string id;
  Index index = kNone;
  SourcePos pos;
};
using Refs = std::vector<Ref>;

struct Source : Entity {
  std::string title, author, date, url, publisher;
};

struct Actor : Entity {
  ActorKind kind = ActorKind::government;
  std::optional<Ref> parent;  // actor
};

struct Law : Entity {
  LawKind kind = LawKind::act;
  std::string article;          // "19条8号"
  std::optional<Ref> parent;    // law this provision belongs to
  std::optional<Date> enacted;  // passed or promulgated; informative only

  // A policy or a judgment is never a legal basis and restricts nothing
  // (docs/model-format.md, "laws").
  bool can_be_basis() const { return kind != LawKind::policy && kind != LawKind::judgment; }
};

struct Identifier : Entity {
  IdentifierKind kind = IdentifierKind::national;
  std::optional<Ref> issuer;  // system
  bool visible = false;
  bool universal = false;
  bool unique = false;
  Scope scope = Scope::global;
  Refs regulated_by;  // laws
  Refs composed_of;   // data items; only for kind quasi
  std::optional<double> match_error;
};

struct DataItem : Entity {
  std::string category;
  Sensitivity sensitivity = Sensitivity::normal;
};

struct Holdings {
  Refs identifiers;  // identifiers
  Refs data;         // data items
};

struct System : Entity {
  std::string sector;
  SystemKind kind = SystemKind::database;
  std::optional<Ref> operator_;  // actor (`operator` in YAML)
  Holdings holds;
  Refs applies_to;  // groups: only persons in every one have records here
};

struct Flow : Entity {
  Ref from, to;  // systems
  Holdings carries;
  std::optional<Ref> key;  // identifier
  Refs basis;              // laws
  Consent consent = Consent::none;
  std::string mode;
  std::string purpose;
  Refs applies_to;                 // groups: moves records only of persons in every one
  std::optional<Ref> consent_act;  // an opt_in act switches it on, an opt_out act off
};

// A population a person may belong to (外国人住民, カード保有者, ...).
struct Group : Entity {};

// Something a person does that changes which flows concern them.
struct ConsentAct : Entity {
  ActKind kind = ActKind::opt_in;
};

// A group membership or a consent act of a person, with when it held.
struct DatedRef {
  Ref ref;
  std::optional<Date> since, until;  // on since <= D < until
};
using DatedRefs = std::vector<DatedRef>;

// An example person, for per-person analyses.
struct Person : Entity {
  DatedRefs groups;  // groups
  DatedRefs acts;    // consent acts: done on since, withdrawn on until
};

// A reviewer's decision on one gap ("RULE:KIND:ID").
struct Assessment : Entity {
  std::string gap;                                         // as written
  EntityKind gap_kind = EntityKind::flow;                  // parsed by validate
  Index gap_entity = kNone;                                // resolved by validate
  AssessmentStatus decision = AssessmentStatus::accepted;  // `status` in YAML
  std::string justification;
  Refs laws;
  std::string by;

  std::string_view rule() const { return std::string_view(gap).substr(0, gap.find(':')); }
};

struct ModelInfo {
  std::string name;
  std::string name_en;  // an extension of docs/model-format.md, like every entity's name_en
  std::string description;
  Lang default_lang = Lang::ja;
  SourcePos pos;
};

// `identifier:ID`, `system:ID` or `data:ID`, as given on a command line.
struct EntityRef {
  EntityKind kind = EntityKind::identifier;
  std::string id;
  // Only the kinds an analysis starts from or ends at: identifier, system, data.
  static std::optional<EntityRef> parse(std::string_view text);
  std::string str() const;  // "identifier:ID"
  friend bool operator<(const EntityRef& a, const EntityRef& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.id < b.id;
  }
  friend bool operator==(const EntityRef& a, const EntityRef& b) { return a.kind == b.kind && a.id == b.id; }
};

// The entities of a model, one vector per kind (model/kinds.h describes each).
struct ModelEntities {
  std::vector<Source> sources;
  std::vector<Actor> actors;
  std::vector<Law> laws;
  std::vector<Identifier> identifiers;
  std::vector<DataItem> data;
  std::vector<System> systems;
  std::vector<Flow> flows;
  std::vector<Group> groups;
  std::vector<ConsentAct> consent_acts;
  std::vector<Person> persons;
  std::vector<Assessment> assessments;
};

// A whole model. After validation every vector is sorted by id and every Ref
// carries its resolved index, so analyses never look names up by string.
struct Model : ModelEntities {
  std::optional<ModelInfo> info;

  // Index by id; kNone when absent. Valid after `build_index()`.
  Index find(EntityKind kind, std::string_view id) const {
    const IdMap& map = index_[static_cast<std::size_t>(kind)];
    auto it = map.find(id);
    return it == map.end() ? kNone : it->second;
  }
  Index find(const EntityRef& ref) const { return find(ref.kind, ref.id); }
  Index find_source(std::string_view id) const { return find(EntityKind::source, id); }
  Index find_actor(std::string_view id) const { return find(EntityKind::actor, id); }
  Index find_law(std::string_view id) const { return find(EntityKind::law, id); }
  Index find_identifier(std::string_view id) const { return find(EntityKind::identifier, id); }
  Index find_data(std::string_view id) const { return find(EntityKind::data, id); }
  Index find_system(std::string_view id) const { return find(EntityKind::system, id); }
  Index find_flow(std::string_view id) const { return find(EntityKind::flow, id); }
  Index find_group(std::string_view id) const { return find(EntityKind::group, id); }
  Index find_consent_act(std::string_view id) const { return find(EntityKind::consent_act, id); }
  Index find_person(std::string_view id) const { return find(EntityKind::person, id); }
  Index find_assessment(std::string_view id) const { return find(EntityKind::assessment, id); }

  // The number of entities of a kind, one of them, and their ids in index
  // order (for "did you mean" suggestions).
  std::size_t size(EntityKind kind) const { return kind_spec(kind).count(*this); }
  const Entity& entity(EntityKind kind, Index i) const { return kind_spec(kind).at(*this, i); }
  std::vector<std::string_view> ids(EntityKind kind) const;

  // Sorts every kind by id and rebuilds the id → index maps. Does not
  // resolve references (validate does that).
  void build_index();

  Model() = default;
  Model(Model&&) = default;
  Model& operator=(Model&&) = default;
  // The id maps point into the entity vectors, so a copy rebuilds them.
  Model(const Model& other);
  Model& operator=(const Model& other);

  // The model's name in `lang` (name_en for en, falling back to name).
  const std::string& model_name(Lang lang = Lang::ja) const;
  Lang default_lang() const { return info ? info->default_lang : Lang::ja; }

 private:
  using IdMap = std::unordered_map<std::string_view, Index>;
  void rebuild_maps();
  std::array<IdMap, kEntityKindCount> index_;
};

}  // namespace imozuru
