-- Confluent v2 produce: BENCH_RECORDS binary records (BENCH_SIZE bytes each, base64) per POST on keep-alive connections.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local function base64(data)
  local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  return ((data:gsub(".", function(x)
    local r, b = "", x:byte()
    for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and "1" or "0") end
    return r
  end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(x)
    if #x < 6 then return "" end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return alphabet:sub(c + 1, c + 1)
  end) .. ({ "", "==", "=" })[#data % 3 + 1])
end

local value = base64(payload(tonumber(os.getenv("BENCH_SIZE") or "100")))
local records = {}
for i = 1, tonumber(os.getenv("BENCH_RECORDS") or "1") do
  records[#records + 1] = '{"value":"' .. value .. '"}'
end

wrk.method = "POST"
wrk.body = '{"records":[' .. table.concat(records, ",") .. ']}'
wrk.headers["Content-Type"] = "application/vnd.kafka.binary.v2+json"

done = report
