# Shared by bench/run.sh, bench/load-matrix.sh and mk/bench.mk (sourced, bash).

# The limits a benchmark must lift: every load client comes from 127.0.0.1 (the per-address and
# total connection limits) and sends as fast as its acks return (the per-connection event rate).
DIALTONED_BENCH_ARGS=(--rate-limit 0 --max-connections 1000000 --max-connections-per-address 1000000)

# wait_for_status PORT: until the server answers /status (30 s at most).
wait_for_status() {
    for _ in $(seq 1 150); do
        curl -s -o /dev/null -m 1 "http://127.0.0.1:$1/status" && return 0
        sleep 0.2
    done
    return 1
}

# stop_server: SIGTERM to $SPID, SIGKILL after 5 s, then a second for the port to settle.
stop_server() {
    kill -TERM "$SPID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SPID" 2>/dev/null && kill -KILL "$SPID"
    wait "$SPID" 2>/dev/null || true
    sleep 1
}

# load_args CFG: the load arguments of one config (mode:pairs[:window] or idle:connections);
# sioload and dialtone-load take the same letters. Uses HOLD, DUR, WARM and IDLE_EXTRA.
load_args() {
    local mode n w
    IFS=: read -r mode n w <<<"$1"
    case $mode in
    idle) echo "-m idle -n $n -T $HOLD ${IDLE_EXTRA:-}" ;;
    relay) echo "-m relay -n $n -W ${w:-4} -d $DUR -w $WARM" ;;
    calls) echo "-m calls -n $n -d $DUR -w $WARM" ;;
    *) echo "unknown mode $1" >&2; return 1 ;;
    esac
}
