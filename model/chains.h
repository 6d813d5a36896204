// chains(from, to) of docs/cli.md#chains: the k shortest loop-free chains, counted in
// systems, alternating system and identifier, optionally stepping along flows.
#pragma once

#include <cstddef>
#include <optional>
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
  // docs/model-format.md, "Joins, restricted and fuzzy": the laws that make
  // an identifier the chain joins through restricted at the date (ascending,
  // each once); open when there are none; the chance that a record at the
  // end belongs to someone else, 1 - prod(1 - e) over those identifiers.
  std::vector<Index> restricted_by;
  bool open = true;
  double match_error = 0;
};

// What every front end (the chains and render commands, model:chains in Lua)
// accepts, stated once: k from 1 to kMaxChainCount (the chains command's
// --max-chains may raise it), max_hops from 1 to kMaxHopsLimit.
inline constexpr std::size_t kDefaultChainCount = 1;
inline constexpr std::size_t kMaxChainCount = 1000;
inline constexpr int kDefaultMaxHops = 20;
inline constexpr int kMaxHopsLimit = 1000;

struct ChainOptions {
  ChainOptions() = default;
  // The common case: k chains of at most max_hops steps, every join allowed.
  ChainOptions(std::size_t k_, int max_hops_) : k(k_), max_hops(max_hops_) {}

  std::size_t k = kDefaultChainCount;
  int max_hops = kDefaultMaxHops;  // most steps from one system to the next (length <= max_hops + 1)
  bool open_only = false;  // only chains no law restricts (restricted identifiers never joined through)
  std::optional<double> max_match_error;  // identifiers with a larger match_error are never joined through
};

struct ChainsResult {
  Date at;
  Index person = kNone;    // the person the model was taken for (kNone: everyone)
  bool open_only = false;  // the options the chains were searched with
  std::optional<double> max_match_error;
  EntityRef from, to;
  std::vector<Chain> chains;  // by length, then by the sequence of ids
};

// Yen's algorithm over lexicographically smallest shortest paths; each spur
// search runs forward in key order, pruned by distances to the target.
// With open_only / max_match_error the excluded identifiers are removed from
// the graph searched, so the k chains are the k shortest of those allowed.
ChainsResult chains(const LinkageGraph& graph, const EntityRef& from, const EntityRef& to,
                    const ChainOptions& options = {});

namespace detail {
// chains() with the forward spur search limited to `scan_limit` arcs per
// spur before it falls back to the backward search (0: always the backward
// search; -1: the default limit). For tests that cross-check the two.
ChainsResult chains_with_scan_limit(const LinkageGraph& graph, const EntityRef& from, const EntityRef& to,
                                    const ChainOptions& options, long scan_limit);
}  // namespace detail

// Whether the options let a chain join through this identifier at the date.
bool joinable_through(const ModelAt& at, Index identifier, const ChainOptions& options);

// Fills restricted_by, open and match_error from the chain's holds hops.
void describe_joins(const ModelAt& at, Chain& chain);

}  // namespace imozuru
