#include "render/highlight.h"

#include "model/chains.h"
#include "model/reach.h"
#include "output/analysis_text.h"
#include "output/messages.h"
#include "text/join.h"

namespace imozuru::render {

Highlight highlight_of(const Model& model, const ReachResult& result, Lang lang) {
  Highlight h;
  h.caption = say(lang, Msg::highlight_reach,
                  text::join(result.from, say(lang, Msg::list_separator),
                             [&](const EntityRef& r) { return ref_name(model, r, lang); }));
  if (result.open_only) h.caption += say(lang, Msg::highlight_open_only);
  for (const auto& s : result.systems) {
    h.systems.push_back(model.systems[s.system].id);
    h.system_depth[model.systems[s.system].id] = s.depth;
  }
  for (Index i : result.identifiers) h.identifiers.push_back(model.identifiers[i].id);
  for (Index d : result.data) h.data.push_back(model.data[d].id);
  return h;
}

Highlight highlight_of(const Model& model, const ChainsResult& result, Lang lang) {
  Highlight h;
  h.caption =
      say(lang, Msg::highlight_chains, ref_name(model, result.from, lang), ref_name(model, result.to, lang));
  if (result.open_only) h.caption += say(lang, Msg::highlight_open_only);
  if (result.max_match_error)
    h.caption += say(lang, Msg::highlight_max_match_error, percent_text(*result.max_match_error));
  if (result.chains.empty()) h.caption += say(lang, Msg::highlight_no_chain);
  for (const auto& chain : result.chains) {
    std::vector<HighlightHop> hops;
    for (const auto& hop : chain.hops) {
      HighlightHop out;
      if (hop.kind == ChainHop::Kind::flow) {
        const Flow& f = model.flows[hop.flow];
        out.kind = HighlightHop::Kind::flow;
        out.flow = f.id;
        out.from = f.from.id;
        out.to = f.to.id;
      } else {
        out.system = model.systems[hop.system].id;
        if (hop.identifier != kNone) out.identifier = model.identifiers[hop.identifier].id;
        if (hop.data != kNone) out.data = model.data[hop.data].id;
      }
      hops.push_back(std::move(out));
    }
    h.chains.push_back(std::move(hops));
  }
  return h;
}

}  // namespace imozuru::render
