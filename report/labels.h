// Words the report and the page share, in Japanese and English: consent,
// gap rules, citations, laws, dates.
#pragma once

#include <string>

#include "model/gaps.h"
#include "model/model.h"

namespace imozuru::report {

inline const char* say(Lang lang, const char* ja, const char* en) { return lang == Lang::ja ? ja : en; }

std::string gap_rule_text(GapRule rule, Lang lang);
std::string status_text(Status status, Lang lang);
// "2016-01〜" / "〜2020" / "" when the entity has no dates.
std::string period_text(const Entity& e);
// A law with its article: "番号法 第19条".
std::string law_text(const Law& law, Lang lang);
// One citation: source title and `at`, e.g. "資料A（p.3）"; the id when the
// source is unknown.
std::string citation_text(const Model& model, const Citation& citation, Lang lang);
// Every citation of the entities, de-duplicated in order; "出典なし" if none.
std::string citations_text(const Model& model, const std::vector<const Entity*>& entities, Lang lang);
// Names joined with "、" / ", ".
std::string join_names(const std::vector<std::string>& names, Lang lang);

}  // namespace imozuru::report
