#!/usr/bin/env bash
# Translation paths, before and after, in the same run: two Switchyard binaries (BASE_BIN, e.g. a
# build of an earlier commit, and NEW_BIN) each serve the same config in front of one mock
# provider, and the six paths of bench/run.sh's "Translation paths" table (OpenAI / Anthropic
# client x OpenAI / Anthropic upstream, plain and streaming) are run on both, interleaved, so both
# binaries see the machine in the same minutes. Prints a Markdown table: req/s and CPU per
# request of each binary, and new / base per path.
# Knobs (env): BASE_BIN NEW_BIN MOCK_BIN DURATION REPEATS CONNECTIONS XLATE_TOKENS PATHS (a subset,
# space-separated: pass xlate anthropic-in pass-stream xlate-stream anthropic-in-stream; also
# anthropic-pass and anthropic-pass-stream, Anthropic client x Anthropic upstream, not run unless
# named).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/translation_paths.sh
source "$HERE/translation_paths.sh"
ROOT=$(cd "$HERE/.." && pwd)
BASE_BIN=${BASE_BIN:?set BASE_BIN to the baseline switchyard binary}
NEW_BIN=${NEW_BIN:-$ROOT/build/switchyard}
MOCK_BIN=${MOCK_BIN:-$ROOT/build/mock-provider}
DURATION=${DURATION:-5}
REPEATS=${REPEATS:-3}
CONNECTIONS=${CONNECTIONS:-32}
XLATE_TOKENS=${XLATE_TOKENS:-16}
TICK_US=$((1000000 / $(getconf CLK_TCK)))
# The gateways under test share CPU 1; wrk and the mock share CPU 0 (as bench/run.sh pins them).
ON_PROXY=(taskset -c 1)
ON_LOAD=(taskset -c 0)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-ab.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { printf '[ab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# start_listening NAME CMD...: starts CMD, waits for its "listening on HOST:PORT" line; sets
# LAST_PID and LAST_PORT.
start_listening() {
  local name=$1 line
  shift
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
  for _ in $(seq 1 150); do
    line=$(grep -m1 'listening on' "$WORK/$name.out" 2>/dev/null || true)
    if [[ -n $line ]]; then
      LAST_PORT=${line##*:}
      return 0
    fi
    sleep 0.1
  done
  echo "ab: $name did not start" >&2
  tail -n 20 "$WORK/$name.err" >&2
  exit 1
}

start_listening mock "${ON_LOAD[@]}" "$MOCK_BIN" --host 127.0.0.1 --port 0 --workers 1 \
  --completion-tokens "$XLATE_TOKENS"
MOCK_PORT=$LAST_PORT
xl_config "$WORK/config.yaml" "$MOCK_PORT"
declare -A PORT PID
for bin in base new; do
  exe=$BASE_BIN
  [[ $bin == new ]] && exe=$NEW_BIN
  start_listening "$bin" "${ON_PROXY[@]}" "$exe" serve --config "$WORK/config.yaml" \
    --host 127.0.0.1 --port 0 --workers 1
  PORT[$bin]=$LAST_PORT
  PID[$bin]=$LAST_PID
done

read -ra PATHS <<<"${PATHS:-$XL_DEFAULT_PATHS}"
for p in "${PATHS[@]}"; do printf '%s' "${XL_BODY[$p]}" >"$WORK/body-$p.json"; done

# run BIN PATH SECONDS: one wrk run; prints "req/s cpu_us_per_request".
run() {
  local bin=$1 path=$2 secs=$3 out cpu0 cpu1 line reqs rps
  out="$WORK/wrk-$bin-$path.txt"
  cpu0=$(awk '{print $14+$15}' "/proc/${PID[$bin]}/stat")
  "${ON_LOAD[@]}" wrk -t1 -c"$CONNECTIONS" -d"${secs}s" --timeout 5s -s "$HERE/chat.lua" \
    "http://127.0.0.1:${PORT[$bin]}${XL_ROUTE[$path]}" -- "$WORK/body-$path.json" \
    "$XL_HEADER" >"$out" 2>&1 || true
  cpu1=$(awk '{print $14+$15}' "/proc/${PID[$bin]}/stat")
  line=$(grep -m1 '^BENCH ' "$out")
  reqs=$(sed -E 's/^BENCH requests=([0-9]+).*/\1/' <<<"$line")
  rps=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line")
  if ! grep -q 'err_status=0 ' <<<"$line"; then log "  $bin $path: non-2xx answers: $line"; fi
  awk -v r="$rps" -v t="$((cpu1 - cpu0))" -v u="$TICK_US" -v n="$reqs" \
    'BEGIN{printf "%.0f %.1f\n", r, (n>0)?t*u/n:0}'
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END{print (NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2}'; }

log "warm-up"
for p in "${PATHS[@]}"; do for bin in base new; do run "$bin" "$p" 1 >/dev/null; done; done
declare -A RPS CPU
for round in $(seq 1 "$REPEATS"); do
  for p in "${PATHS[@]}"; do
    for bin in base new; do
      read -r r c < <(run "$bin" "$p" "$DURATION")
      RPS[$bin,$p]+="$r "
      CPU[$bin,$p]+="$c "
      log "round $round $p $bin: $r req/s, $c us CPU/request"
    done
  done
done

echo "| path | base req/s | new req/s | new / base req/s | base CPU/req (us) | new CPU/req (us) | new / base CPU |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for p in "${PATHS[@]}"; do
  # shellcheck disable=SC2086
  br=$(median ${RPS[base,$p]}) nr=$(median ${RPS[new,$p]}) bc=$(median ${CPU[base,$p]}) nc=$(median ${CPU[new,$p]})
  awk -v n="${XL_NAME[$p]}" -v br="$br" -v nr="$nr" -v bc="$bc" -v nc="$nc" \
    'BEGIN{printf "| %s | %.0f | %.0f | **%.2f** | %.1f | %.1f | %.2f |\n", n, br, nr, nr/br, bc, nc, nc/bc}'
done
