#!/usr/bin/env bash
# Where each observability mode's CPU goes, per request and per thread of the gateway: user and
# system time (/proc/PID/task/TID/stat), voluntary and involuntary context switches
# (/proc/PID/task/TID/status), and, in a second load under `strace -f -c`, the system calls per
# request by name. Complements bench/observability_instructions.sh (user-space instructions
# only) and bench/observability.sh (throughput and CPU per request of the whole process).
# Modes as in bench/observability.sh: off, log, all, proto, sampled (MODES= picks some). The gateway is pinned with all its
# threads to CPU 1 (wrk and the nginx upstream, which also stands in for the collector, to CPU 0).
# Knobs (env): DURATION (s of load per mode, default 5), CONNECTIONS (32), MODES, BUILD_DIR,
# STRACE=0 to skip the strace load, PERF=DIR to also sample each mode's threads with
# `perf record -e cpu-clock -g` (kernel and user stacks) into DIR/MODE.perf.data.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/observability_common.sh
source "$HERE/observability_common.sh"
BUILD=${BUILD_DIR:-$HERE/../build}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-32}
STRACE=${STRACE:-1}
for tool in nginx wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "kernel: '$tool' not found" >&2; exit 1; }
done
[[ $STRACE == 0 ]] || command -v strace >/dev/null || { echo "kernel: strace not found" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-obs-kernel.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
TICK_US=$((1000000 / $(getconf CLK_TCK)))

UP=$(free_port)
write_static_upstream "$WORK" "$UP"
taskset -c 0 nginx -p "$WORK" -c "$WORK/up.conf" &
PIDS+=($!)

for mode in off log all proto sampled; do
  write_mode_config "$WORK/$mode.yaml" "$mode" "$UP" "$WORK/$mode.log"
done

# thread_stats PID: one line per thread: name utime-ticks stime-ticks voluntary nonvoluntary.
# Threads of the same name are summed.
thread_stats() {
  local pid=$1 t name
  for t in /proc/"$pid"/task/*; do
    name=$(cat "$t/comm" 2>/dev/null) || continue
    # Fields after the ")" of the comm: utime and stime are the 12th and 13th.
    read -r -a f < <(sed 's/.*) //' "$t/stat")
    printf '%s %s %s %s %s\n' "$name" "${f[11]}" "${f[12]}" \
      "$(awk '/^voluntary_ctxt_switches/{print $2}' "$t/status")" \
      "$(awk '/^nonvoluntary_ctxt_switches/{print $2}' "$t/status")"
  done | awk '{u[$1]+=$2; s[$1]+=$3; v[$1]+=$4; n[$1]+=$5} END{for (k in u) print k, u[k], s[k], v[k], n[k]}' | sort
}

load() {  # load PORT SECONDS: prints the number of requests
  taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d"${2}s" --timeout 5s -s "$HERE/chat.lua" \
    "http://127.0.0.1:$1/v1/chat/completions" | awk '/^BENCH /{sub("requests=","",$2); print $2}'
}

measure() {
  local mode=$1 port pid reqs
  port=$(free_port)
  env -u OTEL_EXPORTER_OTLP_ENDPOINT -u OTEL_EXPORTER_OTLP_TRACES_ENDPOINT \
    taskset -c 1 "$BUILD/switchyard" serve --config "$WORK/$mode.yaml" --host 127.0.0.1 \
    --port "$port" --workers 1 >"$WORK/$mode.out" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.1
  done
  load "$port" 2 >/dev/null
  thread_stats "$pid" >"$WORK/$mode.before"
  reqs=$(load "$port" "$DURATION")
  thread_stats "$pid" >"$WORK/$mode.after"
  echo "== $mode: $reqs requests in ${DURATION}s; per request, by thread:"
  join "$WORK/$mode.before" "$WORK/$mode.after" | awk -v n="$reqs" -v t="$TICK_US" '
    {u=($6-$2)*t/n; s=($7-$3)*t/n; v=($8-$4)/n; c=($9-$5)/n; U+=u; S+=s; V+=v; C+=c
     printf "   %-16s user %6.2f us  sys %6.2f us  voluntary cs %.4f  involuntary cs %.4f\n", $1, u, s, v, c}
    END {printf "   %-16s user %6.2f us  sys %6.2f us  voluntary cs %.4f  involuntary cs %.4f\n", "(all)", U, S, V, C}'
  if [[ $STRACE != 0 ]]; then
    strace -f -c -o "$WORK/$mode.strace" -p "$pid" &
    local st=$!
    sleep 0.5
    reqs=$(load "$port" "$DURATION")
    kill -INT "$st"
    wait "$st" 2>/dev/null || true
    echo "   system calls per request under strace ($reqs requests), all threads:"
    awk -v n="$reqs" '$1 ~ /^[0-9.]+$/ && NF >= 5 {c=$4; name=$NF; if (name != "total") printf "     %-16s %.3f\n", name, c/n}
      $NF == "total" {printf "     %-16s %.3f\n", "total", $4/n}' "$WORK/$mode.strace"
  fi
  if [[ -n ${PERF:-} ]]; then
    mkdir -p "$PERF"
    perf record -q -e cpu-clock -F 4999 -g -o "$PERF/$mode.perf.data" -p "$pid" 2>/dev/null &
    local pr=$!
    reqs=$(load "$port" "$DURATION")
    kill -INT "$pr"
    wait "$pr" 2>/dev/null || true
    echo "$reqs" >"$PERF/$mode.requests"
    echo "   perf samples of $reqs requests in $PERF/$mode.perf.data"
  fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in ${MODES:-off log all proto sampled}; do measure "$mode"; done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
