// The Lua `model` userdata (docs/lua-api.md): a ModelAt in a box, and the
// argument and option checks its methods share. Internal to imozuru_query;
// the methods live by job in entity_bindings.cc (entity tables and
// holdings), analysis_bindings.cc (reach, chains, gaps, downstream, diff,
// person) and render_bindings.cc (model:render), and model_bindings.cc
// registers them.
#pragma once

#include <initializer_list>
#include <memory>
#include <optional>
#include <vector>

#include "model/as_of.h"
#include "model/model.h"
#include "query/lua_support.h"

namespace imozuru {
class LinkageGraph;
}

namespace imozuru::query {

constexpr const char* kModelMeta = "imozuru.Model";

struct ModelHandle {
  const Model* model;
  ModelAt at;
  std::unique_ptr<LinkageGraph> graph;  // built on first use
  ModelHandle(const Model& m, Date d, bool planned, Index person = kNone, std::vector<Index> withdrawn = {});
  ~ModelHandle();
};

ModelHandle* check_model(lua_State* L, int index = 1);
ModelHandle* new_model(lua_State* L, const Model& model, const Date& at, bool include_planned,
                       Index person = kNone, std::vector<Index> withdrawn = {});
// The linkage graph at the handle's date, built on first use.
const LinkageGraph* linkage(lua_State* L, ModelHandle* h);

// ---- references: "kind:id", a bare id where the kind is implied, or an entity table

constexpr int kNoKind = -1;

struct RefArg {
  EntityKind kind = EntityKind::system;
  const char* id = nullptr;  // points into a Lua string kept on the stack
  size_t len = 0;
  Index index = kNone;
};

constexpr unsigned bit(EntityKind k) { return 1u << unsigned(k); }
constexpr unsigned kAnyKind = (1u << kEntityKindCount) - 1;
constexpr unsigned kAnalysisKinds =
    bit(EntityKind::identifier) | bit(EntityKind::system) | bit(EntityKind::data);

// Reads the reference at `index` (made absolute). `implied` is the kind of a
// bare id (kNoKind: a kind is required). `allowed` is a bit set of kinds.
// With `must_exist`, an unknown entity raises; otherwise index is kNone.
RefArg check_ref(lua_State* L, int index, int implied, unsigned allowed, const Model& m,
                 bool must_exist = true);
// Reads a list of references (or one) at `index` into a boxed vector.
std::vector<EntityRef>* check_ref_list(lua_State* L, int index, const Model& m, const char* what);

// ---- options tables

// Raises on a key not in `known` (a typo must not pass silently).
void check_options(lua_State* L, int index, const char* function, std::initializer_list<const char*> known);
// Pushes opts[key] (nil when opts is absent) and returns its type.
int get_option(lua_State* L, int index, const char* key);
Date check_date(lua_State* L, int index, const char* what);
// The person named at `index`, checked at the date (as --person does).
Index check_person(lua_State* L, int index, const Model& m, const Date& at, bool planned,
                   const char* function);
// The handle an analysis runs on: `self`, or a new one (left on the stack)
// for opts.at, opts.include_planned or opts.person.
ModelHandle* handle_for(lua_State* L, ModelHandle* self, int opts, const char* function);
bool option_flag(lua_State* L, int opts, const char* key);
std::optional<double> option_fraction(lua_State* L, int opts, const char* key, const char* function);
// The `lang` option (ja or en; default: the model's default_lang).
Lang lang_option(lua_State* L, int opts, const Model& m, const char* function);

// ---- methods, by the file that defines them

// entity_bindings.cc
void push_iso(lua_State* L, const Date& d);
int m_systems(lua_State* L);
int m_identifiers(lua_State* L);
int m_data(lua_State* L);
int m_flows(lua_State* L);
int m_laws(lua_State* L);
int m_actors(lua_State* L);
int m_sources(lua_State* L);
int m_persons(lua_State* L);
int m_groups(lua_State* L);
int m_consent_acts(lua_State* L);
int m_get(lua_State* L);
int m_active(lua_State* L);
int m_holdings(lua_State* L);
int m_holders(lua_State* L);
int m_flows_in(lua_State* L);
int m_flows_out(lua_State* L);
int m_name(lua_State* L);
int m_date(lua_State* L);
int m_include_planned(lua_State* L);
int m_info(lua_State* L);
int m_at(lua_State* L);

// analysis_bindings.cc
int m_reach(lua_State* L);
int m_chains(lua_State* L);
int m_gaps(lua_State* L);
int m_downstream(lua_State* L);
int m_diff(lua_State* L);
int m_person(lua_State* L);

// render_bindings.cc
int m_render(lua_State* L);

}  // namespace imozuru::query
