#include "output/gaps_sarif.h"

#include <filesystem>

#include "output/labels.h"
#include "output/legal_text.h"
#include "output/messages.h"

namespace imozuru {

std::string path_uri(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p = fs::path(path).lexically_normal();
  std::string text = p.generic_string();
  const bool absolute = p.is_absolute();
  std::string out = absolute ? "file://" : "";
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char c : text) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Json gaps_sarif(const Model& m, const GapsResult& r, Lang lang, const SarifOptions& o) {
  Json rules = Json::array();
  for (std::size_t k = 0; k < gap_rule_names().size(); ++k) {
    const GapRule rule = static_cast<GapRule>(k);
    const GapSeverity severity = gap_severity(rule);
    rules.push_back(
        Json{{"id", std::string(to_string(rule))},
             {"shortDescription", {{"text", gap_rule_label(rule, lang)}}},
             {"fullDescription", {{"text", gap_rule_description(rule, lang)}}},
             {"defaultConfiguration", {{"level", severity == GapSeverity::high ? "error" : "warning"}}},
             {"properties", {{"severity", std::string(to_string(severity))}}}});
  }
  Json driver{{"name", "imozuru"}};
  if (!o.tool_version.empty()) driver["version"] = o.tool_version;
  driver["rules"] = std::move(rules);

  Json results = Json::array();
  for (const Gap& g : r.gaps) {
    const Entity& main = gap_main_entity(m, g);
    Json result{{"ruleId", std::string(to_string(g.rule))},
                {"ruleIndex", static_cast<int>(g.rule)},
                {"level", g.severity() == GapSeverity::high ? "error" : "warning"},
                {"message", {{"text", gap_reason(m, g, lang)}}}};
    Json location = Json::object();
    const std::string& file = main.pos.file();
    if (!file.empty() && file.front() != '<' && main.pos.line > 0)  // "<stdin>" is no artifact
      location["physicalLocation"] =
          Json{{"artifactLocation", {{"uri", path_uri(file)}}},
               {"region", {{"startLine", main.pos.line}, {"startColumn", main.pos.column}}}};
    location["logicalLocations"] = Json::array(
        {Json{{"name", main.id},
              {"fullyQualifiedName", std::string(to_string(gap_main_kind(g.rule))) + ":" + main.id},
              {"kind", std::string(to_string(gap_main_kind(g.rule)))}}});
    result["locations"] = Json::array({std::move(location)});
    result["partialFingerprints"] = Json{{"imozuruGap/v1", gap_key(m, g)}};
    if (g.assessment != kNone && !gap_is_open(m, g)) {
      const Assessment& a = m.assessments[g.assessment];
      std::string justification = a.justification;
      if (!a.laws.empty())
        justification += say(lang, Msg::gap_assessment_laws, laws_with_state(m, a.laws, r.at, lang));
      result["suppressions"] =
          Json::array({Json{{"kind", "external"}, {"status", "accepted"}, {"justification", justification}}});
    }
    Json laws = Json::array();
    for (const GapLaw& l : g.laws) laws.push_back(Json{{"id", m.laws[l.law].id}, {"in_force", l.in_force}});
    Json properties{{"severity", std::string(to_string(g.severity()))}, {"open", gap_is_open(m, g)}};
    if (g.flow != kNone) properties["consent"] = std::string(to_string(m.flows[g.flow].consent));
    properties["laws"] = std::move(laws);
    if (g.assessment != kNone)
      properties["assessment"] =
          Json{{"id", m.assessments[g.assessment].id},
               {"status", std::string(to_string(m.assessments[g.assessment].decision))}};
    result["properties"] = std::move(properties);
    results.push_back(std::move(result));
  }
  Json run{{"tool", {{"driver", std::move(driver)}}},
           {"columnKind", "unicodeCodePoints"},
           {"results", std::move(results)},
           {"properties", {{"at", r.at.iso()}}}};
  return Json{{"$schema",
               "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", Json::array({std::move(run)})}};
}

}  // namespace imozuru
