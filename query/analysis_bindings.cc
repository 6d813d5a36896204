// The analyses as methods of the Lua model (docs/lua-api.md): reach,
// chains, gaps, downstream, diff and person, each returning the table shape
// of its JSON output (query/result_tables.h).
#include <utility>

#include "model/chains.h"
#include "model/diff.h"
#include "model/downstream.h"
#include "model/gaps.h"
#include "model/linkage_graph.h"
#include "model/person.h"
#include "model/reach.h"
#include "output/legal_text.h"
#include "output/person_output.h"
#include "query/model_handle.h"
#include "query/result_tables.h"
#include "query/sandbox.h"

namespace imozuru::query {

// model:reach{from = {"identifier:ID", ...}, at = D, include_planned = b}
int m_reach(lua_State* L) {
  ModelHandle* self = check_model(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  check_options(L, 2, "reach", {"from", "at", "include_planned", "person", "open_only", "max_match_error"});
  ModelHandle* h = handle_for(L, self, 2, "reach");
  ReachOptions options;
  options.open_only = option_flag(L, 2, "open_only");
  options.max_match_error = option_fraction(L, 2, "max_match_error", "reach");
  lua_getfield(L, 2, "from");
  std::vector<EntityRef>* from = check_ref_list(L, -1, *h->model, "reach: from");
  const LinkageGraph* graph = linkage(L, h);
  check_deadline(L);
  auto* result = new_box<ReachResult>(L);
  ErrorText error;
  if (!cxx(error, [&] { *result = reach(*graph, *from, options); })) luaL_error(L, "reach: %s", error.text);
  check_deadline(L);
  return push_result(L, *h->model, *result);
}

// model:chains{from = REF, to = REF, k = 1, max_hops = 20, at = D}
int m_chains(lua_State* L) {
  ModelHandle* self = check_model(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  check_options(
      L, 2, "chains",
      {"from", "to", "k", "max_hops", "at", "include_planned", "person", "open_only", "max_match_error"});
  ModelHandle* h = handle_for(L, self, 2, "chains");
  auto* ends = new_box<std::pair<EntityRef, EntityRef>>(L);
  const char* names[] = {"from", "to"};
  for (int i = 0; i < 2; ++i) {
    if (lua_getfield(L, 2, names[i]) == LUA_TNIL) luaL_error(L, "chains: '%s' is required", names[i]);
    RefArg ref = check_ref(L, -1, kNoKind, kAnalysisKinds, *h->model);
    EntityRef& end = i == 0 ? ends->first : ends->second;
    ErrorText error;
    if (!cxx(error, [&] { end = EntityRef{ref.kind, std::string(ref.id, ref.len)}; }))
      luaL_error(L, "%s", error.text);
    lua_pop(L, 1);
  }
  ChainOptions options;
  if (get_option(L, 2, "k") != LUA_TNIL) {
    lua_Integer k = luaL_checkinteger(L, -1);
    if (k < 1 || k > lua_Integer(kMaxChainCount))
      luaL_error(L, "chains: k must be a whole number from 1 to %d", int(kMaxChainCount));
    options.k = static_cast<size_t>(k);
  }
  lua_pop(L, 1);
  if (get_option(L, 2, "max_hops") != LUA_TNIL) {
    lua_Integer hops = luaL_checkinteger(L, -1);
    if (hops < 1 || hops > kMaxHopsLimit)
      luaL_error(L, "chains: max_hops must be a whole number from 1 to %d", kMaxHopsLimit);
    options.max_hops = static_cast<int>(hops);
  }
  lua_pop(L, 1);
  options.open_only = option_flag(L, 2, "open_only");
  options.max_match_error = option_fraction(L, 2, "max_match_error", "chains");
  const LinkageGraph* graph = linkage(L, h);
  check_deadline(L);
  auto* result = new_box<ChainsResult>(L);
  ErrorText error;
  if (!cxx(error, [&] { *result = chains(*graph, ends->first, ends->second, options); }))
    luaL_error(L, "chains: %s", error.text);
  return push_result(L, *h->model, *result);
}

// model:gaps{at = D, status = "all" | "open", lang = "ja" | "en"}
int m_gaps(lua_State* L) {
  ModelHandle* self = check_model(L);
  check_options(L, 2, "gaps", {"at", "include_planned", "person", "status", "lang"});
  GapStatusFilter filter = GapStatusFilter::all;
  if (get_option(L, 2, "status") != LUA_TNIL) {
    auto parsed = parse_gap_status_filter(luaL_checkstring(L, -1));
    if (!parsed) luaL_error(L, "gaps: status must be 'all' or 'open', not '%s'", lua_tostring(L, -1));
    filter = *parsed;
  }
  lua_pop(L, 1);
  ModelHandle* h = handle_for(L, self, 2, "gaps");
  const Lang lang = lang_option(L, 2, *h->model, "gaps");
  check_deadline(L);
  auto* result = new_box<GapsResult>(L);
  ErrorText error;
  if (!cxx(error, [&] {
        *result = find_gaps(h->at);
        filter_gaps(*h->model, *result, filter);
        set_gap_reasons(*h->model, *result, lang);
      }))
    luaL_error(L, "gaps: %s", error.text);
  return push_result(L, *h->model, *result);
}

// model:downstream{system = REF, data = REF, at = D}
int m_downstream(lua_State* L) {
  ModelHandle* self = check_model(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  check_options(L, 2, "downstream", {"system", "data", "at", "include_planned", "person"});
  ModelHandle* h = handle_for(L, self, 2, "downstream");
  if (lua_getfield(L, 2, "system") == LUA_TNIL) luaL_error(L, "downstream: 'system' is required");
  RefArg system = check_ref(L, -1, int(EntityKind::system), bit(EntityKind::system), *h->model);
  if (lua_getfield(L, 2, "data") == LUA_TNIL) luaL_error(L, "downstream: 'data' is required");
  RefArg data = check_ref(L, -1, int(EntityKind::data), bit(EntityKind::data), *h->model);
  check_deadline(L);
  auto* result = new_box<DownstreamResult>(L);
  ErrorText error;
  if (!cxx(error, [&] { *result = downstream(h->at, system.index, data.index); }))
    luaL_error(L, "downstream: %s", error.text);
  return push_result(L, *h->model, *result);
}

// model:diff{from = D1, to = D2, lang = L} (from defaults to the model's date), or model:diff(D2).
int m_diff(lua_State* L) {
  ModelHandle* h = check_model(L);
  Date from = h->at.at(), to = from;
  if (lua_type(L, 2) == LUA_TSTRING) {
    to = check_date(L, 2, "diff");
  } else {
    luaL_checktype(L, 2, LUA_TTABLE);
    check_options(L, 2, "diff", {"from", "to", "person", "lang"});
    if (get_option(L, 2, "from") != LUA_TNIL) from = check_date(L, -1, "diff: from");
    if (get_option(L, 2, "to") == LUA_TNIL) luaL_error(L, "diff: 'to' is required");
    to = check_date(L, -1, "diff: to");
  }
  const Lang lang =
      lua_type(L, 2) == LUA_TTABLE ? lang_option(L, 2, *h->model, "diff") : h->model->default_lang();
  DiffOptions options;
  options.include_planned = h->at.include_planned();
  options.person = h->at.person();
  if (lua_type(L, 2) == LUA_TTABLE && get_option(L, 2, "person") != LUA_TNIL) {
    // The person must be someone at both dates, as for the diff command.
    options.person = check_person(L, -1, *h->model, from, options.include_planned, "diff");
    check_person(L, -1, *h->model, to, options.include_planned, "diff");
  }
  check_deadline(L);
  auto* result = new_box<DiffResult>(L);
  ErrorText error;
  if (!cxx(error, [&] {
        *result = diff(*h->model, from, to, options);
        set_gap_reasons(*h->model, *result, lang);
      }))
    luaL_error(L, "diff: %s", error.text);
  return push_result(L, *h->model, *result);
}

// model:person{person = "P", at = D, include_planned = b, withdraw = {"act", ...}}:
// the person's exposure, shaped like the `person` JSON (docs/model-format.md).
// `person` defaults to the model's own; `withdraw` takes consent acts as not
// done (what withdrawing them would change).
int m_person(lua_State* L) {
  ModelHandle* self = check_model(L);
  if (lua_isnoneornil(L, 2)) lua_newtable(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  check_options(L, 2, "person", {"person", "at", "include_planned", "withdraw"});
  Date at = self->at.at();
  bool planned = self->at.include_planned();
  if (get_option(L, 2, "at") != LUA_TNIL) at = check_date(L, -1, "person");
  lua_pop(L, 1);
  if (get_option(L, 2, "include_planned") != LUA_TNIL) planned = lua_toboolean(L, -1);
  lua_pop(L, 1);
  Index person = self->at.person();
  if (get_option(L, 2, "person") != LUA_TNIL) {
    person = check_person(L, -1, *self->model, at, planned, "person");
  } else if (person == kNone) {
    luaL_error(L, "person: 'person' is required (a persons id)");
  } else {
    lua_pushstring(L, self->model->persons[person].id.c_str());
    check_person(L, -1, *self->model, at, planned, "person");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  auto* withdrawn = new_box<std::vector<Index>>(L);
  if (get_option(L, 2, "withdraw") != LUA_TNIL) {
    if (lua_type(L, -1) == LUA_TSTRING) {
      lua_createtable(L, 1, 0);
      lua_insert(L, -2);
      lua_rawseti(L, -2, 1);
    }
    if (!lua_istable(L, -1)) luaL_error(L, "person: withdraw must be a list of consent act ids");
    const lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n; ++i) {
      lua_geti(L, -1, i);
      RefArg act = check_ref(L, -1, int(EntityKind::consent_act), bit(EntityKind::consent_act), *self->model);
      ErrorText error;
      if (!cxx(error, [&] { withdrawn->push_back(act.index); })) luaL_error(L, "%s", error.text);
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  check_deadline(L);
  ModelHandle* h = new_model(L, *self->model, at, planned, person, *withdrawn);
  auto* result = new_box<PersonResult>(L);
  ErrorText error;
  if (!cxx(error, [&] { *result = person_exposure(h->at); })) luaL_error(L, "person: %s", error.text);
  return push_result(L, *h->model, *result);
}

}  // namespace imozuru::query
