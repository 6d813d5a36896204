-- Benchmark: model:reach from every active system (or the first N), timed
-- with os.clock. Prints "lua_reach_all systems=N seconds=S checksum=C".
--   imozuru query MODEL bench/lua_reach_all.lua [N] --timeout 3600
local limit = tonumber(arg[1]) or math.huge
local systems = model:systems()
local started = os.clock()
local n, checksum = 0, 0
for _, s in ipairs(systems) do
  if n >= limit then break end
  local r = model:reach{from = {s.ref}}
  checksum = checksum + #r.systems + #r.identifiers + #r.data
  n = n + 1
end
print(("lua_reach_all systems=%d cpu_seconds=%.3f checksum=%d"):format(n, os.clock() - started, checksum))
