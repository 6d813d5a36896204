// GEXF 1.3 of the model's whole history (docs/export.md#gexf): the model is
// the same between two dates on which some entity starts or ends, so it is
// taken as of each such date (ModelAt, the one rule of what is active), and
// every node, edge and changing value gets the runs of dates it holds.
#include <map>
#include <set>

#include "export/export.h"
#include "export/export_common.h"
#include "model/as_of.h"
#include "text/escape.h"

namespace imozuru {
namespace {

using namespace export_detail;

// Text in an XML attribute value: a newline or tab as a character reference,
// which an XML reader keeps (a literal one would become a space).
std::string attr_text(std::string_view text) {
  std::string escaped = text::html_escape(text), out;
  out.reserve(escaped.size());
  for (char c : escaped) {
    if (c == '\n')
      out += "&#10;";
    else if (c == '\t')
      out += "&#9;";
    else
      out += c;
  }
  return out;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// The day before `d` (a full date).
Date previous_day(Date d) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  d.precision = Date::Precision::day;
  if (d.day > 1) {
    --d.day;
  } else if (d.month > 1) {
    --d.month;
    d.day = d.month == 2 && leap(d.year) ? 29 : kDays[d.month - 1];
  } else {
    --d.year;
    d.month = 12;
    d.day = 31;
  }
  return d;
}

bool can_be_active(const Entity& e, bool include_planned) {
  return include_planned || (e.status != Status::planned && e.status != Status::proposed);
}

// The dates on which the graph may change: every since and until of a
// system, identifier, data item or flow that can be active, ascending.
std::vector<Date> change_dates(const Model& m, bool include_planned) {
  std::set<Date> dates;
  auto add = [&](const Entity& e) {
    if (!can_be_active(e, include_planned)) return;
    for (const auto& d : {e.since, e.until})
      if (d) {
        Date day = *d;
        day.precision = Date::Precision::day;  // 2021-10 is 2021-10-01
        dates.insert(day);
      }
  };
  for (const auto& e : m.systems) add(e);
  for (const auto& e : m.identifiers) add(e);
  for (const auto& e : m.data) add(e);
  for (const auto& e : m.flows) add(e);
  return {dates.begin(), dates.end()};
}

// Where something is present: runs [a, b) of periods, and the runs of one
// changing value.
struct Track {
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  struct ValueRun {
    std::size_t from, to;
    std::string value;
  };
  std::vector<ValueRun> values;

  void on(std::size_t k, const std::string& value = "") {
    if (!runs.empty() && runs.back().second == k)
      runs.back().second = k + 1;
    else
      runs.push_back({k, k + 1});
    if (!values.empty() && values.back().to == k && values.back().value == value)
      values.back().to = k + 1;
    else
      values.push_back({k, k + 1, value});
  }
  bool present() const { return !runs.empty(); }
};

// Period k runs from starts[k] to the day before starts[k + 1]; the first has
// no start when it is "before every date", the last never ends.
class Periods {
 public:
  Periods(std::vector<Date> starts, bool open_start) : starts_(std::move(starts)), open_start_(open_start) {}
  std::size_t size() const { return starts_.size(); }
  const Date& at(std::size_t k) const { return starts_[k]; }
  // ` start="…" end="…"` of the run [a, b), each left out when unbounded.
  std::string bounds(std::size_t a, std::size_t b) const {
    std::string out;
    if (a > 0 || !open_start_) out += " start=\"" + starts_[a].iso() + "\"";
    if (b < starts_.size()) out += " end=\"" + previous_day(starts_[b]).iso() + "\"";
    return out;
  }

 private:
  std::vector<Date> starts_;
  bool open_start_;
};

class GexfWriter {
 public:
  GexfWriter(const Model& m, bool include_planned, Lang lang)
      : m_(m), lang_(lang), periods_(periods(m, include_planned)) {
    systems_.resize(m.systems.size());
    identifiers_.resize(m.identifiers.size());
    data_.resize(m.data.size());
    flows_.resize(m.flows.size());
    for (std::size_t k = 0; k < periods_.size(); ++k) take(k, ModelAt(m, periods_.at(k), include_planned));
  }

  std::string write() const {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out +=
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n";
    out += "  <meta>\n    <creator>imozuru</creator>\n    <description>" +
           text::html_escape(m_.model_name()) + "</description>\n  </meta>\n";
    out += "  <graph mode=\"dynamic\" defaultedgetype=\"directed\" timeformat=\"date\">\n";
    declare(out, "node", node_attrs(), false);
    declare(out, "node", node_attrs(), true);
    declare(out, "edge", edge_attrs(), false);
    declare(out, "edge", edge_attrs(), true);

    out += "    <nodes>\n";
    for (Index s = 0; s < m_.systems.size(); ++s)
      node(out, system_node_id(m_, s), m_.systems[s].display_name(lang_), system_attrs(m_, s, lang_),
           systems_[s], "");
    for (Index i = 0; i < m_.identifiers.size(); ++i) {
      const Identifier& id = m_.identifiers[i];
      if (id.scope == Scope::holder) {
        for (const auto& [key, track] : holder_nodes_)
          if (key.second == i)
            node(out, holder_node_id(m_, key.first, i), id.display_name(lang_),
                 holder_attrs(m_, key.first, i, lang_), track, "");
      } else {
        node(out, identifier_node_id(m_, i), id.display_name(lang_), identifier_attrs(m_, i, lang_),
             identifiers_[i], "holders");
      }
    }
    for (Index d = 0; d < m_.data.size(); ++d)
      node(out, data_node_id(m_, d), m_.data[d].display_name(lang_), data_attrs(m_, d, lang_), data_[d],
           "holders");
    out += "    </nodes>\n    <edges>\n";
    // Each system's holdings (identifiers, then data items), as in GraphML.
    for (Index s = 0; s < m_.systems.size(); ++s) {
      for (auto it = holds_identifier_.lower_bound({s, 0});
           it != holds_identifier_.end() && it->first.first == s; ++it) {
        const Index i = it->first.second;
        const bool per_holder = m_.identifiers[i].scope == Scope::holder;
        edge(out, holds_identifier_edge_id(m_, s, i), system_node_id(m_, s),
             per_holder ? holder_node_id(m_, s, i) : identifier_node_id(m_, i), "", holds_attrs(), it->second,
             "holding");
      }
      for (auto it = holds_data_.lower_bound({s, 0}); it != holds_data_.end() && it->first.first == s; ++it)
        edge(out, holds_data_edge_id(m_, s, it->first.second), system_node_id(m_, s),
             data_node_id(m_, it->first.second), "", holds_attrs(), it->second, "holding");
    }
    for (Index f = 0; f < m_.flows.size(); ++f) {
      const Flow& flow = m_.flows[f];
      edge(out, flow_edge_id(m_, f), system_node_id(m_, flow.from.index), system_node_id(m_, flow.to.index),
           flow.display_name(lang_), flow_attrs(m_, f, lang_), flows_[f], "");
    }
    out += "    </edges>\n  </graph>\n</gexf>\n";
    return out;
  }

 private:
  // The dates the model changes on, after a first period "before all of
  // them" (taken at 0001-01-01) unless a date is that day already.
  static Periods periods(const Model& m, bool include_planned) {
    std::vector<Date> dates = change_dates(m, include_planned);
    const Date first = *Date::parse("0001-01-01");
    const bool open_start = dates.empty() || first < dates.front();
    if (open_start) dates.insert(dates.begin(), first);
    return Periods(std::move(dates), open_start);
  }

  // Values that change with the date: how many systems hold an identifier
  // or data item, and how a system came to hold it.
  static bool dynamic(std::string_view name) { return name == "holders" || name == "holding"; }

  void take(std::size_t k, const ModelAt& at) {
    for (Index s : at.systems()) {
      systems_[s].on(k);
      for (Index i : at.identifiers_of(s)) {
        if (m_.identifiers[i].scope == Scope::holder) holder_nodes_[{s, i}].on(k);
        holds_identifier_[{s, i}].on(k, std::string(to_string(identifier_origin(at, s, i))));
      }
      for (Index d : at.data_of(s)) holds_data_[{s, d}].on(k, std::string(to_string(data_origin(at, s, d))));
    }
    for (Index i : at.identifiers())
      if (m_.identifiers[i].scope != Scope::holder)
        identifiers_[i].on(k, std::to_string(at.holders_of_identifier(i).size()));
    for (Index d : at.data()) data_[d].on(k, std::to_string(at.holders_of_data(d).size()));
    for (Index f : at.flows()) flows_[f].on(k);
  }

  static void declare(std::string& out, std::string_view cls, const std::vector<AttrDef>& table,
                      bool dynamic_mode) {
    out += "    <attributes class=\"" + std::string(cls) + "\" mode=\"" +
           (dynamic_mode ? "dynamic" : "static") + "\">\n";
    for (const AttrDef& a : table)
      if (a.name != "label" && dynamic(a.name) == dynamic_mode)
        out += "      <attribute id=\"" + std::string(a.name) + "\" title=\"" + std::string(a.name) +
               "\" type=\"" + std::string(gexf_type(a.type)) + "\"/>\n";
    out += "    </attributes>\n";
  }

  void spells(std::string& out, std::string& open_tag, const Track& track) const {
    if (track.runs.size() == 1) {
      open_tag += periods_.bounds(track.runs[0].first, track.runs[0].second);
      return;
    }
    out += "        <spells>\n";
    for (const auto& [a, b] : track.runs) out += "          <spell" + periods_.bounds(a, b) + "/>\n";
    out += "        </spells>\n";
  }

  void element(std::string& out, std::string open_tag, const char* name, const AttrValues& values,
               const Track& track, std::string_view changing) const {
    std::string body;
    spells(body, open_tag, track);
    body += "        <attvalues>\n";
    for (const AttrValue& v : values)
      if (v.name != "label")
        body += "          <attvalue for=\"" + std::string(v.name) + "\" value=\"" + attr_text(v.value) +
                "\"/>\n";
    if (!changing.empty())
      for (const Track::ValueRun& r : track.values)
        body += "          <attvalue for=\"" + std::string(changing) + "\" value=\"" + attr_text(r.value) +
                "\"" + periods_.bounds(r.from, r.to) + "/>\n";
    body += "        </attvalues>\n";
    out += open_tag + ">\n" + body + "      </" + name + ">\n";
  }

  void node(std::string& out, const std::string& id, const std::string& label, const AttrValues& values,
            const Track& track, std::string_view changing) const {
    if (!track.present()) return;
    element(out, "      <node id=\"" + attr_text(id) + "\" label=\"" + attr_text(label) + "\"", "node",
            values, track, changing);
  }

  void edge(std::string& out, const std::string& id, const std::string& source, const std::string& target,
            const std::string& label, const AttrValues& values, const Track& track,
            std::string_view changing) const {
    if (!track.present()) return;
    std::string open = "      <edge id=\"" + attr_text(id) + "\" source=\"" + attr_text(source) +
                       "\" target=\"" + attr_text(target) + "\"";
    if (!label.empty()) open += " label=\"" + attr_text(label) + "\"";
    element(out, open, "edge", values, track, changing);
  }

  const Model& m_;
  Lang lang_;
  Periods periods_;
  std::vector<Track> systems_, identifiers_, data_, flows_;
  // Keyed by (system, item) indices: std::map keeps them by system then
  // item, which is by id (the model's lists are sorted by id).
  std::map<std::pair<Index, Index>, Track> holder_nodes_, holds_identifier_, holds_data_;
};

}  // namespace

std::string export_gexf(const Model& model, bool include_planned, Lang lang) {
  return GexfWriter(model, include_planned, lang).write();
}

}  // namespace imozuru
