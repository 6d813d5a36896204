#include "report/page.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "model/as_of.h"
#include "model/linkage_graph.h"
#include "model/reach.h"
#include "render/render.h"
#include "report/document.h"
#include "report/labels.h"

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
  j["status"] = status_text(e.status, lang);
  j["sources"] = sources_json(m, e, lang);
  return j;
}

Json laws_json(const Model& m, const Refs& laws, Lang lang) {
  Json out = Json::array();
  for (const Ref& l : laws) out.push_back(law_text(m.laws[l.index], lang));
  return out;
}

Json ui_json(Lang lang) {
  Json ui;
  auto add = [&](const char* key, const char* ja, const char* en) { ui[key] = say(lang, ja, en); };
  add("holders", "この識別子を保有するシステム", "Systems holding it");
  add("reach", "芋づる式に到達するシステム（深さ順）", "Reached by chain-linking (by depth)");
  add("depth", "深さ", "depth");
  add("identifiers", "保有する識別子", "Identifiers held");
  add("laws", "法令", "Laws");
  add("regulated_by", "利用を制限する法令", "Laws restricting it");
  add("none", "なし", "none");
  add("sources", "出典", "Sources");
  add("flows_in", "受け取る流れ", "Flows in");
  add("flows_out", "送る流れ", "Flows out");
  add("period", "期間", "Period");
  add("status", "状態", "Status");
  add("sector", "分野", "Sector");
  add("kind", "種類", "Kind");
  add("scope_holder", "保有機関ごとに別の値（突合できない）", "a different value per holder (joins nothing)");
  add("not_active", "この日付では存在しない", "not active at this date");
  add("active_count", "システム", "systems");
  add("no_match", "該当なし", "no match");
  add("system", "システム", "system");
  add("identifier", "識別子", "identifier");
  add("help", "識別子（楕円）をクリックすると、それを保有するシステムと、そこから芋づる式につながるシステムが光ります。"
              "名前にマウスを重ねると詳細、スライダーで日付を動かすとその時点のモデルを表示します。",
      "Click an identifier (ellipse) to light up the systems holding it and those chain-linked from it. Hover "
      "a name for details; move the slider to see the model as of that date.");
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
    e["consent"] = std::string(consent_label(f.consent, lang));
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
  std::string safe;
  safe.reserve(data.size());
  for (std::size_t k = 0; k < data.size(); ++k) {
    if (data[k] == '<') safe += "\\u003c";
    else safe += data[k];
  }

  std::vector<Date> dates = date_boundaries(model, o.at, o.include_planned);
  std::string title = model.model_name(lang).empty() ? say(lang, "モデル", "Model") : model.model_name(lang);
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + std::string(to_string(lang)) + "\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + escape_html(title) + "</title>\n<style>\n" + kPageCss + "</style>\n</head>\n<body>\n";
  out += "<header>\n<h1>" + escape_html(title) + "</h1>\n<div class=\"controls\">\n";
  out += "<label for=\"date-slider\">" + std::string(say(lang, "日付", "Date")) + "</label>\n";
  out += "<input type=\"range\" id=\"date-slider\" min=\"0\" max=\"" + std::to_string(dates.size() - 1) +
         "\" step=\"1\" value=\"0\" aria-describedby=\"date-label\">\n";
  out += "<output id=\"date-label\">" + dates.front().iso() + "</output>\n<span id=\"date-status\"></span>\n";
  out += "<input type=\"search\" id=\"search\" placeholder=\"" +
         std::string(say(lang, "システム・識別子を検索", "Search systems and identifiers")) + "\" autocomplete=\"off\">\n";
  out += "<button type=\"button\" id=\"clear\">" + std::string(say(lang, "選択を解除", "Clear")) + "</button>\n";
  out += "</div>\n</header>\n<main>\n<div id=\"diagram\">\n" + inline_svg(svg, "") + "\n</div>\n";
  out += "<aside id=\"panel\">\n<ul id=\"results\"></ul>\n<div id=\"details\"></div>\n</aside>\n</main>\n";
  out += "<div id=\"tooltip\" role=\"tooltip\" hidden></div>\n";
  out += "<script type=\"application/json\" id=\"imozuru-data\">" + safe + "</script>\n";
  out += "<script>\n" + std::string(kPageJs) + "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace imozuru::report
