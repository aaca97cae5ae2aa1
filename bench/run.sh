#!/usr/bin/env bash
# Side-by-side load benchmark of dialtoned against the python-socketio peer, with the shared
# sioload yardstick (../shared/bench). Loopback only; every run is bounded (sioload's own caps
# plus `timeout`), and each run gets a fresh server that is stopped with SIGTERM (SIGKILL after 5 s).
#
#   bench/run.sh [matrix]     interleaved matrix: for each repetition, each config, each peer
#   bench/run.sh profile      perf profile of dialtoned under relay 10x4 (needs linux-perf)
#   bench/run.sh summary DIR  median tables of an earlier matrix
#
# Knobs (environment, defaults in brackets):
#   DIALTONED [.build/release/dialtoned]  build it with `swift build -c release --product dialtoned`
#   PYTHON    [/tmp/pyvenv/bin/python]    a venv with python-socketio aiohttp uvloop
#   BENCH     [/work/shared/bench]        sioload.c, summarize.py, peers/python_sio_server.py
#   SIOLOAD   [$OUT/sioload]              built from $BENCH/sioload.c when absent
#   OUT       [mktemp -d /tmp/dialtone-bench.XXXX]   results.txt, per-run logs
#   PEERS     ["dialtoned python"]
#   CFGS      ["relay:1:1 relay:10:4 calls:10 idle:2000 idle:15000"]   mode:pairs[:window] / idle:conns
#   REPS [3]  HOLD [30]  DUR [10]  WARM [2]
#   SERVER_CPUS [0]  GEN_CPUS [1]         taskset lists for the server and the generator
#   PROFILE_SECS [15]                     profile: seconds of perf recording
#   PROFILE_LOAD ["-m relay -n 10 -W 4"]  profile: the sioload mode to profile under
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH:-/work/shared/bench}
DIALTONED=${DIALTONED:-$ROOT/.build/release/dialtoned}
PYTHON=${PYTHON:-/tmp/pyvenv/bin/python}
PEERS=${PEERS:-"dialtoned python"}
CFGS=${CFGS:-"relay:1:1 relay:10:4 calls:10 idle:2000 idle:15000"}
REPS=${REPS:-3}
HOLD=${HOLD:-30}
DUR=${DUR:-10}
WARM=${WARM:-2}
SERVER_CPUS=${SERVER_CPUS:-0}
GEN_CPUS=${GEN_CPUS:-1}
PROFILE_SECS=${PROFILE_SECS:-15}
PROFILE_LOAD=${PROFILE_LOAD:-"-m relay -n 10 -W 4"}
ulimit -n "$(ulimit -Hn)"
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"
# sioload opens idle connections 256 at a time (its -c, connects in flight).
IDLE_EXTRA="-c 256"

setup() {
    OUT=${OUT:-$(mktemp -d /tmp/dialtone-bench.XXXX)}
    mkdir -p "$OUT/logs" "$OUT/state"
    SIOLOAD=${SIOLOAD:-$OUT/sioload}
    [ -x "$SIOLOAD" ] || gcc -O2 -o "$SIOLOAD" "$BENCH/sioload.c"
    [ -x "$DIALTONED" ] || { echo "no $DIALTONED: swift build -c release --product dialtoned" >&2; exit 1; }
    echo "results in $OUT"
    {
        echo "# $(date -Is) $(uname -r) $(nproc) cpus; $(grep -m1 'model name' /proc/cpuinfo)"
        echo "# dialtoned $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'); $("$PYTHON" -c 'from importlib.metadata import version as v;print("python-socketio", v("python-socketio"), "aiohttp", v("aiohttp"))' 2>/dev/null)"
    } >>"$OUT/results.txt"
}

# start_server PEER PORT LOG: starts the peer pinned to SERVER_CPUS and waits for /status; sets SPID.
start_server() {
    local peer=$1 port=$2 log=$3 dir
    dir=$(mktemp -d "$OUT/state/$peer.XXXX")
    case $peer in
    dialtoned)
        taskset -c "$SERVER_CPUS" "$DIALTONED" --listen "127.0.0.1:$port" --state-dir "$dir" "${DIALTONED_BENCH_ARGS[@]}" >"$log" 2>&1 &
        ;;
    python)
        (cd "$dir" && exec taskset -c "$SERVER_CPUS" "$PYTHON" "$BENCH/peers/python_sio_server.py" \
            --mode aiohttp --uvloop --inline-handlers --port "$port") >"$log" 2>&1 &
        ;;
    *) echo "unknown peer $peer" >&2; return 1 ;;
    esac
    SPID=$!
    wait_for_status "$port" && return 0
    echo "$peer did not come up" >&2
    stop_server
    return 1
}


# The label summarize.py sorts by: relay_10x4, calls_10, idle_2000.
label_of() {
    local mode n w
    IFS=: read -r mode n w <<<"$1"
    if [ "$mode" = relay ]; then echo "relay_${n}x${w:-4}"; else echo "${mode}_$n"; fi
}

port_of() { [ "$1" = dialtoned ] && echo 3000 || echo 3001; }

run_one() { # peer cfg rep
    local peer=$1 cfg=$2 rep=$3 port tag line load
    port=$(port_of "$peer")
    tag="$peer-$(label_of "$cfg")-$rep"
    start_server "$peer" "$port" "$OUT/logs/$tag.server.log" || return 0
    sleep 1
    load=$(cut -d' ' -f1 /proc/loadavg)
    # shellcheck disable=SC2046
    timeout 400 taskset -c "$GEN_CPUS" "$SIOLOAD" -p "$port" -P "$SPID" $(load_args "$cfg") \
        >"$OUT/logs/$tag.sioload.txt" 2>&1 || true
    line=$(grep '^RESULT' "$OUT/logs/$tag.sioload.txt" || echo "RESULT mode=${cfg%%:*} failed=1")
    echo "peer=$peer cfg=$(label_of "$cfg") rep=$rep load1=$load $line" | tee -a "$OUT/results.txt"
    stop_server
}

matrix() {
    setup
    local t0=$SECONDS
    # Interleaved (rep, config, peer) so that both peers see the same machine noise.
    for rep in $(seq 1 "$REPS"); do
        for cfg in $CFGS; do
            for peer in $PEERS; do run_one "$peer" "$cfg" "$rep"; done
        done
    done
    echo "# wall $((SECONDS - t0)) s" >>"$OUT/results.txt"
    summary "$OUT"
}

summary() {
    python3 "$BENCH/summarize.py" "$1/results.txt"
}

# perf profile of dialtoned pinned to SERVER_CPUS while sioload drives PROFILE_LOAD.
profile() {
    setup
    command -v perf >/dev/null || { echo "apt-get install linux-perf" >&2; exit 1; }
    start_server dialtoned 3000 "$OUT/logs/profile.server.log"
    sleep 1
    local secs=$((PROFILE_SECS + WARM + 6))
    # shellcheck disable=SC2086
    timeout 120 taskset -c "$GEN_CPUS" "$SIOLOAD" -p 3000 -P "$SPID" $PROFILE_LOAD -d "$secs" -w "$WARM" \
        >"$OUT/logs/profile.sioload.txt" 2>&1 &
    local gen=$!
    sleep $((WARM + 3))
    # cpu-clock: this VM exposes no hardware counters. Frame-pointer call graphs.
    timeout $((PROFILE_SECS + 30)) perf record -e cpu-clock -F 1999 -g -p "$SPID" -o "$OUT/perf.data" \
        -- sleep "$PROFILE_SECS" >"$OUT/logs/perf-record.txt" 2>&1 || true
    # Threads of the server and their context switches (the event loops share the pinned core).
    for t in /proc/"$SPID"/task/*; do
        echo "$(cat "$t/comm") $(grep ctxt_switches "$t/status" | tr -s '\t\n' '  ')"
    done >"$OUT/threads.txt"
    wait "$gen" || true
    grep '^RESULT' "$OUT/logs/profile.sioload.txt" | tee -a "$OUT/results.txt"
    stop_server
    # perf does not demangle Swift; swift-demangle does.
    perf report -i "$OUT/perf.data" --no-children --sort symbol --percent-limit 0.5 --stdio -g none 2>/dev/null \
        | grep -v '^$' | swift demangle --simplified >"$OUT/perf-self.txt"
    perf report -i "$OUT/perf.data" --children --sort symbol --percent-limit 2 --stdio -g none 2>/dev/null \
        | grep -v '^$' | swift demangle --simplified >"$OUT/perf-children.txt"
    perf report -i "$OUT/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -v '^$' >"$OUT/perf-dso.txt"
    echo "profile in $OUT (perf-self.txt, perf-children.txt, perf-dso.txt)"
}

case ${1:-matrix} in
matrix) matrix ;;
profile) profile ;;
summary) summary "${2:?results directory}" ;;
*) sed -n '2,20p' "$0"; exit 2 ;;
esac
