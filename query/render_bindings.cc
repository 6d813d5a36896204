// model:_render, the C half of model:render (query/lua/imozuru.lua): reads
// the options and the highlight table and draws through render/.
#include <chrono>
#include <cstring>

#include "query/model_handle.h"
#include "query/sandbox.h"
#include "render/render.h"
#include "render/timelapse.h"

namespace imozuru::query {
namespace {

// Appends the strings of list opts[key] to `out`.
void read_id_list(lua_State* L, int table, const char* key, std::vector<std::string>& out) {
  if (lua_getfield(L, table, key) == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  if (!lua_istable(L, -1)) luaL_error(L, "model:render: highlight.%s must be a list of ids", key);
  const lua_Integer n = luaL_len(L, -1);
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_geti(L, -1, i);
    size_t len;
    const char* id = lua_tolstring(L, -1, &len);
    if (!id) luaL_error(L, "model:render: highlight.%s[%I] is not an id", key, i);
    ErrorText error;
    if (!cxx(error, [&] { out.emplace_back(id, len); })) luaL_error(L, "%s", error.text);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

// Copies field `key` of the table on top into `out` (empty when absent).
void read_hop_field(lua_State* L, const char* key, std::string& out) {
  if (lua_getfield(L, -1, key) == LUA_TSTRING) {
    size_t len;
    const char* s = lua_tolstring(L, -1, &len);
    ErrorText error;
    if (!cxx(error, [&] { out.assign(s, len); })) luaL_error(L, "%s", error.text);
  }
  lua_pop(L, 1);
}

void read_highlight(lua_State* L, int table, render::Highlight& h) {
  table = lua_absindex(L, table);
  read_id_list(L, table, "systems", h.systems);
  read_id_list(L, table, "identifiers", h.identifiers);
  read_id_list(L, table, "data", h.data);
  read_id_list(L, table, "flows", h.flows);
  if (lua_getfield(L, table, "system_depth") == LUA_TTABLE) {
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      if (lua_type(L, -2) == LUA_TSTRING && lua_isinteger(L, -1)) {
        const char* id = lua_tostring(L, -2);
        const int depth = static_cast<int>(lua_tointeger(L, -1));
        ErrorText error;
        if (!cxx(error, [&] { h.system_depth[id] = depth; })) luaL_error(L, "%s", error.text);
      }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  if (lua_getfield(L, table, "chains") == LUA_TTABLE) {
    const lua_Integer n = luaL_len(L, -1);
    for (lua_Integer c = 1; c <= n; ++c) {
      if (lua_geti(L, -1, c) != LUA_TTABLE)
        luaL_error(L, "model:render: highlight.chains[%I] is not a list of hops", c);
      ErrorText error;
      if (!cxx(error, [&] { h.chains.emplace_back(); })) luaL_error(L, "%s", error.text);
      const lua_Integer hops = luaL_len(L, -1);
      for (lua_Integer i = 1; i <= hops; ++i) {
        if (lua_geti(L, -1, i) != LUA_TTABLE) luaL_error(L, "model:render: a hop must be a table");
        if (!cxx(error, [&] { h.chains.back().emplace_back(); })) luaL_error(L, "%s", error.text);
        render::HighlightHop& hop = h.chains.back().back();
        lua_getfield(L, -1, "kind");
        hop.kind = lua_isstring(L, -1) && std::strcmp(lua_tostring(L, -1), "flow") == 0
                       ? render::HighlightHop::Kind::flow
                       : render::HighlightHop::Kind::holds;
        lua_pop(L, 1);
        read_hop_field(L, "system", hop.system);
        read_hop_field(L, "identifier", hop.identifier);
        read_hop_field(L, "data", hop.data);
        read_hop_field(L, "flow", hop.flow);
        read_hop_field(L, "from", hop.from);
        read_hop_field(L, "to", hop.to);
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  if (lua_getfield(L, table, "only") != LUA_TNIL) h.only = lua_toboolean(L, -1);
  lua_pop(L, 1);
}

// True for a relative path without "..": a script writes only below --output-dir.
bool safe_output_path(const char* path) {
  if (!*path || *path == '/') return false;
  for (const char* p = path; *p;) {
    const char* end = std::strchr(p, '/');
    size_t len = end ? size_t(end - p) : std::strlen(p);
    if (len == 2 && p[0] == '.' && p[1] == '.') return false;
    p += len + (end ? 1 : 0);
  }
  return true;
}

struct RenderJob {
  render::RenderOptions options;
  std::string path;
  std::string output;
  // A time-lapse (dates) or a chain built up (steps): the model at each
  // date, the frames, and the files written.
  std::vector<Date> dates;
  std::vector<ModelAt> ats;
  std::vector<std::string> frames;
  std::vector<std::filesystem::path> written;
};

// opts.dates: 1 to render::kMaxFrames dates, earliest first.
void read_dates(lua_State* L, int table, RenderJob& job, ErrorText& error) {
  if (lua_getfield(L, table, "dates") == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  if (!lua_istable(L, -1)) luaL_error(L, "model:render: dates must be a list of dates");
  const lua_Integer n = luaL_len(L, -1);
  if (n < 1 || n > lua_Integer(render::kMaxFrames))
    luaL_error(L, "model:render: dates must list 1 to %d dates", int(render::kMaxFrames));
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_geti(L, -1, i);
    const Date d = check_date(L, -1, "model:render: dates");
    if (!job.dates.empty() && !(job.dates.back() < d))
      luaL_error(L, "model:render: dates must be given from the earliest to the latest");
    if (!cxx(error, [&] { job.dates.push_back(d); })) luaL_error(L, "%s", error.text);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

}  // namespace

// model:_render(options): the C half of model:render (imozuru.lua).
int m_render(lua_State* L) {
  ModelHandle* h = check_model(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  check_options(L, 2, "model:render",
                {"highlight", "output",      "format", "view",          "lang",  "only",   "caption",
                 "title",     "label_width", "canvas", "top_to_bottom", "dpi",   "engine", "include_planned",
                 "at",        "person",      "dates",  "ghost",         "steps", "brief"});
  ModelHandle* target = handle_for(L, h, 2, "model:render");
  auto* job = new_box<RenderJob>(L);
  render::RenderOptions& o = job->options;
  o.lang = target->model->default_lang();
  ErrorText error;
  if (lua_getfield(L, 2, "output") != LUA_TNIL) {
    const char* path = luaL_checkstring(L, -1);
    if (!safe_output_path(path))
      luaL_error(
          L, "model:render: output '%s' must be a relative path without '..' (files go below --output-dir)",
          path);
    auto format = render::format_from_path(path);
    if (!format) luaL_error(L, "model:render: output '%s' must end in .svg, .png, .pdf or .dot", path);
    o.format = *format;
    const std::string& dir = runtime_of(L).output_dir;
    if (!cxx(error, [&] { job->path = dir.empty() ? std::string(path) : dir + "/" + path; }))
      luaL_error(L, "%s", error.text);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "format") != LUA_TNIL) {
    const char* name = luaL_checkstring(L, -1);
    const char* formats[] = {"dot", "svg", "png", "pdf"};
    int f = -1;
    for (int i = 0; i < 4; ++i)
      if (std::strcmp(name, formats[i]) == 0) f = i;
    if (f < 0) luaL_error(L, "model:render: format must be dot, svg, png or pdf, not '%s'", name);
    if (!job->path.empty() && render::Format(f) != o.format)
      luaL_error(L, "model:render: format '%s' does not match the output's extension", name);
    o.format = render::Format(f);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "view") != LUA_TNIL) {
    const char* name = luaL_checkstring(L, -1);
    auto view = render::parse_view(name);
    if (!view)
      luaL_error(L, "model:render: view must be flows, sectors, linkage, chain or person, not '%s'", name);
    o.view = *view;
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "engine") != LUA_TNIL) {
    const char* name = luaL_checkstring(L, -1);
    auto engine = render::parse_engine(name);
    if (!engine) luaL_error(L, "model:render: engine must be auto, dot, sfdp, fdp or neato, not '%s'", name);
    o.engine = *engine;
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "lang") != LUA_TNIL) {
    auto lang = parse_lang(luaL_checkstring(L, -1));
    if (!lang) luaL_error(L, "model:render: lang must be ja or en");
    o.lang = *lang;
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "dpi") != LUA_TNIL) {
    lua_Integer dpi = luaL_checkinteger(L, -1);
    if (dpi < 36 || dpi > 1200) luaL_error(L, "model:render: dpi must be between 36 and 1200");
    o.dpi = static_cast<int>(dpi);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "highlight") != LUA_TNIL) {
    luaL_checktype(L, -1, LUA_TTABLE);
    if (!cxx(error, [&] { o.highlight.emplace(); })) luaL_error(L, "%s", error.text);
    read_highlight(L, -1, *o.highlight);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "only") != LUA_TNIL && o.highlight) o.highlight->only = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "caption") != LUA_TNIL) {
    const char* caption = luaL_checkstring(L, -1);
    if (!cxx(error, [&] { o.caption = caption; })) luaL_error(L, "%s", error.text);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "title") != LUA_TNIL) o.title = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "label_width") != LUA_TNIL) {
    lua_Integer width = luaL_checkinteger(L, -1);
    if (width < lua_Integer(render::kMinLabelWidth) || width > lua_Integer(render::kMaxLabelWidth))
      luaL_error(L, "model:render: label_width must be between %d and %d", int(render::kMinLabelWidth),
                 int(render::kMaxLabelWidth));
    o.label_width = static_cast<std::size_t>(width);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "canvas") != LUA_TNIL) {
    const char* text = luaL_checkstring(L, -1);
    if (!cxx(error, [&] { o.canvas = render::parse_canvas(text); })) luaL_error(L, "%s", error.text);
    if (!o.canvas)
      luaL_error(
          L, "model:render: canvas must be 16:9, 4:3, a4, a4-landscape or WIDTHxHEIGHT with in, mm or px");
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "top_to_bottom") != LUA_TNIL) o.top_to_bottom = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "brief") != LUA_TNIL) o.brief = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (o.brief && o.view != render::View::sectors)
    luaL_error(L, "model:render: brief needs view = \"sectors\"");
  read_dates(L, 2, *job, error);
  render::TimelapseOptions timelapse;
  if (lua_getfield(L, 2, "ghost") != LUA_TNIL) timelapse.ghost = lua_toboolean(L, -1);
  lua_pop(L, 1);
  const bool steps = lua_getfield(L, 2, "steps") != LUA_TNIL && lua_toboolean(L, -1);
  lua_pop(L, 1);
  const bool frames = steps || !job->dates.empty();
  if (steps && !job->dates.empty()) luaL_error(L, "model:render: give dates or steps, not both");
  const bool at_given = lua_getfield(L, 2, "at") != LUA_TNIL;
  lua_pop(L, 1);
  if (!job->dates.empty() && at_given) luaL_error(L, "model:render: give dates or at, not both");
  if (timelapse.ghost && !frames) luaL_error(L, "model:render: ghost needs dates or steps");
  if (o.view == render::View::chain && !o.highlight)
    luaL_error(L, "model:render: the chain view needs a result or highlight");
  if (o.view == render::View::person && target->at.person() == kNone)
    luaL_error(L, "model:render: the person view needs a person (person = \"P\", or a model for a person)");
  // The diagram's time counts against the script's limit.
  const double left =
      std::chrono::duration<double>(runtime_of(L).deadline - std::chrono::steady_clock::now()).count();
  check_deadline(L);
  if (left < o.timeout_seconds) o.timeout_seconds = left > 0.5 ? left : 0.5;
  const bool to_file = !job->path.empty();
  if (frames) {
    if (!cxx(error, [&] {
          for (const Date& d : job->dates)
            job->ats.emplace_back(target->at.model(), d, target->at.include_planned(), target->at.person());
          job->frames = steps ? render::render_chain_steps(target->at, o, timelapse)
                              : render::render_timelapse(job->ats, o, timelapse);
          if (to_file) job->written = render::write_frames(job->path, o.format, job->frames).written;
        }))
      luaL_error(L, "model:render: %s", error.text);
    check_deadline(L);
    // The files written, or the frames themselves, in order.
    lua_createtable(L, static_cast<int>(job->frames.size()), 0);
    if (to_file) {
      for (std::size_t k = 0; k < job->written.size(); ++k) {
        const std::string& path = job->written[k].native();
        lua_pushlstring(L, path.data(), path.size());
        lua_rawseti(L, -2, static_cast<lua_Integer>(k + 1));
      }
    } else {
      for (std::size_t k = 0; k < job->frames.size(); ++k) {
        lua_pushlstring(L, job->frames[k].data(), job->frames[k].size());
        lua_rawseti(L, -2, static_cast<lua_Integer>(k + 1));
      }
    }
    return 1;
  }
  if (!cxx(error, [&] {
        if (to_file)
          render::render_to_file(target->at, o, job->path);
        else
          job->output = render::render_diagram(target->at, o);
      }))
    luaL_error(L, "model:render: %s", error.text);
  check_deadline(L);
  if (to_file) {
    lua_pushlstring(L, job->path.data(), job->path.size());
  } else {
    lua_pushlstring(L, job->output.data(), job->output.size());
  }
  return 1;
}

}  // namespace imozuru::query
