#!/usr/bin/env bash
# Guardrails benchmark (docs/guardrails.md), one run:
#  1. detection: build/bench/guardrail_bench — the default PII + secrets guardrail (every
#     built-in detector, MASK) on a 4 KB prompt (µs per request, p50/p99) and the detectors'
#     throughput on one core (MB/s), in the thread's CPU time;
#  2. gateway throughput through `switchyard serve --workers 1` to the mock provider with the
#     same guardrail default_on against the same gateway config without it, interleaved
#     (REPEATS rounds of off, on), with the same 4 KB prompt in every request.
# Prints the figures and, with WRITE_RESULTS=1, appends them to bench/RESULTS.md.
# Knobs (env): BUILD_DIR (default build/, a release build) DURATION REPEATS CONNECTIONS.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build}
DURATION=${DURATION:-5}
REPEATS=${REPEATS:-3}
CONNECTIONS=${CONNECTIONS:-16}
for tool in wrk node taskset; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' not found (scripts/setup.sh --bench)" >&2; exit 1; }
done
for bin in "$BUILD/switchyard" "$BUILD/mock-provider"; do
  [[ -x $bin ]] || { echo "bench: $bin missing (make build)" >&2; exit 1; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-guardrail-bench.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { printf '[guardrail-bench %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
start_listening() {  # NAME CMD...: background, waits for "listening on HOST:PORT"
  local name=$1; shift
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  LAST_PID=$!; PIDS+=("$LAST_PID")
  for _ in $(seq 1 300); do
    local line; line=$(grep -m1 'listening on' "$WORK/$name.out" 2>/dev/null || true)
    if [[ -n $line ]]; then LAST_PORT=${line##*:}; return 0; fi
    kill -0 "$LAST_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench: $name did not start:" >&2; tail -n 20 "$WORK/$name.err" >&2; exit 1
}

# --- 1. detection
if [[ -x $BUILD/bench/guardrail_bench ]]; then
  "$BUILD/bench/guardrail_bench" | tee "$WORK/detect.txt"
else
  echo "bench: $BUILD/bench/guardrail_bench missing (a release build makes it)" >&2
  : >"$WORK/detect.txt"
fi
fig() { awk -v k="$1" '$1==k{print $2}' "$WORK/detect.txt"; }

# --- 2. gateway throughput, guardrails off and on
start_listening mock taskset -c 0 "$BUILD/mock-provider" --host 127.0.0.1 --port 0 --workers 1
MOCK_PORT=$LAST_PORT
PATTERNS=""
for p in email phone us_ssn credit_card iban ipv4 ipv6 aws_access_key aws_secret_key github_token \
  slack_token gcp_api_key openai_api_key anthropic_api_key private_key jwt generic_api_key generic_secret; do
  PATTERNS+="
        - {pattern_type: prebuilt, pattern_name: $p, action: MASK}"
done
config() {  # FILE [guardrails yaml]
  cat >"$1" <<YAML
model_list:
  - model_name: bench-model
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:$MOCK_PORT/v1", api_key: k}
$2
YAML
}
config "$WORK/off.yaml" ""
config "$WORK/on.yaml" "guardrails:
  - guardrail_name: pii-and-secrets
    litellm_params:
      guardrail: litellm_content_filter
      mode: pre_call
      default_on: true
      output_parse_pii: true
      patterns:$PATTERNS"
declare -A URL
for mode in off on; do
  start_listening "gw-$mode" taskset -c 1 "$BUILD/switchyard" serve --config "$WORK/$mode.yaml" \
    --host 127.0.0.1 --port 0 --workers 1
  URL[$mode]=http://127.0.0.1:$LAST_PORT
done
# A 4 KB prompt of prose with a few findings (the same text guardrail_bench measures).
node -e '
const lines = ["The quarterly report shows revenue grew 12.5% to 4,210,000 while costs held at 3.1M. ",
  "Please summarise the meeting notes from Tuesday and list the open action items. ",
  "We upgraded the cluster to version 1.28.3 and the API gateway to release 2.4.0.1. ",
  "Customer feedback mentions slow page loads on mobile, especially the checkout step. "];
let t = ""; for (let i = 0; t.length < 3900; i++) t += lines[i % 4];
t = t.slice(0, 3900) + " Contact jane.roe@example.com or +14155552671; key AKIAIOSFODNN7EXAMPLE.";
process.stdout.write(JSON.stringify({model: "bench-model", max_tokens: 32,
  messages: [{role: "user", content: t}]}));' >"$WORK/body.json"

declare -A RPS
for mode in off on; do  # warm-up
  taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d1 -s "$HERE/chat.lua" "${URL[$mode]}/v1/chat/completions" -- "$WORK/body.json" >/dev/null
done
for r in $(seq 1 "$REPEATS"); do
  for mode in off on; do
    out=$(taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s "$HERE/chat.lua" \
      "${URL[$mode]}/v1/chat/completions" -- "$WORK/body.json" | grep '^BENCH')
    rps=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$out")
    errs=$(sed -E 's/.*err_status=([0-9]+).*/\1/' <<<"$out")
    ((errs == 0)) || { echo "bench: $mode answered $errs non-2xx" >&2; exit 1; }
    RPS[$mode]+="$rps "
    log "round $r $mode: $rps req/s"
  done
done
off=$(median ${RPS[off]}); on=$(median ${RPS[on]})
ratio=$(awk -v a="$on" -v b="$off" 'BEGIN{printf "%.2f", a/b}')
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
summary="| $(date -u +%Y-%m-%d) | $COMMIT | $(fig request_p50_us) | $(fig request_p99_us) | $(fig scan_mb_per_s) | $off | $on | $ratio |"
echo "$summary"
if [[ ${WRITE_RESULTS:-0} == 1 ]]; then echo "$summary" >>"$HERE/RESULTS.md"; fi
