#!/usr/bin/env bash
# Runs each fuzz target briefly from the seed corpus (tests/fuzz/corpus/<target>). Built by
# `make fuzz` into build-fuzz; FUZZ_SECONDS sets the time per target (default 20).
set -euo pipefail
build_dir=${1:?usage: run_fuzzers.sh BUILD_FUZZ_DIR}
here=$(cd "$(dirname "$0")" && pwd)
seconds=${FUZZ_SECONDS:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for target in fuzz_request_parser fuzz_responses_request fuzz_sse_parser fuzz_http_parser \
  fuzz_guardrail_detectors fuzz_tokenizer; do
  bin="$build_dir/$target"
  if [[ ! -x "$bin" ]]; then
    echo "missing $bin: run 'make fuzz' first" >&2
    exit 1
  fi
  mkdir -p "$work/$target"
  cp -r "$here/corpus/$target/." "$work/$target/" 2>/dev/null || true
  echo "== $target for ${seconds}s"
  if ! "$bin" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$work/" "$work/$target" 2>"$work/$target.log"; then
    tail -n 40 "$work/$target.log" >&2
    status=1
  else
    grep -E "^#[0-9]+.*DONE" "$work/$target.log" || tail -n 2 "$work/$target.log"
  fi
done
exit $status
