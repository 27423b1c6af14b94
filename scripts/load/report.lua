-- Shared by the load benchmark's scripts: one result line per run.
-- Latency percentiles come in microseconds; errors count sockets that
-- failed and answers outside 2xx/3xx.
report = function(summary, latency)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    errors,
    summary.requests))
end
