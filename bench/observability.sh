#!/usr/bin/env bash
# Observability overhead: the same Switchyard build five times in front of one static nginx
# upstream, measured with wrk in interleaved rounds of the same run:
#   off      metrics, access log and tracing all off
#   log      metrics counted and one access-log line per request written to a file
#   all      log + every request traced and exported over OTLP/HTTP JSON to a collector (200)
#   proto    all, exported as OTLP/HTTP protobuf instead (otel_protocol: http/protobuf)
#   sampled  all, with 10% of the traces sampled (otel_sample_ratio: 0.1)
# Reports each one's throughput relative to off (goal for "all": >= 0.95) and the CPU per
# request of each gateway process (all its threads: worker, log writer, span exporter), and
# writes its section of bench/RESULTS.md.
# Knobs (env): DURATION REPEATS WARMUP CONNECTIONS PIN BUILD_DIR RESULTS_FILE, and
# BASELINE_BUILD_DIR (with BASELINE_LABEL to name it in the results).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build}
SWITCHYARD=$BUILD/switchyard
DURATION=${DURATION:-10}
REPEATS=${REPEATS:-5}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-32}
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
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
TICK_US=$((1000000 / $(getconf CLK_TCK)))
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

MODES=(off log all proto sampled)
# BASELINE_BUILD_DIR: another build (e.g. the branch point) loaded in the same rounds, as
# off@base, log@base and all@base, so that a change is compared under the same machine load.
BASELINE=${BASELINE_BUILD_DIR:-}
if [[ -n $BASELINE ]]; then
  [[ -x $BASELINE/switchyard ]] || { echo "bench: $BASELINE/switchyard missing" >&2; exit 1; }
  MODES+=(off@base log@base all@base)
fi
MODEL="model_list:
  - model_name: bench-model
    litellm_params: {model: openai/bench-model, api_base: \"http://127.0.0.1:$UP_PORT/v1\", api_key: sk-bench}"
for mode in "${MODES[@]}"; do
  case ${mode%@base} in
    off) printf '%s\nswitchyard_settings:\n  metrics: false\n  access_log: off\n' "$MODEL" ;;
    log) printf '%s\nswitchyard_settings:\n  metrics: true\n  access_log: %s\n' "$MODEL" "$WORK/$mode.log" ;;
    *)
      ratio=1; [[ $mode == sampled ]] && ratio=0.1
      protocol=http/json; [[ $mode == proto ]] && protocol=http/protobuf
      printf '%s\nswitchyard_settings:\n  metrics: true\n  access_log: %s\n  otel_endpoint: "http://127.0.0.1:%s/v1/traces"\n  otel_sample_ratio: %s\n  otel_protocol: %s\n' \
        "$MODEL" "$WORK/$mode.log" "$UP_PORT" "$ratio" "$protocol"
      ;;
  esac >"$WORK/$mode.yaml"
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

# run MODE SECONDS: sets RPS, ERRS and CPU (us per request, whole gateway process).
run() {
  local mode=$1 secs=$2 out c0 c1 line reqs
  out="$WORK/wrk-$mode.txt"
  c0=$(cpu_ticks "${PID[$mode]}")
  "${ON_LOAD[@]}" wrk -t1 -c"$CONNECTIONS" -d"${secs}s" --timeout 5s -s "$HERE/chat.lua" \
    "http://127.0.0.1:${PORT[$mode]}/v1/chat/completions" >"$out" 2>&1 || true
  c1=$(cpu_ticks "${PID[$mode]}")
  line=$(grep -m1 '^BENCH ' "$out")
  RPS=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line")
  reqs=$(sed -E 's/^BENCH requests=([0-9]+).*/\1/' <<<"$line")
  ERRS=$(awk '{s=0; for(i=1;i<=NF;i++) if($i ~ /^err_/){split($i,kv,"="); s+=kv[2]} print s}' <<<"$line")
  CPU=$(awk -v t="$((c1 - c0))" -v u="$TICK_US" -v n="$reqs" 'BEGIN{printf "%.2f", t*u/n}')
}

log "warm-up ${WARMUP}s each"
for mode in "${MODES[@]}"; do run "$mode" "$WARMUP"; done
declare -A ALL_RPS ALL_CPU MED_RPS MED_CPU RATIO CPU_RATIO
ERRORS=0
for i in $(seq 1 "$REPEATS"); do
  # Rotate the order, so drift between rounds favours none.
  k=$(((i - 1) % ${#MODES[@]}))
  order=("${MODES[@]:k}" "${MODES[@]:0:k}")
  for mode in "${order[@]}"; do
    run "$mode" "$DURATION"
    ALL_RPS[$mode]+="$RPS "
    ALL_CPU[$mode]+="$CPU "
    ERRORS=$((ERRORS + ERRS))
    log "round $i $mode: $RPS req/s, $CPU us CPU/request, errors $ERRS"
  done
done
for mode in "${MODES[@]}"; do
  # shellcheck disable=SC2086
  MED_RPS[$mode]=$(median ${ALL_RPS[$mode]})
  # shellcheck disable=SC2086
  MED_CPU[$mode]=$(median ${ALL_CPU[$mode]})
  # Each build against its own "off".
  off=off; [[ $mode == *@base ]] && off=off@base
  RATIO[$mode]=$(awk -v a="${MED_RPS[$mode]}" -v b="${MED_RPS[$off]}" 'BEGIN{printf "%.3f", a/b}')
  # The gateway is pinned and CPU-bound, so its throughput goes as 1 / CPU per request: this
  # ratio is the same comparison, far less sensitive to other load on a shared machine.
  CPU_RATIO[$mode]=$(awk -v a="${MED_CPU[$off]}" -v b="${MED_CPU[$mode]}" 'BEGIN{printf "%.3f", a/b}')
done

# What the traced gateway recorded must match the traffic, or the run proves nothing.
sleep 2
METRICS=$(curl -s "http://127.0.0.1:${PORT[all]}/metrics")
metric() { awk -v n="$1" 'index($1, n) == 1 {s+=$2} END{printf "%d", s}' <<<"$METRICS"; }
REQ_COUNTED=$(metric 'switchyard_requests_total{')
SPANS_OK=$(metric 'switchyard_trace_spans_total{outcome="exported"')
SPANS_DROPPED=$(metric 'switchyard_trace_spans_total{outcome="dropped"')
LINES_DROPPED=$(metric 'switchyard_access_log_lines_total{outcome="dropped"')
LOG_LINES=$(wc -l <"$WORK/all.log")
for mode in "${MODES[@]}"; do
  log "$mode: ${MED_RPS[$mode]} req/s (x${RATIO[$mode]} of off), ${MED_CPU[$mode]} us CPU/request (off/this: ${CPU_RATIO[$mode]})"
done
log "all: $REQ_COUNTED requests counted, $LOG_LINES log lines ($LINES_DROPPED dropped), $SPANS_OK spans exported ($SPANS_DROPPED dropped)"

PROTO_SPANS_OK=$(curl -s "http://127.0.0.1:${PORT[proto]}/metrics" |
  awk 'index($1, "switchyard_trace_spans_total{outcome=\"exported\"") == 1 {s+=$2} END{printf "%d", s}')
log "proto: $PROTO_SPANS_OK spans exported"
PASS=$(awk -v r="${RATIO[all]}" 'BEGIN{print (r >= 0.95) ? "PASS" : "FAIL"}')
CPU_PASS=$(awk -v r="${CPU_RATIO[all]}" 'BEGIN{print (r >= 0.95) ? "PASS" : "FAIL"}')
NOW=$(date -u '+%Y-%m-%d %H:%M UTC')
MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo '<!-- section:observability -->'
  echo '## Observability overhead (bench/observability.sh)'
  echo
  echo "- Date: $NOW; commit $COMMIT; machine: $MACHINE; load average at the end: $LOAD"
  echo "- Command: \`bench/observability.sh\` (DURATION=$DURATION REPEATS=$REPEATS WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS PIN=$PIN)"
  echo '- Setup: one Switchyard process per mode (1 worker each, pinned with all their threads to CPU 1)'
  echo '  in front of one static nginx upstream (CPU 0, with wrk -t1), loaded one at a time in'
  echo '  rotating order; medians reported. **off**: `metrics: false`, no access log, no tracing.'
  echo '  **log**: metrics counted and an access-log line per request (to a file). **all**: log +'
  echo '  every request traced (server + client span) and exported as OTLP/HTTP JSON to a collector'
  echo '  answering 200. **proto**: all, exported as OTLP/HTTP protobuf. **sampled**: all with'
  echo '  `otel_sample_ratio: 0.1` (JSON).'
  if [[ -n $BASELINE ]]; then
    echo "  **off@base**, **log@base**, **all@base**: the same modes run by the baseline build"
    echo "  (BASELINE_BUILD_DIR=$BASELINE${BASELINE_LABEL:+: $BASELINE_LABEL}), in the same rounds, against its own off."
  fi
  echo
  echo '| mode | req/s, median | req/s, each round | req/s vs off | CPU per request of the process (us), median | CPU per request, each round | off CPU / this CPU |'
  echo '|---|---:|---|---:|---:|---|---:|'
  for mode in "${MODES[@]}"; do
    echo "| $mode | ${MED_RPS[$mode]} | ${ALL_RPS[$mode]} | ${RATIO[$mode]} | ${MED_CPU[$mode]} | ${ALL_CPU[$mode]} | **${CPU_RATIO[$mode]}** |"
  done
  echo
  echo "All three on, every request traced / off: req/s **${RATIO[all]}** (goal >= 0.95: $PASS); by CPU"
  echo "per request (the throughput a CPU-bound gateway can reach) **${CPU_RATIO[all]}** ($CPU_PASS). wrk errors"
  echo "in all runs: $ERRORS. The \"all\" gateway counted $REQ_COUNTED requests in"
  echo "\`switchyard_requests_total\`, wrote $LOG_LINES access-log lines ($LINES_DROPPED dropped) and"
  echo "exported $SPANS_OK spans ($SPANS_DROPPED dropped); the \"proto\" one exported $PROTO_SPANS_OK spans."
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
