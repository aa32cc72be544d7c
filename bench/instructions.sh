#!/usr/bin/env bash
# User-space instructions per proxied request, Switchyard vs nginx as a plain reverse proxy, both
# in front of the same static nginx upstream, counted by valgrind's callgrind. Unlike requests/s
# or CPU time this count does not move with the machine's other load, so it shows what a change
# to the request path costs even on a busy machine. Kernel work (syscalls) is not counted.
# Usage: bench/instructions.sh [BUILD_DIR]   (needs nginx, wrk, valgrind)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/callgrind_load.sh
source "$HERE/callgrind_load.sh"
BUILD=${1:-$HERE/../build}
for tool in nginx wrk valgrind callgrind_control; do
  command -v "$tool" >/dev/null || { echo "instructions: '$tool' not found" >&2; exit 1; }
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-instr.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
UP=$(free_port); PX=$(free_port); SY=$(free_port)
mkdir -p "$WORK/tmp"
common="daemon off; master_process off; worker_processes 1; events { worker_connections 1024; }"
temps="client_body_temp_path $WORK/tmp; proxy_temp_path $WORK/tmp; fastcgi_temp_path $WORK/tmp;
  uwsgi_temp_path $WORK/tmp; scgi_temp_path $WORK/tmp; access_log off; keepalive_requests 1000000;"
ANSWER='{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"bench-model","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}'
cat >"$WORK/up.conf" <<CONF
$common pid $WORK/up.pid; error_log $WORK/up.err warn;
http { $temps server { listen 127.0.0.1:$UP; location / { default_type application/json; return 200 '$ANSWER'; } } }
CONF
cat >"$WORK/px.conf" <<CONF
$common pid $WORK/px.pid; error_log $WORK/px.err warn;
http { $temps upstream llm { server 127.0.0.1:$UP; keepalive 64; }
  server { listen 127.0.0.1:$PX; location / { proxy_pass http://llm; proxy_http_version 1.1;
    proxy_set_header Connection ""; proxy_set_header Authorization "Bearer sk-bench"; } } }
CONF
cat >"$WORK/sy.yaml" <<CONF
model_list:
  - model_name: bench-model
    litellm_params: {model: openai/bench-model, api_base: "http://127.0.0.1:$UP/v1", api_key: sk-bench}
CONF
cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"bench-model","messages":[{"role":"user","content":"Say hello"}],"max_tokens":16}'
LUA
nginx -p "$WORK" -c "$WORK/up.conf" & PIDS+=($!)

# measure NAME PORT CMD...: instructions per request over 5 s of load after a 2 s warm-up.
measure() {
  local name=$1 port=$2; shift 2
  valgrind --tool=callgrind --callgrind-out-file="$WORK/$name.%p" "$@" >"$WORK/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  local reqs
  reqs=$(callgrind_load "$pid" "$port" "$WORK/post.lua" 5)
  sleep 0.5
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local total
  total=$(grep -h '^summary:\|^totals:' "$WORK/$name.$pid.1" | head -1 | awk '{print $2}')
  echo "$name: $((total / reqs)) instructions per request ($reqs requests under callgrind)"
}
measure nginx "$PX" nginx -p "$WORK" -c "$WORK/px.conf"
measure switchyard "$SY" "$BUILD/switchyard" serve --config "$WORK/sy.yaml" --host 127.0.0.1 \
  --port "$SY" --workers 1
