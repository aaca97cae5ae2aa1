"""Stopping under load: SIGTERM with thousands of connected devices saves every call and exits 0
in time; SIGKILL at any moment leaves a whole history file.

`DIALTONE_SHUTDOWN_DEVICES` sets the number of devices of the SIGTERM test (2000 by default; the
issue's target is 10,000, which needs about that many descriptors in both processes).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import resource
import signal
import subprocess
import time

import pytest

from .clients import Http
from .daemon import Daemon, DaemonExitError
from .load.fleet import NORMAL_CLOSURE, Fleet, establish, place_call

pytestmark = pytest.mark.asyncio

DEVICES = int(os.environ.get("DIALTONE_SHUTDOWN_DEVICES", "2000"))
ENDED_CALLS = 20
ACTIVE_CALLS = 50
RINGING_CALLS = 50
# systemd's DefaultTimeoutStopSec is 90 s; 2000 devices must be done in a third of it.
STOP_LIMIT = min(90.0, 30.0 * max(1.0, DEVICES / 2000))
# Long enough that nothing ends by itself while the test runs, before or after the restart; the
# default heartbeat keeps thousands of pongs a second out of the test's single Python thread.
UNDER_LOAD = {"ring-timeout": "600", "reconnect-grace": "600", "ping-interval": "25000", "ping-timeout": "20000",
              # Every device comes from 127.0.0.1, like clients behind a reverse proxy on the host.
              "max-connections": str(DEVICES + 100), "max-connections-per-address": str(DEVICES + 100)}

KILL_ROUNDS = 15
# The smallest interval dialtoned accepts: a changed history is written 10 times a second.
UNDER_KILLS = {**UNDER_LOAD, "history-save-interval": "0.1"}
# A file of some size, so that a save lasts long enough to be caught in the middle.
SEEDED_RECORDS = 3_000
# AtomicFile's temporary files: `.history.json.tmp-<pid>-<random>` beside the history file.
TEMPORARY_PREFIX = ".history.json.tmp-"


def raise_descriptor_limit(connections: int) -> None:
    """The test holds one descriptor per device, and so does the daemon (which inherits this limit)."""
    needed = connections + 512
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return
    assert hard == resource.RLIM_INFINITY or hard >= needed, (
        f"{connections} devices need {needed} open files; the hard limit is {hard} (raise `ulimit -Hn`)"
    )
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def wait_for_exit(daemon: Daemon, limit: float) -> int:
    try:
        return daemon.process.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        daemon.kill()
        raise DaemonExitError(f"dialtoned had not stopped {limit}s after SIGTERM\n{daemon.log_tail()}")


def calls_by_id(records: list[dict]) -> dict[str, dict]:
    return {record["callId"]: record for record in records}


# Only a guard against a hang: connecting thousands of devices from one Python thread is slow.
@pytest.mark.timeout(60 + DEVICES / 20 + STOP_LIMIT)
async def test_sigterm_with_thousands_of_devices_keeps_every_call(daemon_factory, http_session):
    pairs_needed = ENDED_CALLS + ACTIVE_CALLS + RINGING_CALLS
    assert DEVICES >= 2 * pairs_needed, f"DIALTONE_SHUTDOWN_DEVICES must be at least {2 * pairs_needed}"
    raise_descriptor_limit(DEVICES)
    daemon = daemon_factory(UNDER_LOAD)
    http = Http(daemon.url, http_session)
    fleet = Fleet(daemon.ws_url, DEVICES)
    try:
        await fleet.connect()
        await http.wait_for_status(connectedDevices=DEVICES, connectedUsers=DEVICES)

        pairs = list(zip(fleet.devices[0::2], fleet.devices[1::2]))
        ended_pairs = pairs[:ENDED_CALLS]
        active_pairs = pairs[ENDED_CALLS:ENDED_CALLS + ACTIVE_CALLS]
        ringing_pairs = pairs[ENDED_CALLS + ACTIVE_CALLS:pairs_needed]
        ended = await asyncio.gather(*(establish(caller, callee) for caller, callee in ended_pairs))
        await asyncio.gather(*(caller.ok("end_call", {"callId": call_id})
                               for (caller, _), call_id in zip(ended_pairs, ended)))
        active = await asyncio.gather(*(establish(caller, callee) for caller, callee in active_pairs))
        ringing = await asyncio.gather(*(place_call(caller, callee) for caller, callee in ringing_pairs))
        await http.wait_for_status(ringingCalls=RINGING_CALLS, activeCalls=ACTIVE_CALLS,
                                   totalCalls=ENDED_CALLS, connectedDevices=DEVICES)

        closed = asyncio.create_task(fleet.all_closed())
        started = time.monotonic()
        daemon.process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(wait_for_exit, daemon, STOP_LIMIT)
        took = time.monotonic() - started
        close_codes = await asyncio.wait_for(closed, 10)
    finally:
        await fleet.close()
    print(f"\nSIGTERM with {DEVICES} devices: exit {code} after {took:.2f}s")

    assert code == 0, f"dialtoned exited with {code} on SIGTERM\n{daemon.log_tail()}"
    unclean = [(device.user_id, close_code) for device, close_code in zip(fleet.devices, close_codes)
               if close_code != NORMAL_CLOSURE]
    assert not unclean, f"{len(unclean)} devices were not closed with a close frame, e.g. {unclean[:5]}"

    document = daemon.read_history_file()
    records = calls_by_id(document["calls"])
    assert set(records) == set(ended), f"history {sorted(records)} is not the ended calls {sorted(ended)}"
    assert all(record["endReason"] == "hangup" for record in records.values()), records
    live = calls_by_id(document["live"])
    assert set(live) == set(active) | set(ringing), f"live calls {sorted(live)}"
    assert all(live[call_id].get("answeredAt") for call_id in active), [live[c] for c in active]
    assert not any(live[call_id].get("answeredAt") for call_id in ringing), [live[c] for c in ringing]

    await asyncio.to_thread(daemon.start)
    status = await http.status()
    restored = {key: status[key] for key in ("ringingCalls", "activeCalls", "totalCalls", "connectedDevices")}
    assert restored == {"ringingCalls": RINGING_CALLS, "activeCalls": ACTIVE_CALLS,
                        "totalCalls": ENDED_CALLS, "connectedDevices": 0}, status


def seed_history(daemon: Daemon) -> None:
    """Writes the daemon's own file format: if it ever changes, the daemon moves this file aside
    and the test fails on that, rather than testing small files."""
    records = [
        {"callId": f"seed-{index}", "from": f"s{index}", "participants": [f"s{index}", f"t{index}"],
         "media": "audio", "status": "ended", "endReason": "hangup",
         "createdAt": "2026-01-01T00:00:00.000Z", "answeredAt": "2026-01-01T00:00:01.000Z",
         "endedAt": "2026-01-01T00:01:01.000Z", "duration": 60}
        for index in range(SEEDED_RECORDS)
    ]
    daemon.history_path.write_text(json.dumps({"format": 1, "calls": records, "live": []}))


async def churn(fleet: Fleet) -> None:
    """Each pair places and cancels calls back to back, so every save finds the history changed."""
    async def pair(caller, callee) -> None:
        while True:
            call_id = await place_call(caller, callee)
            await caller.ok("end_call", {"callId": call_id})

    await asyncio.gather(*(pair(caller, callee) for caller, callee in zip(fleet.devices[0::2], fleet.devices[1::2])))


def temporary_files(daemon: Daemon) -> list[str]:
    return [name for name in os.listdir(daemon.state_dir) if name.startswith(TEMPORARY_PREFIX)]


def kill_while_saving(daemon: Daemon, completed: int = 2, patience: float = 20.0) -> None:
    """SIGKILL as soon as a temporary file shows that a save is under way, once `completed` saves
    before it have had their chance to finish (or after `patience`)."""
    earlier = set(temporary_files(daemon))
    seen: set[str] = set()
    deadline = time.monotonic() + patience
    while True:
        seen |= set(temporary_files(daemon)) - earlier
        if len(seen) > completed or time.monotonic() >= deadline:
            break
        time.sleep(0.0005)  # lets the churning devices run meanwhile
    daemon.kill()


@pytest.mark.timeout(90)
async def test_sigkill_at_any_moment_leaves_a_whole_history_file(daemon_factory, http_session):
    daemon = daemon_factory(UNDER_KILLS, prepare=seed_history)
    http = Http(daemon.url, http_session)
    previous = SEEDED_RECORDS
    interrupted_writes = 0
    for round_number in range(KILL_ROUNDS):
        earlier = set(temporary_files(daemon))
        fleet = Fleet(daemon.ws_url, 8, prefix=f"r{round_number}-")
        await fleet.connect()
        churning = asyncio.create_task(churn(fleet))
        if round_number % 2:
            await asyncio.to_thread(kill_while_saving, daemon)
        else:
            await asyncio.sleep(random.uniform(0.0, 1.5))
            await asyncio.to_thread(daemon.kill)
        churning.cancel()
        await asyncio.gather(churning, return_exceptions=True)
        await fleet.close()

        names = sorted(os.listdir(daemon.state_dir))
        leftovers = temporary_files(daemon)
        assert sorted(["history.json", *leftovers]) == names, f"round {round_number}: unexpected files {names}"
        interrupted_writes += len(set(leftovers) - earlier)
        text = daemon.history_path.read_bytes()
        try:
            document = json.loads(text)
        except ValueError as error:
            raise AssertionError(f"round {round_number}: history.json ({len(text)} bytes) is not JSON: {error}")
        count = len(document["calls"])
        assert count >= previous, f"round {round_number}: history shrank from {previous} to {count} records"
        previous = count

        # The restarted daemon must load that file, not a temporary one left by the kill.
        await asyncio.to_thread(daemon.start)
        status = await http.status()
        assert status["totalCalls"] == count, f"round {round_number}: loaded {status['totalCalls']}, file has {count}"
        assert status["ringingCalls"] + status["activeCalls"] == len(document["live"]), status
    print(f"\n{KILL_ROUNDS} kills: history grew from {SEEDED_RECORDS} to {previous} records; "
          f"{interrupted_writes} interrupted a save")
    # Without these the loop would prove nothing: saves did happen, and kills did land inside them.
    assert previous > SEEDED_RECORDS, "no save completed between the kills"
    assert interrupted_writes > 0, "no kill landed while a save was writing its temporary file"
