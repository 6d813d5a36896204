#include "model/model.h"

#include <algorithm>
#include <numeric>

namespace imozuru {
namespace {

template <typename E>
std::optional<E> parse_enum(std::string_view text, const std::vector<std::string_view>& values) {
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i] == text) return static_cast<E>(i);
  return std::nullopt;
}

template <typename E>
std::string_view enum_name(E value, const std::vector<std::string_view>& values) {
  return values.at(static_cast<size_t>(value));
}

// Stable sort by id. Entities are large (hundreds of bytes), so this sorts
// their positions and then moves each entity at most once, following the
// permutation's cycles: std::stable_sort on the entities themselves moves
// each one O(log n) times and needs a buffer of half the vector.
template <typename T>
void sort_by_id(std::vector<T>& v) {
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

template <typename T, typename Map>
void index_by_id(const std::vector<T>& v, Map& map) {
  map.clear();
  map.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) map.emplace(v[i].id, static_cast<Index>(i));
}

}  // namespace

SourcePos::SourcePos(std::string file, int line_, int column_) : line(line_), column(column_) {
  if (!file.empty()) file_ = std::make_shared<const std::string>(std::move(file));
}

const std::string& SourcePos::file() const {
  static const std::string kNoFile;
  return file_ ? *file_ : kNoFile;
}

// The order of each list matches its enum's declaration.
const std::vector<std::string_view>& status_values() {
  static const std::vector<std::string_view> v{"operational", "pilot", "planned", "proposed", "abolished"};
  return v;
}
const std::vector<std::string_view>& actor_kind_values() {
  static const std::vector<std::string_view> v{"government", "local_government", "public_body",
                                               "private",    "individual",       "group"};
  return v;
}
const std::vector<std::string_view>& identifier_kind_values() {
  static const std::vector<std::string_view> v{"national", "sectoral", "token",   "credential", "card",
                                               "account",  "service",  "local",   "quasi"};
  return v;
}
const std::vector<std::string_view>& scope_values() {
  static const std::vector<std::string_view> v{"global", "holder"};
  return v;
}
const std::vector<std::string_view>& sensitivity_values() {
  static const std::vector<std::string_view> v{"special", "high", "normal"};
  return v;
}
const std::vector<std::string_view>& system_kind_values() {
  static const std::vector<std::string_view> v{"database", "registry", "portal", "network",
                                               "hub",      "card",     "app",    "actor"};
  return v;
}
const std::vector<std::string_view>& consent_values() {
  static const std::vector<std::string_view> v{"none", "notice", "opt_out", "opt_in", "card", "comprehensive"};
  return v;
}
static const std::vector<std::string_view>& lang_values() {
  static const std::vector<std::string_view> v{"ja", "en"};
  return v;
}
static const std::vector<std::string_view>& ref_kind_values() {
  static const std::vector<std::string_view> v{"identifier", "system", "data"};
  return v;
}

std::string_view to_string(Status v) { return enum_name(v, status_values()); }
std::string_view to_string(ActorKind v) { return enum_name(v, actor_kind_values()); }
std::string_view to_string(IdentifierKind v) { return enum_name(v, identifier_kind_values()); }
std::string_view to_string(Scope v) { return enum_name(v, scope_values()); }
std::string_view to_string(Sensitivity v) { return enum_name(v, sensitivity_values()); }
std::string_view to_string(SystemKind v) { return enum_name(v, system_kind_values()); }
std::string_view to_string(Consent v) { return enum_name(v, consent_values()); }
std::string_view to_string(Lang v) { return enum_name(v, lang_values()); }
std::string_view to_string(RefKind v) { return enum_name(v, ref_kind_values()); }

std::optional<Status> parse_status(std::string_view s) { return parse_enum<Status>(s, status_values()); }
std::optional<ActorKind> parse_actor_kind(std::string_view s) { return parse_enum<ActorKind>(s, actor_kind_values()); }
std::optional<IdentifierKind> parse_identifier_kind(std::string_view s) {
  return parse_enum<IdentifierKind>(s, identifier_kind_values());
}
std::optional<Scope> parse_scope(std::string_view s) { return parse_enum<Scope>(s, scope_values()); }
std::optional<Sensitivity> parse_sensitivity(std::string_view s) {
  return parse_enum<Sensitivity>(s, sensitivity_values());
}
std::optional<SystemKind> parse_system_kind(std::string_view s) {
  return parse_enum<SystemKind>(s, system_kind_values());
}
std::optional<Consent> parse_consent(std::string_view s) { return parse_enum<Consent>(s, consent_values()); }
std::optional<Lang> parse_lang(std::string_view s) { return parse_enum<Lang>(s, lang_values()); }

std::string_view consent_label(Consent c, Lang lang) {
  const bool ja = lang == Lang::ja;
  switch (c) {
    case Consent::none: return ja ? "同意なし" : "no consent";
    case Consent::notice: return ja ? "通知のみ" : "notice only";
    case Consent::opt_out: return ja ? "オプトアウト" : "opt-out";
    case Consent::opt_in: return ja ? "本人同意（オプトイン）" : "opt-in consent";
    case Consent::card: return ja ? "カードと暗証番号で同意" : "consent by card and PIN";
    case Consent::comprehensive: return ja ? "包括同意" : "comprehensive consent";
  }
  return "";
}

bool is_weak_consent(Consent c) {
  return c == Consent::none || c == Consent::notice || c == Consent::opt_out;
}
bool is_strong_consent(Consent c) { return !is_weak_consent(c); }

std::optional<EntityRef> EntityRef::parse(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon + 1 >= text.size()) return std::nullopt;
  auto kind = parse_enum<RefKind>(text.substr(0, colon), ref_kind_values());
  if (!kind) return std::nullopt;
  return EntityRef{*kind, std::string(text.substr(colon + 1))};
}

std::string EntityRef::str() const { return std::string(to_string(kind)) + ":" + id; }

Index Model::find(const EntityRef& ref) const {
  switch (ref.kind) {
    case RefKind::identifier: return find_identifier(ref.id);
    case RefKind::system: return find_system(ref.id);
    case RefKind::data: return find_data(ref.id);
  }
  return kNone;
}

std::vector<std::string_view> Model::ids(RefKind kind) const {
  std::vector<std::string_view> out;
  auto collect = [&out](const auto& v) {
    out.reserve(v.size());
    for (const auto& e : v) out.push_back(e.id);
  };
  switch (kind) {
    case RefKind::identifier: collect(identifiers); break;
    case RefKind::system: collect(systems); break;
    case RefKind::data: collect(data); break;
  }
  return out;
}

void Model::build_index() {
  sort_by_id(sources);
  sort_by_id(actors);
  sort_by_id(laws);
  sort_by_id(identifiers);
  sort_by_id(data);
  sort_by_id(systems);
  sort_by_id(flows);
  rebuild_maps();
}

void Model::rebuild_maps() {
  index_by_id(sources, source_index_);
  index_by_id(actors, actor_index_);
  index_by_id(laws, law_index_);
  index_by_id(identifiers, identifier_index_);
  index_by_id(data, data_index_);
  index_by_id(systems, system_index_);
  index_by_id(flows, flow_index_);
}

Model::Model(const Model& other)
    : info(other.info),
      sources(other.sources),
      actors(other.actors),
      laws(other.laws),
      identifiers(other.identifiers),
      data(other.data),
      systems(other.systems),
      flows(other.flows) {
  rebuild_maps();
}

Model& Model::operator=(const Model& other) {
  if (this != &other) {
    Model copy(other);
    *this = std::move(copy);
  }
  return *this;
}

const std::string& Model::model_name(Lang lang) const {
  static const std::string kUnnamed = "imozuru model";
  if (info && lang == Lang::en && !info->name_en.empty()) return info->name_en;
  return info && !info->name.empty() ? info->name : kUnnamed;
}

}  // namespace imozuru
