-- consent_gaps.lua: the consent gaps of docs/cli.md#gaps arranged for a legal
-- brief: one CSV row per gap and legal basis, sorted by law, then consent
-- mode, then rule, so each law's section of the brief reads top to bottom.
--
--   imozuru query flows scripts/consent_gaps.lua [--summary] [--rule RULE] [--lang en]
--
-- Columns: law, law_name, consent, rule, flow_or_identifier, name, systems,
-- data, reason. A flow with no basis is filed under "(no basis)"; an
-- unregulated identifier under "(unregulated)". --summary prints counts by
-- law and consent mode instead.

local summary, only_rule, lang = false, nil, nil
local i = 1
while arg[i] do
  local a = arg[i]
  if a == "--summary" then summary = true
  elseif a == "--rule" then i = i + 1; only_rule = arg[i]
  elseif a == "--lang" then i = i + 1; lang = arg[i]
  else error("unknown argument '" .. a .. "' (expected --summary, --rule RULE or --lang ja|en)", 0) end
  i = i + 1
end

local rows = {}
for _, gap in ipairs(model:gaps{lang = lang}.gaps) do
  if only_rule == nil or gap.rule == only_rule then
    local laws, consent, main, name
    if gap.flow then
      local flow = model:get("flow:" .. gap.flow)
      laws, consent, main, name = flow.basis, flow.consent, "flow:" .. flow.id, model:name(flow, lang)
    else
      local identifier = model:get("identifier:" .. gap.identifier)
      laws, consent, main, name = identifier.regulated_by, "-", "identifier:" .. identifier.id,
        model:name(identifier, lang)
    end
    if #laws == 0 then laws = {gap.flow and "(no basis)" or "(unregulated)"} end
    for _, law in ipairs(laws) do
      local law_entity = model:get("law:" .. law)
      rows[#rows + 1] = {law = law, law_name = law_entity and model:name(law_entity, lang) or "",
                         consent = consent, rule = gap.rule, flow_or_identifier = main, name = name,
                         systems = gap.systems, data = gap.data, reason = gap.reason}
    end
  end
end
table.sort(rows, function(a, b)
  if a.law ~= b.law then return a.law < b.law end
  if a.consent ~= b.consent then return a.consent < b.consent end
  if a.rule ~= b.rule then return a.rule < b.rule end
  return a.flow_or_identifier < b.flow_or_identifier
end)

if summary then
  local counts = imozuru.count_by(rows, function(r) return r.law .. "," .. r.consent end)
  local out = {}
  for key, n in imozuru.sorted_pairs(counts) do
    local law, consent = key:match("^(.-),(.*)$")
    out[#out + 1] = {law = law, consent = consent, gaps = n}
  end
  imozuru.csv(out, {"law", "consent", "gaps"})
else
  imozuru.csv(rows, {"law", "law_name", "consent", "rule", "flow_or_identifier", "name", "systems", "data", "reason"})
end
