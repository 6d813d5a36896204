// Laws and consent gaps in words (the message catalogue, output/messages.def):
// a law's label and where it stands at a date, a gap's rule, severity,
// reason and assessment. Every output that shows a law or a gap (text, CSV,
// JSON reasons, SARIF, the report, the page, diagrams) takes its words from
// here, so a law is never shown as a current basis when it has ended or not
// yet come into force (docs/model-format.md, "laws").
#pragma once

#include <string>
#include <vector>

#include "model/as_of.h"
#include "model/diff.h"
#include "model/gaps.h"
#include "model/model.h"

namespace imozuru {

// "番号法 19条8号": the parent's name first when the law's own name does not
// contain it, then the name, then the article unless the name (without a
// trailing parenthetical) already ends with it, so an article is printed once.
std::string law_label(const Model& model, const Law& law, Lang lang);
// "施行中", "2024-05-27 失効", "2027-04-01 施行予定", "計画中・未施行" /
// "in force", "ended 2024-05-27", "in force from 2027-04-01", "planned, not in
// force"; a policy or judgment in effect is "現行" / "current", not in force.
std::string law_state_text(const Law& law, LawState state, Lang lang);
// The label with the state: "番号法 19条8号（施行中）" / "My Number Act 19(8) (in force)".
std::string law_with_state(const Model& model, const Law& law, LawState state, Lang lang);
std::string law_with_state(const Model& model, const Law& law, const Date& at, Lang lang);
// The label with when the law is in force, for views that span dates (the
// html page): "番号法別表第二（施行 2015-10〜2024-05-27）"; a policy or
// judgment says it is not a law; a law without dates is the label alone.
std::string law_with_period(const Model& model, const Law& law, Lang lang);
// Every law of `laws` with its state, joined; "なし" / "none" when empty.
std::string laws_with_state(const Model& model, const Refs& laws, const Date& at, Lang lang);
// The gap's laws (a flow's basis, an identifier's regulated_by) with their
// states, joined; "なし" / "none" when empty.
std::string gap_laws_text(const Model& model, const Gap& gap, Lang lang);

// "RULE:KIND:ID", as an assessment's `gap` names the gap.
std::string gap_key(const Model& model, const Gap& gap);
// The gap's main entity: the flow for rules 1, 2, 4, 5 and 6, the identifier for rule 3.
const Entity& gap_main_entity(const Model& model, const Gap& gap);

// The rule's title (gap_rule_label) and what it finds in plain words.
std::string gap_rule_description(GapRule rule, Lang lang);
std::string severity_text(GapSeverity severity, Lang lang);         // "高" / "high"
std::string assessment_status_text(AssessmentStatus s, Lang lang);  // "受容（適法・許容）" / "accepted"

// The gap's main entity in words: "データの流れ「X」（A → B）" / "flow “X” (A → B)",
// "識別子「I」" / "identifier “I”".
std::string gap_subject(const Model& model, const Gap& gap, Lang lang);
// One sentence saying why the gap is a gap, with display names (the `reason`
// of docs/model-format.md, "Machine-readable output").
std::string gap_reason(const Model& model, const Gap& gap, Lang lang);
// Sets every gap's `reason` to gap_reason in `lang`, before a result is written.
void set_gap_reasons(const Model& model, GapsResult& result, Lang lang);
void set_gap_reasons(const Model& model, DiffResult& result, Lang lang);
// The gap's assessment in words: "受容（適法・許容）（a1、審査者）: 理由 根拠: 法令（施行中）".
std::string assessment_text(const Model& model, const Assessment& assessment, const Date& at, Lang lang);

}  // namespace imozuru
