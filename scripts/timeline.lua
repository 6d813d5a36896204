-- timeline.lua: what became joinable year by year (default 2015 → 2026):
-- systems and identifiers that appeared, pairs of systems that became
-- directly joinable (and through which identifier), consent gaps that
-- appeared, and how far one identifier reaches each 1 January.
--
--   imozuru query flows scripts/timeline.lua [FIRST_YEAR] [LAST_YEAR] [REF] [--csv] [--lang en]
--
-- REF is the starting point of the reach column; by default the `national`
-- identifier held by the most systems on the last 1 January (in flows/,
-- identifier:my_number), or failing that the most-held global identifier.

local usage = "usage: imozuru query MODEL scripts/timeline.lua [FIRST_YEAR] [LAST_YEAR] [REF] [--csv] [--lang ja|en]"
local first, last, ref, as_csv, lang = 2015, 2026, nil, false, nil
local numbers = {}
local i = 1
while arg[i] do
  local a = arg[i]
  if a == "--csv" then as_csv = true
  elseif a == "--lang" then
    i = i + 1
    lang = arg[i]
    if lang ~= "ja" and lang ~= "en" then imozuru.usage("--lang must be ja or en\n" .. usage) end
  elseif a == "--help" or a == "-h" then imozuru.usage(usage)
  elseif a:match("^%d%d%d%d$") and #numbers < 2 then numbers[#numbers + 1] = tonumber(a)
  elseif a:find(":", 1, true) and not ref then ref = a
  else imozuru.usage("unknown argument '" .. a .. "'\n" .. usage) end
  i = i + 1
end
first, last = numbers[1] or first, numbers[2] or last
if last < first then imozuru.usage(("last year %d is before the first year %d\n"):format(last, first) .. usage) end

if not ref then
  local at_last = model:at(("%d-01-01"):format(last))
  local best, most, best_global, most_global = nil, 0, nil, 0
  for _, id in ipairs(at_last:identifiers()) do
    local n = #at_last:holders("identifier:" .. id.id)
    if id.kind == "national" and n > most then best, most = id, n end
    if id.scope ~= "holder" and n > most_global then best_global, most_global = id, n end
  end
  best = best or best_global
  if not best then imozuru.usage(("the model has no identifier held on %d-01-01: name REF\n"):format(last) .. usage) end
  ref = best.ref
end

local rows = {}
for year = first, last do
  local at = ("%d-01-01"):format(year)
  local m = model:at(at)
  local d = model:diff{from = ("%d-01-01"):format(year - 1), to = at}
  local through = {}
  for _, pair in ipairs(d.joinable.became) do
    for _, identifier in ipairs(pair.through) do through[identifier] = (through[identifier] or 0) + 1 end
  end
  local via = {}
  for identifier, n in imozuru.sorted_pairs(through) do via[#via + 1] = ("%s×%d"):format(identifier, n) end
  local reach = m:reach{from = {ref}}
  rows[#rows + 1] = {
    year = year,
    systems = #m:systems(),
    new_systems = d.systems.added,
    new_identifiers = d.identifiers.added,
    became_joinable = #d.joinable.became,
    through = via,
    new_gaps = #d.gaps.appeared,
    reach_systems = #reach.systems,
    reach_data = #reach.data,
  }
end

if as_csv then
  imozuru.csv(rows, {"year", "systems", "new_systems", "new_identifiers", "became_joinable", "through", "new_gaps",
                     "reach_systems", "reach_data"})
  return
end
print(("What became joinable, %d → %d (changes over the year before each 1 January; reach from %s)"):format(
  first, last, ref))
for _, r in ipairs(rows) do
  print(("%d  %3d systems  +%d pairs joinable  +%d gaps  %s reaches %d systems, %d data items"):format(
    r.year, r.systems, r.became_joinable, r.new_gaps, ref, r.reach_systems, r.reach_data))
  if #r.new_systems > 0 then print("      new systems: " .. table.concat(r.new_systems, ", ")) end
  if #r.new_identifiers > 0 then print("      new identifiers: " .. table.concat(r.new_identifiers, ", ")) end
  if #r.through > 0 then print("      joinable through: " .. table.concat(r.through, ", ")) end
end
