#!/usr/bin/env bash
# The load matrix of `make bench`: dialtone-load against a fresh release dialtoned per run, REPS
# times, then a table of medians. Loopback only; every run is bounded (dialtone-load's own
# limits plus `timeout`); each server is stopped with SIGTERM (SIGKILL after 5 s).
#
#   bench/load-matrix.sh              run the matrix and print the medians
#   bench/load-matrix.sh summary DIR  the medians of an earlier run
#
# Knobs (environment, defaults in brackets):
#   DIALTONED [.build/release/dialtoned]   LOAD [.build/release/dialtone-load]
#   CFGS ["idle:2000 relay:1:1 relay:10:4 relay:500:4 calls:10"]  mode:pairs[:window] / idle:connections
#   REPS [3]  HOLD [30]  DUR [10]  WARM [2]  PORT [3000]
#   PIN [auto]: auto pins the server to CPU 0 and the load tool to CPU 1 when there are 2+ CPUs;
#               0 runs both unpinned
#   TOOLS ["dialtone-load"]: add sioload to run both tools on the same fresh servers, interleaved
#               (the agreement check); SIOLOAD [$OUT/sioload] is built from BENCH [/work/shared/bench]
#   OUT [mktemp -d /tmp/dialtone-load.XXXX]   results.txt (one JSON report per run), logs/
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIALTONED=${DIALTONED:-$ROOT/.build/release/dialtoned}
LOAD=${LOAD:-$ROOT/.build/release/dialtone-load}
CFGS=${CFGS:-"idle:2000 relay:1:1 relay:10:4 relay:500:4 calls:10"}
REPS=${REPS:-3}
HOLD=${HOLD:-30}
DUR=${DUR:-10}
WARM=${WARM:-2}
PORT=${PORT:-3000}
PIN=${PIN:-auto}
TOOLS=${TOOLS:-dialtone-load}
BENCH=${BENCH:-/work/shared/bench}
ulimit -n "$(ulimit -Hn)"
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"

SERVER_PIN=()
LOAD_PIN=()
if [ "$PIN" = auto ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
    SERVER_PIN=(taskset -c 0)
    LOAD_PIN=(taskset -c 1)
fi

summary() {
    python3 "$ROOT/bench/load_summary.py" "$1/results.txt"
}

# start_server LOG: a fresh dialtoned with its own state directory; waits for /status; sets SPID.
start_server() {
    local dir
    dir=$(mktemp -d "$OUT/state/dialtoned.XXXX")
    "${SERVER_PIN[@]}" "$DIALTONED" --listen "127.0.0.1:$PORT" --state-dir "$dir" "${DIALTONED_BENCH_ARGS[@]}" >"$1" 2>&1 &
    SPID=$!
    wait_for_status "$PORT" && return 0
    echo "dialtoned did not come up (see $1)" >&2
    stop_server
    return 1
}


# One run's report as JSON: dialtone-load prints it; sioload's RESULT line is converted.
run_tool() { # tool cfg log
    case $1 in
    dialtone-load)
        # shellcheck disable=SC2046
        timeout 400 "${LOAD_PIN[@]}" "$LOAD" -p "$PORT" -P "$SPID" $(load_args "$2") --json 2>"$3" ;;
    sioload)
        # shellcheck disable=SC2046
        timeout 400 "${LOAD_PIN[@]}" "$SIOLOAD" -p "$PORT" -P "$SPID" $(load_args "$2") 2>"$3" \
            | python3 -c 'import json,sys
for line in sys.stdin:
    if line.startswith("RESULT "):
        print(json.dumps({k: (v if not v.replace(".","",1).lstrip("-").isdigit() else float(v)) for k, v in (f.split("=", 1) for f in line.split()[1:])}))' ;;
    esac
}

run_one() { # cfg rep tool
    local cfg=$1 rep=$2 tool=$3 tag load1 report
    tag="${cfg//:/_}-$rep-$tool"
    start_server "$OUT/logs/$tag.server.log" || return 0
    sleep 1
    load1=$(cut -d' ' -f1 /proc/loadavg)
    report=$(run_tool "$tool" "$cfg" "$OUT/logs/$tag.load.err" || true)
    [ -n "$report" ] || report='{"failed":true}'
    echo "cfg=$cfg rep=$rep load1=$load1 tool=$tool $report" | tee -a "$OUT/results.txt"
    stop_server
}

matrix() {
    [ -x "$DIALTONED" ] && [ -x "$LOAD" ] || {
        echo "build first: swift build -c release --product dialtoned; swift build -c release --product dialtone-load" >&2
        exit 1
    }
    OUT=${OUT:-$(mktemp -d /tmp/dialtone-load.XXXX)}
    mkdir -p "$OUT/logs" "$OUT/state"
    SIOLOAD=${SIOLOAD:-$OUT/sioload}
    case " $TOOLS " in *" sioload "*) [ -x "$SIOLOAD" ] || gcc -O2 -o "$SIOLOAD" "$BENCH/sioload.c" ;; esac
    echo "# $(date -Is) $(uname -r) $(nproc) cpus; pinned: ${SERVER_PIN[*]:-no}; dialtoned $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" \
        | tee -a "$OUT/results.txt"
    for rep in $(seq 1 "$REPS"); do
        for cfg in $CFGS; do
            for tool in $TOOLS; do run_one "$cfg" "$rep" "$tool"; done
        done
    done
    echo "results in $OUT"
    summary "$OUT"
}

case ${1:-matrix} in
matrix) matrix ;;
summary) summary "${2:?results directory}" ;;
*) sed -n '2,19p' "$0"; exit 2 ;;
esac
