# Sourced by the callgrind benchmarks (instructions.sh, observability_instructions.sh,
# instructions_paths.sh).
# callgrind_load PID PORT LUA SECONDS [ROUTE [SCRIPT_ARG...]]: waits until the server under
# callgrind answers on PORT, warms it up for 2 s, zeroes its counters, loads it for SECONDS with
# wrk (8 connections, the request of LUA, sent to ROUTE, /v1/chat/completions unless given, with
# the SCRIPT_ARGs after `--`) and dumps the counters; prints the number of requests of the
# measured load.
callgrind_load() {
  local pid=$1 port=$2 lua=$3 seconds=$4 route=${5:-/v1/chat/completions}
  local args=()
  if (($# > 5)); then args=(-- "${@:6}"); fi
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.2
  done
  local url="http://127.0.0.1:$port$route"
  wrk -t1 -c8 -d2s -s "$lua" "$url" "${args[@]}" >/dev/null
  callgrind_control -z "$pid" >/dev/null 2>&1
  wrk -t1 -c8 -d"${seconds}s" -s "$lua" "$url" "${args[@]}" | awk '/requests in/{print $1}'
  callgrind_control -d "$pid" >/dev/null 2>&1
}
