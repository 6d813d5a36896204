-- Coroutines every way at once: wrap, resume, yield across pcall, errors with
-- pending <close> variables, closing running, dead and suspended ones, and
-- __close handlers that resume, wrap and close other coroutines.
local closer = {__close = function(_, e) if e then coroutine.yield(e) end end}
local gen = coroutine.wrap(function(...)
  local c <close> = setmetatable({}, closer)
  for i = 1, 3 do coroutine.yield(i, ...) end
  error("done")
end)
print(pcall(gen, "a"), pcall(gen), pcall(gen), pcall(gen), pcall(gen))
local co = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function() print(coroutine.close(coroutine.running())) end})
  coroutine.yield(pcall(coroutine.yield, 1))
end)
print(coroutine.resume(co)) print(coroutine.resume(co, 2)) print(coroutine.close(co)) print(coroutine.close(co))
local chain = {}
for i = 1, 50 do
  chain[i] = coroutine.wrap(function()
    local g <close> = setmetatable({}, {__close = function() if chain[i - 1] then pcall(chain[i - 1]) end end})
    error(i)
  end)
end
print(pcall(chain[50]))
print(pcall(coroutine.close, coroutine.running()))
print(coroutine.isyieldable(), coroutine.status(co), select("#", coroutine.running()))
