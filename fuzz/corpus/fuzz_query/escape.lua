-- Sandbox escapes that must fail.
print(io, os.execute, debug, require, dofile, loadfile, string.dump, package)
print(pcall(load, "\27Lua"))
print(pcall(load, "return 1", "x", "b"))
print(getmetatable(""))
local co = coroutine.wrap(function() while true do pcall(coroutine.yield) end end)
for i = 1, 10 do co() end
setmetatable({}, {__gc = function() while true do end end})
