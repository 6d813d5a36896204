// GraphML written directly (docs/export.md#graphml): typed keys (boolean,
// int, double, string), node ids equal to the references the command line
// takes, stable edge ids, each node and edge with only the attributes of its
// kind; and the same graph with yFiles graphics for yEd.
#include <algorithm>
#include <map>

#include "export/export.h"
#include "export/export_common.h"
#include "model/as_of.h"
#include "output/palette.h"
#include "text/escape.h"
#include "text/width.h"

namespace imozuru {
namespace {

using namespace export_detail;
using text::html_escape;  // xml_safe, then & < > " ' as entities

// Key ids: the attribute name after the domain, so node and edge attributes
// of the same name (label, status, ...) are distinct keys.
std::string key_id(std::string_view domain, std::string_view name) {
  return std::string(domain) + "." + std::string(name);
}

// Values in the order of the attribute table, whatever order they were added.
void sort_by_table(AttrValues& values, const std::vector<AttrDef>& table) {
  auto rank = [&](std::string_view name) {
    for (std::size_t k = 0; k < table.size(); ++k)
      if (table[k].name == name) return k;
    return table.size();
  };
  std::stable_sort(values.begin(), values.end(),
                   [&](const AttrValue& a, const AttrValue& b) { return rank(a.name) < rank(b.name); });
}

void write_data(std::string& out, std::string_view domain, const AttrValues& values, const char* indent) {
  for (const AttrValue& v : values)
    out += std::string(indent) + "<data key=\"" + key_id(domain, v.name) + "\">" + html_escape(v.value) +
           "</data>\n";
}

// --- yFiles graphics (yEd) ------------------------------------------------------
// The colours of the diagrams (output/palette.h); sectors take the
// Okabe–Ito colours in turn.
using palette::consent_colour;
using palette::identifier_colour;
using palette::kGrey;
using palette::kInk;
using palette::tint;
// Vermillion is left out: it means special-category data.
constexpr const char* kPalette[] = {palette::kOrange, palette::kSky,    palette::kGreen,
                                    palette::kBlue,   palette::kPurple, palette::kYellow};

struct Shape {
  std::string fill, border, border_style, shape;
};

std::string number(double v) {
  std::string s = std::to_string(static_cast<long long>(v));
  return s + ".0";
}

// A first layout, so the file opens readable before any of yEd's layouts:
// systems, then identifiers, then data items, each kind a band of rows no
// wider than kRowWidth, left to right in export order.
class YedLayout {
 public:
  static constexpr double kRowWidth = 1600, kHeight = 30, kGapX = 30, kGapY = 30, kBandGap = 150;

  std::string node(const std::string& label, int band, const Shape& s) {
    const double width = std::max<double>(60, 7.0 * static_cast<double>(text::display_width(label)) + 20);
    if (band != band_) {  // a new kind starts a new band
      if (band_ >= 0) y_ += kHeight + kBandGap;
      band_ = band;
      x_ = 0;
    } else if (x_ > 0 && x_ + width > kRowWidth) {  // the row is full
      y_ += kHeight + kGapY;
      x_ = 0;
    }
    std::string out = "      <data key=\"node.graphics\">\n        <y:ShapeNode>\n";
    out += "          <y:Geometry height=\"" + number(kHeight) + "\" width=\"" + number(width) + "\" x=\"" +
           number(x_) + "\" y=\"" + number(y_) + "\"/>\n";
    out += "          <y:Fill color=\"" + s.fill + "\" transparent=\"false\"/>\n";
    out += "          <y:BorderStyle color=\"" + s.border + "\" type=\"" + s.border_style +
           "\" width=\"1.0\"/>\n";
    out += "          <y:NodeLabel>" + html_escape(label) + "</y:NodeLabel>\n";
    out += "          <y:Shape type=\"" + s.shape + "\"/>\n";
    out += "        </y:ShapeNode>\n      </data>\n";
    x_ += width + kGapX;
    return out;
  }

 private:
  int band_ = -1;
  double x_ = 0, y_ = 0;
};

// A consent's line style (output/palette.h) as yEd names it.
const char* yed_line_type(Consent c) {
  const std::string style = palette::consent_style(c).style;
  if (style == "dashed") return "dashed";
  if (style == "dotted") return "dotted";
  return "line";
}

std::string yed_edge(const char* colour, const char* style, bool arrow, const std::string& label) {
  std::string out = "      <data key=\"edge.graphics\">\n        <y:PolyLineEdge>\n";
  out += std::string("          <y:LineStyle color=\"") + colour + "\" type=\"" + style + "\" width=\"" +
         (arrow ? "2.0" : "1.0") + "\"/>\n";
  out +=
      std::string("          <y:Arrows source=\"none\" target=\"") + (arrow ? "standard" : "none") + "\"/>\n";
  if (!label.empty()) out += "          <y:EdgeLabel>" + html_escape(label) + "</y:EdgeLabel>\n";
  out += "        </y:PolyLineEdge>\n      </data>\n";
  return out;
}

}  // namespace

std::string export_graphml(const ModelAt& at, Lang lang, GraphmlFlavour flavour) {
  const Model& m = at.model();
  const bool yed = flavour == GraphmlFlavour::yed;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"";
  if (yed) out += " xmlns:y=\"http://www.yworks.com/xml/graphml\"";
  out +=
      " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
      "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";

  const bool person = at.person() != kNone;
  AttrValues graph = {{"at", at.at().iso()},
                      {"include_planned", bool_text(at.include_planned())},
                      {"lang", std::string(to_string(lang))},
                      {"model", m.model_name()}};
  if (person) graph.push_back({"person", m.persons[at.person()].id});
  for (const AttrValue& g : graph)
    out += "  <key id=\"" + key_id("graph", g.name) + "\" for=\"graph\" attr.name=\"" + std::string(g.name) +
           "\" attr.type=\"" + std::string(g.name == "include_planned" ? "boolean" : "string") + "\"/>\n";
  for (const AttrDef& a : node_attrs())
    out += "  <key id=\"" + key_id("node", a.name) + "\" for=\"node\" attr.name=\"" + std::string(a.name) +
           "\" attr.type=\"" + std::string(graphml_type(a.type)) + "\"/>\n";
  for (const AttrDef& a : edge_attrs())
    out += "  <key id=\"" + key_id("edge", a.name) + "\" for=\"edge\" attr.name=\"" + std::string(a.name) +
           "\" attr.type=\"" + std::string(graphml_type(a.type)) + "\"/>\n";
  if (yed) {
    out += "  <key id=\"node.graphics\" for=\"node\" yfiles.type=\"nodegraphics\"/>\n";
    out += "  <key id=\"edge.graphics\" for=\"edge\" yfiles.type=\"edgegraphics\"/>\n";
  }
  out += "  <graph id=\"G\" edgedefault=\"directed\">\n";
  write_data(out, "graph", graph, "    ");

  // Sector colours: the palette in the order of the sectors' names.
  std::map<std::string, const char*> sector_colour;
  for (Index s : at.systems()) sector_colour.emplace(m.systems[s].sector, nullptr);
  std::size_t n = 0;
  for (auto& [sector, colour] : sector_colour) colour = kPalette[n++ % std::size(kPalette)];
  YedLayout layout;

  auto node = [&](const std::string& id, AttrValues values, const std::string& label, int row,
                  const Shape& shape) {
    sort_by_table(values, node_attrs());
    out += "    <node id=\"" + html_escape(id) + "\">\n";
    write_data(out, "node", values, "      ");
    if (yed) out += layout.node(label, row, shape);
    out += "    </node>\n";
  };
  for (Index s : at.systems()) {
    const char* colour = sector_colour[m.systems[s].sector];
    node(system_node_id(m, s), system_attrs(m, s, lang), m.systems[s].display_name(lang), 0,
         {tint(colour, 0.7), colour, "line", "roundrectangle"});
  }
  for (Index i : at.identifiers()) {
    const Identifier& id = m.identifiers[i];
    if (id.scope == Scope::holder) {
      // One node per holder: the code of one holder joins nothing in another.
      for (Index s : at.holders_of_identifier(i))
        node(holder_node_id(m, s, i), holder_attrs(m, s, i, lang), id.display_name(lang), 1,
             {"#FFFFFF", kGrey, "dotted", "ellipse"});
      continue;
    }
    AttrValues values = identifier_attrs(m, i, lang);
    values.push_back({"holders", std::to_string(at.holders_of_identifier(i).size())});
    const char* colour = identifier_colour(id.kind);
    node(identifier_node_id(m, i), std::move(values), id.display_name(lang), 1,
         {palette::identifier_fill(id.kind), colour, id.kind == IdentifierKind::quasi ? "dashed" : "line",
          id.kind == IdentifierKind::quasi ? "octagon" : "ellipse"});
  }
  for (Index d : at.data()) {
    const DataItem& item = m.data[d];
    AttrValues values = data_attrs(m, d, lang);
    values.push_back({"holders", std::to_string(at.holders_of_data(d).size())});
    node(data_node_id(m, d), std::move(values), item.display_name(lang), 2,
         {"#FFF4D6", item.sensitivity == Sensitivity::special ? palette::kSpecial : "#4D4D4D", "line",
          "rectangle"});
  }

  auto edge = [&](const std::string& id, const std::string& source, const std::string& target,
                  AttrValues values, const std::string& graphics) {
    sort_by_table(values, edge_attrs());
    out += "    <edge id=\"" + html_escape(id) + "\" source=\"" + html_escape(source) + "\" target=\"" +
           html_escape(target) + "\">\n";
    write_data(out, "edge", values, "      ");
    if (yed) out += graphics;
    out += "    </edge>\n";
  };
  const std::string holds_graphics = yed ? yed_edge(kGrey, "dotted", false, "") : "";
  for (Index s : at.systems()) {
    for (Index i : at.identifiers_of(s)) {
      AttrValues values = holds_attrs();
      values.push_back({"holding", std::string(to_string(identifier_origin(at, s, i)))});
      const bool per_holder = m.identifiers[i].scope == Scope::holder;
      edge(holds_identifier_edge_id(m, s, i), system_node_id(m, s),
           per_holder ? holder_node_id(m, s, i) : identifier_node_id(m, i), std::move(values),
           holds_graphics);
    }
    for (Index d : at.data_of(s)) {
      AttrValues values = holds_attrs();
      values.push_back({"holding", std::string(to_string(data_origin(at, s, d)))});
      edge(holds_data_edge_id(m, s, d), system_node_id(m, s), data_node_id(m, d), std::move(values),
           holds_graphics);
    }
  }
  for (Index f : at.flows()) {
    const Flow& flow = m.flows[f];
    edge(flow_edge_id(m, f), system_node_id(m, flow.from.index), system_node_id(m, flow.to.index),
         flow_attrs(m, f, lang),
         yed ? yed_edge(consent_colour(flow.consent), yed_line_type(flow.consent), true,
                        flow.display_name(lang))
             : "");
  }
  out += "  </graph>\n</graphml>\n";
  return out;
}

}  // namespace imozuru
