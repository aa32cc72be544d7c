# Sourced by the callgrind benchmarks (instructions.sh, observability_instructions.sh).
# callgrind_load PID PORT LUA SECONDS: waits until the server under callgrind answers on PORT,
# warms it up for 2 s, zeroes its counters, loads it for SECONDS with wrk (8 connections, the
# request of LUA) and dumps the counters; prints the number of requests of the measured load.
callgrind_load() {
  local pid=$1 port=$2 lua=$3 seconds=$4
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.2
  done
  local url="http://127.0.0.1:$port/v1/chat/completions"
  wrk -t1 -c8 -d2s -s "$lua" "$url" >/dev/null
  callgrind_control -z "$pid" >/dev/null 2>&1
  wrk -t1 -c8 -d"${seconds}s" -s "$lua" "$url" | awk '/requests in/{print $1}'
  callgrind_control -d "$pid" >/dev/null 2>&1
}
