-- dv_exposure.lua: what a person who holds a family member's My Number card
-- (and knows its PIN) can learn by logging in to マイナポータル as them: the
-- DV scenario of the seeds (an abuser holding the child's card finds the
-- municipality that pays the victim's benefits, i.e. where she lives).
--
--   imozuru query flows scripts/dv_exposure.lua [CARD_REF] [PORTAL_REF] [--lang en] [--json]
--
-- Defaults, found from the model: the portal is the `portal`-sector system
-- that shows the most data items (system:mynaportal in flows/), and the card
-- is the `credential` identifier held by the most systems
-- (identifier:jpki_serial, the card's certificate used to log in). For each
-- data item the portal shows, the report names the systems it comes from
-- (walking flows back from the portal) and flags what reveals a place:
-- location data, and anything supplied by a local government. It then checks
-- whether any DV protection (data of category crime_victim, e.g. 支援措置)
-- lies on those flows.

local usage = "usage: imozuru query MODEL scripts/dv_exposure.lua [CARD_REF] [PORTAL_REF] [--lang ja|en] [--json]"
local card_ref, portal_ref, lang, as_json = nil, nil, nil, false
local positional = 0
local i = 1
while arg[i] do
  local a = arg[i]
  if a == "--lang" then
    i = i + 1
    lang = arg[i]
    if lang ~= "ja" and lang ~= "en" then imozuru.usage("--lang must be ja or en\n" .. usage) end
  elseif a == "--json" then as_json = true
  elseif a == "--help" or a == "-h" then imozuru.usage(usage)
  elseif a:find(":", 1, true) and positional < 2 then
    positional = positional + 1
    if positional == 1 then card_ref = a else portal_ref = a end
  else imozuru.usage("unknown argument '" .. a .. "'\n" .. usage) end
  i = i + 1
end

-- The active system of `sector` holding the most data items, and the active
-- identifier of `kind` with the most holders (ties by id).
local function busiest_system(sector)
  local best, most = nil, -1
  for _, s in ipairs(model:systems()) do
    local n = #model:holdings(s.id).data
    if s.sector == sector and n > most then best, most = s, n end
  end
  return best
end
local function most_held(kind)
  local best, most = nil, 0
  for _, id in ipairs(model:identifiers()) do
    local n = #model:holders("identifier:" .. id.id)
    if id.kind == kind and n > most then best, most = id, n end
  end
  return best
end
if not portal_ref then
  local p = busiest_system("portal")
  if not p then imozuru.usage("the model has no active system of sector 'portal' at " .. model:date() ..
                              ": name one as PORTAL_REF\n" .. usage) end
  portal_ref = p.ref
end
if not card_ref then
  local c = most_held("credential")
  if not c then imozuru.usage("the model has no held identifier of kind 'credential' at " .. model:date() ..
                              ": name one as CARD_REF\n" .. usage) end
  card_ref = c.ref
end

local portal = model:get(portal_ref)
if not portal then model:holdings(portal_ref) end  -- raises "no system ..." with did-you-mean
local login = model:reach{from = {card_ref}}
local reached = false
for _, s in ipairs(login.systems) do reached = reached or s.id == portal.id end

-- Where each item at the portal comes from: systems upstream along active
-- flows that carry it, up to those that hold it themselves.
local function origins(data_id)
  local found, seen, queue = {}, {[portal.id] = true}, {portal.id}
  while #queue > 0 do
    local system = table.remove(queue, 1)
    for _, flow in ipairs(model:flows_in(system)) do
      local carries = imozuru.set(flow.carries.data)
      if carries[data_id] and not seen[flow.from] then
        seen[flow.from] = true
        queue[#queue + 1] = flow.from
        local declared = imozuru.set(model:get("system:" .. flow.from).holds.data)
        if declared[data_id] then found[#found + 1] = flow.from end
      end
    end
  end
  table.sort(found)
  return found
end

local protections = {}
for _, d in ipairs(model:data()) do
  if d.category == "crime_victim" then protections[#protections + 1] = d.id end
end
local protection_holders = {}
for _, d in ipairs(protections) do
  for _, s in ipairs(model:holders("data:" .. d)) do protection_holders[s] = true end
end

local items = {}
for _, data_id in ipairs(model:holdings(portal.id).data) do
  local d = model:get("data:" .. data_id)
  local from = origins(data_id)
  local from_local, protected = {}, false
  for _, s in ipairs(from) do
    if model:get("system:" .. s).sector == "local_government" then from_local[#from_local + 1] = s end
    protected = protected or protection_holders[s] == true
  end
  local reveals_place = d.category == "location" or #from_local > 0
  items[#items + 1] = {data = data_id, name = model:name(d, lang), category = d.category,
                       sensitivity = d.sensitivity, from = from, reveals_place = reveals_place,
                       dv_protection_on_path = protected}
end
imozuru.sort_by(items, function(x) return (x.reveals_place and "0" or "1") .. x.data end)

if as_json then
  imozuru.json({at = model:date(), card = card_ref, portal = portal.id, portal_reached = reached, items = items,
                dv_protection = protections})
  return
end

print(("DV exposure through %s, at %s, starting from %s"):format(model:label(portal, lang), model:date(), card_ref))
if not reached then
  print("The card does not reach the portal at this date: nothing is exposed this way.")
  return
end
print(("Logged in with the card, the holder sees %d data items; place-revealing items (!): %d"):format(
  #items, #imozuru.filter(items, function(x) return x.reveals_place end)))
for _, x in ipairs(items) do
  if x.reveals_place then
    print(("  ! %s [%s] %s/%s from %s%s"):format(x.name, x.data, x.category, x.sensitivity,
      #x.from > 0 and table.concat(x.from, ", ") or "(held by the portal)",
      x.dv_protection_on_path and "" or "  (no DV protection on this path)"))
  end
end
print("Other items shown:")
for _, x in ipairs(items) do
  if not x.reveals_place then print(("    %s [%s] %s/%s"):format(x.name, x.data, x.category, x.sensitivity)) end
end
if #protections == 0 then
  print("The model records no DV protection data (category crime_victim).")
else
  local holders = imozuru.sorted_keys(protection_holders)
  print(("DV protection (%s) is held by %s and travels only on: %s"):format(table.concat(protections, ", "),
    #holders > 0 and table.concat(holders, ", ") or "(no active system)",
    table.concat(imozuru.map(imozuru.filter(model:flows(), function(f)
      for _, d in ipairs(f.carries.data) do if protection_holders[f.from] and imozuru.set(protections)[d] then return true end end
      return false
    end), function(f) return f.id end), ", ")))
  print("None of the flows into the portal consults it.")
end
