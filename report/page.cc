#include "report/page.h"

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "model/as_of.h"
#include "model/linkage_graph.h"
#include "model/reach.h"
#include "output/labels.h"
#include "output/legal_text.h"
#include "output/messages.h"
#include "render/render.h"
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

std::vector<Date> date_boundaries(const Model& model, const Date& at, bool include_planned) {
  std::set<Date> dates;
  auto add = [&](const Entity& e) {
    if (!can_be_active(e, include_planned)) return;
    for (const auto& d : {e.since, e.until})
      if (d) {
        Date day = *d;
        day.precision = Date::Precision::day;  // one boundary per day, however it was written
        dates.insert(day);
      }
  };
  for (const auto& e : model.laws) add(e);
  for (const auto& e : model.identifiers) add(e);
  for (const auto& e : model.data) add(e);
  for (const auto& e : model.systems) add(e);
  for (const auto& e : model.flows) add(e);
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

 private:
  std::vector<std::size_t> runs_;
  bool open_ = false;
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

}  // namespace

std::string page_data_json(const Model& m, const PageOptions& o) {
  Lang lang = o.lang;
  Json j;
  j["lang"] = std::string(to_string(lang));
  j["ui"] = ui_json(lang);

  // What each date shows, as runs of date indices: the page grows with the
  // model and its changes, never with dates × entities. Reach is not stored:
  // the page computes it from the holdings of the date it shows, as the
  // engine does (model/reach.cc; the browser test compares the two).
  std::vector<Date> dates = date_boundaries(m, o.at, o.include_planned);
  std::vector<Runs> system_on(m.systems.size()), identifier_on(m.identifiers.size()), data_on(m.data.size()),
      flow_on(m.flows.size());
  // Only data items that make up a quasi identifier matter to reach.
  std::vector<char> component(m.data.size(), 0);
  for (const Identifier& i : m.identifiers)
    if (i.kind == IdentifierKind::quasi)
      for (const Ref& r : i.composed_of)
        if (r.index != kNone) component[r.index] = 1;
  HoldingRuns holds, holds_data;
  std::size_t initial = 0;
  std::vector<std::pair<Index, Index>> held, held_data;
  for (std::size_t k = 0; k < dates.size(); ++k) {
    if (dates[k] <= o.at) initial = k;
    ModelAt at(m, dates[k], o.include_planned);
    for (Index s = 0; s < m.systems.size(); ++s) system_on[s].at(k, at.system_active(s));
    for (Index i = 0; i < m.identifiers.size(); ++i) identifier_on[i].at(k, at.identifier_active(i));
    for (Index d = 0; d < m.data.size(); ++d) data_on[d].at(k, at.data_active(d));
    for (Index f = 0; f < m.flows.size(); ++f) flow_on[f].at(k, at.flow_active(f));
    held.clear();
    held_data.clear();
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
  for (Index s = 0; s < m.systems.size(); ++s) {
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
  j["initial"] = initial;
  j["drawn_at"] = o.at.iso();  // the date in the diagram's subtitle
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string build_page(const Model& model, const PageOptions& o, std::vector<std::string>* warnings) {
  Lang lang = o.lang;
  Model all = timeless(model);
  ModelAt at(all, o.at, o.include_planned);
  render::RenderOptions options;
  options.view = render::View::linkage;
  options.format = render::Format::svg;
  options.lang = lang;
  options.entity_ids = true;
  options.timeout_seconds = o.render_timeout_seconds;
  std::string svg = render::render_diagram(at, options, warnings);

  std::string data = page_data_json(model, o);
  // The page holds the diagram, the data and a few kilobytes besides.
  const std::size_t size = svg.size() + data.size() + 64 * 1024;
  if (size > o.max_page_bytes) {
    auto text = [](std::size_t bytes) {
      if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
      if (bytes < (1u << 20)) return std::to_string(bytes) + " bytes";
      return std::to_string((bytes + (1u << 19)) >> 20) + " MiB";
    };
    throw PageTooLarge("the page would be about " + text(size) + ", more than the limit of " +
                       text(o.max_page_bytes) + " (--max-page-bytes); narrow the model, or raise the limit");
  }
  // Nothing in the JSON may end the <script> element early.
  const std::string safe = text::json_for_html_script(data);

  std::vector<Date> dates = date_boundaries(model, o.at, o.include_planned);
  std::string title = model.model_name(lang).empty() ? say(lang, Msg::word_model) : model.model_name(lang);
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + std::string(to_string(lang)) +
                    "\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out +=
      "<title>" + text::html_escape(title) + "</title>\n<style>\n" + kPageCss + "</style>\n</head>\n<body>\n";
  out += "<header>\n<h1>" + text::html_escape(title) + "</h1>\n<div class=\"controls\">\n";
  out += "<label for=\"date-slider\">" + say(lang, Msg::page_date) + "</label>\n";
  out += "<input type=\"range\" id=\"date-slider\" min=\"0\" max=\"" + std::to_string(dates.size() - 1) +
         "\" step=\"1\" value=\"0\" aria-describedby=\"date-label\">\n";
  out += "<output id=\"date-label\">" + dates.front().iso() + "</output>\n<span id=\"date-status\"></span>\n";
  out += "<input type=\"search\" id=\"search\" placeholder=\"" + say(lang, Msg::page_search) +
         "\" autocomplete=\"off\">\n";
  out += "<button type=\"button\" id=\"clear\">" + say(lang, Msg::page_clear) + "</button>\n";
  out += "</div>\n</header>\n<main>\n<div id=\"diagram\">\n" + inline_svg(svg, "") + "\n</div>\n";
  out += "<aside id=\"panel\">\n<ul id=\"results\"></ul>\n<div id=\"details\"></div>\n</aside>\n</main>\n";
  out += "<div id=\"tooltip\" role=\"tooltip\" hidden></div>\n";
  out += "<script type=\"application/json\" id=\"imozuru-data\">" + safe + "</script>\n";
  out += "<script>\n" + std::string(kPageJs) + "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace imozuru::report
