-- imozuru.lua: from what a card reveals (or any identifiers and data given as
-- arguments), everything that can be joined to the person, ranked, and
-- optionally drawn as a diagram.
--
--   imozuru query flows scripts/imozuru.lua [REF...] [--lang ja|en] [--diagram OUT.svg] [--json]
--
-- REF is identifier:ID, system:ID or data:ID. Default: what the card
-- carries (its identifiers and the data printed on it); the card is the
-- active system of kind `card` holding the most identifiers (system:myna_card
-- in flows/). Ranking: fewest steps first, then most special-category data,
-- then most high-sensitivity data, then id. --diagram is checked before
-- anything is printed.

local usage = "usage: imozuru query MODEL scripts/imozuru.lua [REF...] [--lang ja|en] [--diagram OUT.svg|.png|.pdf|.dot] [--json]"
local refs, lang, diagram, as_json = {}, nil, nil, false
local i = 1
while arg[i] do
  local a = arg[i]
  if a == "--lang" then
    i = i + 1
    lang = arg[i]
    if lang ~= "ja" and lang ~= "en" then imozuru.usage("--lang must be ja or en\n" .. usage) end
  elseif a == "--diagram" then
    i = i + 1
    diagram = arg[i]
    if not diagram then imozuru.usage("--diagram needs a file name\n" .. usage) end
  elseif a == "--json" then as_json = true
  elseif a == "--help" or a == "-h" then imozuru.usage(usage)
  elseif a:find(":", 1, true) then refs[#refs + 1] = a
  else imozuru.usage("unknown argument '" .. a .. "'\n" .. usage)
  end
  i = i + 1
end

-- The diagram's path, checked as model:render would check it, but before
-- any output: a wrong name must not cost the whole report.
if diagram then
  local ext = diagram:match("%.([%a]+)$")
  if ext ~= "svg" and ext ~= "png" and ext ~= "pdf" and ext ~= "dot" then
    imozuru.usage("--diagram '" .. diagram .. "' must end in .svg, .png, .pdf or .dot\n" .. usage)
  end
  if diagram:sub(1, 1) == "/" or ("/" .. diagram .. "/"):find("/../", 1, true) then
    imozuru.usage("--diagram '" .. diagram .. "' must be a relative path without '..' (files go below --output-dir)\n" ..
                  usage)
  end
end

local start_label
if #refs == 0 then
  local card, most = nil, -1
  for _, s in ipairs(model:systems()) do
    local n = #model:holdings(s.id).identifiers
    if s.kind == "card" and n > most then card, most = s, n end
  end
  if not card then
    imozuru.usage("no active system of kind 'card' in this model at " .. model:date() ..
                  ": give the identifiers to start from\n" .. usage)
  end
  local held = model:holdings(card.id)
  for _, id in ipairs(held.identifiers) do refs[#refs + 1] = "identifier:" .. id end
  for _, id in ipairs(held.data) do refs[#refs + 1] = "data:" .. id end
  start_label = "what " .. model:label(card, lang) .. " reveals"
else
  start_label = table.concat(refs, ", ")
end

local r = model:reach{from = refs}

local sensitivity = {}
for _, d in ipairs(model:data()) do sensitivity[d.id] = d.sensitivity end

local rows = {}
for _, s in ipairs(r.systems) do
  local held = model:holdings(s.id)
  local special, high = {}, {}
  for _, d in ipairs(held.data) do
    if sensitivity[d] == "special" then special[#special + 1] = d
    elseif sensitivity[d] == "high" then high[#high + 1] = d end
  end
  local system = model:get("system:" .. s.id)
  rows[#rows + 1] = {id = s.id, depth = s.depth, name = model:name(system, lang), sector = system.sector,
                     special = special, high = high}
end
table.sort(rows, function(a, b)
  if a.depth ~= b.depth then return a.depth < b.depth end
  if #a.special ~= #b.special then return #a.special > #b.special end
  if #a.high ~= #b.high then return #a.high > #b.high end
  return a.id < b.id
end)
for rank, row in ipairs(rows) do row.rank = rank end

if as_json then
  imozuru.json({at = r.at, from = r.from, systems = rows, identifiers = r.identifiers, data = r.data})
else
  print(("芋づる from %s, at %s"):format(start_label, r.at))
  print(("%d systems, %d identifiers, %d data items can be joined to the person"):format(
    #r.systems, #r.identifiers, #r.data))
  print()
  print("rank  steps  special  high  system")
  for _, row in ipairs(rows) do
    print(("%4d  %5d  %7d  %4d  %s [%s] (%s)%s"):format(row.rank, row.depth, #row.special, #row.high,
      row.name, row.id, row.sector,
      #row.special > 0 and ("  special: " .. table.concat(row.special, ", ")) or ""))
  end
end

if diagram then
  local written = model:render{result = r, output = diagram, lang = lang, only = true,
                               caption = "reach: " .. start_label}
  print("diagram written to " .. written)
end
