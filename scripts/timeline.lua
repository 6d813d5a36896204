-- timeline.lua: what became joinable year by year (default 2015 → 2026):
-- systems and identifiers that appeared, pairs of systems that became
-- directly joinable (and through which identifier), consent gaps that
-- appeared, and how far one identifier reaches each 1 January.
--
--   imozuru query flows scripts/timeline.lua [FIRST_YEAR] [LAST_YEAR] [REF] [--csv] [--lang en]
--
-- REF (default identifier:my_number) is the starting point of the reach column.

local first, last, ref, as_csv, lang = 2015, 2026, "identifier:my_number", false, nil
local numbers = {}
local i = 1
while arg[i] do
  local a = arg[i]
  if a == "--csv" then as_csv = true
  elseif a == "--lang" then i = i + 1; lang = arg[i]
  elseif a:match("^%d%d%d%d$") then numbers[#numbers + 1] = tonumber(a)
  elseif a:find(":", 1, true) then ref = a
  else error("unknown argument '" .. a .. "'", 0) end
  i = i + 1
end
first, last = numbers[1] or first, numbers[2] or last
if last < first then error(("last year %d is before the first year %d"):format(last, first), 0) end

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
