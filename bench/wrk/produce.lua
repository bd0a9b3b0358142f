-- Produce: one message per POST on keep-alive connections. The URL chooses async (default) or ?sync.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

wrk.method = "POST"
wrk.body = payload(tonumber(os.getenv("BENCH_SIZE") or "100"))
wrk.headers["Content-Type"] = "text/plain"

done = report
