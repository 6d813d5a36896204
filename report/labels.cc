#include "report/labels.h"

#include <algorithm>

namespace imozuru::report {

std::string gap_rule_text(GapRule rule, Lang lang) {
  switch (rule) {
    case GapRule::unconsented_sensitive:
      return say(lang, "要配慮情報を本人の選択なしに提供", "special data moved without the person's choice");
    case GapRule::consent_not_propagated:
      return say(lang, "同意を得て受け取った要配慮情報を同意なく再提供", "consented special data passed on without consent");
    case GapRule::unregulated_key:
      return say(lang, "法規制のない識別子による突合", "a key no law restricts");
    case GapRule::basis_not_in_force: return say(lang, "根拠法令がすべて失効", "every legal basis has ended");
    case GapRule::comprehensive_consent:
      return say(lang, "要配慮情報を包括同意で提供", "special data under one comprehensive consent");
    case GapRule::no_basis:
      return say(lang, "本人の選択も法令上の根拠もない提供", "neither the person's choice nor a legal basis");
  }
  return "";
}

std::string status_text(Status status, Lang lang) {
  switch (status) {
    case Status::operational: return say(lang, "運用中", "operational");
    case Status::pilot: return say(lang, "試行", "pilot");
    case Status::planned: return say(lang, "計画", "planned");
    case Status::proposed: return say(lang, "構想", "proposed");
    case Status::abolished: return say(lang, "廃止", "abolished");
  }
  return "";
}

std::string period_text(const Entity& e) {
  if (!e.since && !e.until) return "";
  return (e.since ? e.since->written() : "") + "〜" + (e.until ? e.until->written() : "");
}

std::string law_text(const Law& law, Lang lang) {
  std::string out = law.display_name(lang);
  if (!law.article.empty()) out += " " + law.article;
  return out;
}

std::string citation_text(const Model& model, const Citation& citation, Lang lang) {
  std::string out = citation.source_index == kNone ? citation.source : model.sources[citation.source_index].title;
  if (!citation.at.empty()) out += lang == Lang::ja ? "（" + citation.at + "）" : " (" + citation.at + ")";
  return out;
}

std::string citations_text(const Model& model, const std::vector<const Entity*>& entities, Lang lang) {
  std::vector<std::string> seen;
  for (const Entity* e : entities) {
    if (!e) continue;
    for (const Citation& c : e->sources) {
      std::string text = citation_text(model, c, lang);
      if (std::find(seen.begin(), seen.end(), text) == seen.end()) seen.push_back(std::move(text));
    }
  }
  if (seen.empty()) return say(lang, "出典なし", "no source");
  std::string out;
  for (const auto& s : seen) out += (out.empty() ? "" : "; ") + s;
  return out;
}

std::string join_names(const std::vector<std::string>& names, Lang lang) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : say(lang, "、", ", ")) + n;
  return out;
}

}  // namespace imozuru::report
