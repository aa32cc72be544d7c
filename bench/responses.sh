#!/usr/bin/env bash
# The Responses API against chat completions, in the same run (issue 22's bar): one Switchyard in
# front of the mock provider serves both, and wrk drives, interleaved, chat and Responses
# requests of the same conversation to an OpenAI deployment (native pass-through: the bytes go
# on, usage is scanned) and to an Anthropic one (translated both ways), plain and streamed. The
# table gives req/s and CPU per request of each, and Responses / chat; the bar is >= 0.9.
# Responses requests keep the default store: true (their answers are stored, in memory here: the
# config has no database), as a client that does not say otherwise gets.
# Knobs (env): SWITCHYARD_BIN MOCK_BIN DURATION REPEATS CONNECTIONS XLATE_TOKENS
# RESPONSES_STORE (false: the Responses requests say store: false, to see what storing costs),
# RESULTS (write the "responses" section of this file; default bench/RESULTS.md, "" to skip),
# BIN_COMMIT (the commit SWITCHYARD_BIN was built from, when not this checkout's).
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
BENCH_NAME=responses
# shellcheck source=bench_common.sh
source "$BENCH_DIR/bench_common.sh"
SWITCHYARD_BIN=${SWITCHYARD_BIN:-$ROOT/build/switchyard}
MOCK_BIN=${MOCK_BIN:-$ROOT/build/mock-provider}
DURATION=${DURATION:-5}
REPEATS=${REPEATS:-3}
CONNECTIONS=${CONNECTIONS:-32}
XLATE_TOKENS=${XLATE_TOKENS:-16}
RESULTS=${RESULTS-$BENCH_DIR/RESULTS.md}
TICK_US=$((1000000 / $(getconf CLK_TCK)))
# The gateway on CPU 1; wrk and the mock share CPU 0 (as bench/run.sh pins them).
ON_PROXY=(taskset -c 1)
ON_LOAD=(taskset -c 0)
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/setup.sh --bench)" >&2; exit 1; }

LOAD_AT_START=$(cut -d' ' -f1 /proc/loadavg)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-responses.XXXXXX")
PIDS=()
stop_postgres() { :; }  # bench_cleanup's; this bench has no database
trap 'bench_cleanup out-responses' EXIT

start_listening mock "${ON_LOAD[@]}" "$MOCK_BIN" --host 127.0.0.1 --port 0 --workers 1 \
  --completion-tokens "$XLATE_TOKENS"
MOCK_PORT=$LAST_PORT
cat >"$WORK/config.yaml" <<YAML
model_list:
  - model_name: pass
    litellm_params: {model: openai/mock-model, api_base: "http://127.0.0.1:$MOCK_PORT/v1", api_key: sk-bench}
  - model_name: xlate
    litellm_params: {model: anthropic/claude-3-5-haiku-latest, api_base: "http://127.0.0.1:$MOCK_PORT", api_key: sk-bench}
YAML
start_listening gateway "${ON_PROXY[@]}" "$SWITCHYARD_BIN" serve --config "$WORK/config.yaml" \
  --host 127.0.0.1 --port 0 --workers 1
PORT=$LAST_PORT
GW_PID=$LAST_PID

# The same conversation in both formats.
CHAT='"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":64'
RESP='"instructions":"You are terse.","input":"Say hello to the benchmark.","max_output_tokens":64'
RESPONSES_STORE=${RESPONSES_STORE:-true}
[[ $RESPONSES_STORE == false ]] && RESP+=',"store":false'
PATHS=(chat-pass resp-pass chat-xlate resp-xlate chat-pass-stream resp-pass-stream
  chat-xlate-stream resp-xlate-stream)
declare -A ROUTE BODY
for p in "${PATHS[@]}"; do
  model=pass
  [[ $p == *xlate* ]] && model=xlate
  stream=
  [[ $p == *stream ]] && stream='"stream":true,'
  if [[ $p == chat-* ]]; then
    ROUTE[$p]=/v1/chat/completions
    BODY[$p]="{\"model\":\"$model\",$stream$CHAT}"
  else
    ROUTE[$p]=/v1/responses
    BODY[$p]="{\"model\":\"$model\",$stream$RESP}"
  fi
  printf '%s' "${BODY[$p]}" >"$WORK/body-$p.json"
done

# run PATH SECONDS: one wrk run; prints "req/s cpu_us_per_request".
run() {
  local path=$1 secs=$2 out cpu0 cpu1 line reqs rps
  out="$WORK/wrk-$path.txt"
  cpu0=$(awk '{print $14+$15}' "/proc/$GW_PID/stat")
  "${ON_LOAD[@]}" wrk -t1 -c"$CONNECTIONS" -d"${secs}s" --timeout 5s -s "$BENCH_DIR/chat.lua" \
    "http://127.0.0.1:$PORT${ROUTE[$path]}" -- "$WORK/body-$path.json" >"$out" 2>&1 || true
  cpu1=$(awk '{print $14+$15}' "/proc/$GW_PID/stat")
  line=$(grep -m1 '^BENCH ' "$out")
  reqs=$(bench_field "$line" requests)
  rps=$(bench_field "$line" rps)
  if ! grep -q 'err_status=0 ' <<<"$line"; then bench_log "  $path: non-2xx answers: $line" >&2; fi
  awk -v r="$rps" -v t="$((cpu1 - cpu0))" -v u="$TICK_US" -v n="$reqs" \
    'BEGIN{printf "%.0f %.1f\n", r, (n>0)?t*u/n:0}'
}

# Each path answers as it should before it is timed.
for p in "${PATHS[@]}"; do
  code=$(curl -s -o "$WORK/check-$p.txt" -w '%{http_code}' -H 'content-type: application/json' \
    --data-binary "@$WORK/body-$p.json" "http://127.0.0.1:$PORT${ROUTE[$p]}")
  [[ $code == 200 ]] || { echo "bench: $p answered $code: $(head -c 300 "$WORK/check-$p.txt")" >&2; exit 1; }
done
bench_log "warm-up"
for p in "${PATHS[@]}"; do run "$p" 1 >/dev/null; done
declare -A RPS CPU
for round in $(seq 1 "$REPEATS"); do
  for p in "${PATHS[@]}"; do
    read -r r c < <(run "$p" "$DURATION")
    RPS[$p]+="$r "
    CPU[$p]+="$c "
    bench_log "round $round $p: $r req/s, $c us CPU/request"
  done
done

{
  echo "## Responses API against chat completions, store: $RESPONSES_STORE (bench/responses.sh, issue 22)"
  echo
  echo "$(date -u +%Y-%m-%d), ${BIN_COMMIT:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')}, $(nproc) cores, load average $LOAD_AT_START at the start:"
  echo "one gateway (1 worker, CPU 1), wrk -c$CONNECTIONS and the mock on CPU 0, ${REPEATS}x${DURATION}s"
  echo "per path interleaved, medians; mock answers of $XLATE_TOKENS tokens; Responses with store: $RESPONSES_STORE"
  echo "(true is the default; in memory). Issue 22's bar: Responses / chat >= 0.9. On a busy machine"
  echo "req/s follows the CPU the gateway gets; CPU per request (and chat CPU / Responses CPU, what"
  echo "the req/s ratio is on a saturated core) is the steadier figure."
  echo
  echo "| upstream | chat req/s | Responses req/s | Responses / chat req/s | chat CPU/req (us) | Responses CPU/req (us) | **chat CPU / Responses CPU** |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for pair in "pass:OpenAI (pass-through)" "xlate:Anthropic (translated)" \
    "pass-stream:stream, OpenAI (pass-through)" "xlate-stream:stream, Anthropic (translated)"; do
    key=${pair%%:*}
    # shellcheck disable=SC2086
    cr=$(median ${RPS[chat-$key]}) rr=$(median ${RPS[resp-$key]})
    # shellcheck disable=SC2086
    cc=$(median ${CPU[chat-$key]}) rc=$(median ${CPU[resp-$key]})
    awk -v n="${pair#*:}" -v cr="$cr" -v rr="$rr" -v cc="$cc" -v rc="$rc" \
      'BEGIN{printf "| %s | %.0f | %.0f | %.2f | %.1f | %.1f | **%.2f** |\n", n, cr, rr, rr/cr, cc, rc, cc/rc}'
  done
  echo
} >"$WORK/section.md"
cat "$WORK/section.md"
if [[ -n $RESULTS ]]; then write_results_section "$RESULTS" "responses-store-$RESPONSES_STORE" "$WORK/section.md"; fi
