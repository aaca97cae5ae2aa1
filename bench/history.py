#!/usr/bin/env python3
"""Times dialtoned's start to READY and its SIGTERM save with a large history file (issue 6).

Writes one history.json of --records ended calls (and --live ringing calls) in the member order
dialtoned writes (format, live, calls; --calls-first for the order of files written before
2026-11-25), then, --runs times: copies it into a fresh state directory, starts dialtoned with
NOTIFY_SOCKET pointing at a datagram socket read here, times exec -> READY=1, then times
READY -> the history is loaded (GET /status, which answers once the ended calls are in), sends
SIGTERM and times it -> exit (the last save writes every record again), and checks the saved file
still holds every record. With --stop-at-ready, SIGTERM goes right at READY instead (the stop then
also waits for the history still being read). Prints each run and the medians, with the daemon's
own CPU time (user + system) for each phase, which a busy machine inflates less than wall time.
Loopback only; every wait is bounded.

    bench/history.py [--dialtoned .build/release/dialtoned] [--records 100000] [--runs 5]
                     [--calls-first] [--stop-at-ready]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

TIMEOUT = 30.0
REASONS = ["hangup", "cancelled", "rejected", "busy", "no_answer", "disconnected", "admin"]


def iso(milliseconds: int) -> str:
    seconds, millis = divmod(milliseconds, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


def history(records: int, live: int, calls_first: bool = False, seed: int = 6) -> dict:
    rng = random.Random(seed)
    start = 1_795_000_000_000
    calls = []
    for index in range(records):
        created = start + index * 1500
        users = rng.sample(range(5000), 3 if index % 10 == 0 else 2)
        participants = [f"user-{user}" for user in users]
        reason = REASONS[index % len(REASONS)]
        answered = created + rng.randrange(500, 9000) if reason in ("hangup", "disconnected", "admin") else None
        ended = (answered or created) + rng.randrange(1000, 600_000)
        calls.append({
            "callId": f"call_{created}_{rng.getrandbits(40):010x}", "from": participants[0],
            "participants": participants, "media": "video" if index % 3 == 0 else "audio", "status": "ended",
            "endReason": reason, "createdAt": iso(created), "answeredAt": iso(answered) if answered else None,
            "endedAt": iso(ended), "duration": (ended - answered) / 1000 if answered else 0,
        })
    now = int(time.time() * 1000)
    ringing = [{
        "callId": f"call_{now}_{index:010x}", "from": f"caller-{index}",
        "participants": [{"userId": f"caller-{index}", "state": "joined"}, {"userId": f"callee-{index}", "state": "ringing"}],
        "media": "audio", "offer": {"type": "offer", "sdp": "v=0\r\n" + "a=x\r\n" * 40},
        "createdAt": iso(now), "ringDeadline": iso(now + 600_000),
    } for index in range(live)]
    if calls_first:
        return {"format": 1, "calls": calls, "live": ringing}
    return {"format": 1, "live": ringing, "calls": calls}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """utime + stime of a running process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_once(dialtoned: str, source: Path, work: Path, records: int, stop_at_ready: bool) -> tuple[float, ...]:
    """(READY, READY -> loaded, SIGTERM -> exit) wall seconds, then the same three in CPU seconds."""
    state = work / "state"
    shutil.rmtree(state, ignore_errors=True)
    state.mkdir()
    shutil.copy(source, state / "history.json")
    notify_path = work / "notify.sock"
    notify_path.unlink(missing_ok=True)
    port = free_port()
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify, open(work / "daemon.log", "w") as log:
        notify.bind(str(notify_path))
        notify.settimeout(TIMEOUT)
        environment = {**os.environ, "NOTIFY_SOCKET": str(notify_path)}
        command = [dialtoned, "--listen", f"127.0.0.1:{port}", "--state-dir", str(state),
                   "--control-socket", str(work / "control.sock")]
        started = time.monotonic()
        process = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
        try:
            while b"READY=1" not in notify.recv(4096):
                pass
            ready = time.monotonic() - started
            ready_cpu = cpu_seconds(process.pid)
            loaded, loaded_cpu = 0.0, ready_cpu
            if not stop_at_ready:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=TIMEOUT) as response:
                    total = json.loads(response.read())["totalCalls"]
                loaded = time.monotonic() - started - ready
                loaded_cpu = cpu_seconds(process.pid)
                if total != records:
                    sys.exit(f"/status counts {total} calls, not {records}")
            stopping = time.monotonic()
            process.send_signal(signal.SIGTERM)
            _, status, usage = os.wait4(process.pid, 0)
            stopped = time.monotonic() - stopping
            process.returncode = code = os.waitstatus_to_exitcode(status)
            stop_cpu = usage.ru_utime + usage.ru_stime - loaded_cpu
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    if code != 0:
        sys.exit(f"dialtoned exited {code}; see {work / 'daemon.log'}")
    saved = json.loads((state / "history.json").read_bytes())
    if len(saved["calls"]) != records:
        sys.exit(f"the saved history holds {len(saved['calls'])} records, not {records}")
    return ready, loaded, stopped, ready_cpu, loaded_cpu - ready_cpu, stop_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dialtoned", default=str(Path(__file__).resolve().parent.parent / ".build/release/dialtoned"))
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--live", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calls-first", action="store_true", help="write calls before live, as files before 2026-11-25")
    parser.add_argument("--stop-at-ready", action="store_true", help="send SIGTERM at READY, without waiting for the load")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dialtone-history.") as directory:
        work = Path(directory)
        source = work / "history.json"
        source.write_text(json.dumps(history(options.records, options.live, options.calls_first), separators=(",", ":")))
        print(f"history.json: {options.records} records, {options.live} live, {source.stat().st_size / 1e6:.1f} MB, "
              f"{'calls' if options.calls_first else 'live'} first")
        runs = [run_once(options.dialtoned, source, work, options.records, options.stop_at_ready)
                for _ in range(options.runs)]

        def line(ready, loaded, stopped, ready_cpu, loaded_cpu, stop_cpu) -> str:
            middle = "" if options.stop_at_ready else f"READY -> loaded {loaded:.0f} ms (CPU {loaded_cpu:.0f} ms), "
            return (f"start -> READY {ready:.0f} ms (CPU {ready_cpu:.0f} ms), {middle}"
                    f"SIGTERM -> exit {stopped:.0f} ms (CPU {stop_cpu:.0f} ms)")

        for number, run in enumerate(runs, 1):
            print(f"run {number}: " + line(*(value * 1000 for value in run)))
        print(f"median of {options.runs}: " + line(*(statistics.median(column) * 1000 for column in zip(*runs))))


if __name__ == "__main__":
    main()
