// Consent gaps of contract §7.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/as_of.h"

namespace imozuru {

// In the order the contract numbers them; gaps sort by rule then main id.
enum class GapRule { unconsented_sensitive, consent_not_propagated, unregulated_key, expired_basis, comprehensive_consent };
std::string_view to_string(GapRule);  // "unconsented-sensitive", ...
std::optional<GapRule> parse_gap_rule(std::string_view);

struct Gap {
  GapRule rule = GapRule::unconsented_sensitive;
  Index flow = kNone;        // main entity for rules 1, 2, 4, 5
  Index identifier = kNone;  // main entity for rule 3
  std::vector<Index> systems;  // ascending by id
  std::vector<Index> data;     // ascending by id
  std::vector<Index> laws;     // rule 4: the ended basis laws; ascending
  std::vector<Index> upstream_flows;  // rule 2: the consented flows into B; ascending
  std::string reason;          // one line, English
};

struct GapsResult {
  Date at;
  std::vector<Gap> gaps;
};

GapsResult find_gaps(const ModelAt& at);

}  // namespace imozuru
