-- Coroutines closed inside the __close of other coroutines (issue 19): Lua
-- 5.4.4 does not count these levels against its C-stack limit, so a chain of
-- them overflowed the C stack; the sandbox's coroutine.close measures it.
local function link(prev)
  local co = coroutine.create(function()
    local guard <close> = setmetatable({}, {__close = function() coroutine.close(prev) end})
    coroutine.yield()
  end)
  coroutine.resume(co)
  return co
end
local co = coroutine.create(function() coroutine.yield() end)
coroutine.resume(co)
for i = 1, 4000 do local prev = co; co = link(prev) end
print(pcall(coroutine.close, co))
print("carried on")
