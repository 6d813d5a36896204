-- Draws t.
local path = model:render{o}
print(path)
