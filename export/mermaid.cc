// Mermaid flowchart for Markdown: systems grouped by sector, identifiers as
// hexagons joined to their holders by dotted links, flows as arrows.
#include <map>
#include <string_view>

#include "export/export.h"
#include "model/as_of.h"
#include "output/labels.h"

namespace imozuru {

std::string mermaid_label(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      // Mermaid turns #name; / #123; into HTML entities, so '#' itself must be one too.
      case '#':
        out += "#35;";
        break;
      case '"':
        out += "#quot;";
        break;
      case '&':
        out += "#amp;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '|':
        out += "#124;";
        break;  // ends an edge label
      case '`':
        out += "#96;";
        break;  // starts a Markdown string
      case '%':
        out += "#37;";
        break;  // %% starts a comment
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
    }
  }
  return out;
}

std::string export_mermaid(const ModelAt& at, Lang lang) {
  const Model& m = at.model();
  std::vector<std::string> system_node(m.systems.size()), identifier_node(m.identifiers.size());
  std::map<std::string, std::vector<Index>> by_sector;  // sorted by sector name
  int n = 0;
  for (Index s : at.systems()) {
    system_node[s] = "s" + std::to_string(++n);
    by_sector[m.systems[s].sector].push_back(s);
  }
  n = 0;
  for (Index i : at.identifiers())
    if (m.identifiers[i].scope != Scope::holder) identifier_node[i] = "i" + std::to_string(++n);

  std::string out = "%% imozuru export at " + at.at().iso() +
                    (at.person() == kNone ? "" : " for person " + m.persons[at.person()].id) +
                    "\nflowchart LR\n";
  int sector_number = 0;
  for (const auto& [sector, systems] : by_sector) {
    out += "  subgraph sector" + std::to_string(++sector_number) + "[\"" +
           mermaid_label(sector_label(sector, lang)) + "\"]\n";
    for (Index s : systems)
      out += "    " + system_node[s] + "[\"" + mermaid_label(m.systems[s].display_name(lang)) + "\"]\n";
    out += "  end\n";
  }
  // A global identifier is one node its holders share; a holder-scoped one is
  // a different value in each holder, so each gets its own node (drawn where
  // it is held, below): one shared node would draw a join that cannot happen.
  for (Index i : at.identifiers())
    if (m.identifiers[i].scope != Scope::holder)
      out +=
          "  " + identifier_node[i] + "{{\"" + mermaid_label(m.identifiers[i].display_name(lang)) + "\"}}\n";
  for (Index f : at.flows()) {
    const Flow& flow = m.flows[f];
    out += "  " + system_node[flow.from.index] + " -->|\"" + mermaid_label(flow.display_name(lang)) + "\"| " +
           system_node[flow.to.index] + "\n";
  }
  int per_holder = 0;
  for (Index s : at.systems())
    for (Index i : at.identifiers_of(s)) {
      if (m.identifiers[i].scope == Scope::holder)
        out += "  " + system_node[s] + " -.- h" + std::to_string(++per_holder) + "{{\"" +
               mermaid_label(m.identifiers[i].display_name(lang)) + "\"}}\n";
      else
        out += "  " + system_node[s] + " -.- " + identifier_node[i] + "\n";
    }
  return out;
}

MermaidSize mermaid_size(std::string_view text) {
  MermaidSize size;
  size.characters = text.size();
  for (std::string_view link : {" -->", " -.- "})
    for (std::size_t at = text.find(link); at != std::string_view::npos; at = text.find(link, at + 1))
      ++size.edges;
  return size;
}

}  // namespace imozuru
