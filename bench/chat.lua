-- wrk script: POST a small non-streaming chat request; at the end print one machine-readable
-- line (latencies in microseconds, as wrk records them) so run.sh does not depend on wrk's
-- human-readable units.
-- Optional script arguments (`wrk ... -s chat.lua URL -- BODY_FILE [HEADER ...]`): the request
-- body is read from BODY_FILE instead, and each HEADER ("Name: value") is added; run.sh uses
-- this for the translation paths (other models, "stream": true, Anthropic-format bodies).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"
wrk.body = '{"model":"bench-model","messages":[{"role":"system","content":"You are terse."},'
  .. '{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":32,"temperature":0}'

function init(args)
  if args[1] ~= nil and args[1] ~= "" then
    local f = assert(io.open(args[1], "rb"))
    wrk.body = f:read("*a")
    f:close()
  end
  for i = 2, #args do
    local name, value = string.match(args[i], "^([^:]+):%s*(.*)$")
    if name ~= nil then wrk.headers[name] = value end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d rps=%.2f p50_us=%d p90_us=%d p99_us=%d max_us=%d "
      .. "mean_us=%.1f err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
