#!/usr/bin/env bash
# Switchyard benchmark: Switchyard (1 worker) vs nginx as a plain reverse proxy, both in front of
# the same static nginx upstream, measured side by side with wrk in one run; then 1,000
# concurrent paced streams through Switchyard to the mock provider; then the translation paths
# (OpenAI -> Anthropic backend, Anthropic-format requests -> OpenAI backend, plain and streaming)
# against the OpenAI pass-through on the mock. Writes bench/RESULTS.md.
# See bench/README.md. Knobs (env): DURATION CONNECTIONS THREADS REPEATS LAT_REPEATS WARMUP STREAMS
# STREAM_TPS STREAM_TOKENS MOCK_WORKERS XLATE_TOKENS BUILD_DIR RESULTS_FILE KEEP_TMP.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build}
SWITCHYARD=$BUILD/switchyard
MOCK=$BUILD/mock-provider

DURATION=${DURATION:-10}           # seconds per measured wrk run
CONNECTIONS=${CONNECTIONS:-32}     # connections for the throughput runs
THREADS=${THREADS:-1}              # wrk threads (1 leaves the most CPU to the proxies on 2 cores)
REPEATS=${REPEATS:-3}              # interleaved throughput repetitions; the median is reported
LAT_REPEATS=${LAT_REPEATS:-5}      # interleaved 1-connection latency repetitions (median, best)
WARMUP=${WARMUP:-2}                # seconds of warm-up per target before measuring
STREAMS=${STREAMS:-1000}           # concurrent streams in the streaming scenario
STREAM_TPS=${STREAM_TPS:-20}       # mock pacing: tokens (chunks) per second per stream
STREAM_TOKENS=${STREAM_TOKENS:-100}
MOCK_WORKERS=${MOCK_WORKERS:-1}
XLATE_TOKENS=${XLATE_TOKENS:-16}   # mock answer length (tokens = stream chunks) for the translation paths
# PIN=1 (default on 2+ cores): for throughput and streams the proxy under test gets CPU 1 to
# itself while wrk and the upstream (or the stream client and the mock) share CPU 0; for the
# 1-connection latency runs all of them share CPU 0, so a request's path costs CPU time and no
# cross-CPU wake-ups (which on a VM cost ~60 us each and would swamp the proxy's own cost).
# Unpinned, the scheduler's placement changes between runs and the latency figures are bimodal.
PIN=${PIN:-$( (($(nproc) >= 2)) && command -v taskset >/dev/null && echo 1 || echo 0)}
RESULTS_FILE=${RESULTS_FILE:-$HERE/RESULTS.md}
OUT_DIR=$HERE/out                  # raw logs of the last run (git-ignored)

for tool in nginx wrk node curl; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' not found; run scripts/setup.sh --bench" >&2; exit 1; }
done
for bin in "$SWITCHYARD" "$MOCK"; do
  [[ -x $bin ]] || { echo "bench: $bin missing; run 'make build' (or 'make bench')" >&2; exit 1; }
done
NGINX=$(command -v nginx)

# The commit the report names: HEAD when the run starts (commits made during the run do not count).
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$ROOT" status --porcelain -- src tools CMakeLists.txt 2>/dev/null) ]]; then COMMIT+="+dirty"; fi
# A binary older than the last commit that changed the sources does not hold that commit's code.
BIN_NOTE=""
src_commit=$(git -C "$ROOT" log -1 --format='%h %ct' -- src tools CMakeLists.txt 2>/dev/null || true)
if [[ -n $src_commit && -e $SWITCHYARD ]] && (($(stat -c %Y "$SWITCHYARD") < ${src_commit#* })); then
  BIN_NOTE="; NOTE: the binary is older than ${src_commit% *}, the last commit that changed src/ or tools/, so it may not hold that code"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-bench.XXXXXX")
PIDS=()
cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -d $WORK ]]; then
    rm -rf "$OUT_DIR" && mkdir -p "$OUT_DIR" && cp -r "$WORK"/. "$OUT_DIR"/ 2>/dev/null || true
    [[ ${KEEP_TMP:-0} == 1 ]] && echo "bench: temp dir kept at $WORK" || rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1,000 client sockets, 1,000 inbound + 1,000 upstream sockets in the gateway.
hard=$(ulimit -Hn)
if [[ $hard == unlimited ]] || ((hard > 65536)); then hard=65536; fi
ulimit -n "$hard"
if ((hard < STREAMS * 2 + 256)); then
  echo "bench: warning: open-file limit $hard is low for $STREAMS streams" >&2
fi

if [[ $PIN == 1 ]]; then
  ON_LOAD=(taskset -c 0); ON_PROXY=(taskset -c 1)
else
  ON_LOAD=(); ON_PROXY=()
fi

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# start NAME CMD...: run in the background with stdout/stderr in $WORK; sets LAST_PID.
start() {
  local name=$1; shift
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
}

stop() {
  local pid=$1
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local keep=() p
  for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}

# wait_listening NAME PID: waits for "... listening on HOST:PORT" on stdout, prints PORT.
wait_listening() {
  local name=$1 pid=$2 line
  for _ in $(seq 1 150); do
    line=$(grep -m1 'listening on' "$WORK/$name.out" 2>/dev/null || true)
    if [[ -n $line ]]; then echo "${line##*:}"; return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench: $name did not start; stderr:" >&2
  tail -n 20 "$WORK/$name.err" >&2 || true
  return 1
}

# start_listening NAME CMD...: start, then wait_listening; sets LAST_PID and LAST_PORT.
start_listening() {
  start "$@"
  LAST_PORT=$(wait_listening "$1" "$LAST_PID")
}

CHAT_BODY='{"model":"bench-model","messages":[{"role":"user","content":"hi"}]}'
wait_http() {
  local url=$1
  for _ in $(seq 1 100); do
    curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d "$CHAT_BODY" "$url" && return 0
    sleep 0.1
  done
  echo "bench: $url did not answer" >&2
  return 1
}

# Per label (a target of run_wrk): URL, the PID of the process serving it (for CPU time), and
# optionally a request body file and one extra header (default: chat.lua's body, no header).
declare -A URL SERVER_PID BODY HEADER
# Per label: the values of each measured run, space-separated, and their medians.
declare -A RPS P50 P99 ERRS CPU BUSY MRPS MP50 MP99 MCPU BP50 MBUSY

# sample LABEL: one request as wrk sends it, answer kept in $WORK/sample-LABEL.json; sets
# SAMPLE_CODE (HTTP status) and logs it.
sample() {
  local label=$1 data=$CHAT_BODY hdr=()
  if [[ -n ${BODY[$label]:-} ]]; then data=@${BODY[$label]}; fi
  if [[ -n ${HEADER[$label]:-} ]]; then hdr=(-H "${HEADER[$label]}"); fi
  SAMPLE_CODE=$(curl -s --max-time 10 -o "$WORK/sample-$label.json" -w '%{http_code}' -X POST \
    -H 'Content-Type: application/json' -H 'Authorization: Bearer sk-bench' "${hdr[@]}" \
    --data-binary "$data" "${URL[$label]}" || true)
  log "  sample $label: HTTP $SAMPLE_CODE, $(wc -c <"$WORK/sample-$label.json") bytes"
}

# utime+stime of a process in clock ticks.
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
TICK_US=$((1000000 / $(getconf CLK_TCK)))

rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
alive() { kill -0 "$1" 2>/dev/null; }

# note_if_dead NAME PID WHEN: records in PROBLEMS how a process this script did not stop ended.
PROBLEMS=""
note_if_dead() {
  local name=$1 pid=$2 when=$3 how rc=0 tail_
  alive "$pid" && return 0
  wait "$pid" 2>/dev/null || rc=$?
  if grep -q 'shutting down' "$WORK/$name.err" 2>/dev/null; then
    how="received SIGTERM/SIGINT from outside this script (graceful drain logged)"
  else
    how="exited on its own (wait status $rc)"
  fi
  tail_=$(tail -n 8 "$WORK/$name.err" 2>/dev/null | cut -c1-300)
  PROBLEMS+="- \`$name\` (pid $pid) was not running $when: $how. Last lines of its stderr:"$'\n\n'
  PROBLEMS+='  ```'$'\n'"$(sed 's/^/  /' <<<"$tail_")"$'\n''  ```'$'\n'
}
mib() { awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}'; }

num() { [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; }
best() { printf '%s\n' "$@" | { grep -E '^-?[0-9.]+$' || true; } | sort -g | head -n1; }
median() {
  printf '%s\n' "$@" | { grep -E '^-?[0-9.]+$' || true; } | sort -g |
    awk '{a[NR]=$1} END{if(!NR){print "nan"} else if(NR%2){print a[(NR+1)/2]} else {print (a[NR/2]+a[NR/2+1])/2}}'
}

# Fallback parser for wrk's human-readable latency (e.g. "812.00us", "1.20ms", "2.01s") -> us.
to_us() {
  awk -v v="$1" 'BEGIN{
    n=v; sub(/[a-z]+$/,"",n); u=v; sub(/^[0-9.]+/,"",u);
    m=(u=="us")?1:(u=="ms")?1000:(u=="s")?1000000:(u=="m")?60000000:1; printf "%.0f", n*m}'
}

# run_wrk LABEL CONNS SECONDS: runs wrk against ${URL[LABEL]} (with ${BODY[LABEL]} and
# ${HEADER[LABEL]} if set), keeps the raw output, and sets W_RPS W_P50 W_P99 W_ERRORS
# (connect+read+write+timeout+non-2xx) from the script's BENCH line, W_CPU: CPU time (us) the
# serving process (${SERVER_PID[LABEL]}) spent per request, and W_BUSY: that process's CPU time
# as a percentage of the run's wall time (near 100: it is the bottleneck).
RUN_SEQ=0
run_wrk() {
  local label=$1 conns=$2 secs=$3 threads=$THREADS out line cpu0 cpu1 reqs dur_us script_args=()
  ((threads > conns)) && threads=$conns
  if [[ -n ${BODY[$label]:-} ]]; then script_args=(-- "${BODY[$label]}" ${HEADER[$label]:+"${HEADER[$label]}"}); fi
  RUN_SEQ=$((RUN_SEQ + 1))
  out="$WORK/wrk-$(printf %02d $RUN_SEQ)-$label-c$conns.txt"
  dur_us=$((secs * 1000000))
  cpu0=$(cpu_ticks "${SERVER_PID[$label]}")
  "${ON_LOAD[@]}" wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 5s --latency -s "$HERE/chat.lua" \
    "${URL[$label]}" "${script_args[@]}" >"$out" 2>&1 || true
  cpu1=$(cpu_ticks "${SERVER_PID[$label]}")
  line=$(grep -m1 '^BENCH ' "$out" || true)
  if [[ -n $line ]]; then
    dur_us=$(sed -E 's/.* duration_us=([0-9]+).*/\1/' <<<"$line")
    reqs=$(sed -E 's/^BENCH requests=([0-9]+).*/\1/' <<<"$line")
    W_RPS=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line")
    W_P50=$(sed -E 's/.* p50_us=([0-9]+).*/\1/' <<<"$line")
    W_P99=$(sed -E 's/.* p99_us=([0-9]+).*/\1/' <<<"$line")
    W_ERRORS=$(awk '{s=0; for(i=1;i<=NF;i++) if($i ~ /^err_/){split($i,kv,"="); s+=kv[2]} print s}' <<<"$line")
  else
    # No BENCH line (old wrk or a failed run): fall back to the text output.
    reqs=$(awk '/requests in/{print $1}' "$out"); reqs=${reqs:-0}
    W_RPS=$(awk '/^Requests\/sec:/{print $2}' "$out"); W_RPS=${W_RPS:-0}
    W_P50=$(to_us "$(awk '$1=="50%"{print $2}' "$out")")
    W_P99=$(to_us "$(awk '$1=="99%"{print $2}' "$out")")
    W_ERRORS=$(awk '/Non-2xx/{s+=$NF} /Socket errors/{gsub(/,/,""); s+=$4+$6+$8+$10} END{print s+0}' "$out")
    if ! grep -q 'Requests/sec' "$out"; then
      W_ERRORS="run failed"; W_RPS=nan; W_P50=nan; W_P99=nan
    fi
  fi
  W_CPU=$(awk -v t="$((cpu1 - cpu0))" -v u="$TICK_US" -v n="$reqs" 'BEGIN{printf (n>0)?"%.1f":"nan", t*u/n}')
  W_BUSY=$(awk -v t="$((cpu1 - cpu0))" -v u="$TICK_US" -v d="$dur_us" 'BEGIN{printf (d>0)?"%.0f":"nan", 100*t*u/d}')
  log "  $label c=$conns: ${W_RPS} req/s  p50=${W_P50}us p99=${W_P99}us  errors=${W_ERRORS}  cpu/req=${W_CPU}us busy=${W_BUSY}%"
}

# init_stats LABEL...: empties the per-run lists of LABELs.
init_stats() {
  local t
  for t in "$@"; do RPS[$t]=""; P50[$t]=""; P99[$t]=""; CPU[$t]=""; BUSY[$t]=""; ERRS[$t]=0; done
}
add_errors() { # LABEL VALUE
  if [[ $2 =~ ^[0-9]+$ && ${ERRS[$1]} =~ ^[0-9]+$ ]]; then ERRS[$1]=$((ERRS[$1] + $2)); else ERRS[$1]="$2"; fi
}
# warm_up CONNS LABEL...: one unrecorded WARMUP-second run per LABEL.
warm_up() {
  local conns=$1 t; shift
  for t in "$@"; do run_wrk "$t" "$conns" "$WARMUP"; done
}
# throughput_rounds CONNS LABEL...: REPEATS interleaved rounds of DURATION-second runs over the
# LABELs, recording req/s, CPU per request, CPU busy and errors.
throughput_rounds() {
  local conns=$1 t; shift
  for _ in $(seq 1 "$REPEATS"); do
    for t in "$@"; do
      run_wrk "$t" "$conns" "$DURATION"
      RPS[$t]+="$W_RPS "
      CPU[$t]+="$W_CPU "
      BUSY[$t]+="$W_BUSY "
      add_errors "$t" "$W_ERRORS"
    done
  done
}
# medians LABEL...: sets MRPS MCPU MBUSY MP50 MP99 (medians) and BP50 (best p50) of LABELs.
medians() {
  local t
  for t in "$@"; do
    # shellcheck disable=SC2086
    MRPS[$t]=$(median ${RPS[$t]}); MCPU[$t]=$(median ${CPU[$t]}); MBUSY[$t]=$(median ${BUSY[$t]})
    # shellcheck disable=SC2086
    MP50[$t]=$(median ${P50[$t]}); MP99[$t]=$(median ${P99[$t]}); BP50[$t]=$(best ${P50[$t]})
  done
}
# ratio A B: A / B to 2 decimals, or nan.
ratio() {
  if num "$1" && num "$2"; then awk -v a="$1" -v b="$2" 'BEGIN{printf (b>0)?"%.2f":"nan", a/b}'; else echo nan; fi
}

# ---------------------------------------------------------------------------------------------
# Static upstream and plain reverse proxy (nginx, one process each, no access logs).

UP_PORT=$(free_port)
PX_PORT=$(free_port)
while [[ $PX_PORT == "$UP_PORT" ]]; do PX_PORT=$(free_port); done

# A realistic non-streaming OpenAI chat.completion (~600 bytes, with usage).
RESPONSE_JSON='{"id":"chatcmpl-BnchX7f3kQ2mZr9Lw0aYtUv5sP1dE","object":"chat.completion","created":1718000000,"model":"bench-model","system_fingerprint":"fp_5bench01a","choices":[{"index":0,"message":{"role":"assistant","content":"Hello, benchmark! This is a fixed answer from a static upstream, about as long as a short reply from a real chat model, so that the proxies move a realistic amount of JSON on every request.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":24,"completion_tokens":41,"total_tokens":65,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0}}}'

nginx_common() { # NAME
  cat <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $WORK/$1.pid;
error_log $WORK/$1.error.log warn;
events { worker_connections 8192; }
EOF
}
nginx_http_common() { # NAME
  cat <<EOF
  access_log off;
  client_body_temp_path $WORK/$1-tmp/body;
  proxy_temp_path $WORK/$1-tmp/proxy;
  fastcgi_temp_path $WORK/$1-tmp/fastcgi;
  uwsgi_temp_path $WORK/$1-tmp/uwsgi;
  scgi_temp_path $WORK/$1-tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
EOF
}

mkdir -p "$WORK/upstream-tmp" "$WORK/nginx-proxy-tmp"
{
  nginx_common upstream
  echo "http {"
  nginx_http_common upstream
  cat <<EOF
  server {
    listen 127.0.0.1:$UP_PORT;
    location / {
      default_type application/json;
      return 200 '$RESPONSE_JSON';
    }
  }
}
EOF
} >"$WORK/upstream.conf"

{
  nginx_common nginx-proxy
  echo "http {"
  nginx_http_common nginx-proxy
  cat <<EOF
  upstream llm {
    server 127.0.0.1:$UP_PORT;
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$PX_PORT;
    location / {
      proxy_pass http://llm;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "Bearer sk-bench";
    }
  }
}
EOF
} >"$WORK/nginx-proxy.conf"

cat >"$WORK/switchyard-static.yaml" <<EOF
model_list:
  - model_name: bench-model
    litellm_params: {model: openai/bench-model, api_base: "http://127.0.0.1:$UP_PORT/v1", api_key: sk-bench}
EOF

# The same gateway with governance on as LiteLLM users run it: a master key and a store, so every
# request is authenticated, costed and written as a spend-log row and an hourly rollup.
cat >"$WORK/switchyard-spend.yaml" <<EOF
model_list:
  - model_name: bench-model
    litellm_params: {model: openai/bench-model, api_base: "http://127.0.0.1:$UP_PORT/v1", api_key: sk-bench}
general_settings:
  master_key: sk-bench
  database_url: sqlite://$WORK/spend.db
EOF

log "workdir $WORK; $(nproc) cores; pinning $PIN; duration ${DURATION}s x $REPEATS, $CONNECTIONS connections"
start upstream "${ON_LOAD[@]}" "$NGINX" -p "$WORK" -e "$WORK/upstream.error.log" -c "$WORK/upstream.conf"
UP_PID=$LAST_PID
start nginx-proxy "${ON_PROXY[@]}" "$NGINX" -p "$WORK" -e "$WORK/nginx-proxy.error.log" -c "$WORK/nginx-proxy.conf"
NX_PID=$LAST_PID
start_listening switchyard "${ON_PROXY[@]}" "$SWITCHYARD" serve --config "$WORK/switchyard-static.yaml" --host 127.0.0.1 --port 0 --workers 1
SY_PID=$LAST_PID
SY_PORT=$LAST_PORT
start_listening spend "${ON_PROXY[@]}" "$SWITCHYARD" serve --config "$WORK/switchyard-spend.yaml" --host 127.0.0.1 --port 0 --workers 1
SP_PID=$LAST_PID
SP_PORT=$LAST_PORT

URL[direct]="http://127.0.0.1:$UP_PORT/v1/chat/completions"
URL[nginx]="http://127.0.0.1:$PX_PORT/v1/chat/completions"
URL[switchyard]="http://127.0.0.1:$SY_PORT/v1/chat/completions"
URL[spend]="http://127.0.0.1:$SP_PORT/v1/chat/completions"
SERVER_PID[direct]=$UP_PID; SERVER_PID[nginx]=$NX_PID; SERVER_PID[switchyard]=$SY_PID; SERVER_PID[spend]=$SP_PID
TARGETS=(direct nginx switchyard spend)
for t in "${TARGETS[@]}"; do wait_http "${URL[$t]}"; done
log "upstream :$UP_PORT (pid $UP_PID)  nginx proxy :$PX_PORT (pid $NX_PID)  switchyard :$SY_PORT (pid $SY_PID)"

# Sanity: each target answers the chat request with 200 and the upstream's body.
for t in "${TARGETS[@]}"; do sample "$t"; done

sleep 0.5
RSS_START=$(rss_kb "$SY_PID")
for _ in $(seq 1 20); do
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d "$CHAT_BODY" "${URL[switchyard]}" || true
done
sleep 0.5
RSS_IDLE=$(rss_kb "$SY_PID")
NX_RSS_IDLE=$(rss_kb "$NX_PID")
log "switchyard RSS: $(mib "$RSS_START") MiB after start, $(mib "$RSS_IDLE") MiB after 20 requests"

log "warm-up (${WARMUP}s per target)"
warm_up "$CONNECTIONS" "${TARGETS[@]}"

init_stats "${TARGETS[@]}"
log "throughput: $REPEATS x ${DURATION}s at $CONNECTIONS connections, interleaved"
throughput_rounds "$CONNECTIONS" "${TARGETS[@]}"

log "latency: $LAT_REPEATS x ${DURATION}s at 1 connection, interleaved"
if [[ $PIN == 1 ]]; then
  for pid in "$NX_PID" "$SY_PID" "$SP_PID"; do taskset -a -p -c 0 "$pid" >/dev/null; done
fi
for _ in $(seq 1 "$LAT_REPEATS"); do
  for t in "${TARGETS[@]}"; do
    run_wrk "$t" 1 "$DURATION"
    P50[$t]+="$W_P50 "
    P99[$t]+="$W_P99 "
    add_errors "$t" "$W_ERRORS"
  done
done

SY_ALIVE_AFTER_LOAD=yes
alive "$SY_PID" || SY_ALIVE_AFTER_LOAD=no
note_if_dead switchyard "$SY_PID" "after the wrk runs"
note_if_dead nginx-proxy "$NX_PID" "after the wrk runs"
note_if_dead upstream "$UP_PID" "after the wrk runs"
sleep 1
RSS_LOAD=$(rss_kb "$SY_PID")
NX_RSS_LOAD=$(rss_kb "$NX_PID")
SP_RSS_LOAD=$(rss_kb "$SP_PID")
note_if_dead spend "$SP_PID" "after the wrk runs"
# Every answered request of the spend target is in the store: the rollups count them.
SP_ROWS=$(curl -s -H 'Authorization: Bearer sk-bench' "http://127.0.0.1:$SP_PORT/global/spend/report?group_by=model" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).reduce((a,r)=>a+r.requests,0))}catch{console.log("n/a")}})')
SP_DB_MB=$(du -sk "$WORK"/spend.db* 2>/dev/null | awk '{k+=$1} END{printf "%.1f", k/1024}')

medians "${TARGETS[@]}"
ratio=$(ratio "${MRPS[switchyard]}" "${MRPS[nginx]}")
SP_RATIO=$(ratio "${MRPS[spend]}" "${MRPS[nginx]}")
SP_CPU_ADDED=$(if num "${MCPU[spend]}" && num "${MCPU[switchyard]}"; then awk -v a="${MCPU[spend]}" -v b="${MCPU[switchyard]}" 'BEGIN{printf "%.1f", a-b}'; else echo n/a; fi)
added() { if num "$1" && num "$2"; then awk -v a="$1" -v b="$2" 'BEGIN{printf "%.0f", a-b}'; else echo n/a; fi; }
ADD50_NX=$(added "${MP50[nginx]}" "${MP50[direct]}")
ADD99_NX=$(added "${MP99[nginx]}" "${MP99[direct]}")
ADD50_SY=$(added "${MP50[switchyard]}" "${MP50[direct]}")
ADD99_SY=$(added "${MP99[switchyard]}" "${MP99[direct]}")
BADD50_NX=$(added "${BP50[nginx]}" "${BP50[direct]}")
BADD50_SY=$(added "${BP50[switchyard]}" "${BP50[direct]}")

stop "$SY_PID"; stop "$SP_PID"; stop "$NX_PID"; stop "$UP_PID"

# ---------------------------------------------------------------------------------------------
# 1,000 concurrent streams through Switchyard to the paced mock provider.

log "streams: $STREAMS concurrent, mock at $STREAM_TPS tokens/s x $STREAM_TOKENS tokens"
start_listening mock "${ON_LOAD[@]}" "$MOCK" --host 127.0.0.1 --port 0 --workers "$MOCK_WORKERS" \
  --tokens-per-second "$STREAM_TPS" --completion-tokens "$STREAM_TOKENS"
MOCK_PID=$LAST_PID
MOCK_PORT=$LAST_PORT
cat >"$WORK/switchyard-stream.yaml" <<EOF
model_list:
  - model_name: bench-model
    litellm_params: {model: openai/bench-model, api_base: "http://127.0.0.1:$MOCK_PORT/v1", api_key: sk-bench}
EOF
start_listening switchyard-stream "${ON_PROXY[@]}" "$SWITCHYARD" serve --config "$WORK/switchyard-stream.yaml" --host 127.0.0.1 --port 0 --workers 1
SS_PID=$LAST_PID
SS_PORT=$LAST_PORT
STREAM_URL="http://127.0.0.1:$SS_PORT/v1/chat/completions"
# One stream end to end first, so pools and allocator are warm as in the idle figure above.
curl -s -N -o "$WORK/sample-stream.txt" -X POST -H 'Content-Type: application/json' \
  -d '{"model":"bench-model","stream":true,"messages":[{"role":"user","content":"hi"}]}' "$STREAM_URL" || true
log "  sample stream: $(grep -c '^data: ' "$WORK/sample-stream.txt" || true) events, last: $(grep '^data: ' "$WORK/sample-stream.txt" | tail -n1 | cut -c1-40)"
sleep 0.5
SS_RSS_IDLE=$(rss_kb "$SS_PID")

stream_deadline_ms=$(( (STREAM_TOKENS * 1000 / (STREAM_TPS > 0 ? STREAM_TPS : 1)) * 4 + 30000 ))
"${ON_LOAD[@]}" node "$HERE/stream_load.mjs" "$STREAM_URL" "$STREAMS" "$stream_deadline_ms" \
  >"$WORK/stream-load.json" 2>"$WORK/stream-load.err" &
LOAD_PID=$!
PIDS+=("$LOAD_PID")
# Sample the gateway's RSS every 200 ms while the load runs (bounded by the client's deadline).
max_samples=$(( stream_deadline_ms / 200 + 50 ))
: >"$WORK/stream-rss.txt"
for _ in $(seq 1 "$max_samples"); do
  alive "$LOAD_PID" || break
  echo "$(date +%s.%N) $(rss_kb "$SS_PID")" >>"$WORK/stream-rss.txt"
  sleep 0.2
done
wait "$LOAD_PID" 2>/dev/null || true
SS_ALIVE=yes
alive "$SS_PID" || SS_ALIVE=no
note_if_dead switchyard-stream "$SS_PID" "after the streams"
note_if_dead mock "$MOCK_PID" "after the streams"
sleep 1
SS_RSS_AFTER=$(rss_kb "$SS_PID")
SS_RSS_PEAK=$(awk 'BEGIN{m=0} $2>m{m=$2} END{print m}' "$WORK/stream-rss.txt")

SL=$(cat "$WORK/stream-load.json" 2>/dev/null || true)
jget() { node -e 'let d;try{d=JSON.parse(process.argv[1])}catch{d={}}const v=d[process.argv[2]];console.log(v===undefined||v===null?"nan":(typeof v==="object"?JSON.stringify(v):v))' "$SL" "$1"; }
S_COMPLETED=$(jget completed); S_ERRORS=$(jget errors); S_NON200=$(jget non200)
S_INCOMPLETE=$(jget incomplete); S_UNSETTLED=$(jget unsettled); S_KINDS=$(jget errorKinds)
S_STATUS=$(jget statusKinds)
S_TTFB50=$(jget ttfbP50Ms); S_TTFB99=$(jget ttfbP99Ms)
S_DUR50=$(jget streamP50Ms); S_DUR99=$(jget streamP99Ms); S_TOTAL=$(jget totalMs)
S_CHMIN=$(jget chunksMin); S_CHMAX=$(jget chunksMax)
PER_STREAM_KB=$(awk -v p="$SS_RSS_PEAK" -v i="$SS_RSS_IDLE" -v n="$STREAMS" 'BEGIN{printf "%.1f", (p-i)/n}')
curl -s --max-time 2 -o "$WORK/mock-stats.json" "http://127.0.0.1:$MOCK_PORT/mock/stats" || true
stop "$SS_PID"; stop "$MOCK_PID"
ms() { awk -v v="$1" 'BEGIN{ if (v=="nan") print "n/a"; else printf "%.0f", v}'; }

# ---------------------------------------------------------------------------------------------
# Translation paths: one Switchyard with two model names on the same mock provider: `pass`
# (openai/, forwarded as is) and `xlate` (anthropic/: the OpenAI request is translated to
# /v1/messages and the answer, or the event stream, back). Plus the inbound direction:
# Anthropic-format requests (POST /v1/messages) served from `pass`. Each is measured plain and
# streaming, interleaved, against the same request through the OpenAI pass-through.

log "translation paths: mock (--completion-tokens $XLATE_TOKENS), $REPEATS x ${DURATION}s at $CONNECTIONS connections, interleaved"
start_listening mock-xlate "${ON_LOAD[@]}" "$MOCK" --host 127.0.0.1 --port 0 --workers "$MOCK_WORKERS" \
  --completion-tokens "$XLATE_TOKENS"
XM_PID=$LAST_PID
XM_PORT=$LAST_PORT
cat >"$WORK/switchyard-xlate.yaml" <<EOF
model_list:
  - model_name: pass
    litellm_params: {model: openai/mock-model, api_base: "http://127.0.0.1:$XM_PORT/v1", api_key: sk-bench}
  - model_name: xlate
    litellm_params: {model: anthropic/claude-3-5-haiku-latest, api_base: "http://127.0.0.1:$XM_PORT", api_key: sk-bench}
EOF
start_listening switchyard-xlate "${ON_PROXY[@]}" "$SWITCHYARD" serve --config "$WORK/switchyard-xlate.yaml" --host 127.0.0.1 --port 0 --workers 1
SX_PID=$LAST_PID
SX_PORT=$LAST_PORT
log "  mock :$XM_PORT (pid $XM_PID)  switchyard :$SX_PORT (pid $SX_PID)"

# The same conversation on every path; max_tokens above XLATE_TOKENS, so every answer has
# XLATE_TOKENS tokens (and a stream XLATE_TOKENS content events).
OPENAI_MSGS='"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":64'
ANTHROPIC_MSGS='"system":"You are terse.","messages":[{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":64'
# xlate_label LABEL PATH BODY EXPECT [HEADER]: a target on the translation gateway; EXPECT is a
# string its answer must contain.
declare -A EXPECT
xlate_label() {
  URL[$1]="http://127.0.0.1:$SX_PORT$2"
  SERVER_PID[$1]=$SX_PID
  BODY[$1]="$WORK/body-$1.json"
  printf '%s' "$3" >"${BODY[$1]}"
  EXPECT[$1]=$4
  HEADER[$1]=${5:-}
}
AV='anthropic-version: 2023-06-01'
xlate_label pass /v1/chat/completions "{\"model\":\"pass\",$OPENAI_MSGS}" '"object":"chat.completion"'
xlate_label xlate /v1/chat/completions "{\"model\":\"xlate\",$OPENAI_MSGS}" '"object":"chat.completion"'
xlate_label anthropic-in /v1/messages "{\"model\":\"pass\",$ANTHROPIC_MSGS}" '"type":"message"' "$AV"
xlate_label pass-stream /v1/chat/completions "{\"model\":\"pass\",\"stream\":true,$OPENAI_MSGS}" 'data: [DONE]'
xlate_label xlate-stream /v1/chat/completions "{\"model\":\"xlate\",\"stream\":true,$OPENAI_MSGS}" 'data: [DONE]'
xlate_label anthropic-in-stream /v1/messages "{\"model\":\"pass\",\"stream\":true,$ANTHROPIC_MSGS}" 'event: message_stop' "$AV"
XL_LABELS=(pass xlate anthropic-in pass-stream xlate-stream anthropic-in-stream)

# Sanity: every path answers 200 in its client's format (else the figures would be of errors).
for t in "${XL_LABELS[@]}"; do
  sample "$t"
  if [[ $SAMPLE_CODE != 200 ]] || ! grep -qF -- "${EXPECT[$t]}" "$WORK/sample-$t.json"; then
    PROBLEMS+="- translation path \`$t\`: the sample request got HTTP $SAMPLE_CODE, or an answer without \`${EXPECT[$t]}\` (see \`bench/out/sample-$t.json\`)."$'\n'
  fi
done
XL_EVENTS=$(grep -c '^data: ' "$WORK/sample-xlate-stream.json" || true)

log "warm-up (${WARMUP}s per path)"
warm_up "$CONNECTIONS" "${XL_LABELS[@]}"
init_stats "${XL_LABELS[@]}"
throughput_rounds "$CONNECTIONS" "${XL_LABELS[@]}"
SX_ALIVE=yes
alive "$SX_PID" || SX_ALIVE=no
note_if_dead switchyard-xlate "$SX_PID" "after the translation runs"
note_if_dead mock-xlate "$XM_PID" "after the translation runs"
SX_RSS=$(rss_kb "$SX_PID")
stop "$SX_PID"; stop "$XM_PID"
medians "${XL_LABELS[@]}"
declare -A XL_REF=([pass]=pass [xlate]=pass [anthropic-in]=pass
  [pass-stream]=pass-stream [xlate-stream]=pass-stream [anthropic-in-stream]=pass-stream)
declare -A XL_RATIO XL_CPU_RATIO
for t in "${XL_LABELS[@]}"; do
  XL_RATIO[$t]=$(ratio "${MRPS[$t]}" "${MRPS[${XL_REF[$t]}]}")
  XL_CPU_RATIO[$t]=$(ratio "${MCPU[$t]}" "${MCPU[${XL_REF[$t]}]}")
done

# ---------------------------------------------------------------------------------------------
# What recording spend costs the writer thread per request, by store layout (issue 20's <= 2 us).
SPEND_STORE="(spend_store_bench not built)"
if [[ -x $BUILD/bench/spend_store_bench ]]; then
  log "spend store: CPU per request recorded"
  SPEND_STORE=$("${ON_PROXY[@]}" "$BUILD/bench/spend_store_bench" 2>&1 || true)
  echo "$SPEND_STORE"
fi

# ---------------------------------------------------------------------------------------------
# The in-process tokenizer (issue 19): MB/s per core (bytes per second of CPU time) counting the
# tokenizer's test corpus, with bench/tokenizer_bench (built when libbenchmark-dev is there).

TOK_O200K=n/a TOK_CL100K=n/a TOK_O200K_ASCII=n/a TOK_CL100K_ASCII=n/a
if [[ -x $BUILD/bench/tokenizer_bench ]]; then
  log "tokenizer: MB/s per core on tests/fixtures/tokenizer/corpus.jsonl"
  "${ON_PROXY[@]}" "$BUILD/bench/tokenizer_bench" --benchmark_min_time=1 --benchmark_format=json \
    >"$WORK/tokenizer.json" 2>"$WORK/tokenizer.err" || true
  tok_mbs() {  # NAME: the benchmark's bytes per second in MB/s
    node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const b = r.benchmarks.find((x) => x.name === process.argv[2]);
      console.log(b ? (b.bytes_per_second / 1e6).toFixed(1) : "n/a")' "$WORK/tokenizer.json" "$1" 2>/dev/null || echo n/a
  }
  TOK_O200K=$(tok_mbs count/o200k_base_corpus)
  TOK_CL100K=$(tok_mbs count/cl100k_base_corpus)
  TOK_O200K_ASCII=$(tok_mbs count/o200k_base_ascii)
  TOK_CL100K_ASCII=$(tok_mbs count/cl100k_base_ascii)
  log "  corpus: o200k_base $TOK_O200K MB/s, cl100k_base $TOK_CL100K MB/s; ASCII strings: $TOK_O200K_ASCII / $TOK_CL100K_ASCII MB/s"
else
  PROBLEMS+="- \`$BUILD/bench/tokenizer_bench\` is missing (libbenchmark-dev not installed?): no tokenizer figures."$'\n'
fi

# ---------------------------------------------------------------------------------------------
# Report.

pf() { if [[ $1 == 1 ]]; then echo PASS; else echo FAIL; fi; }
T_RPS=$(pf "$(awk -v r="$ratio" 'BEGIN{print (r!="nan" && r>=0.9)?1:0}')")
T_LAT=$(pf "$(num "$ADD50_SY" && awk -v a="$ADD50_SY" 'BEGIN{print (a<=60)?1:0}' || echo 0)")
T_RSS=$(pf "$(awk -v k="$RSS_IDLE" 'BEGIN{print (k>0 && k<30*1024)?1:0}')")
T_STR=$(pf "$([[ $S_COMPLETED == "$STREAMS" && $S_ERRORS == 0 && $S_NON200 == 0 && $S_INCOMPLETE == 0 && $SS_ALIVE == yes ]] && echo 1 || echo 0)")
T_SPEND=$(pf "$(awk -v r="$SP_RATIO" -v k="$SP_RSS_LOAD" 'BEGIN{print (r!="nan" && r>=0.9 && k>0 && k<=40*1024)?1:0}')")
T_ERR=$(pf "$([[ ${ERRS[switchyard]} == 0 && $SY_ALIVE_AFTER_LOAD == yes ]] && echo 1 || echo 0)")
T_TOK=$(pf "$(awk -v a="$TOK_O200K" -v b="$TOK_CL100K" 'BEGIN{print (a+0>=50 && b+0>=50)?1:0}')")

fmt_list() { sed -E 's/ +$//; s/ /, /g' <<<"$1"; }
r0() { if num "$1"; then printf '%.0f' "$1"; else echo n/a; fi; }
r1() { if num "$1"; then printf '%.1f' "$1"; else echo n/a; fi; }
round_list() { local o=""; for v in $1; do o+="$(r0 "$v") "; done; fmt_list "$o"; }

TABLE=$(cat <<EOF
| scenario | direct (upstream) | nginx proxy | Switchyard | Switchyard, master key + spend logs (SQLite) |
|---|---:|---:|---:|---:|
| req/s at $CONNECTIONS conns, median of $REPEATS | $(r0 "${MRPS[direct]}") | $(r0 "${MRPS[nginx]}") | $(r0 "${MRPS[switchyard]}") | $(r0 "${MRPS[spend]}") |
| req/s, each run | $(round_list "${RPS[direct]}") | $(round_list "${RPS[nginx]}") | $(round_list "${RPS[switchyard]}") | $(round_list "${RPS[spend]}") |
| CPU per request of the serving process (us), median | $(r1 "${MCPU[direct]}") (upstream) | $(r1 "${MCPU[nginx]}") | $(r1 "${MCPU[switchyard]}") | $(r1 "${MCPU[spend]}") |
| p50 at 1 conn (us), median of $LAT_REPEATS | ${MP50[direct]} | ${MP50[nginx]} | ${MP50[switchyard]} | ${MP50[spend]} |
| p50 at 1 conn (us), each run | $(fmt_list "${P50[direct]}") | $(fmt_list "${P50[nginx]}") | $(fmt_list "${P50[switchyard]}") | $(fmt_list "${P50[spend]}") |
| p99 at 1 conn (us), median | ${MP99[direct]} | ${MP99[nginx]} | ${MP99[switchyard]} | ${MP99[spend]} |
| **added p50** vs direct (us), median (best run) | - | $ADD50_NX ($BADD50_NX) | **$ADD50_SY** ($BADD50_SY) | - |
| added p99 vs direct (us), median | - | $ADD99_NX | $ADD99_SY | - |
| wrk errors (socket + non-2xx), all runs | ${ERRS[direct]} | ${ERRS[nginx]} | ${ERRS[switchyard]} | ${ERRS[spend]} |
| RSS idle / after load (MiB) | - | $(mib "$NX_RSS_IDLE") / $(mib "$NX_RSS_LOAD") | $(mib "$RSS_IDLE") / $(mib "$RSS_LOAD") | - / $(mib "$SP_RSS_LOAD") |

Switchyard / nginx throughput: **$ratio**; with a master key and spend logs: **$SP_RATIO** (its CPU per request includes the spend writer thread's: $SP_CPU_ADDED us more than without governance; $SP_ROWS requests in the store's rollups, database $SP_DB_MB MiB). Switchyard RSS right after start: $(mib "$RSS_START") MiB.

| $STREAMS concurrent streams (mock: $STREAM_TPS tok/s x $STREAM_TOKENS tokens) | Switchyard |
|---|---:|
| completed to \`data: [DONE]\` | $S_COMPLETED / $STREAMS |
| errors / non-200 / incomplete / unsettled | $S_ERRORS / $S_NON200 / $S_INCOMPLETE / $S_UNSETTLED |
| time to first chunk p50 / p99 (ms) | $(ms "$S_TTFB50") / $(ms "$S_TTFB99") |
| stream duration p50 / p99 (ms) | $(ms "$S_DUR50") / $(ms "$S_DUR99") |
| total wall time (ms) | $(ms "$S_TOTAL") |
| SSE events per stream (min / max) | $S_CHMIN / $S_CHMAX |
| RSS idle / peak / after (MiB) | $(mib "$SS_RSS_IDLE") / $(mib "$SS_RSS_PEAK") / $(mib "$SS_RSS_AFTER") |
| RSS per stream ((peak - idle) / $STREAMS) | $PER_STREAM_KB KiB |
EOF
)
if [[ $S_ERRORS != 0 && $S_ERRORS != nan ]]; then TABLE+=$'\n\n'"Stream error kinds: \`$S_KINDS\`."; fi
if [[ $S_NON200 != 0 && $S_NON200 != nan ]]; then TABLE+=$'\n\n'"Stream non-200 statuses: \`$S_STATUS\`."; fi

declare -A XL_NAME=(
  [pass]="OpenAI → OpenAI (\`pass\`): **reference**"
  [xlate]="OpenAI → Anthropic (\`xlate\`)"
  [anthropic-in]="Anthropic (\`POST /v1/messages\`) → OpenAI (\`pass\`)"
  [pass-stream]="stream, OpenAI → OpenAI (\`pass\`): **reference**"
  [xlate-stream]="stream, OpenAI → Anthropic (\`xlate\`)"
  [anthropic-in-stream]="stream, Anthropic (\`POST /v1/messages\`) → OpenAI (\`pass\`)"
)
TRANSLATE_MD="| path (client format → backend format) | req/s, median of $REPEATS | req/s, each run | Switchyard CPU per request (us), median | Switchyard CPU busy, median | wrk errors | req/s vs reference | CPU per request vs reference |
|---|---:|---:|---:|---:|---:|---:|---:|"
for t in "${XL_LABELS[@]}"; do
  if [[ ${XL_REF[$t]} == "$t" ]]; then rr=1; cr=1; else rr="**${XL_RATIO[$t]}**"; cr=${XL_CPU_RATIO[$t]}; fi
  TRANSLATE_MD+=$'\n'"| ${XL_NAME[$t]} | $(r0 "${MRPS[$t]}") | $(round_list "${RPS[$t]}") | $(r1 "${MCPU[$t]}") | $(r0 "${MBUSY[$t]}")% | ${ERRS[$t]} | $rr | $cr |"
done
TRANSLATE_MD+=$'\n\n'"Translation / pass-through throughput: OpenAI → Anthropic **${XL_RATIO[xlate]}** (plain), **${XL_RATIO[xlate-stream]}** (streaming); Anthropic → OpenAI **${XL_RATIO[anthropic-in]}** (plain), **${XL_RATIO[anthropic-in-stream]}** (streaming). Switchyard RSS after these runs: $(mib "$SX_RSS") MiB, alive: $SX_ALIVE."

TARGETS_MD=$(cat <<EOF
| target | measured | result |
|---|---|---|
| throughput >= 0.9 x nginx at $CONNECTIONS connections | $ratio x | $T_RPS |
| with a master key and spend logs: throughput >= 0.9 x nginx, RSS after load <= 40 MB (issue 20) | $SP_RATIO x, $(mib "$SP_RSS_LOAD") MiB | $T_SPEND |
| added p50 latency <= 60 us at 1 connection | $ADD50_SY us median, $BADD50_SY us best (nginx: $ADD50_NX / $BADD50_NX us) | $T_LAT |
| RSS at idle < 30 MB | $(mib "$RSS_IDLE") MiB | $T_RSS |
| $STREAMS concurrent streams, no errors | $S_COMPLETED completed, $S_ERRORS errors, $S_NON200 non-200, $S_INCOMPLETE incomplete | $T_STR |
| no wrk socket errors or non-2xx through Switchyard, process alive | ${ERRS[switchyard]} errors, alive: $SY_ALIVE_AFTER_LOAD | $T_ERR |
| tokenizer >= 50 MB/s per core on its corpus (issue 19), o200k_base / cl100k_base | $TOK_O200K / $TOK_CL100K MB/s (ASCII strings: $TOK_O200K_ASCII / $TOK_CL100K_ASCII) | $T_TOK |
EOF
)

echo
echo "$TABLE"
echo
echo "$TRANSLATE_MD"
echo
echo "$TARGETS_MD"
echo

NOW=$(date -u '+%Y-%m-%d %H:%M UTC')
CPU_MODEL=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
MEM=$(awk '/^MemTotal:/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)
NGINX_V=$({ "$NGINX" -v 2>&1 || true; } | head -n1)
WRK_V=$({ wrk -v 2>&1 || true; } | head -n1 | sed -E 's/ +Copyright.*//')
NODE_V=$(node -v)
SY_V=$("$SWITCHYARD" --version 2>/dev/null | head -n1 || echo unknown)
CMD="make bench   # = make build; scripts/setup.sh --bench; bench/run.sh"
KNOBS="PIN=$PIN DURATION=$DURATION CONNECTIONS=$CONNECTIONS THREADS=$THREADS REPEATS=$REPEATS LAT_REPEATS=$LAT_REPEATS WARMUP=$WARMUP STREAMS=$STREAMS STREAM_TPS=$STREAM_TPS STREAM_TOKENS=$STREAM_TOKENS MOCK_WORKERS=$MOCK_WORKERS XLATE_TOKENS=$XLATE_TOKENS"

HISTORY=""
if [[ -f $RESULTS_FILE ]]; then
  HISTORY=$(awk '/^## History/{h=1; next} /^## /{h=0} h && /^\| [0-9][0-9][0-9][0-9]-/' "$RESULTS_FILE" | head -n 19)
fi
# Sections other benchmark scripts keep in the same file (bench/observability.sh, ...), between
# "<!-- section:NAME -->" and "<!-- end section -->": carried over unchanged.
SECTIONS=""
if [[ -f $RESULTS_FILE ]]; then
  SECTIONS=$(awk '/^<!-- section:[a-z0-9-]+ -->$/{s=1} s{print} /^<!-- end section -->$/{s=0; print ""}' "$RESULTS_FILE")
fi
ROW="| $NOW | $COMMIT | $(r0 "${MRPS[nginx]}") | $(r0 "${MRPS[switchyard]}") | $ratio | $ADD50_SY | $ADD99_SY | $(mib "$RSS_IDLE") | $S_COMPLETED/$STREAMS | $PER_STREAM_KB |"

{
  cat <<EOF
# Benchmark results

Produced by \`bench/run.sh\` (see [README.md](README.md) for what each scenario measures). The
"Latest run" section is overwritten on every run; the history table keeps one headline row per run.

## Latest run

- Date: $NOW
- Commit: $COMMIT (HEAD when the run started; $SY_V, binary built $(date -u -r "$SWITCHYARD" '+%Y-%m-%d %H:%M UTC')$BIN_NOTE)
- Machine: $(nproc) cores, $CPU_MODEL, $MEM RAM, Linux $(uname -r)
- Versions: $NGINX_V; $WRK_V; node $NODE_V
- Command: \`$CMD\`
- Settings: \`$KNOBS\` (wrk -t$THREADS, warm-up ${WARMUP}s per target, runs interleaved
  direct / nginx / Switchyard, medians reported)

$TABLE

### Translation paths

One Switchyard (1 worker) in front of one \`mock-provider --workers $MOCK_WORKERS --completion-tokens $XLATE_TOKENS\`
(unpaced), configured with two model names on that mock: \`pass\` (\`openai/\`, forwarded as is) and
\`xlate\` (\`anthropic/\`, translated to \`/v1/messages\` and back). wrk -c$CONNECTIONS, $REPEATS x ${DURATION}s per path,
the six paths interleaved; every request carries the same conversation (system + user message,
\`max_tokens\` 64), so every answer has $XLATE_TOKENS tokens and a stream is one request read to its end
($XL_EVENTS \`data:\` events through \`xlate\`). Ratios are against the OpenAI pass-through of the same kind
(plain or streaming).

$TRANSLATE_MD

### Recording spend (\`bench/spend_store_bench\`)

CPU time of the writer thread per request, committing 200,000 requests in windows of 1,000 to
SQLite (hourly rollups, budget increments and, unless disabled, the log rows with their
indexes), 50 keys x 3 models:

\`\`\`
$SPEND_STORE
\`\`\`

### Targets

$TARGETS_MD
$(if [[ -n $PROBLEMS ]]; then printf '\n### Problems in this run\n\n%s' "$PROBLEMS"; fi)

### How to read this

- All figures come from one run on one machine with $(nproc) cores, where wrk, the proxy under
  test and the upstream (or the stream client, the gateway and the mock) share those cores.
$( [[ $PIN == 1 ]] && echo "  Pinned: for throughput and streams the proxy under test runs alone on CPU 1 and the load
  generator and upstream share CPU 0; for the 1-connection latency runs all three share CPU 0, so
  latency is the CPU cost of the path without cross-CPU wake-ups.")
  Absolute requests/s are therefore far below what each process could do alone; the ratio
  Switchyard / nginx, measured side by side and interleaved, is the meaningful figure, and it
  still moves by several percent between runs (see "each run").
- "Added latency" is the proxy's p50 (p99) at 1 connection minus the direct-to-upstream p50 (p99)
  from the same run: the cost of one extra hop through the proxy, including its loopback
  round trip to the upstream. nginx's own added latency is shown as the reference floor. At one
  connection every request wakes three processes in turn, so a busy neighbour on the machine
  moves these figures by tens of microseconds between runs (see "each run"); p99 at 1
  connection mostly measures scheduler noise on a shared 2-core machine.
- "CPU per request" is the utime+stime the serving process itself (upstream, nginx proxy or
  Switchyard) used during the 32-connection runs divided by the requests served; it is less
  sensitive to the neighbours on the machine than req/s, and it is what bounds a single worker.
- nginx does strictly less work than Switchyard (it does not parse JSON, rewrite the model, or
  pick a deployment); matching it within 10% is the goal, not beating it.
- Translation paths: the upstream is the mock provider (which builds its answers with a JSON
  library) rather than the static nginx, so these req/s are not comparable with the table above;
  compare the paths with each other. "CPU busy" is Switchyard's CPU time over the wall time of a
  run: near 100% it is the bottleneck and the req/s ratio is the cost of translating; well below,
  wrk and the mock (sharing the other CPU$( [[ $PIN == 1 ]] || echo ", unpinned")) limit the rate and "CPU per request" is the
  better measure of what translation costs.
- RSS is VmRSS from /proc; "idle" is after 20 requests; "per stream" divides the peak growth
  during the streaming scenario by the number of streams, so it includes both the client-side
  and upstream-side connection of each stream.
- Raw wrk output and process logs of the last run are in \`bench/out/\` (git-ignored).

## History

| date | commit | nginx req/s | Switchyard req/s | ratio | added p50 (us) | added p99 (us) | idle RSS (MiB) | streams ok | KiB/stream |
|---|---|---:|---:|---:|---:|---:|---:|---|---:|
$ROW
EOF
  [[ -n $HISTORY ]] && echo "$HISTORY"
  if [[ -n $SECTIONS ]]; then printf '\n%s\n' "$SECTIONS"; fi
} >"$RESULTS_FILE"

log "wrote $RESULTS_FILE"
if [[ -n $PROBLEMS ]]; then
  log "problems in this run:"
  echo "$PROBLEMS"
fi
