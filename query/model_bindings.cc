// `model`: entity tables, effective holdings, flows and the analyses, as
// methods of a userdata that holds a ModelAt (liolib's named-metatable shape).
// This file registers the methods; query/model_handle.h says where each lives.
#include <cstdio>

#include "query/bindings.h"
#include "query/model_handle.h"

namespace imozuru::query {
namespace {

int m_tostring(lua_State* L) {
  ModelHandle* h = check_model(L);
  char date[16];
  const Date& d = h->at.at();
  std::snprintf(date, sizeof date, "%04d-%02d-%02d", d.year, d.month, d.day);
  lua_pushfstring(L, "model at %s (%d active systems)", date, int(h->at.systems().size()));
  return 1;
}

const luaL_Reg kModelMethods[] = {{"systems", m_systems},     {"identifiers", m_identifiers},
                                  {"data", m_data},           {"flows", m_flows},
                                  {"laws", m_laws},           {"actors", m_actors},
                                  {"sources", m_sources},     {"get", m_get},
                                  {"active", m_active},       {"holdings", m_holdings},
                                  {"holders", m_holders},     {"flows_in", m_flows_in},
                                  {"flows_out", m_flows_out}, {"name", m_name},
                                  {"date", m_date},           {"include_planned", m_include_planned},
                                  {"info", m_info},           {"at", m_at},
                                  {"reach", m_reach},         {"chains", m_chains},
                                  {"gaps", m_gaps},           {"downstream", m_downstream},
                                  {"diff", m_diff},           {"render", m_render},
                                  {"person", m_person},       {"persons", m_persons},
                                  {"groups", m_groups},       {"consent_acts", m_consent_acts},
                                  {nullptr, nullptr}};

}  // namespace

void push_model(lua_State* L, const Model& model, const Date& at, bool include_planned, Index person) {
  push_box_metatable(L, kModelMeta);
  lua_newtable(L);  // methods; imozuru.lua adds its own when the sandbox is sealed
  luaL_setfuncs(L, kModelMethods, 0);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, "imozuru.Model.methods");
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, m_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  new_model(L, model, at, include_planned, person);
}

}  // namespace imozuru::query
