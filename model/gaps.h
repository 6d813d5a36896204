// Consent gaps (docs/model-format.md, "Consent gaps"): six rules, each
// looking only at what is active at the date; severity; assessments.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/as_of.h"

namespace imozuru {

// In the order docs/model-format.md numbers them; gaps sort by rule then main id.
enum class GapRule {
  unconsented_sensitive,
  consent_not_propagated,
  unregulated_key,
  basis_not_in_force,
  comprehensive_consent,
  no_basis
};
const std::vector<std::string_view>& gap_rule_names();  // "unconsented-sensitive", ...
std::string_view to_string(GapRule);
std::optional<GapRule> parse_gap_rule(std::string_view);
// The kind of a gap's main entity: identifier for unregulated-key, else flow.
EntityKind gap_main_kind(GapRule);

// high for rules 1-3, medium for 4-6; a higher severity compares greater.
enum class GapSeverity { medium, high };
GapSeverity gap_severity(GapRule);
std::string_view to_string(GapSeverity);  // "medium", "high"
std::optional<GapSeverity> parse_gap_severity(std::string_view);

// A law the gap's main entity names (a flow's basis, an identifier's
// regulated_by), and where it stands at the date.
struct GapLaw {
  Index law = kNone;
  bool in_force = false;  // active at the date (--include-planned counts planned laws)
  LawState state = LawState::in_force;
};

struct Gap {
  GapRule rule = GapRule::unconsented_sensitive;
  Index flow = kNone;          // main entity for rules 1, 2, 4, 5, 6
  Index identifier = kNone;    // main entity for rule 3
  std::vector<Index> systems;  // every system involved, ascending by id
  // Flow rules: the data items that make the gap (all carried for 4 and 6); ascending.
  std::vector<Index> data;
  // The flow's `basis`, or for rule 3 the identifier's `regulated_by`, in
  // the order written.
  std::vector<GapLaw> laws;
  std::vector<Index> upstream_flows;  // rule 2: the consented flows into the sender; ascending
  std::vector<Index> holders;    // rule 3: the systems holding it with special or high data, if two or more
  std::vector<Index> key_flows;  // rule 3: the active flows it is the key of; ascending
  Index assessment = kNone;      // the assessment active at the date, if any
  // One sentence in the output language, with display names: empty from
  // find_gaps; output/legal_text.h set_gap_reasons fills it before a result
  // is written (JSON, Lua tables, CSV of diff).
  std::string reason;

  Index main() const { return rule == GapRule::unregulated_key ? identifier : flow; }
  GapSeverity severity() const { return gap_severity(rule); }
};

struct GapsResult {
  Date at;
  Index person = kNone;   // the person the model was taken for (kNone: everyone)
  std::vector<Gap> gaps;  // by rule, then main id
};

GapsResult find_gaps(const ModelAt& at);

// A gap is open when no assessment covers it or its assessment is disputed.
bool gap_is_open(const Model& m, const Gap& g);

// Which gaps an output shows (`gaps --status`): all, or only the open ones.
enum class GapStatusFilter { all, open };
std::optional<GapStatusFilter> parse_gap_status_filter(std::string_view);  // "all", "open"
// Keeps only the open gaps for GapStatusFilter::open.
void filter_gaps(const Model& m, GapsResult& result, GapStatusFilter filter);
// True when an open gap of at least `severity` is in the result (`gaps --fail-on`).
bool has_open_gap(const Model& m, const GapsResult& result, GapSeverity severity);

}  // namespace imozuru
