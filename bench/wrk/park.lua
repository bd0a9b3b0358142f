-- Parked long polls: a plain GET per connection on an empty topic; each waits until the long-poll timeout (408) and
-- is asked again. Reports how many were answered (few, when they really park).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

done = report
