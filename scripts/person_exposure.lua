-- person_exposure.lua: one person's exposure (the systems holding their
-- records, what each holds, the flows moving them) and what changes when
-- they withdraw a consent act: de-registering the card as an insurance card,
-- refusing the public-payment account, ...
--
--   imozuru query MODEL scripts/person_exposure.lua [PERSON] [ACT] [--lang en] [--json]
--
-- PERSON defaults to the query's --person, else the first person (by id)
-- active at the date; ACT to the first consent act (by id) the person has
-- done at the date. With no act done, only the exposure is printed.

local USAGE = "usage: imozuru query MODEL scripts/person_exposure.lua [PERSON] [ACT] [--lang ja|en] [--json]"

local person_id, act_id, lang, as_json
local positional = {}
local i = 1
while arg[i] do
  local a = arg[i]
  if a == "--lang" then
    i = i + 1
    lang = arg[i]
    if lang ~= "ja" and lang ~= "en" then imozuru.usage("--lang takes ja or en\n" .. USAGE) end
  elseif a == "--json" then
    as_json = true
  elseif a == "--help" or a == "-h" then
    print(USAGE)
    return
  elseif a:sub(1, 1) == "-" then
    imozuru.usage("unknown option '" .. a .. "'\n" .. USAGE)
  else
    positional[#positional + 1] = a
  end
  i = i + 1
end
if #positional > 2 then imozuru.usage("too many arguments\n" .. USAGE) end
person_id, act_id = positional[1], positional[2]

local function concat(a, b)
  local out = {}
  for _, x in ipairs(a) do out[#out + 1] = x end
  for _, x in ipairs(b) do out[#out + 1] = x end
  return out
end

local function ids(list)
  return table.concat(imozuru.map(list, function(e) return e.id end), ", ")
end

-- The person: named, the query's own, or the first one active at the date.
person_id = person_id or model:info().person
if person_id == nil then
  local active = model:persons()
  if #active == 0 then
    imozuru.usage("the model has no person active at " .. model:date() .. " (add one under `persons`)")
  end
  person_id = active[1].id
end
local person = model:get("person:" .. person_id)
if person == nil then
  imozuru.usage(("no person '%s' in the model; persons: %s"):format(person_id, ids(model:persons{all = true})))
end
if not person.active then
  imozuru.usage(("person '%s' is not active at %s (since %s)"):format(person_id, model:date(),
    person.since or "-"))
end

local exposure = model:person{person = person_id}

-- The act to withdraw: named (it must be one the person has done), or the first done.
if act_id ~= nil then
  local act = model:get("consent_act:" .. act_id)
  if act == nil then
    imozuru.usage(("no consent act '%s' in the model; consent acts: %s"):format(act_id,
      ids(model:consent_acts{all = true})))
  end
  if not imozuru.set(exposure.acts)[act_id] then
    imozuru.usage(("%s has not done '%s' at %s; acts done: %s"):format(person_id, act_id, model:date(),
      #exposure.acts > 0 and table.concat(exposure.acts, ", ") or "none"))
  end
else
  act_id = exposure.acts[1]
end

-- What `a` has that `b` lacks: per system the items missing in `b`, and the flows.
local function lacking(a, b)
  local held = {}
  for _, s in ipairs(b.systems) do held[s.id] = imozuru.set(concat(s.identifiers, s.data)) end
  local systems = {}
  for _, s in ipairs(a.systems) do
    local other = held[s.id]
    local items = imozuru.filter(concat(s.identifiers, s.data), function(x) return not (other and other[x]) end)
    if #items > 0 then systems[#systems + 1] = {id = s.id, whole = other == nil, items = items} end
  end
  local flows = imozuru.set(b.flows)
  return {systems = systems, flows = imozuru.filter(a.flows, function(f) return not flows[f] end)}
end

local after, lost, gained
if act_id ~= nil then
  after = model:person{person = person_id, withdraw = {act_id}}
  lost, gained = lacking(exposure, after), lacking(after, exposure)
end

if as_json then
  imozuru.json({exposure = exposure, withdraw = act_id, after = after, lost = lost, gained = gained})
  return
end

local function name(kind, id) return model:name(kind .. ":" .. id, lang) end
local function item_name(id)
  local identifier = model:get("identifier:" .. id)
  if identifier then return name("identifier", id) end
  local d = model:get("data:" .. id)
  return name("data", id) .. (d.sensitivity == "special" and " ●" or "")
end

print(("%s (%s), %s: %d systems hold this person's records; %d flows move them"):format(
  name("person", person_id), person_id, model:date(), #exposure.systems, #exposure.flows))
local by_sector = imozuru.group_by(exposure.systems, function(s) return model:get("system:" .. s.id).sector end)
for sector, systems in imozuru.sorted_pairs(by_sector) do
  print("  " .. sector)
  for _, s in ipairs(systems) do
    print(("    %s: %s"):format(name("system", s.id),
      table.concat(imozuru.map(concat(s.identifiers, s.data), item_name), ", ")))
  end
end
if act_id == nil then
  print("No consent act done at this date: nothing to withdraw.")
  return
end

local function describe(change, verb)
  if #change.systems == 0 and #change.flows == 0 then
    print("    nothing")
    return
  end
  for _, s in ipairs(change.systems) do
    print(("    %s %s%s"):format(name("system", s.id), s.whole and "(the whole record): " or verb,
      table.concat(imozuru.map(s.items, item_name), ", ")))
  end
  for _, f in ipairs(change.flows) do
    local flow = model:get("flow:" .. f)
    print(("    flow %s: %s → %s"):format(name("flow", f), name("system", flow.from), name("system", flow.to)))
  end
end
print(("Withdrawing %s (%s):"):format(name("consent_act", act_id), act_id))
print("  no longer held or moved:")
describe(lost, "no longer holds ")
print("  newly held or moved:")
describe(gained, "now holds ")
