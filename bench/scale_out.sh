#!/usr/bin/env bash
# Scale-out benchmark (docs/scale-out.md), one run, interleaved:
#  1. throughput of three gateways (`--workers 1` each) behind an nginx round-robin front, all on
#     one PostgreSQL, with a virtual key that has rpm, tpm and budget limits: shared limits on
#     (router_settings.redis_host: one redis-server) against off (each instance on its own);
#  2. the overshoot of an rpm limit under CONCURRENT clients through the front, with shared limits
#     on and, for contrast, off.
# Writes the "Scale-out" section of bench/RESULTS.md. Needs build/ (release), nginx, wrk, node,
# curl, python3, redis-server and PostgreSQL's server binaries (scripts/setup.sh --bench).
# Knobs (env): DURATION REPEATS CONNECTIONS LIMIT CONCURRENT BUILD_DIR PG_BINDIR RESULTS_FILE KEEP_TMP.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build}
SWITCHYARD=$BUILD/switchyard
PG_BIN=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
DURATION=${DURATION:-8}
REPEATS=${REPEATS:-3}
CONNECTIONS=${CONNECTIONS:-48}
LIMIT=${LIMIT:-600}           # rpm_limit of the overshoot run
CONCURRENT=${CONCURRENT:-100} # clients of the overshoot run
RESULTS_FILE=${RESULTS_FILE:-$HERE/RESULTS.md}
MASTER=sk-bench-master
BENCH_NAME=scale-bench
# shellcheck source=bench/bench_common.sh
source "$HERE/bench_common.sh"
# shellcheck source=bench/observability_common.sh
source "$HERE/observability_common.sh"

for tool in nginx wrk node curl python3 taskset redis-server; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' not found (scripts/setup.sh --bench)" >&2; exit 1; }
done
for bin in "$SWITCHYARD" "$PG_BIN/initdb"; do
  [[ -x $bin ]] || { echo "bench: $bin missing (make build; scripts/setup.sh --bench)" >&2; exit 1; }
done
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$ROOT" status --porcelain -- src tools CMakeLists.txt 2>/dev/null) ]]; then COMMIT+="+dirty"; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-scale-bench.XXXXXX")
PIDS=()
BENCH_DIR=$HERE
trap 'bench_cleanup out-scale-out' EXIT
trap 'exit 130' INT TERM

# --- PostgreSQL, redis-server and the static upstream, on CPU 0 with wrk and the fronts; the six
# gateways on CPU 1 (three run at a time).
PG_TASKSET="taskset -c 0" start_postgres
REDIS_PORT=$(free_port)
taskset -c 0 redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=("$!")
wait_port "$REDIS_PORT"
UP_PORT=$(free_port)
write_static_upstream "$WORK" "$UP_PORT"
taskset -c 0 nginx -p "$WORK" -e "$WORK/up.err" -c "$WORK/up.conf" &
PIDS+=("$!")
wait_port "$UP_PORT"
bench_log "postgresql :$PG_PORT, redis :$REDIS_PORT, upstream :$UP_PORT"

config() { # FILE SHARED(0|1)
  {
    cat <<YAML
model_list:
  - model_name: bench-model
    litellm_params: {model: openai/bench-model, api_base: "http://127.0.0.1:$UP_PORT/v1", api_key: sk-bench}
general_settings:
  master_key: $MASTER
  database_url: $PG_URL
  disable_spend_logs: true
switchyard_settings:
  metrics: false
  access_log: off
YAML
    if (($2)); then
      cat <<YAML
  shared_limits: {expected_instances: 3}
router_settings:
  redis_host: 127.0.0.1
  redis_port: $REDIS_PORT
YAML
    fi
  } >"$1"
}
declare -A FRONT GW_PIDS
for set in shared local; do
  config "$WORK/$set.yaml" "$([[ $set == shared ]] && echo 1 || echo 0)"
  backends=""
  GW_PIDS[$set]=""
  for i in 1 2 3; do
    start_listening "gw-$set-$i" taskset -c 1 "$SWITCHYARD" serve --config "$WORK/$set.yaml" \
      --host 127.0.0.1 --port 0 --workers 1
    backends+="    server 127.0.0.1:$LAST_PORT;"$'\n'
    GW_PIDS[$set]+="$LAST_PID "
  done
  port=$(free_port)
  mkdir -p "$WORK/front-$set-tmp"
  cat >"$WORK/front-$set.conf" <<CONF
daemon off; master_process off; worker_processes 1; events { worker_connections 8192; }
pid $WORK/front-$set.pid; error_log $WORK/front-$set.err warn;
http { client_body_temp_path $WORK/front-$set-tmp; proxy_temp_path $WORK/front-$set-tmp;
  fastcgi_temp_path $WORK/front-$set-tmp; uwsgi_temp_path $WORK/front-$set-tmp;
  scgi_temp_path $WORK/front-$set-tmp; access_log off; keepalive_requests 1000000;
  upstream gateways {
$backends    keepalive 64;
  }
  server { listen 127.0.0.1:$port;
    location / { proxy_pass http://gateways; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
CONF
  taskset -c 0 nginx -p "$WORK" -e "$WORK/front-$set.err" -c "$WORK/front-$set.conf" &
  PIDS+=("$!")
  wait_port "$port"
  FRONT[$set]=http://127.0.0.1:$port
done
FIRST_GW=$(grep -m1 'listening on' "$WORK/gw-shared-1.out")
ADMIN=http://127.0.0.1:${FIRST_GW##*:}

new_key() { # JSON-LIMITS -> key
  curl -s "$ADMIN/key/generate" -H "authorization: Bearer $MASTER" -H 'content-type: application/json' \
    -d "{\"key_alias\":\"bench\",\"models\":[\"bench-model\"],$1}" |
    python3 -c 'import json,sys;print(json.load(sys.stdin)["key"])'
}
chat_status() { # FRONT KEY
  curl -s -o /dev/null -w '%{http_code}' -H "authorization: Bearer $2" -H 'content-type: application/json' \
    -d '{"model":"bench-model","messages":[{"role":"user","content":"hi"}]}' "$1/v1/chat/completions"
}
# Every instance of SET knows the key (LISTEN/NOTIFY): KNOWN_AFTER answers in a row through the
# front (two rounds of the three).
KNOWN_AFTER=6
known_everywhere() { # KEY SET
  local ok=0 sent=0
  for _ in $(seq 1 100); do
    ((sent += 1))
    if [[ $(chat_status "${FRONT[$2]}" "$1") == 200 ]]; then ((ok += 1)); else ok=0; fi
    ((ok >= KNOWN_AFTER)) && break
    sleep 0.05
  done
  ((ok >= KNOWN_AFTER)) || { echo "bench: the key does not reach every $2 instance" >&2; exit 1; }
}

# --- 1. throughput, shared limits on and off.
KEY=$(new_key '"rpm_limit":1000000000,"tpm_limit":1000000000000,"max_budget":1000000')
known_everywhere "$KEY" shared
known_everywhere "$KEY" local
cpu_ticks() { local sum=0 pid; for pid in $1; do sum=$((sum + $(awk '{print $14+$15}' "/proc/$pid/stat"))); done; echo "$sum"; }
TICK_US=$((1000000 / $(getconf CLK_TCK)))
declare -A RPS CPUUS
for set in shared local; do
  taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d2 -s "$HERE/chat.lua" "${FRONT[$set]}/v1/chat/completions" -- "" \
    "Authorization: Bearer $KEY" >/dev/null
done
for r in $(seq 1 "$REPEATS"); do
  for set in shared local; do
    before=$(cpu_ticks "${GW_PIDS[$set]}")
    out=$(taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s "$HERE/chat.lua" \
      "${FRONT[$set]}/v1/chat/completions" -- "" "Authorization: Bearer $KEY")
    echo "$out" >"$WORK/wrk-$set-$r.txt"
    line=$(grep '^BENCH' <<<"$out")
    rps=$(bench_field "$line" rps)
    errs=$(bench_field "$line" err_status)
    ((errs == 0)) || { echo "bench: $set had $errs non-2xx answers" >&2; exit 1; }
    requests=$(bench_field "$line" requests)
    cpu=$(awk -v t=$(($(cpu_ticks "${GW_PIDS[$set]}") - before)) -v u="$TICK_US" -v n="$requests" 'BEGIN{printf "%.1f", t*u/n}')
    RPS[$set]+="$rps "
    CPUUS[$set]+="$cpu "
    bench_log "run $r shared limits $set: $rps req/s; gateways' CPU per request: $cpu us"
  done
done
declare -A MED MCPU
for set in shared local; do
  MED[$set]=$(median ${RPS[$set]})
  MCPU[$set]=$(median ${CPUUS[$set]})
done

# --- 2. overshoot: CONCURRENT clients on a key with rpm_limit LIMIT, inside one minute window.
declare -A ADMITTED OFFERED
for set in shared local; do
  key=$(new_key "\"rpm_limit\":$LIMIT")
  # Not across a minute boundary: the run and the warm-up fit before the window ends.
  (($(date +%s) % 60 > 60 - DURATION - 10)) && sleep $((60 - $(date +%s) % 60 + 1))
  known_everywhere "$key" "$set"  # KNOWN_AFTER of the limit's requests (refusals reset it)
  out=$(taskset -c 0 wrk -t1 -c"$CONCURRENT" -d"$DURATION" -s "$HERE/chat.lua" \
    "${FRONT[$set]}/v1/chat/completions" -- "" "Authorization: Bearer $key")
  echo "$out" >"$WORK/wrk-overshoot-$set.txt"
  line=$(grep '^BENCH' <<<"$out")
  requests=$(bench_field "$line" requests)
  errs=$(bench_field "$line" err_status)
  ADMITTED[$set]=$((requests - errs + KNOWN_AFTER))
  OFFERED[$set]=$((requests + KNOWN_AFTER))
  bench_log "overshoot, shared limits $set: ${ADMITTED[$set]} of ${OFFERED[$set]} admitted against rpm_limit $LIMIT"
done

# --- report
SECTION=$WORK/section.md
{
  echo "## Scale-out: three instances, shared limits (bench/scale_out.sh)"
  echo
  echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $COMMIT (DURATION=$DURATION REPEATS=$REPEATS"
  echo "CONNECTIONS=$CONNECTIONS LIMIT=$LIMIT CONCURRENT=$CONCURRENT). $(nproc) cores shared with other work:"
  echo "three gateways (\`--workers 1\`) on CPU 1; wrk, the nginx round-robin front, the static upstream,"
  echo "redis-server and PostgreSQL on CPU 0; spend logs off, so the figures are the limits' cost."
  echo "A virtual key with rpm, tpm and budget limits; median of $REPEATS interleaved runs."
  echo
  echo "| three instances behind the front | req/s | gateways' CPU us/req |"
  echo "|---|---:|---:|"
  echo "| shared limits off (each instance on its own) | ${MED[local]} | ${MCPU[local]} |"
  echo "| shared limits on (one redis-server) | ${MED[shared]} | ${MCPU[shared]} |"
  echo "| **on / off**: req/s; capacity (CPU ratio) | **$(ratio "${MED[shared]}" "${MED[local]}")** | **$(ratio "${MCPU[local]}" "${MCPU[shared]}")** |"
  echo
  echo "Every run (req/s): on: ${RPS[shared]% }; off: ${RPS[local]% }."
  echo
  echo "rpm_limit $LIMIT, $CONCURRENT concurrent clients through the front for ${DURATION} s within one minute:"
  echo
  echo "| shared limits | admitted | offered | overshoot |"
  echo "|---|---:|---:|---:|"
  for set in shared local; do
    over=$((ADMITTED[$set] - LIMIT))
    ((over < 0)) && over=0
    echo "| $([[ $set == shared ]] && echo on || echo off) | ${ADMITTED[$set]} | ${OFFERED[$set]} | $over |"
  done
  echo
} >"$SECTION"
cat "$SECTION"
write_results_section "$RESULTS_FILE" scale-out "$SECTION"
bench_log "wrote the Scale-out section of $RESULTS_FILE"
