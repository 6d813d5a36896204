-- The Lua half of the `imozuru` module and of the `model` methods; the C half
-- (json, to_json, write and the model primitives) is in query/*.cc.
local _, imozuru, methods, limits = ...

local concat, sort, insert = table.concat, table.sort, table.insert
local format, find, gsub = string.format, string.find, string.gsub
local type, tostring, pairs, ipairs, next, error, select, pcall = type, tostring, pairs, ipairs, next, error, select, pcall
local math_type = math.type

-- ---- small helpers for lists and tables

-- The keys of `t`, sorted (numbers before strings).
function imozuru.sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  sort(keys, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return ta < tb end
    return a < b
  end)
  return keys
end

-- for k, v in imozuru.sorted_pairs(t): iteration in key order, for deterministic output.
function imozuru.sorted_pairs(t)
  local keys, i = imozuru.sorted_keys(t), 0
  return function()
    i = i + 1
    local k = keys[i]
    if k ~= nil then return k, t[k] end
  end
end

local function key_function(key)
  if type(key) == "function" then return key end
  return function(item) return item[key] end
end

-- {item, ...} → {[key] = {item, ...}}; `key` is a field name or a function.
function imozuru.group_by(list, key)
  local f, groups = key_function(key), {}
  for _, item in ipairs(list) do
    local k = f(item)
    if k ~= nil then
      local group = groups[k]
      if not group then group = {}; groups[k] = group end
      group[#group + 1] = item
    end
  end
  return groups
end

-- {item, ...} → {[key] = count}.
function imozuru.count_by(list, key)
  local f, counts = key_function(key), {}
  for _, item in ipairs(list) do
    local k = f(item)
    if k ~= nil then counts[k] = (counts[k] or 0) + 1 end
  end
  return counts
end

-- Sorts `list` in place by `key` (field or function), ties by `id`, and returns it.
function imozuru.sort_by(list, key, descending)
  local f = key_function(key)
  sort(list, function(a, b)
    local ka, kb = f(a), f(b)
    if ka ~= kb then
      if descending then return ka > kb end
      return ka < kb
    end
    return tostring(a.id or "") < tostring(b.id or "")
  end)
  return list
end

function imozuru.map(list, f)
  local out = {}
  for i, item in ipairs(list) do out[i] = f(item) end
  return out
end

function imozuru.filter(list, keep)
  local out = {}
  for _, item in ipairs(list) do
    if keep(item) then out[#out + 1] = item end
  end
  return out
end

-- {"a", "b"} → {a = true, b = true}
function imozuru.set(list)
  local s = {}
  for _, v in ipairs(list) do s[v] = true end
  return s
end

-- imozuru.ref("system", "x") → "system:x"; imozuru.split_ref("system:x") → "system", "x".
function imozuru.ref(kind, id) return kind .. ":" .. id end
function imozuru.split_ref(ref)
  local colon = find(ref, ":", 1, true)
  if not colon then return nil, ref end
  return ref:sub(1, colon - 1), ref:sub(colon + 1)
end

function imozuru.printf(fmt, ...) imozuru.write(format(fmt, ...)) end

-- imozuru.pad(text, width [, "right"]): `text` and spaces up to `width`
-- terminal columns (imozuru.width: a CJK character is two), so columns of
-- Japanese names line up; text already that wide is returned as it is.
function imozuru.pad(text, width, align)
  text = tostring(text)
  local missing = width - imozuru.width(text)
  if missing <= 0 then return text end
  if align == "right" then return string.rep(" ", missing) .. text end
  if align ~= nil and align ~= "left" then error("imozuru.pad: align must be 'left' or 'right'", 2) end
  return text .. string.rep(" ", missing)
end

-- ---- consent and chains

-- How much choice a flow's consent leaves the person, for sorting (0 least):
-- none, notice, opt_out (no choice: docs/cli.md#gaps), then comprehensive (one
-- broad consent), card (card and PIN each time), opt_in. An order of
-- choice, not a legal ranking.
local consent_ranks = {none = 0, notice = 1, opt_out = 2, comprehensive = 3, card = 4, opt_in = 5}
function imozuru.consent_rank(consent)
  local rank = consent_ranks[consent]
  if rank == nil then
    error(format("imozuru.consent_rank: '%s' is not a consent (none, notice, opt_out, opt_in, card, comprehensive)",
                 tostring(consent)), 2)
  end
  return rank
end

-- imozuru.chain_systems(chain): the ids of the systems a chain (an entry of
-- model:chains{...}.chains) passes through, in order, each once; as many as
-- chain.length.
function imozuru.chain_systems(chain)
  if type(chain) ~= "table" or type(chain.hops) ~= "table" then
    error("imozuru.chain_systems: expected a chain (an entry of model:chains{...}.chains)", 2)
  end
  local out, seen = {}, {}
  local function add(id)
    if id and not seen[id] then
      seen[id] = true
      out[#out + 1] = id
    end
  end
  for _, hop in ipairs(chain.hops) do
    if hop.kind == "flow" then
      add(hop.from)
      add(hop.to)
    else
      add(hop.system)
    end
  end
  return out
end

-- ---- CSV (RFC 4180 quoting, "\n" line ends)

-- The CSV text is built here in Lua, so --max-lua-string is checked here as
-- it grows: before a cell, a line or the whole text is joined.
local max_string = limits.max_lua_string
local TOO_LONG = {}  -- raised inside, reported at the script's line by to_csv/csv

-- A scalar as the text of a cell (whole floats without ".0").
local function cell_text(value)
  if math_type(value) == "float" and value == value // 1 and value < 2^53 and value > -2^53 then
    return format("%d", value)
  end
  return tostring(value)
end

-- One cell, quoted once as RFC 4180 says. A list is one cell: its items
-- joined with ";", a ";" or "\" inside an item written "\;" or "\\".
local function csv_field(value)
  if value == nil then return "" end
  if type(value) == "table" then
    local parts, size = {}, 0
    for i, v in ipairs(value) do
      parts[i] = gsub(cell_text(v), "[;\\]", "\\%0")
      size = size + #parts[i] + 1
      if size > max_string then error(TOO_LONG) end
    end
    value = concat(parts, ";")
  else
    value = cell_text(value)
  end
  if find(value, '[,"\r\n]') or find(value, "^%s") or find(value, "%s$") then
    if #value + 2 > max_string then error(TOO_LONG) end
    value = '"' .. gsub(value, '"', '""') .. '"'
  end
  if #value > max_string then error(TOO_LONG) end
  return value
end

local function build_csv(rows, columns)
  if columns == nil then
    local seen = {}
    for _, row in ipairs(rows) do
      for k in pairs(row) do seen[k] = true end
    end
    columns = imozuru.sorted_keys(seen)
  end
  local fields, headers = {}, {}
  for i, c in ipairs(columns) do
    if type(c) == "table" then fields[i], headers[i] = c[1], c[2] or c[1] else fields[i], headers[i] = c, c end
    headers[i] = csv_field(headers[i])
  end
  local lines = {concat(headers, ",")}
  local size = #lines[1] + 1
  if size > max_string then error(TOO_LONG) end
  for _, row in ipairs(rows) do
    local cells = {}
    for i, field in ipairs(fields) do
      cells[i] = csv_field(row[field])
      size = size + #cells[i] + 1
      if size > max_string then error(TOO_LONG) end
    end
    lines[#lines + 1] = concat(cells, ",")
  end
  return concat(lines, "\n") .. "\n"
end

local function csv_text(what, rows, columns)
  if type(rows) ~= "table" then error("imozuru.csv: rows must be a list of tables", 3) end
  local ok, text = pcall(build_csv, rows, columns)
  if ok then return text end
  if text == TOO_LONG then
    error(format("%s: the text would be more than %d bytes (raise it with --max-lua-string)", what, max_string), 3)
  end
  error(text, 0)
end

-- CSV text of `rows` (tables). `columns` lists the field names in order (or
-- {field, header} pairs); without it, the sorted union of the rows' keys.
-- A list value is one cell, its items joined with ";" (a ";" or "\" in an
-- item escaped with "\"); every cell is quoted at most once (RFC 4180).
function imozuru.to_csv(rows, columns)
  local text = csv_text("imozuru.to_csv", rows, columns)
  return text
end

function imozuru.csv(rows, columns)
  local text = csv_text("imozuru.csv", rows, columns)
  imozuru.write(text)
end

-- ---- model methods written in Lua

-- Systems directly joinable with `system` through a global identifier both
-- hold: {{system = id, through = {identifier ids}}, ...}, ascending by id.
function methods.joinable(self, system)
  local through = {}
  for _, identifier in ipairs(self:holdings(system).identifiers) do
    if self:get("identifier:" .. identifier).scope == "global" then
      for _, other in ipairs(self:holders("identifier:" .. identifier)) do
        local list = through[other]
        if not list then list = {}; through[other] = list end
        list[#list + 1] = identifier
      end
    end
  end
  local _, own = imozuru.split_ref(type(system) == "table" and system.ref or system)
  through[own] = nil
  local out = {}
  for _, other in ipairs(imozuru.sorted_keys(through)) do
    out[#out + 1] = {system = other, through = through[other]}
  end
  return out
end

-- Systems that hold two or more global identifiers (crosswalks between them):
-- {{system = id, identifiers = {...}}, ...}, ascending by id.
function methods.crosswalks(self)
  local global = {}
  for _, identifier in ipairs(self:identifiers()) do
    if identifier.scope == "global" then global[identifier.id] = true end
  end
  local out = {}
  for _, system in ipairs(self:systems()) do
    local held = imozuru.filter(self:holdings(system.id).identifiers, function(i) return global[i] end)
    if #held >= 2 then out[#out + 1] = {system = system.id, identifiers = held} end
  end
  return out
end

-- "名前 (id)" / "Name (id)" for reports.
function methods.label(self, ref, lang)
  local kind, id = imozuru.split_ref(type(ref) == "table" and ref.ref or ref)
  return format("%s (%s)", self:name(ref, lang), id)
end

-- What a diagram should emphasise, from a reach, chains, gaps or downstream
-- result (or several, in a list): {systems, identifiers, data, flows,
-- system_depth, chains}.
function imozuru.highlight(...)
  local h = {systems = {}, identifiers = {}, data = {}, flows = {}, system_depth = {}, chains = {}}
  local seen = {systems = {}, identifiers = {}, data = {}, flows = {}}
  local function add(kind, id)
    if id ~= nil and not seen[kind][id] then
      seen[kind][id] = true
      insert(h[kind], id)
    end
  end
  local function take(result)
    if type(result) ~= "table" then error("imozuru.highlight: a result table expected", 3) end
    for _, s in ipairs(result.systems or {}) do
      if type(s) == "table" then
        add("systems", s.id)
        if s.depth then h.system_depth[s.id] = s.depth end
      else
        add("systems", s)
      end
    end
    for _, kind in ipairs({"identifiers", "data", "flows"}) do
      for _, id in ipairs(result[kind] or {}) do add(kind, type(id) == "table" and id.id or id) end
    end
    for _, chain in ipairs(result.chains or {}) do
      insert(h.chains, chain.hops)
      for _, hop in ipairs(chain.hops) do
        add("systems", hop.system); add("systems", hop.from); add("systems", hop.to)
        add("identifiers", hop.identifier); add("data", hop.data); add("flows", hop.flow)
      end
    end
    for _, gap in ipairs(result.gaps or {}) do
      add("flows", gap.flow); add("identifiers", gap.identifier)
      for _, s in ipairs(gap.systems or {}) do add("systems", s) end
      for _, d in ipairs(gap.data or {}) do add("data", d) end
    end
  end
  local n = select("#", ...)
  for i = 1, n do
    local result = select(i, ...)
    if type(result) == "table" and result[1] ~= nil then
      for _, r in ipairs(result) do take(r) end
    else
      take(result)
    end
  end
  for _, kind in ipairs({"systems", "identifiers", "data", "flows"}) do sort(h[kind]) end
  return h
end

-- model:render{result = r, output = "out.svg", view = "chain", lang = "en", only = true, caption = "..."}
-- draws through the same renderer as `imozuru render`; without `output` it
-- returns the diagram (format = "dot" | "svg") as a string. With `dates` (a
-- time-lapse) or `steps` (a chain built up), a list of the files written, or
-- of the frames.
local raw_render = methods.render
function methods.render(self, options)
  if type(options) ~= "table" then error("model:render: an options table expected", 2) end
  local o = {}
  for k, v in pairs(options) do o[k] = v end
  if o.result ~= nil then
    local h = imozuru.highlight(o.result)
    if o.highlight then error("model:render: give 'result' or 'highlight', not both", 2) end
    o.result, o.highlight = nil, h
  end
  if o.highlight and o.view == nil then o.view = "chain" end
  -- Errors name the script's line, not this wrapper's.
  local ok, written = pcall(raw_render, self, o)
  if not ok then error((gsub(tostring(written), "^%[imozuru%][^:]*:%d+: ", "")), 2) end
  return written
end

return imozuru
