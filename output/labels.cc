#include "output/labels.h"

#include <algorithm>

#include "output/messages.h"
#include "text/join.h"

namespace imozuru {
namespace {

// Each table lists the messages in the order of its enum's values (model.h);
// tests/output/messages_test.cc checks every value against its key.
constexpr Msg kConsent[] = {Msg::consent_none,   Msg::consent_notice, Msg::consent_opt_out,
                            Msg::consent_opt_in, Msg::consent_card,   Msg::consent_comprehensive};
constexpr Msg kStatus[] = {Msg::status_operational, Msg::status_pilot, Msg::status_planned,
                           Msg::status_proposed, Msg::status_abolished};
constexpr Msg kGapRule[] = {Msg::gap_rule_unconsented_sensitive, Msg::gap_rule_consent_not_propagated,
                            Msg::gap_rule_unregulated_key,       Msg::gap_rule_basis_not_in_force,
                            Msg::gap_rule_comprehensive_consent, Msg::gap_rule_no_basis};
constexpr Msg kIdentifierKind[] = {
    Msg::identifier_kind_national,   Msg::identifier_kind_sectoral, Msg::identifier_kind_token,
    Msg::identifier_kind_credential, Msg::identifier_kind_card,     Msg::identifier_kind_account,
    Msg::identifier_kind_service,    Msg::identifier_kind_local,    Msg::identifier_kind_quasi};

template <std::size_t N, typename Enum>
std::string label(const Msg (&table)[N], Enum value, Lang lang) {
  const auto i = static_cast<std::size_t>(value);
  return i < N ? say(lang, table[i]) : std::string();
}

}  // namespace

std::string consent_label(Consent consent, Lang lang) { return label(kConsent, consent, lang); }
std::string status_label(Status status, Lang lang) { return label(kStatus, status, lang); }
std::string gap_rule_label(GapRule rule, Lang lang) { return label(kGapRule, rule, lang); }
std::string identifier_kind_label(IdentifierKind kind, Lang lang) {
  return label(kIdentifierKind, kind, lang);
}

std::string sector_label(std::string_view sector, Lang lang) {
  struct Known {
    std::string_view sector;
    Msg label;
  };
  static constexpr Known kKnown[] = {
      {"identity", Msg::sector_identity},
      {"portal", Msg::sector_portal},
      {"tax", Msg::sector_tax},
      {"social_security", Msg::sector_social_security},
      {"health", Msg::sector_health},
      {"children", Msg::sector_children},
      {"education", Msg::sector_education},
      {"immigration", Msg::sector_immigration},
      {"police", Msg::sector_police},
      {"finance", Msg::sector_finance},
      {"local_government", Msg::sector_local_government},
      {"private", Msg::sector_private},
      {"employment", Msg::sector_employment},
      {"disaster", Msg::sector_disaster},
      {"qualifications", Msg::sector_qualifications},
  };
  for (const Known& k : kKnown)
    if (k.sector == sector) return say(lang, k.label);
  std::string words(sector);
  std::replace(words.begin(), words.end(), '_', ' ');
  return words;
}

std::string period_text(const Entity& e) {
  if (!e.since && !e.until) return "";
  return (e.since ? e.since->written() : "") + "〜" + (e.until ? e.until->written() : "");
}

std::string citation_text(const Model& model, const Citation& citation, Lang lang) {
  const std::string& title =
      citation.source_index == kNone ? citation.source : model.sources[citation.source_index].title;
  if (citation.at.empty()) return title;
  return say(lang, Msg::report_citation_at, title, citation.at);
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
  if (seen.empty()) return say(lang, Msg::report_no_source);
  return text::join(seen, "; ");
}

std::string join_list(const std::vector<std::string>& items, Lang lang) {
  return text::join(items, say(lang, Msg::list_separator));
}

}  // namespace imozuru
