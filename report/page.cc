#include "report/page.h"

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "model/as_of.h"
#include "model/gaps.h"
#include "model/linkage_graph.h"
#include "model/person.h"
#include "model/reach.h"
#include "output/analysis_text.h"
#include "output/labels.h"
#include "output/legal_text.h"
#include "output/messages.h"
#include "render/render.h"
#include "render/timelapse.h"
#include "report/document.h"
#include "text/escape.h"

namespace imozuru::report {

extern const char kPageCss[];
extern const char kPageJs[];

namespace {

using Json = nlohmann::ordered_json;

bool can_be_active(const Entity& e, bool include_planned) {
  return include_planned || (e.status != Status::planned && e.status != Status::proposed);
}

Json optional_date(const std::optional<Date>& d) { return d ? Json(d->written()) : Json(nullptr); }

Json sources_json(const Model& m, const Entity& e, Lang lang) {
  Json out = Json::array();
  for (const Citation& c : e.sources) out.push_back(citation_text(m, c, lang));
  return out;
}

Json common_json(const Model& m, const Entity& e, Lang lang) {
  Json j;
  j["id"] = e.id;
  j["name"] = e.name;
  j["name_en"] = e.name_en;
  j["since"] = optional_date(e.since);
  j["until"] = optional_date(e.until);
  j["status"] = status_label(e.status, lang);
  j["sources"] = sources_json(m, e, lang);
  return j;
}

Json laws_json(const Model& m, const Refs& laws, Lang lang) {
  Json out = Json::array();
  for (const Ref& l : laws) out.push_back(law_with_period(m, m.laws[l.index], lang));
  return out;
}

// The page script's words, under the keys it reads them by.
Json ui_json(Lang lang) {
  static constexpr std::pair<const char*, Msg> kWords[] = {
      {"holders", Msg::page_ui_holders},
      {"reach", Msg::page_ui_reach},
      {"depth", Msg::page_ui_depth},
      {"identifiers", Msg::page_ui_identifiers},
      {"laws", Msg::page_ui_laws},
      {"regulated_by", Msg::page_ui_regulated_by},
      {"none", Msg::page_ui_none},
      {"sources", Msg::page_ui_sources},
      {"flows_in", Msg::page_ui_flows_in},
      {"flows_out", Msg::page_ui_flows_out},
      {"period", Msg::page_ui_period},
      {"status", Msg::page_ui_status},
      {"sector", Msg::page_ui_sector},
      {"kind", Msg::page_ui_kind},
      {"scope_holder", Msg::page_ui_scope_holder},
      {"not_active", Msg::page_ui_not_active},
      {"active_count", Msg::page_ui_active_count},
      {"no_match", Msg::page_ui_no_match},
      {"system", Msg::page_ui_system},
      {"identifier", Msg::page_ui_identifier},
      {"help", Msg::page_ui_help},
      {"open_reach", Msg::page_ui_open_reach},
      {"reach_count", Msg::page_ui_reach_count},
      {"open_reach_count", Msg::page_ui_open_reach_count},
      {"restricted", Msg::page_ui_restricted},
      {"open_join", Msg::page_ui_open_join},
      {"person_not_active", Msg::page_ui_person_not_active},
      {"gaps", Msg::page_ui_gaps},
      {"gaps_open", Msg::page_ui_gaps_open},
      {"gaps_closed", Msg::page_ui_gaps_closed},
      {"gaps_none", Msg::report_gaps_none},
      {"gaps_open_none", Msg::report_gaps_open_none},
      {"gaps_closed_none", Msg::report_gaps_closed_none},
      {"gap_assessed", Msg::page_ui_gap_assessed},
      {"list_separator", Msg::list_separator},
      {"severity", Msg::report_gaps_severity},
      {"rule", Msg::report_column_rule},
      {"reason", Msg::report_column_reason},
      {"consent", Msg::report_gaps_consent},
      {"gap_laws", Msg::report_gaps_laws},
      {"gap_systems", Msg::report_gaps_systems},
      {"gap_data", Msg::report_gaps_data},
      {"assessment", Msg::report_gaps_assessment},
      {"decision", Msg::report_gaps_decision},
      {"justification", Msg::report_gaps_justification},
      {"assessment_laws", Msg::report_gaps_assessment_laws},
      {"by", Msg::report_gaps_by},
      {"play", Msg::page_ui_play},
      {"pause", Msg::page_ui_pause},
      {"isolated", Msg::page_ui_isolated},
      {"isolated_help", Msg::page_ui_isolated_help},
      {"person_records", Msg::page_ui_person_records},
      {"person_flows", Msg::page_ui_person_flows},
      {"person_acts", Msg::page_ui_person_acts},
      {"person_groups", Msg::page_ui_person_groups},
      {"act_done", Msg::page_ui_act_done},
      {"act_not_done", Msg::page_ui_act_not_done},
  };
  Json ui;
  for (const auto& [key, message] : kWords) ui[key] = say(lang, message);
  return ui;
}

// The model with every date removed and abolished entities kept, so one
// diagram holds every entity any date shows; the page hides what a date lacks.
Model timeless(const Model& model) {
  Model m = model;
  auto clear = [](Entity& e) {
    e.since.reset();
    e.until.reset();
    if (e.status == Status::abolished) e.status = Status::operational;
  };
  for (auto& e : m.laws) clear(e);
  for (auto& e : m.identifiers) clear(e);
  for (auto& e : m.data) clear(e);
  for (auto& e : m.systems) clear(e);
  for (auto& e : m.flows) clear(e);
  return m;
}

}  // namespace

std::vector<Date> date_boundaries(const Model& model, const Date& at, bool include_planned, Index person) {
  std::set<Date> dates;
  auto add_dates = [&](const std::optional<Date>& since, const std::optional<Date>& until) {
    for (const auto& d : {since, until})
      if (d) {
        Date day = *d;
        day.precision = Date::Precision::day;  // one boundary per day, however it was written
        dates.insert(day);
      }
  };
  auto add = [&](const Entity& e) {
    if (can_be_active(e, include_planned)) add_dates(e.since, e.until);
  };
  for (const auto& e : model.laws) add(e);
  for (const auto& e : model.identifiers) add(e);
  for (const auto& e : model.data) add(e);
  for (const auto& e : model.systems) add(e);
  for (const auto& e : model.flows) add(e);
  if (person != kNone) {
    // docs/model-format.md, "The model for a person": the person's model
    // changes when they or a membership, an act, a group or an act's own
    // dates start or end.
    const Person& p = model.persons[person];
    add(p);
    for (const DatedRef& g : p.groups) {
      add_dates(g.since, g.until);
      if (g.ref.index != kNone) add(model.groups[g.ref.index]);
    }
    for (const DatedRef& a : p.acts) {
      add_dates(a.since, a.until);
      if (a.ref.index != kNone) add(model.consent_acts[a.ref.index]);
    }
  }
  // The date asked for is a stop of its own, so the page opens showing it
  // (not the last day the model changed before it).
  Date day = at;
  day.precision = Date::Precision::day;
  dates.insert(day);
  return {dates.begin(), dates.end()};
}

namespace {

// Runs of date indices, [a, b) pairs flattened: [a1, b1, a2, b2, ...].
class Runs {
 public:
  void at(std::size_t k, bool on) {
    if (on && !open_) {
      runs_.push_back(k);
      open_ = true;
    } else if (!on && open_) {
      runs_.push_back(k);
      open_ = false;
    }
  }
  Json finish(std::size_t end) {
    if (open_) runs_.push_back(end);
    open_ = false;
    return Json(runs_);
  }
  bool empty() const { return runs_.empty(); }

 private:
  std::vector<std::size_t> runs_;
  bool open_ = false;
};

// Runs for each of `n` indices, of the dates at which the index is in a set.
class SetRuns {
 public:
  explicit SetRuns(std::size_t n) : runs_(n) {}
  void at(std::size_t k, const std::vector<Index>& members) {
    std::vector<char> in(runs_.size(), 0);
    for (Index i : members) in[i] = 1;
    for (std::size_t i = 0; i < runs_.size(); ++i) runs_[i].at(k, in[i]);
  }
  // [[index, a1, b1, a2, b2, ...], ...]: the indices ever in the set, ascending.
  Json finish(std::size_t end) {
    Json out = Json::array();
    for (std::size_t i = 0; i < runs_.size(); ++i) {
      if (runs_[i].empty()) continue;
      Json row = Json::array({i});
      for (const Json& v : runs_[i].finish(end)) row.push_back(v);
      out.push_back(std::move(row));
    }
    return out;
  }

 private:
  std::vector<Runs> runs_;
};

// The runs over which each (system, item) pair is held; `pairs` lists the
// pairs held at date k in ascending order.
class HoldingRuns {
 public:
  void at(std::size_t k, const std::vector<std::pair<Index, Index>>& pairs) {
    for (const auto& p : pairs) {
      auto [it, inserted] = open_.emplace(p, k);
      (void)it;
      (void)inserted;
    }
    // Close what is no longer held.
    for (auto it = open_.begin(); it != open_.end();) {
      if (!std::binary_search(pairs.begin(), pairs.end(), it->first)) {
        closed_.push_back({it->first.first, it->first.second, it->second, k});
        it = open_.erase(it);
      } else {
        ++it;
      }
    }
  }
  // [[s, item, a, b], ...] sorted by s, item, a.
  Json finish(std::size_t end) {
    for (const auto& [pair, start] : open_) closed_.push_back({pair.first, pair.second, start, end});
    open_.clear();
    std::sort(closed_.begin(), closed_.end());
    Json out = Json::array();
    for (const auto& r : closed_) out.push_back(Json::array({r[0], r[1], r[2], r[3]}));
    return out;
  }

 private:
  std::map<std::pair<Index, Index>, std::size_t> open_;
  std::vector<std::array<std::size_t, 4>> closed_;
};

std::string byte_text(std::size_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes < (1u << 20)) return std::to_string(bytes) + " bytes";
  return std::to_string((bytes + (1u << 19)) >> 20) + " MiB";
}

PageTooLarge too_large(std::size_t size, std::size_t limit) {
  return PageTooLarge("the page would be about " + byte_text(size) + ", more than the limit of " +
                      byte_text(limit) + " (--max-page-bytes); narrow the model, or raise the limit");
}

// The consent gaps of every date (model/gaps.h), in the words of the report's
// gap tables (report/report.cc): each distinct row once, with the runs of
// dates it is listed, so the data grows with the distinct rows and their
// changes, never with dates × gaps. A row is in words at its date (a law's
// state, an assessment), so a gap whose law ends has a row for before and
// one for after; at any date one row per gap is listed. Rows are in
// find_gaps's order (rule, then main id), so the rows listed at a date, in
// stored order, are the engine's list.
class GapRuns {
 public:
  GapRuns(const Model& m, Lang lang, std::size_t max_bytes) : m_(m), lang_(lang), max_bytes_(max_bytes) {}

  void at(std::size_t k, const ModelAt* at) {
    std::vector<std::size_t> listed;
    if (at) {
      GapsResult found = find_gaps(*at);
      for (const Gap& g : found.gaps) listed.push_back(row(g, at->at()));
    }
    std::sort(listed.begin(), listed.end());
    for (std::size_t r : listed) open_.emplace(r, k);
    for (auto it = open_.begin(); it != open_.end();) {
      if (!std::binary_search(listed.begin(), listed.end(), it->first)) {
        runs_[it->first].push_back(it->second);
        runs_[it->first].push_back(k);
        it = open_.erase(it);
      } else {
        ++it;
      }
    }
  }

  // Every row with "on": its runs [a1, b1, a2, b2, ...], in find_gaps's order.
  Json rows(std::size_t end) {
    for (const auto& [r, start] : open_) {
      runs_[r].push_back(start);
      runs_[r].push_back(end);
    }
    open_.clear();
    std::vector<std::size_t> order(rows_.size());
    for (std::size_t r = 0; r < order.size(); ++r) order[r] = r;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return sort_key_[a] < sort_key_[b]; });
    Json out = Json::array();
    for (std::size_t r : order) {
      Json row = Json::parse(rows_[r]);
      std::vector<std::size_t>& runs = runs_[r];
      // Runs were closed in date order per row, except those still open at the end.
      std::vector<std::pair<std::size_t, std::size_t>> pairs;
      for (std::size_t i = 0; i + 1 < runs.size(); i += 2) pairs.emplace_back(runs[i], runs[i + 1]);
      std::sort(pairs.begin(), pairs.end());
      Json on = Json::array();
      for (const auto& [a, b] : pairs) {
        on.push_back(a);
        on.push_back(b);
      }
      row["on"] = std::move(on);
      out.push_back(std::move(row));
    }
    return out;
  }

 private:
  std::string name(const Entity& e) const { return e.display_name(lang_); }

  // Everything a row's words depend on: the gap and, for its assessment's
  // laws, their states at the date. Rows are put in words once per such key,
  // not once per date.
  std::vector<std::size_t> identity(const Gap& g, const Date& date) const {
    std::vector<std::size_t> key{static_cast<std::size_t>(g.rule), g.flow, g.identifier, g.assessment};
    auto add = [&key](const std::vector<Index>& v) {
      key.push_back(v.size());
      key.insert(key.end(), v.begin(), v.end());
    };
    add(g.systems);
    add(g.data);
    add(g.upstream_flows);
    add(g.holders);
    add(g.key_flows);
    for (const GapLaw& l : g.laws) {
      key.push_back(l.law);
      key.push_back(l.in_force);
      key.push_back(static_cast<std::size_t>(l.state));
    }
    if (g.assessment != kNone)
      for (const Ref& l : m_.assessments[g.assessment].laws)
        key.push_back(l.index == kNone ? 0 : static_cast<std::size_t>(law_state(m_.laws[l.index], date)) + 1);
    return key;
  }

  std::size_t row(const Gap& g, const Date& date) {
    std::vector<std::size_t> key = identity(g, date);
    if (auto seen = by_identity_.find(key); seen != by_identity_.end()) return seen->second;
    const std::size_t index = words(g, date);
    by_identity_.emplace(std::move(key), index);
    return index;
  }

  std::size_t words(const Gap& g, const Date& date) {
    Json r;
    r["key"] = gap_key(m_, g);
    r["rule"] = std::string(to_string(g.rule));
    r["rule_label"] = gap_rule_label(g.rule, lang_);
    r["severity"] = std::string(to_string(g.severity()));
    r["severity_text"] = severity_text(g.severity(), lang_);
    r["subject"] = gap_subject(m_, g, lang_);
    r["reason"] = gap_reason(m_, g, lang_);
    r["consent"] = g.flow != kNone ? Json(consent_label(m_.flows[g.flow].consent, lang_)) : Json(nullptr);
    r["laws"] = gap_laws_text(m_, g, lang_);
    r["systems"] = g.systems;
    Json data = Json::array();
    for (Index d : g.data) data.push_back(name(m_.data[d]));
    r["data"] = std::move(data);
    const bool open = gap_is_open(m_, g);
    r["open"] = open;
    if (g.assessment != kNone) {
      const Assessment& a = m_.assessments[g.assessment];
      if (open) {
        r["assessment"] = assessment_text(m_, a, date, lang_);
      } else {
        r["decision"] =
            say(lang_, Msg::report_gaps_decision_value, assessment_status_text(a.decision, lang_), a.id);
        r["justification"] = a.justification;
        r["assessment_laws"] = laws_with_state(m_, a.laws, date, lang_);
        r["by"] = a.by;
      }
    }
    std::vector<const Entity*> cited{&gap_main_entity(m_, g)};
    for (const GapLaw& l : g.laws) cited.push_back(&m_.laws[l.law]);
    if (g.assessment != kNone) cited.push_back(&m_.assessments[g.assessment]);
    r["sources"] = citations_text(m_, cited, lang_);
    std::string text = r.dump(-1, ' ', false, Json::error_handler_t::replace);
    auto [it, inserted] = row_index_.emplace(text, rows_.size());
    if (inserted) {
      bytes_ += text.size();
      // Fail before building a page that cannot be written.
      if (bytes_ > max_bytes_) throw too_large(bytes_, max_bytes_);
      rows_.push_back(std::move(text));
      sort_key_.emplace_back(static_cast<int>(g.rule), gap_main_entity(m_, g).id);
      runs_.emplace_back();
    }
    return it->second;
  }

  const Model& m_;
  Lang lang_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::vector<std::string> rows_;
  std::map<std::string, std::size_t> row_index_;
  std::map<std::vector<std::size_t>, std::size_t> by_identity_;  // identity → row
  std::vector<std::pair<int, std::string>> sort_key_;            // (rule, main id), as find_gaps sorts
  std::vector<std::vector<std::size_t>> runs_;                   // per row: closed runs a, b, ...
  std::map<std::size_t, std::size_t> open_;  // row → the date index its open run started
};

// A person's entry for a group or an act, written as its dates
// ("2021-11〜2025-03"), "" when it has none.
std::string entry_period(const DatedRef& d) {
  if (!d.since && !d.until) return "";
  return (d.since ? d.since->written() : "") + "〜" + (d.until ? d.until->written() : "");
}

// What `imozuru person` finds for each person of the model at each date
// (model/person.h), as runs of date indices: the page lights and lists it
// for the person chosen, and works none of it out itself.
Json persons_json(const Model& m, const std::vector<Date>& dates, bool include_planned, Lang lang) {
  Json out = Json::array();
  for (Index p = 0; p < m.persons.size(); ++p) {
    const Person& person = m.persons[p];
    Runs on;
    SetRuns systems(m.systems.size()), flows(m.flows.size()), acts(m.consent_acts.size()),
        groups(m.groups.size());
    HoldingRuns holds;
    std::vector<std::pair<Index, Index>> held;
    for (std::size_t k = 0; k < dates.size(); ++k) {
      const bool here = is_active(person, dates[k], include_planned);
      on.at(k, here);
      held.clear();
      if (!here) {
        for (SetRuns* r : {&systems, &flows, &acts, &groups}) r->at(k, {});
        holds.at(k, held);
        continue;
      }
      PersonResult r = person_exposure(ModelAt(m, dates[k], include_planned, p));
      std::vector<Index> holding;
      for (const PersonHolding& h : r.systems) {
        holding.push_back(h.system);
        for (Index i : h.identifiers) held.emplace_back(h.system, i);
      }
      std::sort(held.begin(), held.end());
      systems.at(k, holding);
      flows.at(k, r.flows);
      acts.at(k, r.acts);
      groups.at(k, r.groups);
      holds.at(k, held);
    }
    const std::size_t end = dates.size();
    Json j;
    j["id"] = person.id;
    j["name"] = person_name(m, p, lang);
    j["on"] = on.finish(end);
    j["systems"] = systems.finish(end);
    j["holds"] = holds.finish(end);
    j["flows"] = flows.finish(end);
    // Each of the person's entries, in the model's order, with the runs of
    // dates the act (or membership) counts as done.
    Json done = acts.finish(end), member = groups.finish(end);
    auto runs_of = [](const Json& rows, Index i) {
      Json runs = Json::array();
      for (const Json& row : rows)
        if (row[0] == i)
          for (std::size_t r = 1; r < row.size(); ++r) runs.push_back(row[r]);
      return runs;
    };
    Json act_list = Json::array(), group_list = Json::array();
    for (const DatedRef& d : person.acts) {
      if (d.ref.index == kNone) continue;
      const ConsentAct& act = m.consent_acts[d.ref.index];
      Json a;
      a["id"] = act.id;
      a["name"] = act.display_name(lang);
      a["kind"] = say(lang, act.kind == ActKind::opt_in ? Msg::page_ui_act_opt_in : Msg::page_ui_act_opt_out);
      a["period"] = entry_period(d);
      a["on"] = runs_of(done, d.ref.index);
      act_list.push_back(std::move(a));
    }
    for (const DatedRef& d : person.groups) {
      if (d.ref.index == kNone) continue;
      Json g;
      g["id"] = m.groups[d.ref.index].id;
      g["name"] = m.groups[d.ref.index].display_name(lang);
      g["period"] = entry_period(d);
      g["on"] = runs_of(member, d.ref.index);
      group_list.push_back(std::move(g));
    }
    j["acts"] = std::move(act_list);
    j["groups"] = std::move(group_list);
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

std::vector<Date> page_dates(const Model& model, const PageOptions& options) {
  if (!options.frames.empty()) return options.frames;
  return date_boundaries(model, options.at, options.include_planned, options.person);
}

std::string page_data_json(const Model& m, const PageOptions& o) {
  Lang lang = o.lang;
  Json j;
  j["lang"] = std::string(to_string(lang));
  j["ui"] = ui_json(lang);

  // What each date shows, as runs of date indices: the page grows with the
  // model and its changes, never with dates × entities. Reach is not stored:
  // the page computes it from the holdings of the date it shows, as the
  // engine does (model/reach.cc; the browser test compares the two).
  std::vector<Date> dates = page_dates(m, o);
  std::vector<Runs> system_on(m.systems.size()), identifier_on(m.identifiers.size()), data_on(m.data.size()),
      flow_on(m.flows.size()), restricted(m.identifiers.size());
  Runs person_on;
  GapRuns gaps(m, lang, o.max_page_bytes);
  // Only data items that make up a quasi identifier matter to reach.
  std::vector<char> component(m.data.size(), 0);
  for (const Identifier& i : m.identifiers)
    if (i.kind == IdentifierKind::quasi)
      for (const Ref& r : i.composed_of)
        if (r.index != kNone) component[r.index] = 1;
  HoldingRuns holds, holds_data;
  // Systems the diagram links to another through a global identifier both
  // hold, at some date.
  std::vector<char> linked(m.systems.size(), 0);
  std::size_t initial = 0;
  std::vector<std::pair<Index, Index>> held, held_data;
  for (std::size_t k = 0; k < dates.size(); ++k) {
    if (dates[k] <= o.at) initial = k;
    // Where the person is not active (before their `since`, say) they have
    // no records: the date shows nothing, as the engine refuses it (exit 2).
    const bool here = o.person == kNone || is_active(m.persons[o.person], dates[k], o.include_planned);
    person_on.at(k, here);
    ModelAt at(m, dates[k], o.include_planned, o.person);
    for (Index s = 0; s < m.systems.size(); ++s) system_on[s].at(k, here && at.system_active(s));
    for (Index i = 0; i < m.identifiers.size(); ++i) {
      identifier_on[i].at(k, here && at.identifier_active(i));
      restricted[i].at(k, here && at.identifier_restricted(i));
    }
    for (Index d = 0; d < m.data.size(); ++d) data_on[d].at(k, here && at.data_active(d));
    if (here)
      for (Index i : at.identifiers())
        if (m.identifiers[i].scope == Scope::global && at.holders_of_identifier(i).size() > 1)
          for (Index s : at.holders_of_identifier(i)) linked[s] = 1;
    for (Index f = 0; f < m.flows.size(); ++f) flow_on[f].at(k, here && at.flow_active(f));
    gaps.at(k, here ? &at : nullptr);
    held.clear();
    held_data.clear();
    if (here)
      for (Index s : at.systems()) {
        for (Index i : at.identifiers_of(s)) held.emplace_back(s, i);
        for (Index d : at.data_of(s))
          if (component[d]) held_data.emplace_back(s, d);
      }
    std::sort(held.begin(), held.end());
    std::sort(held_data.begin(), held_data.end());
    holds.at(k, held);
    holds_data.at(k, held_data);
  }
  const std::size_t end = dates.size();

  Json systems = Json::array(), identifiers = Json::array(), data = Json::array(), flows = Json::array();
  Json isolated = Json::array();
  for (Index s = 0; s < m.systems.size(); ++s) {
    if (!linked[s] && !system_on[s].empty()) isolated.push_back(s);
    Json e = common_json(m, m.systems[s], lang);
    e["sector"] = m.systems[s].sector;
    e["on"] = system_on[s].finish(end);
    systems.push_back(std::move(e));
  }
  for (Index k = 0; k < m.identifiers.size(); ++k) {
    const Identifier& i = m.identifiers[k];
    Json e = common_json(m, i, lang);
    e["kind"] = std::string(to_string(i.kind));
    e["scope"] = std::string(to_string(i.scope));
    e["laws"] = laws_json(m, i.regulated_by, lang);
    e["on"] = identifier_on[k].finish(end);
    e["restricted"] = restricted[k].finish(end);
    if (i.kind == IdentifierKind::quasi) {
      Json parts = Json::array();
      bool resolved = true;
      for (const Ref& r : i.composed_of) {
        if (r.index == kNone) resolved = false;
        parts.push_back(r.index);
      }
      if (resolved) e["composed_of"] = std::move(parts);
    }
    identifiers.push_back(std::move(e));
  }
  for (Index d = 0; d < m.data.size(); ++d) {
    Json e;
    e["id"] = m.data[d].id;
    e["on"] = data_on[d].finish(end);
    data.push_back(std::move(e));
  }
  for (Index k = 0; k < m.flows.size(); ++k) {
    const Flow& f = m.flows[k];
    Json e = common_json(m, f, lang);
    e["from"] = f.from.index;
    e["to"] = f.to.index;
    e["consent"] = consent_label(f.consent, lang);
    e["laws"] = laws_json(m, f.basis, lang);
    e["on"] = flow_on[k].finish(end);
    flows.push_back(std::move(e));
  }
  j["systems"] = std::move(systems);
  j["identifiers"] = std::move(identifiers);
  j["data"] = std::move(data);
  j["flows"] = std::move(flows);
  Json date_list = Json::array();
  for (const Date& d : dates) date_list.push_back(d.iso());
  j["dates"] = std::move(date_list);
  j["holds"] = holds.finish(end);
  j["holds_data"] = holds_data.finish(end);
  j["gap_rows"] = gaps.rows(end);
  if (o.person != kNone) {
    const Person& p = m.persons[o.person];
    Json person;
    person["id"] = p.id;
    person["name"] = person_name(m, o.person, lang);
    person["on"] = person_on.finish(end);
    j["person"] = std::move(person);
  } else {
    j["person"] = nullptr;
  }
  j["isolated"] = std::move(isolated);
  j["persons"] = o.person == kNone ? persons_json(m, dates, o.include_planned, lang) : Json::array();
  j["frames"] = !o.frames.empty();
  j["initial"] = initial;
  j["drawn_at"] = o.at.iso();  // the date in the diagram's subtitle
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string build_page(const Model& model, const PageOptions& o, std::vector<std::string>* warnings) {
  Lang lang = o.lang;
  render::RenderOptions options;
  options.view = render::View::linkage;
  options.format = render::Format::svg;
  options.lang = lang;
  options.entity_ids = true;
  options.timeout_seconds = o.render_timeout_seconds;
  // Without frames, one diagram of every date (the page hides what a date
  // lacks); with frames, the time-lapse's, one per date on one layout.
  std::vector<std::string> svgs;
  if (o.frames.empty()) {
    Model all = timeless(model);
    ModelAt at(all, o.at, o.include_planned);
    svgs.push_back(render::render_diagram(at, options, warnings));
  } else {
    std::vector<ModelAt> ats;
    for (const Date& d : o.frames) ats.emplace_back(model, d, o.include_planned, o.person);
    render::TimelapseOptions timelapse;
    timelapse.ghost = o.ghost;
    svgs = render::render_timelapse(ats, options, timelapse, warnings);
  }

  std::string data = page_data_json(model, o);
  // The page holds the diagrams, the data and a few kilobytes besides.
  std::size_t size = data.size() + 64 * 1024;
  for (const std::string& svg : svgs) size += svg.size();
  if (size > o.max_page_bytes) throw too_large(size, o.max_page_bytes);
  // Nothing in the JSON may end the <script> element early.
  const std::string safe = text::json_for_html_script(data);

  std::vector<Date> dates = page_dates(model, o);
  const bool frames = !o.frames.empty();
  std::string title = model.model_name(lang).empty() ? say(lang, Msg::word_model) : model.model_name(lang);
  if (o.person != kNone) title += say(lang, Msg::report_title_person, person_name(model, o.person, lang));
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + std::string(to_string(lang)) +
                    "\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out +=
      "<title>" + text::html_escape(title) + "</title>\n<style>\n" + kPageCss + "</style>\n</head>\n<body>\n";
  out += "<header>\n<h1>" + text::html_escape(title) + "</h1>\n<div class=\"controls\">\n";
  if (frames) {
    // The player (page.js): play/pause, previous/next, the keys , and . and
    // the space bar; the slider steps through the frames' dates.
    out += "<span class=\"player\" role=\"group\" aria-label=\"" + say(lang, Msg::page_player) + "\">";
    out += "<button type=\"button\" id=\"frame-prev\" title=\"" + say(lang, Msg::page_frame_prev) +
           " (,)\">" + say(lang, Msg::page_frame_prev) + "</button>";
    out += "<button type=\"button\" id=\"play\" title=\"" + say(lang, Msg::page_ui_play) + " (Space)\">" +
           say(lang, Msg::page_ui_play) + "</button>";
    out += "<button type=\"button\" id=\"frame-next\" title=\"" + say(lang, Msg::page_frame_next) +
           " (.)\">" + say(lang, Msg::page_frame_next) + "</button></span>\n";
  }
  out += "<label for=\"date-slider\">" + say(lang, Msg::page_date) + "</label>\n";
  out += "<input type=\"range\" id=\"date-slider\" min=\"0\" max=\"" + std::to_string(dates.size() - 1) +
         "\" step=\"1\" value=\"0\" aria-describedby=\"date-label\"" +
         (frames ? " list=\"frame-dates\"" : "") + ">\n";
  if (frames) {
    out += "<datalist id=\"frame-dates\">";
    for (std::size_t k = 0; k < dates.size(); ++k)
      out += "<option value=\"" + std::to_string(k) + "\" label=\"" + dates[k].iso() + "\"></option>";
    out += "</datalist>\n";
  }
  out += "<output id=\"date-label\">" + dates.front().iso() + "</output>\n<span id=\"date-status\"></span>\n";
  if (o.person == kNone && !model.persons.empty()) {
    // The person selector (page.js): lights what `imozuru person` finds.
    out += "<label for=\"person\">" + say(lang, Msg::page_person) + "</label>\n<select id=\"person\">";
    out += "<option value=\"\">" + say(lang, Msg::page_person_none) + "</option>";
    for (Index p = 0; p < model.persons.size(); ++p)
      out += "<option value=\"" + std::to_string(p) + "\">" + text::html_escape(person_name(model, p, lang)) +
             "</option>";
    out += "</select>\n";
  }
  out += "<input type=\"search\" id=\"search\" placeholder=\"" + say(lang, Msg::page_search) +
         "\" autocomplete=\"off\">\n";
  out += "<button type=\"button\" id=\"clear\">" + say(lang, Msg::page_clear) + "</button>\n";
  out += "<label><input type=\"checkbox\" id=\"open-only\"> " + say(lang, Msg::page_open_only) + "</label>\n";
  // Zoom: buttons, the wheel, dragging and the keys + - 0 and arrows (page.js).
  out += "<span class=\"zoom\" role=\"group\" aria-label=\"" + say(lang, Msg::page_zoom) + "\">";
  out +=
      "<button type=\"button\" id=\"zoom-in\" title=\"" + say(lang, Msg::page_zoom_in) + " (+)\">+</button>";
  out += "<button type=\"button\" id=\"zoom-out\" title=\"" + say(lang, Msg::page_zoom_out) +
         " (-)\">−</button>";
  out += "<button type=\"button\" id=\"zoom-fit\" title=\"" + say(lang, Msg::page_zoom_fit) + " (0)\">" +
         say(lang, Msg::page_zoom_fit) + "</button></span>\n";
  out += "</div>\n</header>\n<main>\n<div id=\"diagram\">\n";
  if (frames) {
    // One frame in the diagram at a time (page.js swaps them), so every id
    // is in the document once.
    out += "<div id=\"frame-date\" aria-live=\"polite\">" + dates.front().iso() + "</div>\n";
    out += "</div>\n";
    for (std::size_t k = 0; k < svgs.size(); ++k)
      out += "<template class=\"frame\" data-date=\"" + dates[k].iso() + "\">" + inline_svg(svgs[k], "") +
             "</template>\n";
  } else {
    out += inline_svg(svgs.front(), "") + "\n</div>\n";
  }
  out +=
      "<aside id=\"panel\">\n<section id=\"person-panel\" hidden></section>\n<ul id=\"results\"></ul>\n"
      "<div id=\"details\"></div>\n<details id=\"isolated\" hidden></details>\n"
      "<section id=\"gaps\"></section>\n</aside>\n</main>\n";
  out += "<div id=\"tooltip\" role=\"tooltip\" hidden></div>\n";
  out += "<script type=\"application/json\" id=\"imozuru-data\">" + safe + "</script>\n";
  out += "<script>\n" + std::string(kPageJs) + "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace imozuru::report
