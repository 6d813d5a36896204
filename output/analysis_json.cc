#include "output/analysis_json.h"

#include <optional>
#include <string>
#include <vector>

#include "output/legal_text.h"

namespace imozuru {
namespace {

// Entities of kind `kind` by index, as a list of their ids.
template <typename T>
void id_list(ResultWriter& out, EntityKind kind, const std::vector<T>& entities,
             const std::vector<Index>& v) {
  out.begin_array(v.size());
  for (Index i : v) out.id(kind, i, entities[i].id);
  out.end();
}

// Flows and laws: kinds no result repeats much, written as plain strings.
template <typename T>
void plain_id_list(ResultWriter& out, const std::vector<T>& entities, const std::vector<Index>& v) {
  out.begin_array(v.size());
  for (Index i : v) out.string(entities[i].id);
  out.end();
}

template <typename T>
void change(ResultWriter& out, const std::vector<T>& entities, const ActiveSetChange& c) {
  out.begin_object(2);
  out.key("added");
  plain_id_list(out, entities, c.added);
  out.key("removed");
  plain_id_list(out, entities, c.removed);
  out.end();
}

void pairs(ResultWriter& out, const Model& m, const std::vector<JoinablePair>& v) {
  out.begin_array(v.size());
  for (const JoinablePair& p : v) {
    out.begin_object(2);
    out.key("systems");
    out.begin_array(2);
    out.id(EntityKind::system, p.a, m.systems[p.a].id);
    out.id(EntityKind::system, p.b, m.systems[p.b].id);
    out.end();
    out.key("through");
    id_list(out, EntityKind::identifier, m.identifiers, p.through);
    out.end();
  }
  out.end();
}

// A flow's "from", "to" and "consent".
void ends_and_consent(ResultWriter& out, const Flow& f) {
  out.key("from");
  out.id(EntityKind::system, f.from.index, f.from.id);
  out.key("to");
  out.id(EntityKind::system, f.to.index, f.to.id);
  out.key("consent");
  out.string(to_string(f.consent));
}

// [{"id", "depth"}] of reached or downstream systems.
template <typename Reached>
void systems_by_depth(ResultWriter& out, const Model& m, const std::vector<Reached>& systems) {
  out.begin_array(systems.size());
  for (const Reached& s : systems) {
    out.begin_object(2);
    out.key("id");
    out.id(EntityKind::system, s.system, m.systems[s.system].id);
    out.key("depth");
    out.integer(s.depth);
    out.end();
  }
  out.end();
}

// "person": the person a result was found for (docs/model-format.md,
// "Machine-readable output"), only when there is one.
void person_key(ResultWriter& out, const Model& m, Index person) {
  if (person == kNone) return;
  out.key("person");
  out.string(m.persons[person].id);
}

// "open_only" / "max_match_error": the join options a reach or chains
// result was found with, only when given.
void join_options(ResultWriter& out, bool open_only, const std::optional<double>& max_match_error) {
  if (open_only) {
    out.key("open_only");
    out.boolean(true);
  }
  if (max_match_error) {
    out.key("max_match_error");
    out.number(*max_match_error);
  }
}

std::size_t join_option_count(bool open_only, const std::optional<double>& max_match_error) {
  return std::size_t(open_only) + std::size_t(max_match_error.has_value());
}

void gap_list(ResultWriter& out, const Model& m, const std::vector<Gap>& gaps) {
  out.begin_array(gaps.size());
  for (const Gap& g : gaps) write_gap(out, m, g);
  out.end();
}

// Writes into a JSON document.
class JsonWriter final : public ResultWriter {
 public:
  Json take() { return std::move(root_); }

  void begin_object(std::size_t) override { open(Json::object()); }
  void begin_array(std::size_t size) override {
    open(Json::array());
    stack_.back()->get_ptr<Json::array_t*>()->reserve(size);
  }
  void end() override { stack_.pop_back(); }
  void key(std::string_view key) override { key_ = key; }
  void string(std::string_view text) override { slot() = std::string(text); }
  void integer(long long value) override { slot() = value; }
  void boolean(bool value) override { slot() = value; }
  void number(double value) override { slot() = value; }
  void date(const Date& date) override { slot() = date.iso(); }
  void ref(EntityKind kind, std::string_view id) override {
    slot() = std::string(to_string(kind)) + ":" + std::string(id);
  }

 private:
  // Where the next value goes. A container's address stays valid while it is
  // open: its parent grows only after it has ended.
  Json& slot() {
    if (stack_.empty()) return root_;
    Json& top = *stack_.back();
    if (top.is_array()) {
      top.push_back(nullptr);
      return top.back();
    }
    return top[key_];
  }
  void open(Json container) {
    Json& s = slot();
    s = std::move(container);
    stack_.push_back(&s);
  }

  Json root_;
  std::vector<Json*> stack_;
  std::string key_;
};

// The text dump_json gives for the document JsonWriter would build, written
// as the calls come (no document in between: at national scale that document
// had 89,125 small objects). Every scalar is written as nlohmann::json writes
// it: plain ASCII strings directly, any other string, and every floating-point
// number, through nlohmann::json itself.
class JsonTextWriter final : public ResultWriter {
 public:
  std::string take() {
    out_ += '\n';
    return std::move(out_);
  }

  void begin_object(std::size_t) override { open('{'); }
  void begin_array(std::size_t) override { open('['); }
  void end() override {
    const Open top = stack_.back();
    stack_.pop_back();
    if (top.count > 0) {
      out_ += '\n';
      indent();
    }
    out_ += top.bracket == '{' ? '}' : ']';
  }
  void key(std::string_view key) override { key_ = key; }
  void string(std::string_view text) override {
    value();
    quoted(text);
  }
  void integer(long long value_) override {
    value();
    out_ += std::to_string(value_);
  }
  void boolean(bool value_) override {
    value();
    out_ += value_ ? "true" : "false";
  }
  void number(double value_) override {
    value();
    out_ += Json(value_).dump();
  }
  void date(const Date& date_) override { string(date_.iso()); }
  void ref(EntityKind kind, std::string_view id_) override {
    string(std::string(to_string(kind)) + ":" + std::string(id_));
  }

 private:
  struct Open {
    char bracket;
    std::size_t count;
  };
  void indent() { out_.append(2 * stack_.size(), ' '); }
  // Before a value or a container: the separator and indentation in its
  // parent, and its key in an object.
  void value() {
    if (stack_.empty()) return;
    Open& top = stack_.back();
    out_ += top.count++ == 0 ? "\n" : ",\n";
    indent();
    if (top.bracket == '{') {
      quoted(key_);
      out_ += ": ";
    }
  }
  void open(char bracket) {
    value();
    out_ += bracket;
    stack_.push_back(Open{bracket, 0});
  }
  static bool plain(std::string_view text) {
    for (char c : text)
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
    return true;
  }
  void quoted(std::string_view text) {
    out_ += '"';
    quoted_body(text);
  }
  // The rest of a quoted string, its opening quote written.
  void quoted_body(std::string_view text) {
    if (plain(text)) {
      out_.append(text);
      out_ += '"';
      return;
    }
    out_.pop_back();
    out_ += Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
  }

  std::string out_;
  std::vector<Open> stack_;
  std::string key_;
};

template <typename Result>
std::string text_of(const Model& m, const Result& r) {
  JsonTextWriter w;
  write_result(w, m, r);
  return w.take();
}

template <typename Result>
Json json_of(const Model& m, const Result& r) {
  JsonWriter w;
  write_result(w, m, r);
  return w.take();
}

}  // namespace

void write_result(ResultWriter& out, const Model& m, const ReachResult& r) {
  out.begin_object(5 + (r.person != kNone) + join_option_count(r.open_only, r.max_match_error));
  out.key("at");
  out.date(r.at);
  person_key(out, m, r.person);
  out.key("from");
  out.begin_array(r.from.size());
  for (const EntityRef& e : r.from) out.ref(e.kind, e.id);
  out.end();
  join_options(out, r.open_only, r.max_match_error);
  out.key("systems");
  systems_by_depth(out, m, r.systems);
  out.key("identifiers");
  id_list(out, EntityKind::identifier, m.identifiers, r.identifiers);
  out.key("data");
  id_list(out, EntityKind::data, m.data, r.data);
  out.end();
}

void write_hop(ResultWriter& out, const Model& m, const ChainHop& hop) {
  if (hop.kind == ChainHop::Kind::flow) {
    const Flow& f = m.flows[hop.flow];
    out.begin_object(6);
    out.key("kind");
    out.string("flow");
    out.key("flow");
    out.string(f.id);
    ends_and_consent(out, f);
    out.key("basis");
    out.begin_array(f.basis.size());
    for (const Ref& l : f.basis) out.string(l.id);
    out.end();
    out.end();
    return;
  }
  out.begin_object(2 + (hop.identifier != kNone) + (hop.data != kNone));
  out.key("kind");
  out.string("holds");
  out.key("system");
  out.id(EntityKind::system, hop.system, m.systems[hop.system].id);
  if (hop.identifier != kNone) {
    out.key("identifier");
    out.id(EntityKind::identifier, hop.identifier, m.identifiers[hop.identifier].id);
  }
  if (hop.data != kNone) {
    out.key("data");
    out.id(EntityKind::data, hop.data, m.data[hop.data].id);
  }
  out.end();
}

void write_result(ResultWriter& out, const Model& m, const ChainsResult& r) {
  out.begin_object(4 + (r.person != kNone) + join_option_count(r.open_only, r.max_match_error));
  out.key("at");
  out.date(r.at);
  person_key(out, m, r.person);
  out.key("from");
  out.ref(r.from.kind, r.from.id);
  out.key("to");
  out.ref(r.to.kind, r.to.id);
  join_options(out, r.open_only, r.max_match_error);
  out.key("chains");
  out.begin_array(r.chains.size());
  for (const Chain& c : r.chains) {
    out.begin_object(5);
    out.key("length");
    out.integer(c.length);
    out.key("hops");
    out.begin_array(c.hops.size());
    for (const ChainHop& h : c.hops) write_hop(out, m, h);
    out.end();
    // docs/model-format.md, "Joins, restricted and fuzzy".
    out.key("open");
    out.boolean(c.open);
    out.key("restricted_by");
    plain_id_list(out, m.laws, c.restricted_by);
    out.key("match_error");
    out.number(c.match_error);
    out.end();
  }
  out.end();
  out.end();
}

void write_result(ResultWriter& out, const Model& m, const DownstreamResult& r) {
  out.begin_object(6 + (r.person != kNone));
  out.key("at");
  out.date(r.at);
  person_key(out, m, r.person);
  out.key("from");
  out.ref(EntityKind::system, m.systems[r.from_system].id);
  out.key("data");
  out.id(EntityKind::data, r.data, m.data[r.data].id);
  out.key("held");
  out.boolean(r.held);
  out.key("systems");
  systems_by_depth(out, m, r.systems);
  out.key("flows");
  out.begin_array(r.flows.size());
  for (Index f : r.flows) {
    const Flow& flow = m.flows[f];
    out.begin_object(4);
    out.key("id");
    out.string(flow.id);
    ends_and_consent(out, flow);
    out.end();
  }
  out.end();
  out.end();
}

// docs/model-format.md, "Machine-readable output": the v1 fields, then
// severity, consent, laws (in the order written, each with whether it is in
// force at the date) and the assessment; `open` and the rule's own lists
// (upstream_flows, holders, key_flows) are this tool's additions. `reason`
// is the gap's, in the output language (output/legal_text.h set_gap_reasons).
void write_gap(ResultWriter& out, const Model& m, const Gap& g) {
  out.begin_object(7 + (g.flow != kNone) * 2 + (g.identifier != kNone) + !g.upstream_flows.empty() +
                   !g.holders.empty() + !g.key_flows.empty() + (g.assessment != kNone));
  out.key("rule");
  out.string(to_string(g.rule));
  if (g.flow != kNone) {
    out.key("flow");
    out.string(m.flows[g.flow].id);
  }
  if (g.identifier != kNone) {
    out.key("identifier");
    out.id(EntityKind::identifier, g.identifier, m.identifiers[g.identifier].id);
  }
  out.key("severity");
  out.string(to_string(g.severity()));
  out.key("systems");
  id_list(out, EntityKind::system, m.systems, g.systems);
  out.key("data");
  id_list(out, EntityKind::data, m.data, g.data);
  if (g.flow != kNone) {
    out.key("consent");
    out.string(to_string(m.flows[g.flow].consent));
  }
  out.key("laws");
  out.begin_array(g.laws.size());
  for (const GapLaw& l : g.laws) {
    out.begin_object(2);
    out.key("id");
    out.string(m.laws[l.law].id);
    out.key("in_force");
    out.boolean(l.in_force);
    out.end();
  }
  out.end();
  if (!g.upstream_flows.empty()) {
    out.key("upstream_flows");
    plain_id_list(out, m.flows, g.upstream_flows);
  }
  if (!g.holders.empty()) {
    out.key("holders");
    id_list(out, EntityKind::system, m.systems, g.holders);
  }
  if (!g.key_flows.empty()) {
    out.key("key_flows");
    plain_id_list(out, m.flows, g.key_flows);
  }
  if (g.assessment != kNone) {
    const Assessment& a = m.assessments[g.assessment];
    out.key("assessment");
    out.begin_object(2);
    out.key("id");
    out.string(a.id);
    out.key("status");
    out.string(to_string(a.decision));
    out.end();
  }
  out.key("open");
  out.boolean(gap_is_open(m, g));
  out.key("reason");
  out.string(g.reason);
  out.end();
}

void write_result(ResultWriter& out, const Model& m, const GapsResult& r) {
  out.begin_object(2 + (r.person != kNone));
  out.key("at");
  out.date(r.at);
  person_key(out, m, r.person);
  out.key("gaps");
  gap_list(out, m, r.gaps);
  out.end();
}

void write_result(ResultWriter& out, const Model& m, const DiffResult& r) {
  out.begin_object(9 + (r.person != kNone));
  out.key("from");
  out.date(r.from);
  out.key("to");
  out.date(r.to);
  person_key(out, m, r.person);
  out.key("systems");
  change(out, m.systems, r.systems);
  out.key("identifiers");
  change(out, m.identifiers, r.identifiers);
  out.key("data");
  change(out, m.data, r.data);
  out.key("flows");
  change(out, m.flows, r.flows);
  out.key("laws");
  change(out, m.laws, r.laws);
  out.key("joinable");
  out.begin_object(3);
  out.key("became");
  pairs(out, m, r.became_joinable);
  out.key("ceased");
  pairs(out, m, r.ceased_joinable);
  out.key("truncated");
  out.boolean(r.pairs_truncated);
  out.end();
  out.key("gaps");
  out.begin_object(2);
  out.key("appeared");
  gap_list(out, m, r.gaps_appeared);
  out.key("disappeared");
  gap_list(out, m, r.gaps_disappeared);
  out.end();
  out.end();
}

Json to_json(const Model& m, const ReachResult& r) { return json_of(m, r); }
Json to_json(const Model& m, const ChainsResult& r) { return json_of(m, r); }
Json to_json(const Model& m, const DownstreamResult& r) { return json_of(m, r); }
Json to_json(const Model& m, GapsResult r, Lang lang) {
  set_gap_reasons(m, r, lang);
  return json_of(m, r);
}
Json to_json(const Model& m, DiffResult r, Lang lang) {
  set_gap_reasons(m, r, lang);
  return json_of(m, r);
}

std::string json_text(const Model& m, const ReachResult& r) { return text_of(m, r); }
std::string json_text(const Model& m, const ChainsResult& r) { return text_of(m, r); }
std::string json_text(const Model& m, const DownstreamResult& r) { return text_of(m, r); }
std::string json_text(const Model& m, GapsResult r, Lang lang) {
  set_gap_reasons(m, r, lang);
  return text_of(m, r);
}
std::string json_text(const Model& m, DiffResult r, Lang lang) {
  set_gap_reasons(m, r, lang);
  return text_of(m, r);
}

std::string json_text_from(const std::function<void(ResultWriter&)>& write) {
  JsonTextWriter w;
  write(w);
  return w.take();
}

Json json_from(const std::function<void(ResultWriter&)>& write) {
  JsonWriter w;
  write(w);
  return w.take();
}

Json hop_json(const Model& m, const ChainHop& hop) {
  JsonWriter w;
  write_hop(w, m, hop);
  return w.take();
}

Json gap_json(const Model& m, Gap gap, Lang lang) {
  gap.reason = gap_reason(m, gap, lang);
  JsonWriter w;
  write_gap(w, m, gap);
  return w.take();
}

// Invalid UTF-8 in a name must not abort the output: replace it.
std::string dump_json(const Json& json) {
  return json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace imozuru
