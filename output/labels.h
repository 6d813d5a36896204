// How model values and entities read for a person, in either language: the
// display names of enum values and sector words, periods, laws, citations
// and lists. Diagrams, reports, the html page and text output all use these.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/gaps.h"
#include "model/model.h"

namespace imozuru {

std::string consent_label(Consent consent, Lang lang);
std::string status_label(Status status, Lang lang);
std::string gap_rule_label(GapRule rule, Lang lang);
std::string identifier_kind_label(IdentifierKind kind, Lang lang);

// A sector word as a heading: the reference model's sectors by name
// (output/messages.def, sector_*), any other word as written with '_' as a
// space. The model format may later name its own sectors; this table is the
// default until then.
std::string sector_label(std::string_view sector, Lang lang);

// "2016-01〜" / "〜2020" / "2016〜2020", or "" when the entity has no dates.
std::string period_text(const Entity& e);

// One citation: source title and `at`, e.g. "資料A（p.3）"; the id when the
// source is unknown.
std::string citation_text(const Model& model, const Citation& citation, Lang lang);
// Every citation of the entities, de-duplicated in order; "出典なし" if none.
std::string citations_text(const Model& model, const std::vector<const Entity*>& entities, Lang lang);
// Items joined with "、" / ", ".
std::string join_list(const std::vector<std::string>& items, Lang lang);

}  // namespace imozuru
