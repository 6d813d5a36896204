// chains(from, to) of contract §6: the k shortest loop-free chains, counted in
// systems, alternating system and identifier, optionally stepping along flows.
#pragma once

#include <cstddef>
#include <vector>

#include "model/linkage_graph.h"

namespace imozuru {

struct ChainHop {
  enum class Kind { holds, flow } kind = Kind::holds;
  Index system = kNone;      // holds: the system
  Index identifier = kNone;  // holds: the identifier, or
  Index data = kNone;        // holds: the data item (only at either end)
  Index flow = kNone;        // flow: the flow (from/to/consent/basis read from the model)
};

struct Chain {
  int length = 0;  // distinct systems
  std::vector<ChainHop> hops;
};

// What every front end (the chains and render commands, model:chains in Lua)
// accepts, stated once: k from 1 to kMaxChainCount (the chains command's
// --max-chains may raise it), max_hops from 1 to kMaxHopsLimit.
inline constexpr std::size_t kDefaultChainCount = 1;
inline constexpr std::size_t kMaxChainCount = 1000;
inline constexpr int kDefaultMaxHops = 20;
inline constexpr int kMaxHopsLimit = 1000;

struct ChainOptions {
  std::size_t k = kDefaultChainCount;
  int max_hops = kDefaultMaxHops;  // most steps from one system to the next (length <= max_hops + 1)
};

struct ChainsResult {
  Date at;
  EntityRef from, to;
  std::vector<Chain> chains;  // by length, then by the sequence of ids
};

// Yen's algorithm over lexicographically smallest shortest paths; each spur
// search runs forward in key order, pruned by distances to the target.
ChainsResult chains(const LinkageGraph& graph, const EntityRef& from, const EntityRef& to,
                    const ChainOptions& options = {});

namespace detail {
// chains() with the forward spur search limited to `scan_limit` arcs per
// spur before it falls back to the backward search (0: always the backward
// search; -1: the default limit). For tests that cross-check the two.
ChainsResult chains_with_scan_limit(const LinkageGraph& graph, const EntityRef& from, const EntityRef& to,
                                    const ChainOptions& options, long scan_limit);
}  // namespace detail

}  // namespace imozuru
