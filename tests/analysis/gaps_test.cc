// Consent gaps v2 (docs/model-format.md, "Consent gaps"): one hand-written
// fixture per rule in tests/fixtures/gaps/, each with its near misses, and
// the boundaries: a law ending on the day checked, one coming into force
// later, a policy-only basis, an empty basis with opt_in consent, an
// assessment before and after its `until`, a disputed assessment.
#include "model/gaps.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "model/load.h"
#include "output/analysis_json.h"
#include "output/legal_text.h"
#include "support/model_fixture.h"

using namespace imozuru;

namespace {

Model fixture(const std::string& name) { return testing::load_fixture("gaps/" + name); }

using Strings = std::vector<std::string>;

Date day(const char* s) { return *Date::parse(s); }

GapsResult gaps_at(const Model& m, const char* date, bool planned = false) {
  return find_gaps(ModelAt(m, day(date), planned));
}

// "rule main-id" for each gap, in output order.
Strings summary(const Model& m, const GapsResult& r) {
  Strings out;
  for (const Gap& g : r.gaps)
    out.push_back(std::string(to_string(g.rule)) + " " +
                  (g.flow != kNone ? m.flows[g.flow].id : m.identifiers[g.identifier].id));
  return out;
}

template <typename T>
Strings ids(const std::vector<T>& entities, IndexSpan v) {
  Strings out;
  for (Index i : v) out.push_back(entities[i].id);
  return out;
}

// "id:in_force" for each law of the gap, in the order written.
Strings laws_of(const Model& m, const Gap& g) {
  Strings out;
  for (const GapLaw& l : g.laws) out.push_back(m.laws[l.law].id + (l.in_force ? ":in" : ":out"));
  return out;
}

const Gap& only(const Model& m, const GapsResult& r, const std::string& rule_and_id) {
  const Gap* found = nullptr;
  for (const Gap& g : r.gaps)
    if (std::string(to_string(g.rule)) + " " +
            (g.flow != kNone ? m.flows[g.flow].id : m.identifiers[g.identifier].id) ==
        rule_and_id)
      found = &g;
  REQUIRE(found);
  return *found;
}

}  // namespace

TEST_CASE("gaps rule 1: special data moved with none, notice or opt_out", "[gaps]") {
  Model m = fixture("rule1_unconsented_sensitive.yaml");
  GapsResult r = gaps_at(m, "2025-01-01");
  CHECK(summary(m, r) == Strings{"unconsented-sensitive f_none", "unconsented-sensitive f_notice",
                                 "unconsented-sensitive f_opt_out"});
  const Gap& g = only(m, r, "unconsented-sensitive f_opt_out");
  CHECK(ids(m.data, g.data) == Strings{"health"});  // the special items only
  CHECK(ids(m.systems, g.systems) == Strings{"a", "b"});
  CHECK(g.severity() == GapSeverity::high);
  CHECK(laws_of(m, g) == Strings{"act:in"});
  CHECK(gap_reason(m, g, Lang::en) ==
        "The flow \u201c\u30aa\u30d7\u30c8\u30a2\u30a6\u30c8\u201d from Hospital to Vendor moves "
        "special-category data "
        "(Medical history) without the person's choice (consent: opt-out).");
  CHECK(gap_reason(m, g, Lang::ja) ==
        "データの流れ「オプトアウト」（病院 → "
        "事業者）は、要配慮個人情報（病歴）を本人の選択なしに提供している（同意: "
        "オプトアウト）。");
  // The special item and the flow that come later are gaps once active.
  CHECK(summary(m, gaps_at(m, "2030-01-01")) ==
        Strings{"unconsented-sensitive f_later_flow", "unconsented-sensitive f_later_item",
                "unconsented-sensitive f_none", "unconsented-sensitive f_notice",
                "unconsented-sensitive f_opt_out"});
}

TEST_CASE("gaps rule 2: consented special data passed on without a choice", "[gaps]") {
  Model m = fixture("rule2_consent_not_propagated.yaml");
  GapsResult r = gaps_at(m, "2025-01-01");
  CHECK(summary(m, r) == Strings{"unconsented-sensitive f_in_genes", "unconsented-sensitive f_out",
                                 "unconsented-sensitive f_out3", "consent-not-propagated f_out"});
  const Gap& g = only(m, r, "consent-not-propagated f_out");
  CHECK(ids(m.data, g.data) == Strings{"health"});  // genes came in without consent
  CHECK(ids(m.flows, g.upstream_flows) == Strings{"f_in"});
  CHECK(ids(m.systems, g.systems) == Strings{"clinic", "portal", "vendor"});
  CHECK(g.severity() == GapSeverity::high);
  CHECK(gap_reason(m, g, Lang::en) ==
        "The flow \u201cHand-over\u201d from Clinic to Vendor passes on special-category data (Medical "
        "history) that "
        "Clinic received with the person's consent through \u201cImport\u201d (opt-in consent), without the "
        "person's choice (consent: notice only).");
  // Once the comprehensive-consent flow into clinic3 is active, f_out3 passes it on.
  CHECK(only(m, gaps_at(m, "2030-01-01"), "consent-not-propagated f_out3").upstream_flows.size() == 1);
}

TEST_CASE("gaps rule 3: a key no law in force restricts", "[gaps]") {
  Model m = fixture("rule3_unregulated_key.yaml");
  GapsResult r = gaps_at(m, "2025-01-01");
  CHECK(summary(m, r) == Strings{"unregulated-key ended_reg", "unregulated-key free", "unregulated-key keyed",
                                 "unregulated-key later_reg", "unregulated-key policy_reg"});
  const Gap& free = only(m, r, "unregulated-key free");
  CHECK(ids(m.systems, free.holders) == Strings{"s1", "s2"});
  CHECK(free.key_flows.empty());
  CHECK(free.laws.empty());
  CHECK(gap_reason(m, free, Lang::en) ==
        "No law in the model restricts the identifier \u201cFree number\u201d. 2 systems holding "
        "special-category or "
        "high-sensitivity data hold it (Hospital, Tax office), so their records can be joined on it.");
  const Gap& keyed = only(m, r, "unregulated-key keyed");
  CHECK(keyed.holders.empty());
  CHECK(ids(m.flows, keyed.key_flows) == Strings{"f_keyed"});
  CHECK(ids(m.systems, keyed.systems) == Strings{"s3", "s4"});
  CHECK(gap_reason(m, keyed, Lang::ja) ==
        "識別子「鍵番号」の利用を制限する法令はモデルにない。データの流れ「照会」の照合キーとして使われている"
        "。");
  const Gap& ended = only(m, r, "unregulated-key ended_reg");
  CHECK(laws_of(m, ended) == Strings{"ended:out"});
  CHECK(gap_reason(m, ended, Lang::ja)
            .rfind("識別子「旧規制番号」の利用を制限する法令（旧法（2020-04-01 "
                   "失効））は、いずれも施行されていない。",
                   0) == 0);
  CHECK(gap_reason(m, only(m, r, "unregulated-key later_reg"), Lang::en)
            .rfind("No law restricting the identifier \u201cLater restricted number\u201d is in force: New "
                   "Act (in force "
                   "from 2026-04-01).",
                   0) == 0);
  CHECK(gap_reason(m, only(m, r, "unregulated-key policy_reg"), Lang::en)
            .rfind("No law in the model restricts the identifier \u201cPolicy number\u201d (Cabinet decision "
                   "(current) is "
                   "not a law "
                   "and restricts nothing).",
                   0) == 0);
  // While the old law was in force, it restricted ended_reg; once the new
  // law is in force, later_reg is restricted.
  CHECK(summary(m, gaps_at(m, "2019-01-01")) == Strings{"unregulated-key free", "unregulated-key keyed",
                                                        "unregulated-key later_reg",
                                                        "unregulated-key policy_reg"});
  CHECK(summary(m, gaps_at(m, "2026-04-01")) == Strings{"unregulated-key ended_reg", "unregulated-key free",
                                                        "unregulated-key keyed",
                                                        "unregulated-key policy_reg"});
}

TEST_CASE("gaps rule 4: no law given as the basis is in force", "[gaps]") {
  Model m = fixture("rule4_basis_not_in_force.yaml");
  // A law whose until is the day checked has ended that day.
  GapsResult r = gaps_at(m, "2025-01-01");
  CHECK(summary(m, r) == Strings{"basis-not-in-force f_both", "basis-not-in-force f_ends_today",
                                 "basis-not-in-force f_planned_law", "basis-not-in-force f_policy_and_ended",
                                 "basis-not-in-force f_starts_later"});
  const Gap& both = only(m, r, "basis-not-in-force f_both");
  CHECK(both.severity() == GapSeverity::medium);
  CHECK(laws_of(m, both) == Strings{"ends_today:out", "starts_later:out"});
  CHECK(ids(m.data, both.data) == Strings{"plain"});
  CHECK(gap_reason(m, both, Lang::en) ==
        "The flow \u201cBoth acts\u201d from Office to Contractor runs without the person's choice (consent: "
        "opt-out), and none of the laws given as its basis is in force: Old Act 9条 (ended 2025-01-01), New "
        "Act "
        "3条 (in force from 2026-04-01).");
  CHECK(gap_reason(m, both, Lang::ja) ==
        "データの流れ「両法」（役所 → 委託先）は、本人の選択なしに行われ（同意: "
        "オプトアウト）、根拠とされた法令がいずれも施行"
        "されていない: 旧法 9条（2025-01-01 失効）、新法 3条（2026-04-01 施行予定）。");
  // The policy is listed in the gap's laws, but the reason names the laws only.
  const Gap& policy = only(m, r, "basis-not-in-force f_policy_and_ended");
  CHECK(laws_of(m, policy) == Strings{"cabinet:in", "ends_today:out"});
  CHECK(gap_reason(m, policy, Lang::en).find("Cabinet") == std::string::npos);
  CHECK(gap_reason(m, only(m, r, "basis-not-in-force f_planned_law"), Lang::en)
            .find("Amendment bill (planned, not in force)") != std::string::npos);

  // The day before, the old law was in force.
  CHECK(summary(m, gaps_at(m, "2024-12-31")) ==
        Strings{"basis-not-in-force f_planned_law", "basis-not-in-force f_starts_later"});
  // From the day the new law comes into force, flows resting on it are no gap.
  CHECK(summary(m, gaps_at(m, "2026-04-01")) == Strings{"basis-not-in-force f_ends_today",
                                                        "basis-not-in-force f_planned_law",
                                                        "basis-not-in-force f_policy_and_ended"});
  // --include-planned counts the planned law as in force.
  GapsResult planned = gaps_at(m, "2026-04-01", true);
  CHECK(summary(m, planned) ==
        Strings{"basis-not-in-force f_ends_today", "basis-not-in-force f_policy_and_ended"});
}

TEST_CASE("gaps rule 5: special data under one comprehensive consent", "[gaps]") {
  Model m = fixture("rule5_comprehensive_consent.yaml");
  GapsResult r = gaps_at(m, "2025-01-01");
  CHECK(summary(m, r) == Strings{"comprehensive-consent f_comp"});
  const Gap& g = r.gaps.front();
  CHECK(ids(m.data, g.data) == Strings{"health"});
  CHECK(g.severity() == GapSeverity::medium);
  CHECK(gap_reason(m, g, Lang::ja) ==
        "データの流れ「一括同意」（アプリ → "
        "クラウド）は、要配慮個人情報（病歴）を包括同意のみで提供しており、項目ごとに選ぶ"
        "機会がない。");
  // v1 reported rule 5 whatever the date; v2 only what is active.
  CHECK(summary(m, gaps_at(m, "2025-01-01", true)) ==
        Strings{"comprehensive-consent f_comp", "comprehensive-consent f_comp_planned"});
  CHECK(summary(m, gaps_at(m, "2030-01-01")) ==
        Strings{"comprehensive-consent f_comp", "comprehensive-consent f_comp_later"});
}

TEST_CASE("gaps rule 6: no choice and no legal basis", "[gaps]") {
  Model m = fixture("rule6_no_basis.yaml");
  GapsResult r = gaps_at(m, "2025-01-01");
  // f_empty_opt_in: an empty basis with opt_in consent is no gap.
  CHECK(summary(m, r) ==
        Strings{"no-basis f_empty", "no-basis f_empty_opt_out", "no-basis f_judgment", "no-basis f_policy"});
  const Gap& empty = only(m, r, "no-basis f_empty");
  CHECK(empty.severity() == GapSeverity::medium);
  CHECK(empty.laws.empty());
  CHECK(ids(m.data, empty.data) == Strings{"pension"});
  CHECK(gap_reason(m, empty, Lang::en) ==
        "The flow \u201cRe-outsourcing\u201d from Agency to Subcontractor runs with neither the person's "
        "choice "
        "(consent: no consent) nor a legal basis.");
  const Gap& policy = only(m, r, "no-basis f_policy");
  CHECK(laws_of(m, policy) == Strings{"cabinet:in"});
  CHECK(gap_reason(m, policy, Lang::ja) ==
        "データの流れ「方針提供」（機構 → 再委託先）は、本人の選択（同意: "
        "通知のみ）も法令上の根拠もなく行われている。"
        "根拠欄の骨太の方針（現行）は政策文書または判決であり、法令上の根拠にならない。");
  CHECK(laws_of(m, only(m, r, "no-basis f_judgment")) == Strings{"ruling:in", "cabinet:in"});
}

TEST_CASE("gaps: every rule looks only at what is active at the date", "[gaps]") {
  Model m = fixture("active_only.yaml");
  CHECK(summary(m, gaps_at(m, "2016-01-01")) ==
        Strings{"unconsented-sensitive f_from_old", "no-basis f_from_old"});
  CHECK(summary(m, gaps_at(m, "2025-01-01")) ==
        Strings{"unconsented-sensitive f_to_new", "comprehensive-consent f_comp_2021", "no-basis f_to_new"});
}

TEST_CASE("gaps: assessments close gaps while they hold; a disputed one leaves the gap open",
          "[gaps][assessments]") {
  Model m = fixture("assessments.yaml");
  auto status_of = [&](const GapsResult& r) {
    Strings out;
    for (const Gap& g : r.gaps)
      out.push_back((g.flow != kNone ? m.flows[g.flow].id : m.identifiers[g.identifier].id) + "=" +
                    (g.assessment == kNone ? "none" : m.assessments[g.assessment].id) +
                    (gap_is_open(m, g) ? " open" : " closed"));
    return out;
  };
  // Before a_claims holds (since 2024-01-01), during it, and from its until.
  CHECK(status_of(gaps_at(m, "2023-06-01")) == Strings{"f_accepted=none open", "f_disputed=a_query open",
                                                       "f_mitigated=a_passing_on closed",
                                                       "serial=a_serial closed"});
  CHECK(status_of(gaps_at(m, "2025-12-31")) ==
        Strings{"f_accepted=a_claims closed", "f_disputed=a_query open", "f_mitigated=a_passing_on closed",
                "serial=a_serial closed"});
  CHECK(status_of(gaps_at(m, "2026-01-01")) == Strings{"f_accepted=none open", "f_disputed=a_query open",
                                                       "f_mitigated=a_passing_on closed",
                                                       "serial=a_serial closed"});

  GapsResult r = gaps_at(m, "2025-06-01");
  CHECK(has_open_gap(m, r, GapSeverity::high));  // the disputed one
  GapsResult open = r;
  filter_gaps(m, open, GapStatusFilter::open);
  CHECK(summary(m, open) == Strings{"unconsented-sensitive f_disputed"});
  filter_gaps(m, open, GapStatusFilter::all);
  CHECK(open.gaps.size() == 1);

  // An assessment's laws, with where they stand, and its justification.
  const Gap& accepted = only(m, r, "unconsented-sensitive f_accepted");
  CHECK(assessment_text(m, m.assessments[accepted.assessment], r.at, Lang::ja) ==
        "受容（適法・許容）（a_claims、審査チーム）: 法令に基づく提供として適法 根拠: 番号法 "
        "19条8号（施行中）");
  CHECK(assessment_text(m, m.assessments[accepted.assessment], r.at, Lang::en) ==
        "accepted (a_claims, 審査チーム): 法令に基づく提供として適法 Laws: My Number Act 19条8号 (in force)");
}

TEST_CASE("gaps: severity and the --fail-on threshold", "[gaps]") {
  CHECK(gap_severity(GapRule::unconsented_sensitive) == GapSeverity::high);
  CHECK(gap_severity(GapRule::consent_not_propagated) == GapSeverity::high);
  CHECK(gap_severity(GapRule::unregulated_key) == GapSeverity::high);
  CHECK(gap_severity(GapRule::basis_not_in_force) == GapSeverity::medium);
  CHECK(gap_severity(GapRule::comprehensive_consent) == GapSeverity::medium);
  CHECK(gap_severity(GapRule::no_basis) == GapSeverity::medium);
  Model m = fixture("rule6_no_basis.yaml");
  GapsResult r = gaps_at(m, "2025-01-01");
  CHECK(has_open_gap(m, r, GapSeverity::medium));
  CHECK_FALSE(has_open_gap(m, r, GapSeverity::high));  // medium gaps only
}

TEST_CASE("gaps JSON: severity, consent, laws in the order written, assessment, reason in the language",
          "[gaps][json]") {
  Model m = fixture("assessments.yaml");
  GapsResult r = gaps_at(m, "2025-06-01");
  Json ja = to_json(m, r, Lang::ja), en = to_json(m, r, Lang::en);
  const Json& g = ja["gaps"][0];
  CHECK(g["rule"] == "unconsented-sensitive");
  CHECK(g["flow"] == "f_accepted");
  CHECK(g["severity"] == "high");
  CHECK(g["consent"] == "none");
  CHECK(g["laws"] == Json::parse(R"([{"id": "act_19_8", "in_force": true}])"));
  CHECK(g["assessment"] == Json::parse(R"({"id": "a_claims", "status": "accepted"})"));
  CHECK(g["open"] == false);
  CHECK(g["reason"] ==
        "データの流れ「請求」（病院 → "
        "保険者）は、要配慮個人情報（病歴）を本人の選択なしに提供している（同意: 同意なし）。");
  CHECK(en["gaps"][0]["reason"] ==
        "The flow \u201cClaims\u201d from Hospital to Insurer moves special-category data (Medical history) "
        "without "
        "the person's choice (consent: no consent).");
  const Json& key = ja["gaps"][3];
  CHECK(key["identifier"] == "serial");
  CHECK_FALSE(key.contains("consent"));
  CHECK(key["laws"] == Json::array());
}
