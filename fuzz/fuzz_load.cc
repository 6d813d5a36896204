// Fuzz target 1: YAML model text → loader and validator (with small limits),
// then, on a valid model, the engine: the model as of two dates, the linkage
// graph, reach from every identifier, system and data item, chains between a
// few pairs, downstream and gaps. Any crash, hang, leak or undefined
// behaviour is a bug; a rejected model is a normal outcome.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/reach_everything.h"
#include "model/as_of.h"
#include "model/chains.h"
#include "model/downstream.h"
#include "model/gaps.h"
#include "model/linkage_graph.h"
#include "model/load.h"

using namespace imozuru;

namespace {

void run_engine(const Model& model, const Date& at, bool include_planned) {
  ModelAt view(model, at, include_planned);
  LinkageGraph graph(view);
  const std::vector<EntityRef> starts = fuzzing::reach_from_everything(model, graph);

  // Chains between a bounded number of pairs (every pair would be quadratic).
  ChainOptions options;
  options.k = 3;
  options.max_hops = 6;
  std::size_t pairs = 0;
  for (std::size_t a = 0; a < starts.size() && pairs < 24; a += 1 + starts.size() / 5) {
    for (std::size_t b = starts.size(); b-- > 0 && pairs < 24;) {
      (void)chains(graph, starts[a], starts[b], options);
      ++pairs;
    }
  }
  for (Index s = 0; s < model.systems.size() && s < 16; ++s)
    for (Index d = 0; d < model.data.size() && d < 16; ++d) (void)downstream(view, s, d);
  (void)find_gaps(view);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  LoadLimits limits;
  limits.max_file_bytes = 64u << 10;
  limits.max_depth = 16;
  limits.max_entities = 300;
  limits.max_files = 1;
  limits.max_string_bytes = 4u << 10;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  LoadResult result = load_model_text(text, "fuzz.yaml", limits);
  if (result.model) {
    if (result.diagnostics.has_errors()) __builtin_trap();  // a model with errors must not load
    const Model& model = *result.model;
    if (model.systems.size() + model.identifiers.size() + model.data.size() + model.flows.size() > 300)
      __builtin_trap();  // the entity limit did not hold
    run_engine(model, *Date::parse("2026-01-01"), false);
    run_engine(model, *Date::parse("2010-06-15"), true);
  }
  return 0;
}
