#!/usr/bin/env bash
# User-space instructions per request on each translation path (the paths of bench/run.sh's
# "Translation paths" table, bench/translation_paths.sh), counted by valgrind's callgrind: one
# `switchyard serve --workers 1` under callgrind in front of one `mock-provider --completion-tokens
# 16` (not under callgrind), loaded path after path. Like bench/instructions.sh, the counts do not
# move with the machine's other load, so they show what a change to a path costs on a busy
# machine; kernel work is not counted, and a stream counts as one request read to its end.
# Usage: bench/instructions_paths.sh [BUILD_DIR]   (needs wrk, valgrind; BUILD_DIR holds switchyard
# and mock-provider, default build/)
# Knobs (env): PATHS (space-separated subset of bench/translation_paths.sh's names, default the
# six of the table), SECONDS_MEASURED (5), XLATE_TOKENS (16), TOP=N (print the N functions with
# the most instructions of their own on each path, from callgrind_annotate), KEEP_PROFILES=1
# (keep the callgrind files: sy.PID.K is the K-th path's).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/callgrind_load.sh
source "$HERE/callgrind_load.sh"
# shellcheck source=bench/translation_paths.sh
source "$HERE/translation_paths.sh"
BUILD=${1:-$HERE/../build}
SECONDS_MEASURED=${SECONDS_MEASURED:-5}
XLATE_TOKENS=${XLATE_TOKENS:-16}
read -ra RUN_PATHS <<<"${PATHS:-$XL_DEFAULT_PATHS}"
for tool in wrk valgrind callgrind_control callgrind_annotate; do
  command -v "$tool" >/dev/null || { echo "instructions_paths: '$tool' not found" >&2; exit 1; }
done
for p in "${RUN_PATHS[@]}"; do
  [[ -n ${XL_ROUTE[$p]:-} ]] || { echo "instructions_paths: unknown path '$p'" >&2; exit 1; }
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-instr-paths.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -n ${KEEP_PROFILES:-} ]]; then echo "profiles kept in $WORK (callgrind_annotate FILE)"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
# shellcheck source=bench/bench_common.sh
source "$HERE/bench_common.sh"

start_listening mock "$BUILD/mock-provider" --host 127.0.0.1 --port 0 --workers 1 \
  --completion-tokens "$XLATE_TOKENS"
xl_config "$WORK/config.yaml" "$LAST_PORT"
start_listening switchyard valgrind --tool=callgrind ${CALLGRIND_ARGS:-} \
  --callgrind-out-file="$WORK/sy.%p" "$BUILD/switchyard" serve --config "$WORK/config.yaml" \
  --host 127.0.0.1 --port 0 --workers 1
SY_PID=$LAST_PID
SY_PORT=$LAST_PORT

echo "| path | instructions per request | requests under callgrind |"
echo "|---|---:|---:|"
part=0
for p in "${RUN_PATHS[@]}"; do
  printf '%s' "${XL_BODY[$p]}" >"$WORK/body-$p.json"
  reqs=$(callgrind_load "$SY_PID" "$SY_PORT" "$HERE/chat.lua" "$SECONDS_MEASURED" \
    "${XL_ROUTE[$p]}" "$WORK/body-$p.json" "$XL_HEADER")
  part=$((part + 1))
  file="$WORK/sy.$SY_PID.$part"
  for _ in $(seq 1 50); do [[ -s $file ]] && break; sleep 0.2; done
  total=$(grep -h '^summary:\|^totals:' "$file" | head -1 | awk '{print $2}')
  echo "| ${XL_NAME[$p]} (\`$p\`) | $((total / reqs)) | $reqs |"
  if [[ -n ${TOP:-} ]]; then
    # Instructions of each function itself per request, the most first. The frames that were on
    # the stack when the counters were dumped (the worker thread's entry) show the whole total
    # as their own: they are left out.
    callgrind_annotate --inclusive=no --threshold=100 --auto=no "$file" 2>/dev/null |
      awk -v n="$TOP" -v r="$reqs" -v t="$total" '/file:function/{on=1; next} on && /^ *[0-9,]+ \(/ {
        c=$1; gsub(",", "", c); if (c+0 >= t+0) next; if (shown++ >= n) next
        sub(/^ *[0-9,]+ \( *[0-9.]+%\) +/, ""); printf "    %8.0f  %s\n", c/r, substr($0, 1, 160)}'
  fi
done
