-- Shared by the wrk scripts: the message body and the result lines bench/run collects (name=value on stdout).

-- BENCH_SIZE bytes cycling through [0-9A-Za-z], the same value the Java load generator sends.
function payload(size)
  local alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
  local chars = {}
  for i = 0, size - 1 do
    local k = i % #alphabet + 1
    chars[#chars + 1] = alphabet:sub(k, k)
  end
  return table.concat(chars)
end

-- wrk's done(): requests answered 2xx/3xx per second over the run, socket errors and non-2xx counted as failed.
function report(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format("requests=%d\n", summary.requests))
  io.write(string.format("failed=%d\n", e.connect + e.read + e.write + e.timeout + e.status))
  io.write(string.format("seconds=%.3f\n", seconds))
  io.write(string.format("ok_per_s=%.1f\n", (summary.requests - e.status) / seconds))
  io.write(string.format("mean_ms=%.3f\n", latency.mean / 1000))
  io.write(string.format("p50_ms=%.3f\n", latency:percentile(50) / 1000))
  io.write(string.format("p99_ms=%.3f\n", latency:percentile(99) / 1000))
end
