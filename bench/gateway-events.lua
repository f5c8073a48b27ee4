-- wrk script for `spendstream bench gateway`: posts a batch template again and again, giving every
-- request unique event ids (EVID is replaced by a per-request prefix) so the gateway dedupe keeps out of
-- the way. Set by the benchmark: TEMPLATE (file with a JSON array of events), KEY (API key).
local counter = 0
local template
local key = os.getenv("SPENDSTREAM_BENCH_KEY")
local thread_id = 0

setup = function(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

init = function(args)
  local f = assert(io.open(os.getenv("SPENDSTREAM_BENCH_TEMPLATE"), "rb"))
  template = f:read("*all")
  f:close()
end

request = function()
  counter = counter + 1
  local body = template:gsub("EVID", "w" .. tid .. "-" .. counter)
  return wrk.format("POST", "/v1/events",
      {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end
