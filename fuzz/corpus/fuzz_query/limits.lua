-- Limits: a string too large, a deep recursion, a table flood, then a loop.
print(pcall(string.rep, "x", 1 << 40))
local function f(n) return f(n + 1) + 1 end
print(pcall(f, 1))
local t = {}
for i = 1, 1e9 do t[i] = {i} end
