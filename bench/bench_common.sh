# shellcheck shell=bash
# Sourced by benchmarks that run several servers: logging, free ports, medians, starting a
# process and waiting for its "listening on" line, and replacing one section of RESULTS.md.
# The caller sets WORK (a temp dir), PIDS (an array its cleanup kills) and BENCH_DIR (bench/).

bench_log() { printf '[%s %s] %s\n' "${BENCH_NAME:-bench}" "$(date +%H:%M:%S)" "$*"; }
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }

# bench_field LINE NAME: the value of NAME= in chat.lua's BENCH line.
bench_field() { sed -E "s/.*[ ]$2=([0-9.]+).*/\1/" <<<" $1"; }

# bench_cleanup OUT: the EXIT trap's work: stops PIDS and PostgreSQL, keeps WORK's logs in
# bench/OUT (and WORK itself with KEEP_TMP=1), exits with the script's status.
bench_cleanup() {
  local rc=$? pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  stop_postgres
  rm -rf "${BENCH_DIR:?}/$1" && cp -r "$WORK" "$BENCH_DIR/$1" 2>/dev/null || true
  [[ ${KEEP_TMP:-0} == 1 ]] || rm -rf "$WORK"
  exit "$rc"
}

# start_listening NAME CMD...: starts in the background, waits for "listening on HOST:PORT";
# sets LAST_PID and LAST_PORT.
start_listening() {
  local name=$1
  shift
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
  for _ in $(seq 1 300); do
    local line
    line=$(grep -m1 'listening on' "$WORK/$name.out" 2>/dev/null || true)
    if [[ -n $line ]]; then
      LAST_PORT=${line##*:}
      return 0
    fi
    kill -0 "$LAST_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench: $name did not start:" >&2
  tail -n 20 "$WORK/$name.err" >&2
  exit 1
}

# wait_port PORT: until something accepts on 127.0.0.1:PORT (servers without a "listening" line).
wait_port() {
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench: nothing listens on port $1" >&2
  exit 1
}

# write_results_section RESULTS_FILE NAME SECTION_FILE: replaces the "section:NAME" block of the
# results file with SECTION_FILE's text, or appends it (run.sh carries the blocks over when it
# rewrites the file).
write_results_section() {
  python3 - "$1" "$2" "$3" <<'PY'
import os, re, sys
path, name, section = sys.argv[1], sys.argv[2], open(sys.argv[3]).read()
text = open(path).read() if os.path.exists(path) else ""
begin, end = f"<!-- section:{name} -->", "<!-- end section -->"
block = f"{begin}\n{section}{end}\n"
if begin in text:
    text = re.sub(re.escape(begin) + ".*?" + re.escape(end) + "\n?", lambda m: block, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + block
open(path, "w").write(text)
PY
}

# start_postgres: a PostgreSQL in WORK/pg on a free loopback port (initdb refuses root: as root
# it runs as postgres), optionally pinned (PG_TASKSET="taskset -c 0"); sets PG_DATA, PG_PORT,
# PG_URL. Needs PG_BIN.
as_pg() { if (($(id -u) == 0)); then runuser -u postgres -- "$@"; else "$@"; fi; }
start_postgres() {
  local dir=$WORK/pg
  mkdir -p "$dir"
  chmod 711 "$WORK" # initdb runs as postgres: it must be able to reach its directory
  (($(id -u) == 0)) && chown postgres: "$dir"
  PG_DATA=$dir/data
  PG_PORT=$(free_port)
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres >"$WORK/initdb.log" 2>&1
  # shellcheck disable=SC2086
  as_pg ${PG_TASKSET:-} "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$dir" start >/dev/null
  PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
}
stop_postgres() {
  [[ -n ${PG_DATA:-} ]] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
}
