#!/usr/bin/env bash
# Observability overhead: the same Switchyard build six times in front of one static nginx
# upstream, measured with wrk in interleaved rounds of the same run:
#   off      metrics, access log and tracing all off
#   log      metrics counted and one access-log line per request written to a file
#   all      log + every request traced and exported over OTLP/HTTP JSON to a collector (200)
#   proto    all, exported as OTLP/HTTP protobuf instead (otel_protocol: http/protobuf)
#   sampled  all, with 10% of the traces sampled (otel_sample_ratio: 0.1)
#   traces   metrics and every request traced (JSON), no access log
# Reports each one's throughput relative to off (goal for "all": >= 0.95) and the CPU per
# request of each gateway process (all its threads, and each thread's share: worker, log writer,
# span exporter), and writes its section of bench/RESULTS.md. The figure that counts is the
# median over the rounds of off / this in CPU per request, measured in one of two ways
# (METHOD):
#   together    (default) each mode is loaded at the same time as off, both gateways on the same
#               CPU, each by its own wrk: both see the same machine in the same seconds.
#   sequential  each mode runs between two runs of off, and is compared with their mean.
# On a shared VM whose speed drifts by tens of percent from minute to minute, runs seconds apart
# already compare far better than medians over the whole benchmark, and runs side by side better
# still; side by side, the two processes also share the CPU's caches, which costs the one with
# more memory in play a little more (see bench/RESULTS.md).
# Knobs (env): METHOD DURATION REPEATS WARMUP CONNECTIONS PIN BUILD_DIR RESULTS_FILE MODES (a
# subset of the six, off first), and BASELINE_BUILD_DIR (with BASELINE_LABEL to name it in the
# results).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/observability_common.sh
source "$HERE/observability_common.sh"
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build}
SWITCHYARD=$BUILD/switchyard
DURATION=${DURATION:-10}
REPEATS=${REPEATS:-5}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-32}
METHOD=${METHOD:-together}
[[ $METHOD == together || $METHOD == sequential ]] || { echo "bench: METHOD is together or sequential" >&2; exit 1; }
RESULTS_FILE=${RESULTS_FILE:-$HERE/RESULTS.md}
PIN=${PIN:-$( (($(nproc) >= 2)) && command -v taskset >/dev/null && echo 1 || echo 0)}

for tool in nginx wrk curl node; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' not found; run scripts/setup.sh --bench" >&2; exit 1; }
done
[[ -x $SWITCHYARD ]] || { echo "bench: $SWITCHYARD missing; run 'make build'" >&2; exit 1; }
if [[ $PIN == 1 ]]; then ON_LOAD=(taskset -c 0); ON_PROXY=(taskset -c 1); else ON_LOAD=(); ON_PROXY=(); fi

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$ROOT" status --porcelain -- src 2>/dev/null) ]]; then COMMIT+="+dirty"; fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-obs.XXXXXX")
[[ -d $WORK ]] || exit 1
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { printf '[obs %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
# CPU time of a process by thread role, in ns: "worker log exporter" (the worker counts every
# thread that is neither the log writer nor the span exporter: the main thread sleeps). Read from
# schedstat, the scheduler's own account of each thread's time on a CPU: utime and stime are
# sampled at clock ticks, which charge a thread that wakes often for more than it ran.
role_nanos() {
  local t comm ns w=0 l=0 e=0
  for t in /proc/"$1"/task/*; do
    comm=$(<"$t/comm") || continue
    read -r ns _ <"$t/schedstat" || continue
    case $comm in
      sy-log-writer) l=$((l + ns)) ;;
      sy-span-export) e=$((e + ns)) ;;
      *) w=$((w + ns)) ;;
    esac
  done
  echo "$w $l $e"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }

# The upstream answers chat requests with a realistic body, and stands in for the collector.
UP_PORT=$(free_port)
RESPONSE='{"id":"chatcmpl-obs","object":"chat.completion","created":1718000000,"model":"bench-model","choices":[{"index":0,"message":{"role":"assistant","content":"Hello, benchmark! This is a fixed answer from a static upstream, about as long as a short reply from a real chat model."},"finish_reason":"stop"}],"usage":{"prompt_tokens":24,"completion_tokens":41,"total_tokens":65,"prompt_tokens_details":{"cached_tokens":0}}}'
mkdir -p "$WORK/up"
cat >"$WORK/upstream.conf" <<EOF
daemon off; master_process off; worker_processes 1; pid $WORK/up.pid;
error_log $WORK/up.error.log warn;
events { worker_connections 8192; }
http {
  access_log off; client_body_temp_path $WORK/up/body; proxy_temp_path $WORK/up/proxy;
  fastcgi_temp_path $WORK/up/fcgi; uwsgi_temp_path $WORK/up/uwsgi; scgi_temp_path $WORK/up/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$UP_PORT;
    location /v1/traces { default_type application/json; return 200 '{}'; }
    location / { default_type application/json; return 200 '$RESPONSE'; }
  }
}
EOF
"${ON_LOAD[@]}" nginx -p "$WORK" -c "$WORK/upstream.conf" >"$WORK/up.out" 2>&1 &
PIDS+=($!)

read -ra MODES <<<"${MODES:-off log all proto sampled traces}"
# BASELINE_BUILD_DIR: another build (e.g. the branch point) loaded in the same rounds, as
# off@base, log@base and all@base, so that a change is compared under the same machine load.
BASELINE=${BASELINE_BUILD_DIR:-}
if [[ -n $BASELINE ]]; then
  [[ -x $BASELINE/switchyard ]] || { echo "bench: $BASELINE/switchyard missing" >&2; exit 1; }
  MODES+=(off@base log@base all@base)
fi
for mode in "${MODES[@]}"; do
  write_mode_config "$WORK/$mode.yaml" "$mode" "$UP_PORT" "$WORK/$mode.log"
done

declare -A PID PORT
for mode in "${MODES[@]}"; do
  bin=$SWITCHYARD; [[ $mode == *@base ]] && bin=$BASELINE/switchyard
  env -u OTEL_EXPORTER_OTLP_ENDPOINT -u OTEL_EXPORTER_OTLP_TRACES_ENDPOINT \
    -u OTEL_EXPORTER_OTLP_PROTOCOL -u OTEL_EXPORTER_OTLP_TRACES_PROTOCOL \
    "${ON_PROXY[@]}" "$bin" serve --config "$WORK/$mode.yaml" --host 127.0.0.1 --port 0 \
    --workers 1 >"$WORK/$mode.out" 2>"$WORK/$mode.err" &
  PID[$mode]=$!
  PIDS+=("${PID[$mode]}")
done
for mode in "${MODES[@]}"; do
  line=""
  for _ in $(seq 1 100); do
    line=$(grep -m1 'listening on' "$WORK/$mode.out" 2>/dev/null || true)
    [[ -n $line ]] && break
    sleep 0.1
  done
  [[ -n $line ]] || { echo "bench: switchyard ($mode) did not start" >&2; cat "$WORK/$mode.err" >&2; exit 1; }
  PORT[$mode]=${line##*:}
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -d '{"model":"bench-model","messages":[{"role":"user","content":"hi"}]}' \
    "http://127.0.0.1:${PORT[$mode]}/v1/chat/completions")
  [[ $code == 200 ]] || { echo "bench: switchyard ($mode) answered $code" >&2; exit 1; }
  log "$mode: pid ${PID[$mode]} port ${PORT[$mode]}: $(grep -m1 'access log' "$WORK/$mode.err" | sed 's/.*info //')"
done

# run SECONDS MODE...: loads the given gateways at the same time, each with its own wrk, and sets
# per mode R_RPS, R_ERRS, R_CPU (us per request, whole gateway process) and R_ROLES (us per
# request of its worker, log writer and span exporter threads).
declare -A R_RPS R_ERRS R_CPU R_ROLES
run() {
  local secs=$1 mode line reqs
  shift
  local -A ns0 ns1 wrk
  for mode in "$@"; do ns0[$mode]=$(role_nanos "${PID[$mode]}"); done
  for mode in "$@"; do
    "${ON_LOAD[@]}" wrk -t1 -c"$CONNECTIONS" -d"${secs}s" --timeout 5s -s "$HERE/chat.lua" \
      "http://127.0.0.1:${PORT[$mode]}/v1/chat/completions" >"$WORK/wrk-$mode.txt" 2>&1 &
    wrk[$mode]=$!
  done
  for mode in "$@"; do wait "${wrk[$mode]}" || true; done
  for mode in "$@"; do ns1[$mode]=$(role_nanos "${PID[$mode]}"); done
  for mode in "$@"; do
    line=$(grep -m1 '^BENCH ' "$WORK/wrk-$mode.txt")
    R_RPS[$mode]=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line")
    reqs=$(sed -E 's/^BENCH requests=([0-9]+).*/\1/' <<<"$line")
    R_ERRS[$mode]=$(awk '{s=0; for(i=1;i<=NF;i++) if($i ~ /^err_/){split($i,kv,"="); s+=kv[2]} print s}' <<<"$line")
    read -r "R_CPU[$mode]" "R_ROLES[$mode]" < <(awk -v a="${ns0[$mode]}" -v b="${ns1[$mode]}" -v n="$reqs" 'BEGIN{
      split(a, x, " "); split(b, y, " ");
      w = (y[1]-x[1])/1000/n; l = (y[2]-x[2])/1000/n; e = (y[3]-x[3])/1000/n;
      printf "%.2f %.2f/%.2f/%.2f\n", w+l+e, w, l, e}')
  done
}

log "warm-up ${WARMUP}s each"
for mode in "${MODES[@]}"; do run "$WARMUP" "$mode"; done
declare -A ALL_RPS ALL_CPU ALL_ROLES ALL_PAIRED MED_RPS MED_CPU MED_ROLES RATIO CPU_RATIO
declare -A PAIRED PAIRED_RANGE
ERRORS=0
# measure MODE...: one run of DURATION of the modes together, each recorded; sets CPU[mode].
declare -A CPU
measure() {
  run "$DURATION" "$@"
  local mode
  for mode in "$@"; do
    ALL_RPS[$mode]+="${R_RPS[$mode]} "
    ALL_CPU[$mode]+="${R_CPU[$mode]} "
    ALL_ROLES[$mode]+="${R_ROLES[$mode]} "
    CPU[$mode]=${R_CPU[$mode]}
    ERRORS=$((ERRORS + R_ERRS[$mode]))
    log "round $i $mode: ${R_RPS[$mode]} req/s, ${R_CPU[$mode]} us CPU/request (worker/log writer/exporter ${R_ROLES[$mode]}), errors ${R_ERRS[$mode]}"
  done
}
# ratio A B: A / B to four places.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.4f", a/b}'; }
for i in $(seq 1 "$REPEATS"); do
  # Rotate the order, so drift within a round favours none.
  others=()
  for mode in "${MODES[@]}"; do [[ $mode == off || $mode == off@base ]] || others+=("$mode"); done
  ((${#others[@]})) || others=(off)
  k=$(((i - 1) % ${#others[@]}))
  order=("${others[@]:k}" "${others[@]:0:k}")
  last_ref=""
  for mode in "${order[@]}"; do
    ref=off; [[ $mode == *@base ]] && ref=off@base
    if [[ $METHOD == together ]]; then
      # The mode and its off side by side on the same CPU: whatever the machine does in these
      # seconds, both see it.
      [[ $mode == "$ref" ]] && { measure "$ref"; continue; }
      measure "$ref" "$mode"
      ALL_PAIRED[$mode]+="$(ratio "${CPU[$ref]}" "${CPU[$mode]}") "
      continue
    fi
    # In turn: the mode between two runs of its off, compared with their mean.
    [[ $last_ref == "$ref" ]] || measure "$ref"
    before=${CPU[$ref]}
    [[ $mode == "$ref" ]] && continue
    measure "$mode"
    measure "$ref"
    last_ref=$ref
    ALL_PAIRED[$mode]+="$(ratio "$(awk -v a="$before" -v c="${CPU[$ref]}" 'BEGIN{print (a+c)/2}')" "${CPU[$mode]}") "
  done
done
ALL_PAIRED[off]="1 "
[[ -n $BASELINE ]] && ALL_PAIRED[off@base]="1 "
for mode in "${MODES[@]}"; do
  # shellcheck disable=SC2086
  MED_RPS[$mode]=$(median ${ALL_RPS[$mode]})
  # shellcheck disable=SC2086
  MED_CPU[$mode]=$(median ${ALL_CPU[$mode]})
  # shellcheck disable=SC2086
  PAIRED[$mode]=$(median ${ALL_PAIRED[$mode]})
  # shellcheck disable=SC2086
  PAIRED_RANGE[$mode]=$(printf '%s\n' ${ALL_PAIRED[$mode]} | sort -g | sed -n '1p;$p' | paste -sd-)
  MED_ROLES[$mode]=$(for part in 1 2 3; do
    # shellcheck disable=SC2086
    median $(printf '%s\n' ${ALL_ROLES[$mode]} | cut -d/ -f$part)
  done | paste -sd/)
  # Each build against its own "off".
  off=off; [[ $mode == *@base ]] && off=off@base
  RATIO[$mode]=$(awk -v a="${MED_RPS[$mode]}" -v b="${MED_RPS[$off]}" 'BEGIN{printf "%.3f", a/b}')
  # The gateway is pinned and CPU-bound, so its throughput goes as 1 / CPU per request: this
  # ratio is the same comparison, far less sensitive to other load on a shared machine.
  CPU_RATIO[$mode]=$(awk -v a="${MED_CPU[$off]}" -v b="${MED_CPU[$mode]}" 'BEGIN{printf "%.3f", a/b}')
done

# What the traced gateways recorded must match the traffic, or the run proves nothing.
sleep 2
has_mode() { [[ " ${MODES[*]} " == *" $1 "* ]]; }
# counted MODE METRIC_PREFIX: the sum of the samples of that gateway's /metrics with the prefix.
counted() {
  curl -s "http://127.0.0.1:${PORT[$1]}/metrics" |
    awk -v n="$2" 'index($1, n) == 1 {s+=$2} END{printf "%d", s}'
}
verdict() { awk -v r="$1" 'BEGIN{print (r >= 0.95) ? "PASS" : "FAIL"}'; }
CHECKS=""
for mode in all proto; do
  has_mode "$mode" || continue
  CHECKS+="The \"$mode\" gateway counted $(counted "$mode" 'switchyard_requests_total{') requests in"
  CHECKS+=" \`switchyard_requests_total\`, wrote $(wc -l <"$WORK/$mode.log") access-log lines"
  CHECKS+=" ($(counted "$mode" 'switchyard_access_log_lines_total{outcome="dropped"') dropped) and"
  CHECKS+=" exported $(counted "$mode" 'switchyard_trace_spans_total{outcome="exported"') spans"
  CHECKS+=" ($(counted "$mode" 'switchyard_trace_spans_total{outcome="dropped"') dropped). "
done
for mode in "${MODES[@]}"; do
  log "$mode: ${MED_RPS[$mode]} req/s (x${RATIO[$mode]} of off), ${MED_CPU[$mode]} us CPU/request (worker/log writer/exporter ${MED_ROLES[$mode]}; off/this: ${CPU_RATIO[$mode]}, per round ${PAIRED[$mode]})"
done
log "$CHECKS"
NOW=$(date -u '+%Y-%m-%d %H:%M UTC')
MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo '<!-- section:observability -->'
  echo '## Observability overhead (bench/observability.sh)'
  echo
  echo "- Date: $NOW; commit $COMMIT; machine: $MACHINE; load average at the end: $LOAD"
  echo "- Command: \`bench/observability.sh\` (METHOD=$METHOD DURATION=$DURATION REPEATS=$REPEATS WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS PIN=$PIN)"
  echo '- Setup: one Switchyard process per mode (1 worker each, pinned with all their threads to CPU 1)'
  echo '  in front of one static nginx upstream (CPU 0, with a wrk -t1 per loaded gateway).'
  if [[ $METHOD == together ]]; then
    echo '  In each round every mode is loaded for DURATION at the same time as off (its own wrk,'
    echo "  $CONNECTIONS connections each), the two gateways sharing CPU 1; rotating order."
  else
    echo '  Loaded one at a time: in each round every mode runs once between two runs of off'
    echo '  (rotating order), and is compared with their mean.'
  fi
  echo '  CPU time is the scheduler'"'"'s (schedstat) per thread. **off**: `metrics: false`, no access log, no tracing.'
  echo '  **log**: metrics counted and an access-log line per request (to a file). **all**: log +'
  echo '  every request traced (server + client span) and exported as OTLP/HTTP JSON to a collector'
  echo '  answering 200. **proto**: all, exported as OTLP/HTTP protobuf. **sampled**: all with'
  echo '  `otel_sample_ratio: 0.1` (JSON). **traces**: metrics and every request traced (JSON), no'
  echo '  access log.'
  if [[ -n $BASELINE ]]; then
    echo "  **off@base**, **log@base**, **all@base**: the same modes run by the baseline build"
    echo "  (BASELINE_BUILD_DIR=$BASELINE${BASELINE_LABEL:+: $BASELINE_LABEL}), in the same rounds, against its own off."
  fi
  echo
  echo '| mode | req/s, median | req/s vs off | CPU per request (us), median | worker / log writer / span exporter (us, medians) | off / this, of the medians | **off / this, each run against its off run(s): median** (lowest-highest) |'
  echo '|---|---:|---:|---:|---:|---:|---:|'
  for mode in "${MODES[@]}"; do
    echo "| $mode | ${MED_RPS[$mode]} | ${RATIO[$mode]} | ${MED_CPU[$mode]} | ${MED_ROLES[$mode]} | ${CPU_RATIO[$mode]} | **${PAIRED[$mode]}** (${PAIRED_RANGE[$mode]}) |"
  done
  echo
  echo "CPU per request of each run, in order (us): off: ${ALL_CPU[off]}"
  for mode in "${MODES[@]}"; do
    [[ $mode == off ]] && continue
    echo "- $mode: ${ALL_CPU[$mode]}"
  done
  echo
  for mode in all proto; do
    has_mode "$mode" || continue
    echo "**$mode** / off, goal >= 0.95: **${PAIRED[$mode]}** ($(verdict "${PAIRED[$mode]}")) by CPU per request against"
    echo "its off run(s) ($METHOD); ${CPU_RATIO[$mode]} by the medians of CPU per request, ${RATIO[$mode]} by those of req/s."
    echo
  done
  echo "wrk errors in all runs: $ERRORS. $CHECKS"
  echo '<!-- end section -->'
} >"$WORK/section.md"
if [[ -f $RESULTS_FILE ]] && grep -q '^<!-- section:observability -->$' "$RESULTS_FILE"; then
  awk -v f="$WORK/section.md" '
    /^<!-- section:observability -->$/ {while ((getline l < f) > 0) print l; skip=1; next}
    skip && /^<!-- end section -->$/ {skip=0; next}
    !skip' "$RESULTS_FILE" >"$WORK/results.md"
  cp "$WORK/results.md" "$RESULTS_FILE"
else
  { echo; cat "$WORK/section.md"; } >>"$RESULTS_FILE"
fi
log "wrote the observability section of $RESULTS_FILE"
