#include "report/page.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "model/as_of.h"
#include "model/linkage_graph.h"
#include "model/reach.h"
#include "output/labels.h"
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
  for (const Ref& l : laws) out.push_back(law_text(m.laws[l.index], lang));
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
  if (dates.empty()) dates.insert(at);
  return {dates.begin(), dates.end()};
}

std::string page_data_json(const Model& m, const PageOptions& o) {
  Lang lang = o.lang;
  Json j;
  j["lang"] = std::string(to_string(lang));
  j["ui"] = ui_json(lang);
  Json systems = Json::array(), identifiers = Json::array(), flows = Json::array();
  for (const System& s : m.systems) {
    Json e = common_json(m, s, lang);
    e["sector"] = s.sector;
    systems.push_back(std::move(e));
  }
  for (const Identifier& i : m.identifiers) {
    Json e = common_json(m, i, lang);
    e["kind"] = std::string(to_string(i.kind));
    e["scope"] = std::string(to_string(i.scope));
    e["laws"] = laws_json(m, i.regulated_by, lang);
    identifiers.push_back(std::move(e));
  }
  for (const Flow& f : m.flows) {
    Json e = common_json(m, f, lang);
    e["from"] = f.from.index;
    e["to"] = f.to.index;
    e["consent"] = consent_label(f.consent, lang);
    e["laws"] = laws_json(m, f.basis, lang);
    flows.push_back(std::move(e));
  }
  j["systems"] = std::move(systems);
  j["identifiers"] = std::move(identifiers);
  j["flows"] = std::move(flows);

  // Per date boundary: what is active, and reach from each joining identifier
  // (the engine's reach; identical results are stored once in reach_sets).
  std::vector<Date> dates = date_boundaries(m, o.at, o.include_planned);
  Json date_list = Json::array(), reach_sets = Json::array();
  std::map<std::string, std::size_t> reach_index;
  std::size_t initial = 0;
  for (std::size_t k = 0; k < dates.size(); ++k) {
    if (dates[k] <= o.at) initial = k;
    ModelAt at(m, dates[k], o.include_planned);
    LinkageGraph graph(at);
    Json d;
    d["date"] = dates[k].iso();
    d["systems"] = at.systems();
    d["identifiers"] = at.identifiers();
    d["flows"] = at.flows();
    Json holds = Json::array();
    for (Index s : at.systems())
      for (Index i : at.identifiers_of(s)) holds.push_back(Json::array({s, i}));
    d["holds"] = std::move(holds);
    Json reach_of = Json::object();
    for (Index i : at.identifiers()) {
      if (m.identifiers[i].scope != Scope::global || at.holders_of_identifier(i).empty()) continue;
      ReachResult r = reach(graph, {EntityRef{EntityKind::identifier, m.identifiers[i].id}});
      Json set;
      Json reached = Json::array();
      for (const auto& rs : r.systems) reached.push_back(Json::array({rs.system, rs.depth}));
      set["systems"] = std::move(reached);
      set["identifiers"] = r.identifiers;
      std::string key = set.dump();
      auto [it, inserted] = reach_index.emplace(key, reach_sets.size());
      if (inserted) reach_sets.push_back(std::move(set));
      reach_of[std::to_string(i)] = it->second;
    }
    d["reach"] = std::move(reach_of);
    date_list.push_back(std::move(d));
  }
  j["dates"] = std::move(date_list);
  j["reach_sets"] = std::move(reach_sets);
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
  // Nothing in the JSON may end the <script> element early.
  const std::string safe = text::json_for_html_script(data);

  std::vector<Date> dates = date_boundaries(model, o.at, o.include_planned);
  std::string title = model.model_name(lang).empty() ? say(lang, Msg::word_model) : model.model_name(lang);
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + std::string(to_string(lang)) + "\">\n<head>\n<meta charset=\"utf-8\">\n";
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
