-- Every API entry point once, on the fuzz model.
local r = model:reach{from = {"identifier:mn"}}
for _, s in ipairs(r.systems) do print(s.id, s.depth) end
local c = model:chains{from = "identifier:mn", to = "data:claims", k = 3}
print(#c.chains)
for _, g in ipairs(model:gaps{}.gaps) do print(g.rule, g.reason) end
for _, s in ipairs(model:systems()) do print(s.id, s.name) end
print(model:get("system:reg").name, model:get("system:nope"))
local old = model:at("2016-01-01")
print(#old:systems(), #model:identifiers(), #model:data(), #model:flows())
print(imozuru.to_json(r))
print(imozuru.to_csv({{a = 1, b = "x,y"}}))
local ok, err = pcall(function() return model:reach{from = {"identifier:nope"}} end)
print(ok, err)
