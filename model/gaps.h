// Consent gaps of contract §7.
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

struct Gap {
  GapRule rule = GapRule::unconsented_sensitive;
  Index flow = kNone;        // main entity for rules 1, 2, 4, 5
  Index identifier = kNone;  // main entity for rule 3
  std::vector<Index> systems;  // ascending by id
  std::vector<Index> data;     // ascending by id
  std::vector<Index> laws;     // rule 4: the ended basis laws; ascending
  std::vector<Index> upstream_flows;  // rule 2: the consented flows into B; ascending
  std::string reason;          // one line, English
  Index assessment = kNone;    // the assessment active at the date, if any

  Index main() const { return rule == GapRule::unregulated_key ? identifier : flow; }
};

struct GapsResult {
  Date at;
  Index person = kNone;  // the person the model was taken for (kNone: everyone)
  std::vector<Gap> gaps;
};

GapsResult find_gaps(const ModelAt& at);

// A gap is open when no assessment covers it or its assessment is disputed.
bool gap_is_open(const Model& m, const Gap& g);

}  // namespace imozuru
