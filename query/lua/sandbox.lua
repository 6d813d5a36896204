-- Seals the global table into the sandbox a query script runs in. Runs once,
-- before the script, with the raw base functions still at hand; afterwards
-- the script sees read-only library tables, text-only `load`, a `require` of
-- the tool's own modules, and no way to reach the real tables behind them.
local load_tool_module, model_methods, limits = ...

local G = _G
local error, type, next, pairs, tostring, select = error, type, next, pairs, tostring, select
local rawset, setmetatable, raw_load, raw_collectgarbage = rawset, setmetatable, load, collectgarbage
local format = string.format

local protected = setmetatable({}, {__mode = "k"})

-- A read-only proxy of `t` (and of the tables inside it), named `name` in
-- messages. The real table is never handed out.
local function readonly(t, name)
  local inner = {}
  for k, v in next, t do
    inner[k] = type(v) == "table" and readonly(v, name .. "." .. tostring(k)) or v
  end
  local proxy = {}
  protected[proxy] = true
  -- pairs(proxy) must not return `inner` as its state (`local _, t =
  -- pairs(string)` would then hand out the real table): the iterator keeps
  -- it as an upvalue, and the state is the proxy itself.
  local function iterate(_, k) return next(inner, k) end
  return setmetatable(proxy, {
    __index = inner,
    __newindex = function(_, k)
      error(format("%s is read-only (cannot set '%s')", name, tostring(k)), 2)
    end,
    __pairs = function() return iterate, proxy, nil end,
    __len = function() return #inner end,
    __metatable = false,
  })
end

-- The tool's modules: loaded once, on the sandbox's globals.
local loaded = {}
local function require_tool_module(name, ...)
  if type(name) ~= "string" then
    error(format("bad argument #1 to 'require' (string expected, got %s)", type(name)), 2)
  end
  if loaded[name] == nil then
    if name == "sandbox" then error("module 'sandbox' is not available to queries", 2) end
    local chunk, message = load_tool_module(name)
    if not chunk then
      error(format("module '%s' not found: queries can require only imozuru's own modules", name), 2)
    end
    loaded[name] = chunk(name, ...) or true
  end
  return loaded[name]
end

-- The `imozuru` module: C primitives (set by the bindings) plus Lua behaviour.
local tool = G.imozuru
require_tool_module("imozuru", tool, model_methods, limits)
loaded.imozuru = readonly(tool, "imozuru")
G.imozuru = loaded.imozuru

for _, name in next, {"string", "table", "math", "utf8", "os", "coroutine"} do
  G[name] = readonly(G[name], name)
end

G.require = function(name) return require_tool_module(name) end

-- Text chunks only (binary chunks are not verified and can crash Lua).
G.load = function(chunk, chunkname, mode, env)
  if mode ~= nil and mode ~= "t" then
    return nil, "load: only text chunks are allowed in queries (mode 't')"
  end
  if env == nil then env = G end
  return raw_load(chunk, chunkname, "t", env)
end

G.rawset = function(t, k, v)
  if protected[t] then error("rawset: the table is read-only", 2) end
  return rawset(t, k, v)
end

-- Stopping or tuning the collector could defeat the memory limit; a full
-- collection per call could defeat the time limit.
G.collectgarbage = function(option)
  if option == "count" then return raw_collectgarbage("count") end
  if option == nil or option == "collect" or option == "step" then return 0 end
  if option == "isrunning" then return true end
  error(format("collectgarbage('%s') is not available in queries", tostring(option)), 2)
end

-- Finalizers run with hooks off (lgc.c GCTM), so an endless __gc would
-- escape the time limit: scripts get no finalizers.
local raw_setmetatable, rawget = setmetatable, rawget
G.setmetatable = function(t, mt)
  if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
    error("setmetatable: __gc metamethods are not available in queries", 2)
  end
  return raw_setmetatable(t, mt)
end

-- A message handler runs where the error was raised, and an error raised by
-- the count hook leaves hooks off there: run the handler after unwinding.
local pcall = pcall
G.xpcall = function(f, handler, ...)
  local function finish(ok, ...)
    if ok then return true, ... end
    return false, select(2, pcall(handler, (...)))
  end
  return finish(pcall(f, ...))
end

raw_setmetatable(G, {__metatable = false})
