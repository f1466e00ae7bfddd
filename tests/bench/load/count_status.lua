-- wrk script for `make bench-load`: counts non-2xx and 5xx answers, prints one JSON line at the end.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  fivexx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  if status >= 500 then fivexx = fivexx + 1 end
end

function done(summary, latency, requests)
  local bad, worse = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
    worse = worse + thread:get("fivexx")
  end
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"non2xx":%d,"fivexx":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), bad, worse,
    e.connect + e.read + e.write + e.timeout))
end
