-- Consume with explicit acks: each GET takes one message and leaves it pending (noAck), or acknowledges a message an
-- earlier response of this thread brought (ackPartition/ackOffset; an ack may be for any message of the group) and
-- takes the next one pending. A thread stops after BENCH_LIMIT_PER_THREAD messages (0: run for the duration), so
-- the pre-filled topic is never drained into long polls.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local pending = {}
local received = 0
local limit = tonumber(os.getenv("BENCH_LIMIT_PER_THREAD") or "0")

function request()
  local m = table.remove(pending)
  if m then
    return wrk.format("GET", wrk.path .. "&ackPartition=" .. m[1] .. "&ackOffset=" .. m[2])
  end
  return wrk.format("GET", wrk.path .. "&noAck")
end

function response(status, headers, body)
  if status ~= 200 then
    return
  end
  local partition = body:match('"partition":(%d+)')
  local offset = body:match('"offset":(%d+)')
  if partition and offset then
    pending[#pending + 1] = {partition, offset}
  end
  received = received + 1
  if limit > 0 and received >= limit then
    wrk.thread:stop()
  end
end

done = report
