#include "render/diagram.h"

#include <graphviz/cgraph.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "model/chains.h"
#include "output/analysis_text.h"
#include "output/labels.h"
#include "output/legal_text.h"
#include "output/messages.h"
#include "output/palette.h"
#include "render/graphviz.h"
#include "render/label_lines.h"
#include "text/escape.h"
#include "text/join.h"
#include "text/width.h"

namespace imozuru::render {
namespace {

using palette::chain_colour;
using palette::consent_colour;
using palette::consent_style;
using palette::identifier_colour;
using palette::identifier_fill;
using palette::identifier_shape;
using palette::kGrey;
using palette::kHighlightFill;
using palette::kInk;
using palette::kSpecial;
constexpr const char* kFaded = "#CFCFCF";
constexpr const char* kFadedText = "#A8A8A8";
constexpr const char* kFont = "Noto Sans CJK JP";

// A legend line wraps at this many columns: a chain restricted by many
// articles would otherwise make the legend wider than the diagram.
constexpr std::size_t kLegendLineWidth = 60;
// The chain view's smaller text (a system's sector and reach depth, an
// identifier's kind, the laws restricting its joins and its match error,
// the special-data mark, holder markers): a chain slide on 16:9 is drawn at
// about two thirds of its size, and 10 pt stays above 6 pt there
// (docs/rendering.md#views).
constexpr int kChainNotePt = 10;

bool is_planned(const Entity& e) { return e.status == Status::planned || e.status == Status::proposed; }

std::string font(const std::string& html, int point_size, const char* colour = nullptr, bool bold = false) {
  std::string out = "<FONT POINT-SIZE=\"" + std::to_string(point_size) + "\"";
  if (colour) out += std::string(" COLOR=\"") + colour + "\"";
  out += ">" + (bold ? "<B>" + html + "</B>" : html) + "</FONT>";
  return out;
}

// Legend entries in the order they are listed; a view uses a subset.
struct LegendEntry {
  std::string key;
  std::string sample;  // one or more <TD> cells
  std::string text;    // already HTML-escaped
};

// `bigger`: the slide form's legend (RenderOptions::brief), 4 pt larger.
std::string line_sample(const char* colour, const char* glyphs, int bigger = 0) {
  return std::string("<TD>") + font(glyphs, 12 + bigger, colour, true) + "</TD>";
}
std::string box_sample(const std::string& fill, const char* border) {
  return "<TD BGCOLOR=\"" + fill + "\" COLOR=\"" + border +
         "\" BORDER=\"1\" WIDTH=\"26\" HEIGHT=\"12\">&#160;</TD>";
}
// A node's fill and border, with a glyph for its shape in the border colour.
std::string shape_sample(const std::string& fill, const char* border, const char* glyph, int bigger = 0) {
  return "<TD BGCOLOR=\"" + fill + "\" COLOR=\"" + border + "\" BORDER=\"1\" WIDTH=\"26\" HEIGHT=\"12\">" +
         font(glyph, 10 + bigger, border, true) + "</TD>";
}

class Builder {
 public:
  Builder(const ModelAt& at, const RenderOptions& options)
      : at_(at), m_(at.model()), o_(options), lang_(options.lang) {
    if (o_.highlight) {
      const Highlight& h = *o_.highlight;
      hl_systems_.insert(h.systems.begin(), h.systems.end());
      hl_identifiers_.insert(h.identifiers.begin(), h.identifiers.end());
      hl_flows_.insert(h.flows.begin(), h.flows.end());
      for (std::size_t c = 0; c < h.chains.size(); ++c) {
        const char* colour = chain_colour(c);
        for (const auto& hop : h.chains[c]) {
          if (hop.kind == HighlightHop::Kind::holds) {
            hl_systems_.insert(hop.system);
            if (!hop.identifier.empty()) {
              hl_identifiers_.insert(hop.identifier);
              add_colour(chain_holds_[{hop.system, "i:" + hop.identifier}], colour);
              joined_.insert(hop.identifier);
            }
            if (!hop.data.empty()) add_colour(chain_holds_[{hop.system, "d:" + hop.data}], colour);
          } else {
            hl_systems_.insert(hop.from);
            hl_systems_.insert(hop.to);
            hl_flows_.insert(hop.flow);
            add_colour(chain_flows_[hop.flow], colour);
          }
        }
        used("chain:" + std::to_string(c + 1));
      }
    }
    if (o_.view == View::flows) select_flows();
  }

  // The number of nodes build() draws, from the same choices and without
  // making any Graphviz object.
  std::size_t count() const {
    std::size_t n = 0;
    switch (o_.view) {
      case View::flows:
        for (Index s : at_.systems()) n += focus_[s] || partner_[s] ? 1 : 0;
        return n;
      case View::sectors: {
        std::set<std::string> sectors;
        for (Index s : at_.systems()) sectors.insert(m_.systems[s].sector);
        return sectors.size();
      }
      case View::person:
        for (Index s : at_.systems()) n += person_holds(s) ? 1 : 0;
        return n;
      case View::linkage:
      case View::chain: {
        for (Index s : at_.systems()) {
          if (!drawn_system(s)) continue;
          ++n;
          for (Index i : at_.identifiers_of(s)) n += drawn_holder(s, i) ? 1 : 0;
        }
        for (Index i : at_.identifiers()) n += drawn_identifier(i) ? 1 : 0;
        std::set<Index> data;
        for (const DataLink& link : data_links()) data.insert(link.data);
        return n + data.size();
      }
    }
    return n;
  }

  Diagram build() {
    graph_.emplace(std::string("imozuru"));
    g_ = graph_->get();
    declare_defaults();
    switch (o_.view) {
      case View::flows:
        build_flows();
        break;
      case View::sectors:
        build_sectors();
        break;
      case View::linkage:
        build_linkage(false);
        break;
      case View::chain:
        build_linkage(true);
        break;
      case View::person:
        build_person();
        break;
    }
    set_title_and_legend();
    Diagram d{std::move(*graph_), {}, nodes_, flow_ends_};
    for (const auto& e : legend_entries())
      if (used_.count(e.key)) d.legend.push_back(e.key);
    return d;
  }

 private:
  // --- chain colours ----------------------------------------------------------
  static void add_colour(std::vector<const char*>& colours, const char* colour) {
    if (std::find(colours.begin(), colours.end(), colour) == colours.end()) colours.push_back(colour);
  }
  // Graphviz draws "a:b" as parallel lines of each colour.
  static std::string colour_list(const std::vector<const char*>& colours) { return text::join(colours, ":"); }

  // --- flows: consent and opposite labels ---------------------------------------
  // A flow's (or a bundle of flows') consent as colour, line style and
  // arrowhead (output/palette.h), so a greyscale print still tells the
  // levels apart; planned or proposed ones as a double line of that colour.
  void style_flow(Agedge_t* e, Consent consent, bool planned) {
    const char* colour = consent_colour(consent);
    const palette::LineStyle style = consent_style(consent);
    set(e, "color", planned ? std::string(colour) + ":transparent:" + colour : std::string(colour));
    set(e, "style", style.style);
    set(e, "arrowhead", style.arrowhead);
    used("consent:" + std::string(to_string(consent)));
    if (planned) used("planned");
  }

  // Two flows in opposite directions between the same pair: dot puts every
  // edge label on the same side of its edge, so one of the two labels ends
  // up between the edges and reads as the other's. Each is moved to its
  // edge's tail, turned off the edge to the side away from the other (dot
  // draws such a pair so that this side is the outside), where it is nearer
  // its own edge than the other one (tests/render/opposite_labels_test.cc).
  struct FlowEdge {
    Index from, to;
    Agedge_t* edge;
  };
  void place_opposite_labels() {
    // Not in the sectors view: there the bundles are curves dot keeps apart
    // with their labels beside them, and labels moved after the layout,
    // which has kept no room for them, overlapped other labels (8 pairs of
    // lines on the reference model's 2026 sectors view).
    if (o_.view == View::sectors) {
      flow_edges_.clear();
      return;
    }
    // In a time-lapse frame, a flow the other way in any frame counts: the
    // frames share one layout, where both edges are, and each label is
    // drawn where that layout put it (render/timelapse.cc).
    std::set<std::pair<Index, Index>> ends = o_.frame_flow_ends;
    for (const FlowEdge& f : flow_edges_) {
      ends.insert({f.from, f.to});
      flow_ends_.insert({f.from, f.to});
    }
    for (const FlowEdge& f : flow_edges_) {
      if (f.from == f.to || !ends.count({f.to, f.from})) continue;
      char* label = agget(f.edge, const_cast<char*>("label"));
      if (!label || !*label) continue;
      set_html(f.edge, "taillabel", label);
      // An empty label, so that dot still routes the two edges apart (edges
      // without one are drawn as a tight bundle).
      set_html(f.edge, "label",
               "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLPADDING=\"0\" CELLSPACING=\"0\"><TR><TD "
               "WIDTH=\"2\" HEIGHT=\"2\"></TD></TR></TABLE>");
      set(f.edge, "labelangle", "-25");
      set(f.edge, "labeldistance", "2.5");
      set(f.edge, "labelfontsize", "9");
    }
    flow_edges_.clear();
  }

  // --- Graphviz plumbing ---------------------------------------------------
  void declare_defaults() {
    auto graph = [&](const char* n, const char* v) {
      agattr(g_, AGRAPH, const_cast<char*>(n), const_cast<char*>(v));
    };
    auto node = [&](const char* n, const char* v) {
      agattr(g_, AGNODE, const_cast<char*>(n), const_cast<char*>(v));
    };
    auto edge = [&](const char* n, const char* v) {
      agattr(g_, AGEDGE, const_cast<char*>(n), const_cast<char*>(v));
    };
    graph("fontname", kFont);
    graph("charset", "UTF-8");
    graph("bgcolor", "white");
    graph("pad", "0.3");
    graph("outputorder", "edgesfirst");
    graph("newrank", "true");
    graph("linelength", "0");  // agwrite would otherwise break long HTML labels with newlines
    if (o_.format == Format::png) graph("dpi", std::to_string(o_.dpi).c_str());
    node("fontname", kFont);
    node("fontsize", o_.brief ? std::to_string(kBriefTextPt).c_str() : "12");
    node("fontcolor", kInk);
    node("shape", "box");
    node("style", "rounded,filled");
    node("fillcolor", "white");
    node("color", "#4D4D4D");
    node("penwidth", "1.2");
    node("margin", "0.12,0.06");
    edge("fontname", kFont);
    edge("fontsize", o_.brief ? std::to_string(kBriefEdgePt).c_str() : "9");
    edge("fontcolor", "#333333");
    edge("color", "#3A3A3A");
    edge("penwidth", "1.3");
    edge("arrowsize", "0.85");  // large enough to tell a hollow arrowhead from a filled one
    edge("style", "solid");
    edge("dir", "forward");
  }

  static void set(void* obj, const char* name, const std::string& value) {
    agsafeset(obj, const_cast<char*>(name), const_cast<char*>(value.c_str()), const_cast<char*>(""));
  }
  static void set_html(void* obj, const char* name, const std::string& html) {
    Agraph_t* g = agraphof(obj);
    // Interning the string as HTML first makes agsafeset reuse it as HTML.
    char* s = agstrdup_html(g, const_cast<char*>(html.c_str()));
    set(obj, name, s);
    agstrfree(g, s);
  }
  // A node's or cluster's label of one or more lines, with leading (leaded).
  static void set_lines(void* obj, const std::string& html) { set_html(obj, "label", leaded(html)); }

  Agnode_t* node(Agraph_t* parent, const std::string& id) {
    ++nodes_;
    return agnode(parent, const_cast<char*>(id.c_str()), 1);
  }
  Agedge_t* edge(Agnode_t* tail, Agnode_t* head) { return agedge(g_, tail, head, nullptr, 1); }

  // Stable SVG id and class (RenderOptions::entity_ids).
  void tag(void* obj, const std::string& id, const char* cls) {
    if (!o_.entity_ids) return;
    set(obj, "id", id);
    set(obj, "class", cls);
  }

  void used(const std::string& key) { used_.insert(key); }
  std::string name(const Entity& e) const { return e.display_name(lang_); }
  std::string escaped(std::string_view s) const { return text::dot_label_text(s); }

  // --- highlight state -------------------------------------------------------
  bool chain_view() const { return o_.view == View::chain; }
  bool lit_system(Index s) const { return hl_systems_.count(m_.systems[s].id) > 0; }
  bool lit_identifier(Index i) const { return hl_identifiers_.count(m_.identifiers[i].id) > 0; }
  bool only() const { return chain_view() && o_.highlight && o_.highlight->only; }

  // --- flows view --------------------------------------------------------------
  // Labels are kept short so a model of a hundred systems still fits a page:
  // a node lists its first identifiers and "+N", an edge its first items and
  // "+N"; long names wrap at the label width. Systems without flows are set out in rows instead of one tall
  // column, and `sector` draws one sector with its partners faded.
  static constexpr std::size_t kNodeIdentifiers = 3;
  static constexpr std::size_t kEdgeItems = 2;
  static constexpr std::size_t kIsolatedPerRow = 4;

  // Members of the chosen sector, and the partners their flows reach.
  void select_flows() {
    std::vector<bool>& focus = focus_;
    std::vector<bool>& partner = partner_;
    focus.assign(m_.systems.size(), o_.sector.empty());
    partner.assign(m_.systems.size(), false);
    if (!o_.sector.empty()) {
      std::set<std::string> sectors;
      for (Index s : at_.systems()) {
        sectors.insert(m_.systems[s].sector);
        if (m_.systems[s].sector == o_.sector) focus[s] = true;
      }
      if (!o_.sector_may_be_empty && std::find(focus.begin(), focus.end(), true) == focus.end())
        throw RenderError(
            say(o_.lang, Msg::render_sector_inactive, o_.sector, at_.at().iso(), text::join(sectors, ", ")));
      for (Index f : at_.flows()) {
        const Flow& flow = m_.flows[f];
        if (focus[flow.from.index]) partner[flow.to.index] = true;
        if (focus[flow.to.index]) partner[flow.from.index] = true;
      }
    }
  }

  void build_flows() {
    set(g_, "rankdir", o_.top_to_bottom ? "TB" : "LR");
    set(g_, "nodesep", "0.2");
    set(g_, "ranksep", "0.6");
    const std::vector<bool>& focus = focus_;
    const std::vector<bool>& partner = partner_;
    auto drawn_flow = [&](const Flow& flow) { return focus[flow.from.index] || focus[flow.to.index]; };
    std::vector<bool> has_flow(m_.systems.size(), false);
    for (Index f : at_.flows())
      if (drawn_flow(m_.flows[f])) has_flow[m_.flows[f].from.index] = has_flow[m_.flows[f].to.index] = true;

    std::map<std::string, std::vector<Index>> by_sector;
    for (Index s : at_.systems())
      if (focus[s] || partner[s]) by_sector[m_.systems[s].sector].push_back(s);
    std::vector<Agnode_t*> system_nodes(m_.systems.size(), nullptr);
    int cluster = 0;
    for (const auto& [sector, systems] : by_sector) {
      Agraph_t* sub = agsubg(g_, const_cast<char*>(("cluster_" + std::to_string(cluster++)).c_str()), 1);
      bool faded = !o_.sector.empty() && sector != o_.sector;
      set_lines(sub, font(wrapped(sector_label(sector, lang_)), 13, faded ? kFadedText : kGrey, true));
      set(sub, "labeljust", "l");
      set(sub, "style", "rounded,filled");
      set(sub, "fillcolor", faded ? "#FAFAFA" : "#F4F6F8");
      set(sub, "color", faded ? "#E2E2E2" : "#C9CED6");
      set(sub, "penwidth", "1");
      set(sub, "margin", "10");
      std::vector<Agnode_t*> isolated;
      for (Index s : systems) {
        system_nodes[s] = focus[s] ? flows_system_node(sub, s) : flows_partner_node(sub, s);
        if (!has_flow[s]) isolated.push_back(system_nodes[s]);
      }
      // Unconnected systems would all take the first rank, one above the
      // other; invisible edges set them out in short rows.
      for (std::size_t k = 0; k + 1 < isolated.size(); ++k) {
        if ((k + 1) % kIsolatedPerRow == 0) continue;
        Agedge_t* e = edge(isolated[k], isolated[k + 1]);
        set(e, "style", "invis");
        set(e, "minlen", "1");
      }
    }
    for (Index f : at_.flows()) {
      const Flow& flow = m_.flows[f];
      if (!drawn_flow(flow)) continue;
      Agedge_t* e = edge(system_nodes[flow.from.index], system_nodes[flow.to.index]);
      tag(e, "flow:" + flow.id, "flow");
      set(e, "tooltip", flow_tooltip(flow));
      bool special = false;
      std::vector<std::string> items = carried(flow, special);
      std::vector<std::string> lines;
      if (special) {
        lines.push_back(font(bullet(say(lang_, Msg::diagram_special)), 9, kSpecial, true));
        used("special");
      }
      for (const auto& line : short_list(items, kEdgeItems)) lines.push_back(escaped(line));
      if (!lines.empty()) set_html(e, "label", font(text::join(lines, "<BR/>"), 9));
      style_flow(e, flow.consent, planned_flow(flow));
      if (special) set(e, "penwidth", "2.6");
      flow_edges_.push_back({flow.from.index, flow.to.index, e});
    }
    place_opposite_labels();
  }

  // The names of what an active flow carries that is active at the date
  // (identifiers, then data); `special` is set when a data item is special.
  std::vector<std::string> carried(const Flow& flow, bool& special) const {
    std::vector<std::string> items;
    for (const auto& r : flow.carries.identifiers)
      if (at_.identifier_active(r.index)) items.push_back(name(m_.identifiers[r.index]));
    for (const auto& r : flow.carries.data) {
      if (!at_.data_active(r.index)) continue;
      items.push_back(name(m_.data[r.index]));
      special = special || m_.data[r.index].sensitivity == Sensitivity::special;
    }
    return items;
  }

  // A flow's details for its tooltip: its name and ends, its consent, and
  // each basis law with where it stands at the date, so an ended law never
  // reads as a current basis (docs/rendering.md, "Tooltips").
  std::string flow_tooltip(const Flow& flow) const {
    const std::string out =
        say(lang_, Msg::diagram_flow_tooltip, name(flow), name(m_.systems[flow.from.index]),
            name(m_.systems[flow.to.index]), consent_label(flow.consent, lang_),
            laws_with_state(m_, flow.basis, at_.at(), lang_));
    // The SVG's title: XML-safe (docs/security.md); Graphviz reads backslash
    // escapes (\N, \E) in tooltips, so a backslash is doubled.
    std::string escaped;
    for (char c : text::xml_safe(out)) {
      if (c == '\\') escaped += '\\';
      escaped += c;
    }
    return escaped;
  }

  // A flow drawn dashed: planned or proposed itself, or between such systems.
  bool planned_flow(const Flow& flow) const {
    return is_planned(flow) || is_planned(m_.systems[flow.from.index]) ||
           is_planned(m_.systems[flow.to.index]);
  }

  // The first `max_items` items, each wrapped at the label width, and "+N"
  // for the rest. Nothing is cut: a reader must be able to name each item.
  std::vector<std::string> short_list(const std::vector<std::string>& items, std::size_t max_items) const {
    std::vector<std::string> lines;
    for (std::size_t k = 0; k < std::min(items.size(), max_items); ++k)
      for (auto& line : text::wrap_text(items[k], o_.label_width)) lines.push_back(std::move(line));
    if (items.size() > max_items) {
      std::string more = "+" + std::to_string(items.size() - max_items);
      // Beside the last item when the line has room, else on a line of its own.
      if (!lines.empty() && text::display_width(lines.back()) + 1 + more.size() <= o_.label_width)
        lines.back() += " " + more;
      else
        lines.push_back(more);
    }
    return lines;
  }

  // "● text" for special-category data, wrapped with the text's lines under
  // the first one's text.
  std::string bullet(std::string_view text) const {
    std::vector<std::string> lines;
    const std::size_t width = std::max<std::size_t>(o_.label_width, kMinLabelWidth) - 2;
    for (const auto& line : text::wrap_text(text, width))
      lines.push_back((lines.empty() ? "● " : "  ") + escaped(line));
    return text::join(lines, "<BR/>");
  }

  // `text` wrapped at the label width, escaped, lines joined by <BR/>.
  std::string wrapped(std::string_view text) const {
    std::vector<std::string> lines;
    for (const auto& line : text::wrap_text(text, o_.label_width)) lines.push_back(escaped(line));
    return text::join(lines, "<BR/>");
  }

  Agnode_t* flows_system_node(Agraph_t* parent, Index s) {
    const System& sys = m_.systems[s];
    Agnode_t* n = node(parent, "s" + std::to_string(s));
    tag(n, "system:" + sys.id, "system");
    std::string label = font(wrapped(name(sys)), 13, kInk, true);
    std::vector<std::string> ids;
    for (Index i : at_.identifiers_of(s)) ids.push_back(name(m_.identifiers[i]));
    for (const auto& line :
         text::wrap_items(ids, say(lang_, Msg::list_separator_compact), o_.label_width, kNodeIdentifiers))
      label += "<BR/>" + font(escaped(line), 9, kGrey);
    bool special = false;
    for (Index d : at_.data_of(s)) special = special || m_.data[d].sensitivity == Sensitivity::special;
    if (special) {
      label += "<BR/>" + font(bullet(say(lang_, Msg::diagram_holds_special)), 9, kSpecial, true);
      used("special");
    }
    set_lines(n, label);
    if (is_planned(sys)) {
      set(n, "style", "rounded,filled,dashed");
      used("planned");
    }
    return n;
  }

  // A system outside the chosen sector: its name only, faded.
  Agnode_t* flows_partner_node(Agraph_t* parent, Index s) {
    const System& sys = m_.systems[s];
    Agnode_t* n = node(parent, "s" + std::to_string(s));
    tag(n, "system:" + sys.id, "system");
    set_lines(n, font(wrapped(name(sys)), 11, kGrey));
    set(n, "color", kFaded);
    set(n, "style", is_planned(sys) ? "rounded,filled,dashed" : "rounded,filled");
    if (is_planned(sys)) used("planned");
    used("partner");
    return n;
  }

  // --- person view ---------------------------------------------------------------
  // docs/model-format.md, "The model for a person": the systems holding the
  // person's records (non-empty effective holdings), in a box per sector,
  // each listing what it holds of them, and the flows active for them.
  static constexpr std::size_t kPersonItems = 4;

  bool person_holds(Index s) const { return !at_.identifiers_of(s).empty() || !at_.data_of(s).empty(); }

  void build_person() {
    if (at_.person() == kNone) throw RenderError("the person view needs a person (--person P)");
    set(g_, "rankdir", o_.top_to_bottom ? "TB" : "LR");
    set(g_, "nodesep", "0.25");
    set(g_, "ranksep", "0.8");
    std::map<std::string, std::vector<Index>> by_sector;
    for (Index s : at_.systems())
      if (person_holds(s)) by_sector[m_.systems[s].sector].push_back(s);
    std::vector<Agnode_t*> nodes(m_.systems.size(), nullptr);
    int cluster = 0;
    for (const auto& [sector, systems] : by_sector) {
      Agraph_t* sub = agsubg(g_, const_cast<char*>(("cluster_" + std::to_string(cluster++)).c_str()), 1);
      set_lines(sub, font(wrapped(sector_label(sector, lang_)), 13, kGrey, true));
      set(sub, "labeljust", "l");
      set(sub, "style", "rounded,filled");
      set(sub, "fillcolor", "#F4F6F8");
      set(sub, "color", "#C9CED6");
      set(sub, "margin", "10");
      for (Index s : systems) nodes[s] = person_system_node(sub, s);
    }
    for (Index f : at_.flows()) {
      const Flow& flow = m_.flows[f];
      Agnode_t* from = nodes[flow.from.index];
      Agnode_t* to = nodes[flow.to.index];
      if (!from || !to) continue;
      Agedge_t* e = edge(from, to);
      tag(e, "flow:" + flow.id, "flow");
      bool special = false;
      std::vector<std::string> items = carried(flow, special);
      std::vector<std::string> lines;
      if (special) {
        lines.push_back(font(bullet(say(lang_, Msg::diagram_special)), 9, kSpecial, true));
        used("special");
      }
      for (const auto& line : short_list(items, kEdgeItems)) lines.push_back(escaped(line));
      // The consent act that switches this flow on (or could switch it off) for the person.
      if (flow.consent_act && flow.consent_act->index != kNone)
        lines.push_back(font(
            wrapped(say(lang_, Msg::diagram_consent_act, name(m_.consent_acts[flow.consent_act->index]))), 8,
            kGrey));
      if (!lines.empty()) set_html(e, "label", font(text::join(lines, "<BR/>"), 9));
      style_flow(e, flow.consent, planned_flow(flow));
      if (special) set(e, "penwidth", "2.6");
      flow_edges_.push_back({flow.from.index, flow.to.index, e});
    }
    place_opposite_labels();
  }

  Agnode_t* person_system_node(Agraph_t* parent, Index s) {
    const System& sys = m_.systems[s];
    Agnode_t* n = node(parent, "s" + std::to_string(s));
    tag(n, "system:" + sys.id, "system");
    std::string label = font(wrapped(name(sys)), 13, kInk, true);
    const std::string separator = say(lang_, Msg::list_separator_compact);
    std::vector<std::string> ids;
    for (Index i : at_.identifiers_of(s)) ids.push_back(name(m_.identifiers[i]));
    for (const auto& line : text::wrap_items(ids, separator, o_.label_width, kPersonItems))
      label += "<BR/>" + font(escaped(line), 9, kGrey);
    std::vector<std::string> data, special;
    for (Index d : at_.data_of(s))
      (m_.data[d].sensitivity == Sensitivity::special ? special : data).push_back(name(m_.data[d]));
    for (const auto& line : text::wrap_items(data, separator, o_.label_width, kPersonItems))
      label += "<BR/>" + font(escaped(line), 9, kInk);
    if (!special.empty()) {
      for (const auto& line : text::wrap_items(special, separator, o_.label_width - 2, kPersonItems))
        label += "<BR/>" + font(bullet(line), 9, kSpecial, true);
      used("special");
    }
    set_lines(n, label);
    if (is_planned(sys)) {
      set(n, "style", "rounded,filled,dashed");
      used("planned");
    }
    return n;
  }

  // --- sectors view -------------------------------------------------------------
  // The whole ecosystem on one slide: a node per sector with its systems and
  // the identifiers they hold, and between two sectors one edge per consent
  // mode, labelled with how many flows it sums up and what they carry most.
  static constexpr std::size_t kSectorIdentifiers = 4;

  // Items by how many flows carry them (most first, then by name), as labels.
  std::vector<std::string> ranked(const std::map<std::string, int>& counts) const {
    std::vector<std::pair<int, std::string>> order;
    for (const auto& [item, n] : counts) order.emplace_back(-n, item);
    std::sort(order.begin(), order.end());
    std::vector<std::string> out;
    for (const auto& [n, item] : order) out.push_back(item);
    return out;
  }

  void brief_sector_node(Agnode_t* n, const std::string& sector, std::size_t systems,
                         std::size_t internal_flows, bool special) {
    std::string label = font(wrapped(sector_label(sector, lang_)), kBriefNamePt, kInk, true);
    std::string count =
        say(lang_, systems == 1 ? Msg::diagram_sector_systems_one : Msg::diagram_sector_systems, systems);
    if (internal_flows)
      count += say(
          lang_,
          internal_flows == 1 ? Msg::diagram_sector_internal_flows_one : Msg::diagram_sector_internal_flows,
          internal_flows);
    label += "<BR/>" + font(wrapped(count), kBriefTextPt, kGrey);
    if (special) {
      label += "<BR/>" + font(bullet(say(lang_, Msg::diagram_holds_special)), kBriefTextPt, kSpecial, true);
      used("special");
    }
    set_lines(n, label);
    set(n, "fillcolor", "#F4F6F8");
    set(n, "color", "#8C96A3");
    set(n, "margin", "0.2,0.1");
  }

  // The slide form (RenderOptions::brief): larger text throughout, so that
  // the whole ecosystem scaled to a 16:9 slide stays readable; a box says
  // its sector's name and counts, an edge its number of flows.
  static constexpr int kBriefNamePt = 22;
  static constexpr int kBriefTextPt = 16;
  static constexpr int kBriefEdgePt = 16;
  static constexpr int kBriefLegendPt = 14;

  // The consent style an edge of the slide form takes: its flows' one
  // consent mode, or none when they have several (drawn as such: never one
  // mode some of its flows do not have).
  void style_mixed(Agedge_t* e, bool planned) {
    set(e, "color", planned ? std::string(kGrey) + ":transparent:" + kGrey : std::string(kGrey));
    set(e, "style", palette::mixed_consent_style().style);
    set(e, "arrowhead", palette::mixed_consent_style().arrowhead);
    used("mixed_consent");
    if (planned) used("planned");
  }

  // An edge label of the sectors view with kLabelFarSide points
  // (render/graphviz.h) of empty room on the side away from its edge. dot
  // sets every label on the same side of its edge (above it left to right,
  // right of it top to bottom), so of two bundles the opposite ways between
  // the same sectors, drawn side by side, one label lies between the two
  // edges; and dot keeps the labels' places on that rank only 5 pt apart,
  // so that label, with its text about 10 pt from its own edge, ended nearer
  // the other bundle (its centre 28 pt from its own edge and 26 pt from the
  // other on the reference model's 2026 view). The room keeps it nearer its
  // own; where it does not, the label is moved after the layout
  // (move_labels_nearer_opposite).
  std::string apart_from_opposite(const std::string& html) const {
    const std::string room = std::to_string(kLabelFarSide);
    const std::string table = "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLPADDING=\"0\" CELLSPACING=\"0\">";
    if (o_.top_to_bottom)
      return table + "<TR><TD>" + html + "</TD><TD WIDTH=\"" + room + "\"></TD></TR></TABLE>";
    return table + "<TR><TD HEIGHT=\"" + room + "\"></TD></TR><TR><TD>" + html + "</TD></TR></TABLE>";
  }

  void build_sectors() {
    set(g_, "rankdir", o_.top_to_bottom ? "TB" : "LR");
    // The slide form closer together: its labels are short, and what
    // matters on a slide is the size of the text.
    set(g_, "nodesep", o_.brief ? "0.3" : "0.5");
    set(g_, "ranksep", o_.brief ? "0.6" : "1.2");
    struct SectorInfo {
      std::size_t systems = 0, planned = 0, internal_flows = 0;
      std::map<std::string, int> identifiers;  // display name → holders in the sector
      bool special = false;
    };
    std::map<std::string, SectorInfo> sectors;
    for (Index s : at_.systems()) {
      const System& sys = m_.systems[s];
      SectorInfo& info = sectors[sys.sector];
      ++info.systems;
      if (is_planned(sys)) ++info.planned;
      for (Index i : at_.identifiers_of(s))
        if (m_.identifiers[i].scope == Scope::global) ++info.identifiers[name(m_.identifiers[i])];
      for (Index d : at_.data_of(s))
        info.special = info.special || m_.data[d].sensitivity == Sensitivity::special;
    }
    struct Bundle {
      std::size_t flows = 0, planned = 0;
      std::map<std::string, int> items;
      bool special = false;
      std::set<Consent> consents;
    };
    // The slide form has one bundle per ordered pair: its key's consent is
    // always `none` there, and `consents` says which its flows have.
    std::map<std::tuple<std::string, std::string, Consent>, Bundle> bundles;
    for (Index f : at_.flows()) {
      const Flow& flow = m_.flows[f];
      const std::string& from = m_.systems[flow.from.index].sector;
      const std::string& to = m_.systems[flow.to.index].sector;
      if (from == to) {
        ++sectors[from].internal_flows;
        continue;
      }
      Bundle& b = bundles[{from, to, o_.brief ? Consent::none : flow.consent}];
      b.consents.insert(flow.consent);
      ++b.flows;
      if (planned_flow(flow)) ++b.planned;
      for (const auto& item : carried(flow, b.special)) ++b.items[item];
    }
    std::map<std::string, Agnode_t*> nodes;
    std::map<std::string, Index> sector_index;
    int k = 0;
    for (const auto& [sector, info] : sectors) {
      sector_index[sector] = static_cast<Index>(k);
      Agnode_t* n = node(g_, "sector" + std::to_string(k++));
      tag(n, "sector:" + sector, "sector");
      if (o_.brief) {
        brief_sector_node(n, sector, info.systems, info.internal_flows, info.special);
        if (info.planned == info.systems) {
          set(n, "style", "rounded,filled,dashed");
          used("planned");
        }
        nodes[sector] = n;
        continue;
      }
      std::string label = font(wrapped(sector_label(sector, lang_)), 15, kInk, true);
      std::string count =
          say(lang_, info.systems == 1 ? Msg::diagram_sector_systems_one : Msg::diagram_sector_systems,
              info.systems);
      if (info.internal_flows)
        count += say(lang_,
                     info.internal_flows == 1 ? Msg::diagram_sector_internal_flows_one
                                              : Msg::diagram_sector_internal_flows,
                     info.internal_flows);
      label += "<BR/>" + font(wrapped(count), 10, kGrey);
      for (const auto& line :
           text::wrap_items(ranked(info.identifiers), say(lang_, Msg::list_separator_compact), o_.label_width,
                            kSectorIdentifiers))
        label += "<BR/>" + font(escaped(line), 9, kGrey);
      if (info.special) {
        label += "<BR/>" + font(bullet(say(lang_, Msg::diagram_holds_special)), 9, kSpecial, true);
        used("special");
      }
      set_lines(n, label);
      set(n, "fillcolor", "#F4F6F8");
      set(n, "color", "#8C96A3");
      set(n, "margin", "0.2,0.1");
      if (info.planned == info.systems) {
        set(n, "style", "rounded,filled,dashed");
        used("planned");
      }
      nodes[sector] = n;
    }
    std::set<std::pair<std::string, std::string>> pairs;
    for (const auto& [key, b] : bundles) pairs.insert({std::get<0>(key), std::get<1>(key)});
    // A bundle with one the other way: its label with room on its far side
    // (apart_from_opposite).
    auto bundle_label = [&](Agedge_t* e, const std::string& from, const std::string& to,
                            const std::string& html) {
      set_html(e, "label", pairs.count({to, from}) ? apart_from_opposite(html) : html);
    };
    for (const auto& [key, b] : bundles) {
      const auto& [from, to, consent] = key;
      Agedge_t* e = edge(nodes[from], nodes[to]);
      if (o_.brief) {
        tag(e, "flows:" + from + ":" + to, "flows");
        std::string label = font(std::to_string(b.flows), kBriefEdgePt, kInk, true);
        if (b.special) {
          label += " " + font("●", kBriefEdgePt, kSpecial, true);
          used("special");
        }
        bundle_label(e, from, to, label);
        used("flow_count");
        if (b.consents.size() == 1)
          style_flow(e, *b.consents.begin(), b.planned == b.flows);
        else
          style_mixed(e, b.planned == b.flows);
        set(e, "penwidth", std::to_string(std::min<std::size_t>(1 + b.flows / 2, 6)));
        used("width");
        continue;
      }
      tag(e, "flows:" + from + ":" + to + ":" + std::string(to_string(consent)), "flows");
      std::string label =
          escaped(say(lang_, b.flows == 1 ? Msg::diagram_flow_count_one : Msg::diagram_flow_count, b.flows));
      if (b.special) {
        label += " " + font("●", 9, kSpecial, true);
        used("special");
      }
      for (const auto& line : short_list(ranked(b.items), kEdgeItems)) label += "<BR/>" + escaped(line);
      bundle_label(e, from, to, font(label, 9));
      style_flow(e, consent, b.planned == b.flows);
      // Wider for more flows, so the busy routes stand out.
      set(e, "penwidth", std::to_string(std::min<std::size_t>(1 + b.flows / 2, 6)));
      used("width");
      flow_edges_.push_back({sector_index.at(from), sector_index.at(to), e});
    }
    place_opposite_labels();
  }

  // --- linkage and chain views -------------------------------------------------
  // What these views draw: the active systems (only those of the result with
  // `only`), the global identifiers someone holds, a marker per holder of a
  // holder-scoped identifier, and in the chain view the data of data_links().
  bool drawn_system(Index s) const { return at_.system_active(s) && (!only() || lit_system(s)); }
  bool drawn_identifier(Index i) const {
    return m_.identifiers[i].scope == Scope::global && !at_.holders_of_identifier(i).empty() &&
           (!only() || lit_identifier(i));
  }
  // For a drawn system `s` and an identifier it holds.
  bool drawn_holder(Index s, Index i) const {
    return m_.identifiers[i].scope == Scope::holder && (!only() || (lit_system(s) && lit_identifier(i)));
  }

  void build_linkage(bool chain) {
    set(g_, "rankdir", o_.top_to_bottom ? "TB" : "LR");
    set(g_, "nodesep", "0.25");
    set(g_, "ranksep", "1.4");
    std::vector<Agnode_t*> system_nodes(m_.systems.size(), nullptr);
    std::vector<Agnode_t*> identifier_nodes(m_.identifiers.size(), nullptr);

    std::size_t parity = 0;
    std::vector<bool> on_left(m_.systems.size(), true);
    for (Index s : at_.systems()) {
      if (!drawn_system(s)) continue;
      // Alternate sides so identifiers sit between two columns of systems.
      on_left[s] = parity++ % 2 == 0;
      system_nodes[s] = linkage_system_node(s, chain);
    }
    for (Index i : at_.identifiers()) {
      if (!drawn_identifier(i)) continue;
      identifier_nodes[i] = linkage_identifier_node(i, chain);
    }
    for (Index s : at_.systems()) {
      if (!system_nodes[s]) continue;
      for (Index i : at_.identifiers_of(s)) {
        const Identifier& id = m_.identifiers[i];
        if (id.scope == Scope::holder) {
          holder_marker(s, i, system_nodes[s], chain);
          continue;
        }
        if (!identifier_nodes[i]) continue;
        auto chain_colour = chain_holds_.find({m_.systems[s].id, "i:" + id.id});
        bool lit = lit_system(s) && lit_identifier(i);
        if (only() && !lit) continue;
        Agedge_t* e = on_left[s] ? edge(system_nodes[s], identifier_nodes[i])
                                 : edge(identifier_nodes[i], system_nodes[s]);
        tag(e, "holds:" + m_.systems[s].id + ":" + id.id, "holds");
        set(e, "dir", "none");
        set(e, "color", identifier_colour(id.kind));
        if (id.kind == IdentifierKind::quasi) set(e, "style", "dashed");
        if (chain) {
          if (chain_colour != chain_holds_.end()) {
            set(e, "color", colour_list(chain_colour->second));
            set(e, "penwidth", "3.5");
            // docs/model-format.md, "Joins, restricted and fuzzy": a join a
            // law in force restricts is dashed, an open one solid.
            const bool restricted = at_.identifier_restricted(i);
            set(e, "style", restricted ? "dashed" : "solid");
            used(restricted ? "join:restricted" : "join:open");
          } else if (lit) {
            // Beside the chains' colours an identifier's colour would read
            // as another chain: only its node keeps it.
            if (!o_.highlight->chains.empty()) set(e, "color", kGrey);
            set(e, "penwidth", "2.2");
          } else {
            set(e, "color", kFaded);
            used("faded");
          }
        }
      }
    }
    if (chain) chain_extras(system_nodes);
  }

  Agnode_t* linkage_system_node(Index s, bool chain) {
    const System& sys = m_.systems[s];
    Agnode_t* n = node(g_, "s" + std::to_string(s));
    tag(n, "system:" + sys.id, "system");
    bool faded = chain && !lit_system(s);
    std::string label = font(wrapped(name(sys)), 13, faded ? kFadedText : kInk, true);
    const int note_pt = chain ? kChainNotePt : 9;
    label += "<BR/>" + font(wrapped(sector_label(sys.sector, lang_)), note_pt, faded ? kFadedText : kGrey);
    if (chain && o_.highlight) {
      auto depth = o_.highlight->system_depth.find(sys.id);
      if (depth != o_.highlight->system_depth.end()) {
        label += "<BR/>" + font(say(lang_, Msg::diagram_depth, depth->second), note_pt, kInk, true);
        used("depth");
      }
    }
    set_lines(n, label);
    std::string style = "rounded,filled";
    if (is_planned(sys)) {
      style += ",dashed";
      used("planned");
    }
    set(n, "style", style);
    if (faded) {
      set(n, "color", kFaded);
      used("faded");
    } else if (chain) {
      set(n, "penwidth", "2.4");
      set(n, "color", kInk);
      set(n, "fillcolor", kHighlightFill);
      used("highlight");
    }
    return n;
  }

  Agnode_t* linkage_identifier_node(Index i, bool chain) {
    const Identifier& id = m_.identifiers[i];
    Agnode_t* n = node(g_, "i" + std::to_string(i));
    tag(n, "identifier:" + id.id, "identifier");
    bool faded = chain && !lit_identifier(i);
    const char* colour = identifier_colour(id.kind);
    std::string label = font(wrapped(name(id)), 12, faded ? kFadedText : kInk, true);
    label += "<BR/>" + font(wrapped(identifier_kind_label(id.kind, lang_)), chain ? kChainNotePt : 8,
                            faded ? kFadedText : kGrey);
    if (chain && joined_.count(id.id)) label += "<BR/>" + join_note(i);
    set_lines(n, label);
    bool quasi = id.kind == IdentifierKind::quasi;
    const palette::NodeShape shape = identifier_shape(id.kind);
    set(n, "shape", shape.shape);
    if (shape.peripheries != 1) set(n, "peripheries", std::to_string(shape.peripheries));
    std::string style = quasi ? "filled,dashed" : "filled";
    if (is_planned(id)) {
      style = "filled,dashed";
      used("planned");
    }
    set(n, "style", style);
    // In the chain view the chains' colours are the lines: a lit identifier
    // is outlined in ink and keeps its kind's fill and shape (and its kind
    // written under its name).
    set(n, "color", faded ? kFaded : chain ? kInk : colour);
    set(n, "fillcolor", faded ? "#F7F7F7" : identifier_fill(id.kind));
    set(n, "penwidth", chain && !faded ? "2.6" : "1.6");
    set(n, "margin", "0.06,0.03");
    used(quasi ? "quasi" : "identifier:" + std::string(to_string(id.kind)));
    return n;
  }

  // What a highlighted chain's joins are at the date ("open — no law
  // restricts these joins", "restricted by …", the match error), worked
  // out from its hops as the engine does for a chain.
  std::string chain_note(const std::vector<HighlightHop>& hops) const {
    Chain chain;
    for (const HighlightHop& hop : hops) {
      if (hop.kind != HighlightHop::Kind::holds || hop.identifier.empty()) continue;
      Index i = m_.find_identifier(hop.identifier);
      if (i != kNone) chain.hops.push_back(ChainHop{ChainHop::Kind::holds, kNone, i, kNone, kNone});
    }
    describe_joins(at_, chain);
    return chain_joins(m_, chain, lang_);
  }

  // Under an identifier a chain joins through: the laws restricting it at
  // the date, or that none does; and its match error when it has one.
  std::string join_note(Index i) const {
    const Identifier& id = m_.identifiers[i];
    std::vector<Index> laws = at_.restricting_laws(i);
    std::string note;
    if (laws.empty()) {
      note = font(wrapped(say(lang_, Msg::diagram_join_open)), kChainNotePt, kInk, true);
    } else {
      std::vector<std::string> names;
      for (Index l : laws) names.push_back(name(m_.laws[l]));
      note = font(wrapped(say(lang_, Msg::diagram_join_restricted, join_list(names, lang_))), kChainNotePt,
                  kInk, true);
    }
    if (id.match_error.value_or(0) > 0)
      note += "<BR/>" + font(wrapped(say(lang_, Msg::diagram_match_error, percent_text(*id.match_error))),
                             kChainNotePt, kGrey);
    return note;
  }

  // A holder-scoped identifier gets its own marker per holder: equal ids in
  // two systems never join them, so no node may be shared.
  void holder_marker(Index s, Index i, Agnode_t* system_node, bool chain) {
    if (!drawn_holder(s, i)) return;
    const Identifier& id = m_.identifiers[i];
    bool lit = lit_system(s) && lit_identifier(i);
    Agnode_t* n = node(g_, "h" + std::to_string(s) + "_" + std::to_string(i));
    tag(n, "holder:" + m_.systems[s].id + ":" + id.id, "holder");
    bool faded = chain && !lit;
    set_lines(n, font(wrapped(name(id)), chain ? kChainNotePt : 9, faded ? kFadedText : kGrey));
    set(n, "style", "rounded,dotted");
    set(n, "color", faded ? kFaded : kGrey);
    set(n, "margin", "0.06,0.02");
    Agedge_t* e = edge(system_node, n);
    tag(e, "holds:" + m_.systems[s].id + ":" + id.id, "holds");
    set(e, "dir", "none");
    set(e, "style", "dotted");
    set(e, "color", faded ? kFaded : kGrey);
    auto chain_colour = chain_holds_.find({m_.systems[s].id, "i:" + id.id});
    if (chain && chain_colour != chain_holds_.end()) {
      set(e, "color", colour_list(chain_colour->second));
      set(e, "penwidth", "3");
    }
    used("holder");
  }

  // Data at the ends of chains, and the flows chains and reach step along.
  Agnode_t* data_node(Index d) {
    Agnode_t* n = node(g_, "d" + std::to_string(d));
    const DataItem& item = m_.data[d];
    tag(n, "data:" + item.id, "data");
    std::string label = font(wrapped(name(item)), 12, kInk, true);
    if (item.sensitivity == Sensitivity::special) {
      label += "<BR/>" + font(bullet(say(lang_, Msg::diagram_special)), kChainNotePt, kSpecial, true);
      used("special");
    }
    set_lines(n, label);
    set(n, "shape", "note");
    set(n, "style", "filled");
    set(n, "fillcolor", "white");
    set(n, "penwidth", "2");
    return n;
  }

  // A data node of the chain view tied to a drawn system, in drawing order:
  // first the data chains step to, then special-category data a reach
  // found, the point of a 芋づる diagram, tied to the systems of the result
  // that hold it (other data would bury the picture and is left to `imozuru
  // reach`).
  struct DataLink {
    Index system, data;
    const std::vector<const char*>* chain_colours;  // nullptr: found by reach
  };
  std::vector<DataLink> data_links() const {
    std::vector<DataLink> links;
    if (!chain_view()) return links;
    for (const auto& [holding, colour] : chain_holds_) {
      if (holding.second.rfind("d:", 0) != 0) continue;
      Index s = m_.find_system(holding.first);
      Index d = m_.find_data(holding.second.substr(2));
      if (s == kNone || d == kNone || !drawn_system(s) || !at_.data_active(d)) continue;
      links.push_back({s, d, &colour});
    }
    if (o_.highlight) {
      std::set<Index> found;
      for (const auto& id : o_.highlight->data) {
        Index d = m_.find_data(id);
        if (d != kNone && at_.data_active(d) && m_.data[d].sensitivity == Sensitivity::special)
          found.insert(d);
      }
      for (Index d : found) {
        for (Index s : at_.holders_of_data(d)) {
          if (!drawn_system(s) || !lit_system(s) ||
              chain_holds_.count({m_.systems[s].id, "d:" + m_.data[d].id}))
            continue;
          links.push_back({s, d, nullptr});
        }
      }
    }
    return links;
  }

  void chain_extras(const std::vector<Agnode_t*>& system_nodes) {
    std::vector<Agnode_t*> data_nodes(m_.data.size(), nullptr);
    for (const DataLink& link : data_links()) {
      const Index s = link.system, d = link.data;
      if (!data_nodes[d]) data_nodes[d] = data_node(d);
      Agedge_t* e = edge(system_nodes[s], data_nodes[d]);
      if (link.chain_colours) {
        set(e, "dir", "none");
        set(e, "color", colour_list(*link.chain_colours));
        set(e, "penwidth", "3.5");
      } else {
        tag(e, "holds:" + m_.systems[s].id + ":" + m_.data[d].id, "holds");
        set(e, "dir", "none");
        set(e, "color", kSpecial);
        set(e, "penwidth", "1.8");
      }
    }
    for (Index f : at_.flows()) {
      const Flow& flow = m_.flows[f];
      if (!hl_flows_.count(flow.id)) continue;
      Agnode_t* from = system_nodes[flow.from.index];
      Agnode_t* to = system_nodes[flow.to.index];
      if (!from || !to) continue;
      Agedge_t* e = edge(from, to);
      tag(e, "flow:" + flow.id, "flow");
      set(e, "tooltip", flow_tooltip(flow));
      auto colour = chain_flows_.find(flow.id);
      if (colour != chain_flows_.end())
        set(e, "color", colour_list(colour->second));
      else
        style_flow(e, flow.consent, false);
      set(e, "penwidth", "3");
      set(e, "constraint", "false");
      set_html(e, "label", font(wrapped(name(flow)) + "<BR/>" + consent_label(flow.consent, lang_), 9));
    }
  }

  // --- title and legend ------------------------------------------------------
  std::vector<LegendEntry> legend_entries() const {
    std::vector<LegendEntry> entries;
    const int bigger = o_.brief ? kBriefLegendPt - 10 : 0;
    auto add = [&](std::string key, std::string sample, std::string label) {
      entries.push_back({std::move(key), std::move(sample), text::dot_label_text(label)});
    };
    add("highlight", box_sample(kHighlightFill, kInk), say(lang_, Msg::legend_highlight));
    add("faded", box_sample("#F7F7F7", kFaded), say(lang_, Msg::legend_faded));
    add("partner", box_sample("#FFFFFF", kFaded), say(lang_, Msg::legend_partner));
    if (o_.highlight)
      for (std::size_t c = 0; c < o_.highlight->chains.size(); ++c)
        add("chain:" + std::to_string(c + 1), line_sample(chain_colour(c), "━━━", bigger),
            text::join(text::wrap_text(
                           say(lang_, Msg::legend_chain_joins, c + 1, chain_note(o_.highlight->chains[c])),
                           kLegendLineWidth),
                       "\n"));
    add("join:open", line_sample(kInk, "━━━", bigger), say(lang_, Msg::legend_join_open));
    add("join:restricted", line_sample(kInk, "╍╍╍", bigger), say(lang_, Msg::legend_join_restricted));
    add("depth", "<TD>" + font("n", 10 + bigger, kInk, true) + "</TD>", say(lang_, Msg::legend_depth));
    for (Consent c : {Consent::none, Consent::notice, Consent::opt_out, Consent::opt_in, Consent::card,
                      Consent::comprehensive})
      add("consent:" + std::string(to_string(c)),
          line_sample(consent_colour(c), consent_style(c).glyphs, bigger), consent_label(c, lang_));
    add("mixed_consent", line_sample(kGrey, palette::mixed_consent_style().glyphs, bigger),
        say(lang_, Msg::legend_consent_mixed));
    add("flow_count", "<TD>" + font("n", 10 + bigger, kInk, true) + "</TD>",
        say(lang_, Msg::legend_flow_count));
    add("width", line_sample(kGrey, "━", bigger), say(lang_, Msg::legend_width));
    add("special", "<TD>" + font("●", 11 + bigger, kSpecial, true) + "</TD>",
        say(lang_, o_.view == View::sectors ? Msg::legend_special_sectors : Msg::legend_special));
    for (IdentifierKind k : {IdentifierKind::national, IdentifierKind::sectoral, IdentifierKind::token,
                             IdentifierKind::credential, IdentifierKind::card, IdentifierKind::account,
                             IdentifierKind::service, IdentifierKind::local})
      add("identifier:" + std::string(to_string(k)),
          shape_sample(identifier_fill(k), chain_view() ? kInk : identifier_colour(k),
                       identifier_shape(k).glyph, bigger),
          identifier_kind_label(k, lang_));
    add("quasi",
        shape_sample(identifier_fill(IdentifierKind::quasi),
                     chain_view() ? kInk : identifier_colour(IdentifierKind::quasi),
                     identifier_shape(IdentifierKind::quasi).glyph, bigger),
        identifier_kind_label(IdentifierKind::quasi, lang_));
    add("holder", line_sample(kGrey, "┈┈┈", bigger), say(lang_, Msg::legend_holder));
    // A planned system's dashed box, a planned flow's double line.
    add("planned", line_sample(kGrey, "╍╍ ═══", bigger), say(lang_, Msg::legend_planned));
    add("timelapse:new", box_sample(kTimelapseNewFill, kInk), say(lang_, Msg::legend_timelapse_new));
    add("timelapse:ghost", box_sample(kTimelapseGhostFill, kTimelapseGhostLine),
        say(lang_, Msg::legend_timelapse_ghost));
    return entries;
  }

  void set_title_and_legend() {
    std::string title = m_.model_name(lang_);
    if (title.empty()) title = say(lang_, Msg::word_model);
    std::string date = at_.at().iso();
    const Msg view_name = o_.view == View::flows ? Msg::diagram_view_flows
                          : o_.view == View::sectors
                              ? (o_.brief ? Msg::diagram_view_sectors_brief : Msg::diagram_view_sectors)
                          : o_.view == View::linkage ? Msg::diagram_view_linkage
                          : o_.view == View::person  ? Msg::diagram_view_person
                                                     : Msg::diagram_view_chain;
    std::string subtitle = say(lang_, Msg::diagram_subtitle, date, say(lang_, view_name));
    if (at_.include_planned()) subtitle += say(lang_, Msg::diagram_subtitle_planned);
    if (at_.person() != kNone)
      subtitle += say(lang_, Msg::diagram_subtitle_person, person_name(m_, at_.person(), lang_));
    if (o_.view == View::flows && !o_.sector.empty())
      subtitle += say(lang_, Msg::diagram_subtitle_sector, sector_label(o_.sector, lang_));
    std::string rows;
    // A time-lapse frame's date (or step), whether or not there is a title.
    if (!o_.large_text.empty())
      rows += "<TR><TD ALIGN=\"LEFT\">" + font(escaped(o_.large_text), 40, kInk, true) + "</TD></TR>";
    if (o_.title) {
      rows += "<TR><TD ALIGN=\"LEFT\">" + font(escaped(title), 22, kInk, true) + "</TD></TR>";
      rows += "<TR><TD ALIGN=\"LEFT\">" + font(escaped(subtitle), o_.brief ? kBriefTextPt : 13, kGrey) +
              "</TD></TR>";
    }
    // A caption given by the user is always shown; the chain view's own one
    // (the query) goes with the title.
    std::string caption = o_.caption;
    if (caption.empty() && o_.title && o_.highlight) caption = o_.highlight->caption;
    if (!caption.empty())
      rows += "<TR><TD ALIGN=\"LEFT\">" + font(escaped(caption), o_.brief ? kBriefTextPt : 13, kInk) +
              "</TD></TR>";
    for (const auto& key : o_.legend_keys) used(key);
    std::vector<const LegendEntry*> shown;
    auto entries = legend_entries();
    for (const auto& e : entries)
      if (used_.count(e.key)) shown.push_back(&e);
    if (!shown.empty()) {
      rows +=
          "<TR><TD ALIGN=\"LEFT\"><TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"2\">";
      constexpr std::size_t kPerRow = 4;
      for (std::size_t k = 0; k < shown.size(); k += kPerRow) {
        rows += "<TR>";
        for (std::size_t j = k; j < std::min(shown.size(), k + kPerRow); ++j)
          rows += shown[j]->sample + "<TD ALIGN=\"LEFT\">" +
                  font(shown[j]->text, o_.brief ? kBriefLegendPt : 10, "#333333") + "</TD>";
        rows += "</TR>";
      }
      rows += "</TABLE></TD></TR>";
    }
    // An HTML table needs a row: with nothing to show there is no label.
    if (rows.empty()) return;
    std::string html =
        "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"3\">" + rows + "</TABLE>";
    // Set last: a root graph attribute becomes the default of later subgraphs.
    set_html(g_, "label", html);
    set(g_, "labelloc", "t");
    set(g_, "labeljust", "l");
  }

  const ModelAt& at_;
  const Model& m_;
  const RenderOptions& o_;
  Lang lang_;
  std::optional<GraphvizGraph> graph_;  // made by build()
  Agraph_t* g_ = nullptr;
  std::size_t nodes_ = 0;
  std::vector<bool> focus_, partner_;  // flows view: systems drawn in full, and faded partners
  std::set<std::string> used_;
  std::vector<FlowEdge> flow_edges_;             // the flows drawn, for place_opposite_labels()
  std::set<std::pair<Index, Index>> flow_ends_;  // Diagram::flow_ends
  std::set<std::string> hl_systems_, hl_identifiers_, hl_flows_;
  std::set<std::string> joined_;  // identifiers some chain joins through
  // A step several chains share is drawn in all their colours, side by side.
  using Colours = std::vector<const char*>;
  std::map<std::pair<std::string, std::string>, Colours> chain_holds_;  // (system, "i:id"|"d:id") → colours
  std::map<std::string, Colours> chain_flows_;                          // flow id → colours
};

}  // namespace

std::size_t count_nodes(const ModelAt& at, const RenderOptions& options) {
  return Builder(at, options).count();
}

Diagram build_diagram(const ModelAt& at, const RenderOptions& options) {
  return Builder(at, options).build();
}

}  // namespace imozuru::render
