#include "model/model.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <unordered_map>

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

}  // namespace

namespace {

// Every file name a position has named, for the life of the process; a
// name's number is its index (0 is "no file"). Append-only, so references
// into it stay valid.
struct FileNames {
  std::mutex mutex;
  std::deque<std::string> names{std::string()};
  std::unordered_map<std::string_view, std::uint32_t> numbers;
};
FileNames& file_names() {
  static FileNames* names = new FileNames;  // never destroyed: positions may outlive statics
  return *names;
}

}  // namespace

SourcePos::SourcePos(const std::string& file, int line_, int column_) : line(line_), column(column_) {
  if (file.empty()) return;
  FileNames& t = file_names();
  std::lock_guard<std::mutex> lock(t.mutex);
  auto it = t.numbers.find(file);
  if (it != t.numbers.end()) {
    file_ = it->second;
    return;
  }
  file_ = static_cast<std::uint32_t>(t.names.size());
  t.names.push_back(file);
  t.numbers.emplace(t.names.back(), file_);
}

const std::string& SourcePos::file() const {
  FileNames& t = file_names();
  std::lock_guard<std::mutex> lock(t.mutex);
  return t.names[file_];
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
  static const std::vector<std::string_view> v{"national", "sectoral", "token", "credential", "card",
                                               "account",  "service",  "local", "quasi"};
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
  static const std::vector<std::string_view> v{"none",   "notice", "opt_out",
                                               "opt_in", "card",   "comprehensive"};
  return v;
}
const std::vector<std::string_view>& law_kind_values() {
  static const std::vector<std::string_view> v{"act",       "order",  "ordinance",
                                               "guideline", "policy", "judgment"};
  return v;
}
const std::vector<std::string_view>& act_kind_values() {
  static const std::vector<std::string_view> v{"opt_in", "opt_out"};
  return v;
}
const std::vector<std::string_view>& assessment_status_values() {
  static const std::vector<std::string_view> v{"accepted", "mitigated", "disputed"};
  return v;
}
static const std::vector<std::string_view>& lang_values() {
  static const std::vector<std::string_view> v{"ja", "en"};
  return v;
}

std::string_view to_string(Status v) { return enum_name(v, status_values()); }
std::string_view to_string(ActorKind v) { return enum_name(v, actor_kind_values()); }
std::string_view to_string(IdentifierKind v) { return enum_name(v, identifier_kind_values()); }
std::string_view to_string(Scope v) { return enum_name(v, scope_values()); }
std::string_view to_string(Sensitivity v) { return enum_name(v, sensitivity_values()); }
std::string_view to_string(SystemKind v) { return enum_name(v, system_kind_values()); }
std::string_view to_string(Consent v) { return enum_name(v, consent_values()); }
std::string_view to_string(LawKind v) { return enum_name(v, law_kind_values()); }
std::string_view to_string(ActKind v) { return enum_name(v, act_kind_values()); }
std::string_view to_string(AssessmentStatus v) { return enum_name(v, assessment_status_values()); }
std::string_view to_string(Lang v) { return enum_name(v, lang_values()); }

std::optional<Status> parse_status(std::string_view s) { return parse_enum<Status>(s, status_values()); }
std::optional<ActorKind> parse_actor_kind(std::string_view s) {
  return parse_enum<ActorKind>(s, actor_kind_values());
}
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
std::optional<LawKind> parse_law_kind(std::string_view s) {
  return parse_enum<LawKind>(s, law_kind_values());
}
std::optional<Lang> parse_lang(std::string_view s) { return parse_enum<Lang>(s, lang_values()); }

bool is_weak_consent(Consent c) {
  return c == Consent::none || c == Consent::notice || c == Consent::opt_out;
}
bool is_strong_consent(Consent c) { return !is_weak_consent(c); }

std::optional<EntityRef> EntityRef::parse(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon + 1 >= text.size()) return std::nullopt;
  auto kind = parse_entity_kind(text.substr(0, colon));
  if (!kind || (*kind != EntityKind::identifier && *kind != EntityKind::system && *kind != EntityKind::data))
    return std::nullopt;
  return EntityRef{*kind, std::string(text.substr(colon + 1))};
}

std::string EntityRef::str() const { return std::string(to_string(kind)) + ":" + id; }

std::vector<std::string_view> Model::ids(EntityKind kind) const {
  const KindSpec& spec = kind_spec(kind);
  std::vector<std::string_view> out;
  const std::size_t n = spec.count(*this);
  out.reserve(n);
  for (Index i = 0; i < n; ++i) out.push_back(spec.at(*this, i).id);
  return out;
}

void Model::build_index() {
  for (const KindSpec& k : entity_kinds()) k.sort_by_id(*this);
  rebuild_maps();
}

void Model::rebuild_maps() {
  for (const KindSpec& k : entity_kinds()) {
    IdMap& map = index_[static_cast<std::size_t>(k.kind)];
    map.clear();
    const std::size_t n = k.count(*this);
    map.reserve(n);
    for (Index i = 0; i < n; ++i) map.emplace(k.at(*this, i).id, i);
  }
}

Model::Model(const Model& other) : ModelEntities(other), info(other.info) { rebuild_maps(); }

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
