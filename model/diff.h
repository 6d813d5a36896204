// diff(D1, D2): what changed between two dates: active entities, direct
// joinability of system pairs, and consent gaps.
#pragma once

#include <cstddef>
#include <vector>

#include "model/gaps.h"

namespace imozuru {

struct ActiveSetChange {
  std::vector<Index> added;    // inactive at D1, active at D2; ascending by id
  std::vector<Index> removed;  // active at D1, inactive at D2; ascending by id
};

struct JoinablePair {
  Index a = kNone, b = kNone;  // id(a) < id(b)
  std::vector<Index> through;  // global identifiers both hold (at D2 for became, D1 for ceased)
};

struct DiffOptions {
  bool include_planned = false;
  std::size_t max_pairs = 10000;  // per direction; beyond it the lists are truncated and say so
  Index person =
      kNone;  // both dates for this person (kNone: everyone); last, so {planned, pairs} still reads
};

struct DiffResult {
  Date from, to;
  Index person = kNone;
  ActiveSetChange systems, identifiers, data, flows, laws;
  std::vector<JoinablePair> became_joinable, ceased_joinable;  // ascending by (a, b)
  bool pairs_truncated = false;
  std::vector<Gap> gaps_appeared, gaps_disappeared;  // by rule then main id
};

DiffResult diff(const Model& model, Date from, Date to, const DiffOptions& options = {});

}  // namespace imozuru
