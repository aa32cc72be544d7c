#!/usr/bin/env bash
# Governance benchmark (docs/governance.md), one run, everything interleaved:
#  1. throughput through `switchyard serve --workers 1` to the mock provider with a virtual key
#     (key lookup, budget check and reservation, cost, spend-log row through the batch writer)
#     against the master key on the same gateway, and against a gateway without any auth or
#     store (pure pass-through), on SQLite and on PostgreSQL;
#  2. /spend/logs and /global/spend/report response times with ROWS spend-log rows in the store.
# Writes the "Governance" section of bench/RESULTS.md. Needs build/ (release), wrk, node, curl,
# python3 and PostgreSQL's server binaries (scripts/setup.sh --bench).
# Knobs (env): DURATION REPEATS CONNECTIONS ROWS BUILD_DIR PG_BINDIR RESULTS_FILE KEEP_TMP.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build}
SWITCHYARD=$BUILD/switchyard
MOCK=$BUILD/mock-provider
PG_BIN=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
DURATION=${DURATION:-8}
REPEATS=${REPEATS:-3}
CONNECTIONS=${CONNECTIONS:-32}
ROWS=${ROWS:-1000000}
RESULTS_FILE=${RESULTS_FILE:-$HERE/RESULTS.md}
MASTER=sk-bench-master
BENCH_NAME=gov-bench
# shellcheck source=bench/bench_common.sh
source "$HERE/bench_common.sh"

for tool in wrk node curl python3 taskset; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' not found (scripts/setup.sh --bench)" >&2; exit 1; }
done
for bin in "$SWITCHYARD" "$MOCK" "$PG_BIN/initdb"; do
  [[ -x $bin ]] || { echo "bench: $bin missing (make build; scripts/setup.sh --bench)" >&2; exit 1; }
done
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$ROOT" status --porcelain -- src tools CMakeLists.txt 2>/dev/null) ]]; then COMMIT+="+dirty"; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-gov-bench.XXXXXX")
PIDS=()
BENCH_DIR=$HERE
trap 'bench_cleanup out-governance' EXIT
trap 'exit 130' INT TERM

# --- PostgreSQL in a temp dir on a free loopback port.
start_postgres
bench_log "postgresql on 127.0.0.1:$PG_PORT"

# --- mock provider and three gateways (pinned: gateway under test on CPU 1, wrk + mock on CPU 0).
start_listening mock taskset -c 0 "$MOCK" --host 127.0.0.1 --port 0 --workers 1
MOCK_PORT=$LAST_PORT
config() {  # config FILE [general_settings lines]
  cat >"$1" <<YAML
model_list:
  - model_name: bench-model
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:$MOCK_PORT/v1", api_key: k}
$2
YAML
}
declare -A URL KEY GW_PID
config "$WORK/plain.yaml" ""
start_listening gw-plain taskset -c 1 "$SWITCHYARD" serve --config "$WORK/plain.yaml" --host 127.0.0.1 --port 0 --workers 1
URL[plain]=http://127.0.0.1:$LAST_PORT; GW_PID[plain]=$LAST_PID; KEY[plain]=none
for backend in sqlite postgresql; do
  db="sqlite://$WORK/spend.db"
  [[ $backend == postgresql ]] && db=$PG_URL
  config "$WORK/$backend.yaml" "general_settings:
  master_key: $MASTER
  database_url: $db"
  start_listening "gw-$backend" taskset -c 1 "$SWITCHYARD" serve --config "$WORK/$backend.yaml" --host 127.0.0.1 --port 0 --workers 1
  URL[master-$backend]=http://127.0.0.1:$LAST_PORT; KEY[master-$backend]=$MASTER; GW_PID[master-$backend]=$LAST_PID
  URL[vkey-$backend]=http://127.0.0.1:$LAST_PORT; GW_PID[vkey-$backend]=$LAST_PID
  KEY[vkey-$backend]=$(curl -s "http://127.0.0.1:$LAST_PORT/key/generate" -H "authorization: Bearer $MASTER" \
    -d '{"key_alias":"bench","max_budget":1000000,"models":["bench-model"]}' |
    python3 -c 'import json,sys;print(json.load(sys.stdin)["key"])')
done
LABELS=(plain master-sqlite vkey-sqlite master-postgresql vkey-postgresql)

declare -A RPS CPUUS WRITERUS
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
# The spend writer thread's ticks (0 for a gateway without a store).
writer_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    [[ $(cat "$t/comm" 2>/dev/null) == sy-spend-writer ]] && { awk '{print $14+$15}' "$t/stat"; return; }
  done
  echo 0
}
TICK_US=$((1000000 / $(getconf CLK_TCK)))
for label in "${LABELS[@]}"; do  # warm-up and a sanity check
  code=$(curl -s -o "$WORK/sample-$label.json" -w '%{http_code}' -H "authorization: Bearer ${KEY[$label]}" \
    -H 'content-type: application/json' -d '{"model":"bench-model","messages":[{"role":"user","content":"hi"}]}' \
    "${URL[$label]}/v1/chat/completions")
  [[ $code == 200 ]] || { echo "bench: $label answered $code: $(cat "$WORK/sample-$label.json")" >&2; exit 1; }
  taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d1 -s "$HERE/chat.lua" "${URL[$label]}/v1/chat/completions" -- "" \
    "Authorization: Bearer ${KEY[$label]}" >/dev/null
done
for r in $(seq 1 "$REPEATS"); do
  for label in "${LABELS[@]}"; do
    before=$(cpu_ticks "${GW_PID[$label]}")
    wbefore=$(writer_ticks "${GW_PID[$label]}")
    out=$(taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s "$HERE/chat.lua" \
      "${URL[$label]}/v1/chat/completions" -- "" "Authorization: Bearer ${KEY[$label]}")
    echo "$out" >"$WORK/wrk-$label-$r.txt"
    line=$(grep '^BENCH' <<<"$out")
    rps=$(bench_field "$line" rps)
    errs=$(bench_field "$line" err_status)
    ((errs == 0)) || { echo "bench: $label had $errs non-2xx answers" >&2; exit 1; }
    requests=$(bench_field "$line" requests)
    wt=$(($(writer_ticks "${GW_PID[$label]}") - wbefore))
    cpu=$(awk -v t=$(($(cpu_ticks "${GW_PID[$label]}") - before - wt)) -v u="$TICK_US" -v n="$requests" 'BEGIN{printf "%.1f", t*u/n}')
    wcpu=$(awk -v t="$wt" -v u="$TICK_US" -v n="$requests" 'BEGIN{printf "%.1f", t*u/n}')
    RPS[$label]+="$rps "
    CPUUS[$label]+="$cpu "
    WRITERUS[$label]+="$wcpu "
    bench_log "run $r $label: $rps req/s; CPU per request: $cpu us request path, $wcpu us spend writer"
  done
done
declare -A MED MCPU MW
for label in "${LABELS[@]}"; do
  MED[$label]=$(median ${RPS[$label]})
  MCPU[$label]=$(median ${CPUUS[$label]})
  MW[$label]=$(median ${WRITERUS[$label]})
done

# --- ROWS spend-log rows per backend, then query times through the admin API.
bench_log "inserting $ROWS spend-log rows into each store"
NOW_MS=$(($(date +%s) * 1000))
python3 - "$WORK/spend.db" "$ROWS" "$NOW_MS" <<'PY'
import sqlite3, sys, random
db, rows, now = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
c = sqlite3.connect(db)
random.seed(5)
def gen():
    for i in range(rows):
        t = now - random.randrange(30 * 86400000)
        yield (f"bench-{i}", f"key{i % 1000:04d}", None, f"team{i % 50}", f"user{i % 200}",
               "gpt-4o-mini", "bench-model", "bench-model#0", "openai", t, t + 200,
               20, 30, 50, 0, 0, 0, 2.1e-5, 1, 200, 0, None)
c.executemany("INSERT INTO sy_spend_logs VALUES (" + ",".join("?" * 22) + ")", gen())
c.commit()
PY
as_pg "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres >/dev/null <<SQL
INSERT INTO sy_spend_logs SELECT 'bench-' || i, 'key' || lpad((i % 1000)::text, 4, '0'), NULL,
  'team' || (i % 50), 'user' || (i % 200), 'gpt-4o-mini', 'bench-model', 'bench-model#0', 'openai',
  t, t + 200, 20, 30, 50, 0, 0, 0, 2.1e-5, 1, 200, 0, NULL
FROM (SELECT i, $NOW_MS - (random() * 30 * 86400000)::bigint AS t FROM generate_series(0, $ROWS - 1) i) s;
ANALYZE sy_spend_logs;
SQL
DAY=$(date -u -d '-3 days' +%Y-%m-%d)
QUERIES=(
  "/spend/logs?api_key=key0042&limit=100|one key, newest 100"
  "/spend/logs?start_date=$DAY&end_date=$DAY&limit=100|one day, newest 100"
  "/spend/logs?request_id=bench-777777|one request id"
  "/spend/logs?limit=100|newest 100 overall"
  "/global/spend/report?group_by=team&start_date=$DAY&end_date=$DAY|report by team, one day"
  "/global/spend/report?group_by=day|report by day, all rows"
)
declare -A QMS
for backend in sqlite postgresql; do
  for q in "${QUERIES[@]}"; do
    path=${q%%|*}
    times=()
    for _ in 1 2 3 4 5; do
      times+=("$(curl -s -o "$WORK/q.json" -w '%{time_total}' -H "authorization: Bearer $MASTER" "${URL[master-$backend]}$path")")
    done
    QMS[$backend|$path]=$(awk -v s="$(median "${times[@]}")" 'BEGIN{printf "%.1f", s*1000}')
    bench_log "$backend $path: ${QMS[$backend|$path]} ms"
  done
done

# --- report
SECTION=$WORK/section.md
{
  echo "## Governance (virtual keys, budgets, spend logging)"
  echo
  echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $COMMIT, \`bench/governance.sh\` (DURATION=$DURATION REPEATS=$REPEATS"
  echo "CONNECTIONS=$CONNECTIONS ROWS=$ROWS). $(nproc) cores shared with other work; the gateway under test"
  echo "(\`--workers 1\`) pinned to CPU 1, wrk and the mock provider to CPU 0; median of $REPEATS interleaved runs."
  echo
  echo "| path | SQLite req/s | SQLite CPU us/req: request path + spend writer | PostgreSQL req/s | PostgreSQL CPU us/req: request path + spend writer |"
  echo "|---|---:|---:|---:|---:|"
  echo "| no auth, no store (pass-through) | ${MED[plain]} | ${MCPU[plain]} + 0 | (same) | (same) |"
  echo "| master key (spend logged) | ${MED[master-sqlite]} | ${MCPU[master-sqlite]} + ${MW[master-sqlite]} | ${MED[master-postgresql]} | ${MCPU[master-postgresql]} + ${MW[master-postgresql]} |"
  echo "| virtual key + budget check + spend logging | ${MED[vkey-sqlite]} | ${MCPU[vkey-sqlite]} + ${MW[vkey-sqlite]} | ${MED[vkey-postgresql]} | ${MCPU[vkey-postgresql]} + ${MW[vkey-postgresql]} |"
  echo "| **virtual key / master key**: req/s; request-path capacity (CPU ratio) | **$(ratio "${MED[vkey-sqlite]}" "${MED[master-sqlite]}")** | **$(ratio "${MCPU[master-sqlite]}" "${MCPU[vkey-sqlite]}")** | **$(ratio "${MED[vkey-postgresql]}" "${MED[master-postgresql]}")** | **$(ratio "${MCPU[master-postgresql]}" "${MCPU[vkey-postgresql]}")** |"
  echo "| virtual key / pass-through: req/s; request-path capacity | $(ratio "${MED[vkey-sqlite]}" "${MED[plain]}") | $(ratio "${MCPU[plain]}" "${MCPU[vkey-sqlite]}") | $(ratio "${MED[vkey-postgresql]}" "${MED[plain]}") | $(ratio "${MCPU[plain]}" "${MCPU[vkey-postgresql]}") |"
  echo
  echo "CPU us/req: the gateway's utime+stime per request served, split into the spend-writer thread"
  echo "(thread sy-spend-writer: SQLite does its inserts inside the gateway process, PostgreSQL in its server) and"
  echo "the rest (the request path). Here the whole gateway is pinned to one CPU, so the writer competes"
  echo "with the worker; with a core to spare it does not slow requests. wrk and the mock share the other"
  echo "CPU and limit req/s, which therefore moves with the neighbours; the CPU ratios are the steadier"
  echo "measure of what a virtual key costs. Every run (req/s): $(for l in "${LABELS[@]}"; do printf '%s: %s; ' "$l" "${RPS[$l]% }"; done)"
  echo
  echo "Spend-log query times over $ROWS rows (+ the benchmark's own rows), median of 5, through the admin API"
  echo "(HTTP round trip included):"
  echo
  echo "| query | SQLite ms | PostgreSQL ms |"
  echo "|---|---:|---:|"
  for q in "${QUERIES[@]}"; do
    path=${q%%|*}
    echo "| ${q#*|} (\`${path%%\?*}\`) | ${QMS[sqlite|$path]} | ${QMS[postgresql|$path]} |"
  done
  echo
} >"$SECTION"
cat "$SECTION"
write_results_section "$RESULTS_FILE" governance "$SECTION"
bench_log "wrote the Governance section of $RESULTS_FILE"
