#!/usr/bin/env bash
# User-space instructions per request of each observability mode, per thread, counted by
# valgrind's callgrind (like bench/instructions.sh): where the cost of metrics, the access log
# and tracing goes (worker, access-log writer, span exporter), unmoved by the machine's other
# load. Modes as in bench/observability.sh: off, log (metrics + access log), all (log + every
# request traced, exported over OTLP/HTTP JSON to a collector answering 200), proto (all, as
# OTLP/HTTP protobuf) and sampled (all with otel_sample_ratio 0.1); MODES="off log all proto
# sampled" to include the last two. Kernel work (the exporter's and the log writer's syscalls)
# is not counted; bench/observability.sh measures it.
# Usage: bench/observability_instructions.sh [BUILD_DIR]   (needs nginx, wrk, valgrind)
# KEEP_PROFILES=1 keeps the callgrind files for callgrind_annotate.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/observability_common.sh
source "$HERE/observability_common.sh"
# shellcheck source=bench/callgrind_load.sh
source "$HERE/callgrind_load.sh"
BUILD=${1:-$HERE/../build}
SECONDS_MEASURED=${SECONDS_MEASURED:-5}
for tool in nginx wrk valgrind callgrind_control; do
  command -v "$tool" >/dev/null || { echo "instructions: '$tool' not found" >&2; exit 1; }
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-obs-instr.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -n ${KEEP_PROFILES:-} ]]; then echo "profiles kept in $WORK (callgrind_annotate FILE)"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
UP=$(free_port)
write_static_upstream "$WORK" "$UP"
for mode in off log all proto sampled; do
  write_mode_config "$WORK/$mode.yaml" "$mode" "$UP" "$WORK/$mode.log"
done
nginx -p "$WORK" -c "$WORK/up.conf" &
PIDS+=($!)

# The thread a callgrind per-thread file belongs to, by the loop it runs.
thread_name() {
  if grep -q 'SpanExporter::run' "$1"; then echo "span exporter"
  elif grep -q 'LogSink::run' "$1"; then echo "log writer"
  elif grep -q 'runWorker\|Worker::run\|HttpSession\|http_session' "$1"; then echo "worker"
  else echo "other"; fi
}

# measure MODE: instructions per request over SECONDS_MEASURED s of load after a 2 s warm-up.
measure() {
  local mode=$1 port
  port=$(free_port)
  env -u OTEL_EXPORTER_OTLP_ENDPOINT -u OTEL_EXPORTER_OTLP_TRACES_ENDPOINT \
    valgrind --tool=callgrind ${CALLGRIND_ARGS:-} --separate-threads=yes --callgrind-out-file="$WORK/$mode.%p" \
    "$BUILD/switchyard" serve --config "$WORK/$mode.yaml" --host 127.0.0.1 --port "$port" \
    --workers 1 >"$WORK/$mode.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  local reqs
  reqs=$(callgrind_load "$pid" "$port" "$HERE/chat.lua" "$SECONDS_MEASURED")
  sleep 2  # a last export tick, inside the dump's window for neither mode
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  local total=0 f n parts=""
  # Only the dump taken at the end of the load (part 1); the files end with -<thread number>.
  for f in "$WORK/$mode.$pid".1-*; do
    n=$(grep -h '^summary:\|^totals:' "$f" | head -1 | awk '{print $2}')
    [[ -n $n && $n -gt 0 ]] || continue
    total=$((total + n))
    parts+=", $(thread_name "$f") $((n / reqs))"
  done
  echo "$mode: $((total / reqs)) instructions per request$parts ($reqs requests under callgrind)"
}
for mode in ${MODES:-off log all}; do measure "$mode"; done
