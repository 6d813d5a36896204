#include "model/analysis_json.h"

namespace imozuru {
namespace {

template <typename T>
Json ids(const std::vector<T>& entities, const std::vector<Index>& v) {
  Json out = Json::array();
  for (Index i : v) out.push_back(entities[i].id);
  return out;
}

template <typename T>
Json change_json(const std::vector<T>& entities, const ActiveSetChange& c) {
  return Json{{"added", ids(entities, c.added)}, {"removed", ids(entities, c.removed)}};
}

Json pairs_json(const Model& m, const std::vector<JoinablePair>& pairs) {
  Json out = Json::array();
  for (const JoinablePair& p : pairs)
    out.push_back(Json{{"systems", {m.systems[p.a].id, m.systems[p.b].id}}, {"through", ids(m.identifiers, p.through)}});
  return out;
}

Json gaps_json(const Model& m, const std::vector<Gap>& gaps) {
  Json out = Json::array();
  for (const Gap& g : gaps) out.push_back(gap_json(m, g));
  return out;
}

}  // namespace

Json to_json(const Model& m, const ReachResult& r) {
  Json from = Json::array();
  for (const EntityRef& e : r.from) from.push_back(e.str());
  Json systems = Json::array();
  for (const ReachedSystem& s : r.systems) systems.push_back(Json{{"id", m.systems[s.system].id}, {"depth", s.depth}});
  return Json{{"at", r.at.iso()},
              {"from", from},
              {"systems", systems},
              {"identifiers", ids(m.identifiers, r.identifiers)},
              {"data", ids(m.data, r.data)}};
}

Json hop_json(const Model& m, const ChainHop& hop) {
  if (hop.kind == ChainHop::Kind::flow) {
    const Flow& f = m.flows[hop.flow];
    Json basis = Json::array();
    for (const Ref& l : f.basis) basis.push_back(l.id);
    return Json{{"kind", "flow"}, {"flow", f.id}, {"from", f.from.id}, {"to", f.to.id},
                {"consent", std::string(to_string(f.consent))}, {"basis", basis}};
  }
  Json out{{"kind", "holds"}, {"system", m.systems[hop.system].id}};
  if (hop.identifier != kNone) out["identifier"] = m.identifiers[hop.identifier].id;
  if (hop.data != kNone) out["data"] = m.data[hop.data].id;
  return out;
}

Json to_json(const Model& m, const ChainsResult& r) {
  Json chains = Json::array();
  for (const Chain& c : r.chains) {
    Json hops = Json::array();
    for (const ChainHop& h : c.hops) hops.push_back(hop_json(m, h));
    chains.push_back(Json{{"length", c.length}, {"hops", hops}});
  }
  return Json{{"at", r.at.iso()}, {"from", r.from.str()}, {"to", r.to.str()}, {"chains", chains}};
}

Json to_json(const Model& m, const DownstreamResult& r) {
  Json systems = Json::array();
  for (const DownstreamSystem& s : r.systems) systems.push_back(Json{{"id", m.systems[s.system].id}, {"depth", s.depth}});
  Json flows = Json::array();
  for (Index f : r.flows) {
    const Flow& flow = m.flows[f];
    flows.push_back(Json{{"id", flow.id}, {"from", flow.from.id}, {"to", flow.to.id},
                         {"consent", std::string(to_string(flow.consent))}});
  }
  return Json{{"at", r.at.iso()},
              {"from", "system:" + m.systems[r.from_system].id},
              {"data", m.data[r.data].id},
              {"held", r.held},
              {"systems", systems},
              {"flows", flows}};
}

Json gap_json(const Model& m, const Gap& g) {
  Json out{{"rule", std::string(to_string(g.rule))}};
  if (g.flow != kNone) out["flow"] = m.flows[g.flow].id;
  if (g.identifier != kNone) out["identifier"] = m.identifiers[g.identifier].id;
  out["systems"] = ids(m.systems, g.systems);
  out["data"] = ids(m.data, g.data);
  if (!g.laws.empty()) out["laws"] = ids(m.laws, g.laws);
  if (!g.upstream_flows.empty()) out["upstream_flows"] = ids(m.flows, g.upstream_flows);
  out["reason"] = g.reason;
  return out;
}

Json to_json(const Model& m, const GapsResult& r) { return Json{{"at", r.at.iso()}, {"gaps", gaps_json(m, r.gaps)}}; }

Json to_json(const Model& m, const DiffResult& r) {
  return Json{{"from", r.from.iso()},
              {"to", r.to.iso()},
              {"systems", change_json(m.systems, r.systems)},
              {"identifiers", change_json(m.identifiers, r.identifiers)},
              {"data", change_json(m.data, r.data)},
              {"flows", change_json(m.flows, r.flows)},
              {"laws", change_json(m.laws, r.laws)},
              {"joinable", Json{{"became", pairs_json(m, r.became_joinable)},
                                {"ceased", pairs_json(m, r.ceased_joinable)},
                                {"truncated", r.pairs_truncated}}},
              {"gaps", Json{{"appeared", gaps_json(m, r.gaps_appeared)}, {"disappeared", gaps_json(m, r.gaps_disappeared)}}}};
}

// Invalid UTF-8 in a name must not abort the output: replace it.
std::string dump_json(const Json& json) { return json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; }

}  // namespace imozuru
