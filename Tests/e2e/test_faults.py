"""Faults (issue 7): a read-only and a full state directory, and 1,000 devices dropping at once.

The state directory faults need root's mount namespaces: as root, chmod does not stop writes, so
the daemon runs in a private mount namespace (`unshare -m`) where its state directory is a bind
mount that is remounted read-only, or a 64 KiB tmpfs that is filled up. Without that mechanism
the tests fail: they never skip.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from .clients import Http
from .daemon import Daemon, DaemonExitError
from .load.fleet import Fleet, establish
from .test_control import Control, wait_for_control_socket
from .test_shutdown import TEMPORARY_PREFIX, raise_descriptor_limit

pytestmark = pytest.mark.asyncio

SAVE_ERROR = "cannot save the history file"
FAST_SAVES = {"history-save-interval": "0.2", "ring-timeout": "600", "reconnect-grace": "600"}


class NamespacedDaemon(Daemon):
    """A dialtoned whose state directory is private to its own mount namespace.

    `setup` runs in that namespace before dialtoned is exec'd (same pid, so `nsenter -t pid`
    reaches the namespace later). `$STATE` and `$SEED` name the state directory and a history
    file to start from.
    """

    def __init__(self, work_dir: Path, setup: str, options: dict[str, str]):
        super().__init__(work_dir, options)
        self.setup = setup
        self.seed_path = work_dir / "seed-history.json"

    def command(self) -> list[str]:
        script = f'set -e; {self.setup}; exec "$@"'
        return ["unshare", "--mount", "--propagation", "private", "--",
                "env", f"STATE={self.state_dir}", f"SEED={self.seed_path}",
                "sh", "-c", script, "sh", *super().command()]

    def inside(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        """Runs `command` in the daemon's mount namespace."""
        return subprocess.run(["nsenter", "-t", str(self.process.pid), "-m", "--", *command],
                              capture_output=True, check=check, timeout=10)

    def history_bytes(self) -> bytes:
        return self.inside("cat", str(self.history_path)).stdout

    def state_entries(self) -> list[str]:
        return self.inside("ls", "-A", str(self.state_dir)).stdout.decode().split()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")


def require_mount_namespaces() -> None:
    """Fails (never skips) when the mechanism the fault tests rely on is missing."""
    missing = [tool for tool in ("unshare", "nsenter", "mount") if shutil.which(tool) is None]
    assert not missing, f"the state directory fault tests need {missing} (util-linux)"
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                            "mount -t tmpfs -o size=64k probe /mnt && touch /mnt/x && "
                            "mount -o remount,ro /mnt && ! touch /mnt/y 2>/dev/null"],
                           capture_output=True, timeout=10)
    assert probe.returncode == 0, (
        "the state directory fault tests need root and mount namespaces (unshare -m) so that a "
        f"read-only or full filesystem really refuses writes: {probe.stderr.decode().strip()}")


def seed(daemon: NamespacedDaemon, records: int) -> None:
    calls = [
        {"callId": f"seed-{index}", "from": f"s{index}", "participants": [f"s{index}", f"t{index}"],
         "media": "audio", "status": "ended", "endReason": "hangup",
         "createdAt": "2026-01-01T00:00:00.000Z", "answeredAt": "2026-01-01T00:00:01.000Z",
         "endedAt": "2026-01-01T00:01:01.000Z", "duration": 60}
        for index in range(records)
    ]
    daemon.seed_path.write_text(json.dumps({"format": 1, "calls": calls, "live": []}))


@pytest.fixture
def work_dir():
    """A short directory: the control socket's path must fit in sockaddr_un."""
    path = Path(tempfile.mkdtemp(prefix="dtfault-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def start(daemon: NamespacedDaemon) -> None:
    try:
        daemon.start()
        wait_for_control_socket(daemon)
    except DaemonExitError as error:
        pytest.fail(str(error), pytrace=False)


async def wait_for(condition, what: str, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = await asyncio.to_thread(condition)
        if value:
            return value
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


async def one_call(fleet: Fleet, pair: int) -> str:
    """A whole call between two fleet devices: placed, answered, hung up."""
    caller, callee = fleet[2 * pair], fleet[2 * pair + 1]
    call_id = await establish(caller, callee)
    await caller.ok("end_call", {"callId": call_id})
    return call_id


def save_over_control(daemon: Daemon) -> dict:
    control = Control(daemon.work_dir / "control.sock")
    try:
        return control.request("history.save")
    finally:
        control.close()


def history_ids(data: bytes) -> set[str]:
    return {record["callId"] for record in json.loads(data)["calls"]}


async def check_save_fault(daemon: NamespacedDaemon, break_it, repair_it) -> None:
    """Saves fail while the directory is broken, leave the file as it was and leave no temporary
    file; signaling goes on; once repaired the next save has every call."""
    fleet = Fleet(daemon.ws_url, 4, prefix="f")
    http = None
    try:
        await fleet.connect()
        before_fault = await one_call(fleet, 0)
        await wait_for(lambda: before_fault in history_ids(daemon.history_bytes()), "the first save")
        saved = await asyncio.to_thread(daemon.history_bytes)
        errors_before = daemon.log_text().count(SAVE_ERROR)

        await asyncio.to_thread(break_it)
        during_fault = await one_call(fleet, 1)  # signaling goes on, and the change is due for saving
        await wait_for(lambda: daemon.log_text().count(SAVE_ERROR) > errors_before, "a logged periodic save error")
        answer = await asyncio.to_thread(save_over_control, daemon)
        assert "error" in answer, f"history.save succeeded on a broken state directory: {answer}"
        assert await asyncio.to_thread(daemon.history_bytes) == saved, "a failed save changed history.json"
        stray = [name for name in daemon.state_entries() if name.startswith(TEMPORARY_PREFIX)]
        assert not stray, f"a failed save left {stray} behind"
        assert daemon.process.poll() is None, f"dialtoned exited\n{daemon.log_tail()}"
        third = await one_call(fleet, 0)

        await asyncio.to_thread(repair_it)
        answer = await asyncio.to_thread(save_over_control, daemon)
        assert "result" in answer, f"history.save after the repair: {answer}\n{daemon.log_tail()}"
        ids = history_ids(await asyncio.to_thread(daemon.history_bytes))
        assert {before_fault, during_fault, third} <= ids, f"history after the repair: {sorted(ids)[-5:]}"
    finally:
        await fleet.close()


@pytest.mark.timeout(60)
async def test_read_only_state_directory_keeps_the_file_and_signaling(work_dir):
    require_mount_namespaces()
    daemon = NamespacedDaemon(work_dir / "ro", 'mount --bind "$STATE" "$STATE"', FAST_SAVES)
    seed(daemon, 50)
    shutil.copy(daemon.seed_path, daemon.history_path)
    start(daemon)
    state = str(daemon.state_dir)
    try:
        await check_save_fault(
            daemon,
            lambda: daemon.inside("mount", "-o", "remount,bind,ro", state),
            lambda: daemon.inside("mount", "-o", "remount,bind,rw", state))
        assert SAVE_ERROR in daemon.log_text()
    finally:
        daemon.inside("mount", "-o", "remount,bind,rw", state, check=False)
        code = daemon.stop()
        daemon.kill()
    assert code == 0, daemon.log_tail()


@pytest.mark.timeout(60)
async def test_full_state_directory_keeps_the_file_and_signaling(work_dir):
    require_mount_namespaces()
    daemon = NamespacedDaemon(
        work_dir / "full", 'mount -t tmpfs -o size=64k,mode=0700 dialtone-full "$STATE"; cp "$SEED" "$STATE/history.json"',
        FAST_SAVES)
    seed(daemon, 50)
    start(daemon)
    filler = str(daemon.state_dir / "filler")
    try:
        def fill() -> None:
            # dd stops with "No space left on device": that is the point.
            daemon.inside("dd", "if=/dev/zero", f"of={filler}", "bs=4k", check=False)
            assert daemon.inside("df", "--output=avail", str(daemon.state_dir)).stdout.split()[-1] == b"0"

        await check_save_fault(daemon, fill, lambda: daemon.inside("rm", "-f", filler))
        assert SAVE_ERROR in daemon.log_text()
    finally:
        daemon.inside("rm", "-f", filler, check=False)
        code = daemon.stop()
        daemon.kill()
    assert code == 0, daemon.log_tail()


# --- 1,000 devices dropping at once ---------------------------------------------------------

DROP_DEVICES = 1000
DROP_GRACE = 8.0  # long enough to re-register 500 devices on a loaded 2-core machine
# Once every device has gone, the heap must be back near where it started: within this share of
# what 1,000 connected devices in 500 calls added (what stays: the calls' history records, and
# tables that keep the capacity they grew to). A second identical round then grows the heap by
# its history records only, a much smaller share.
HEAP_LEFT_SHARE = 0.3
HEAP_LEFT_SHARE_AGAIN = 0.1


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


async def heap_in_use(http: Http) -> int:
    """malloc's bytes in use (`dialtone_heap_in_use_bytes`). The RSS does not fall back when memory
    is freed (glibc keeps the pages for reuse); this does."""
    _, _, body = await http.get("/metrics")
    match = re.search(r"^dialtone_heap_in_use_bytes ([0-9.e+]+)$", body, re.MULTILINE)
    assert match, f"no dialtone_heap_in_use_bytes in /metrics:\n{body}"
    return int(float(match.group(1)))


def abort(fleet: Fleet) -> None:
    """Cuts every TCP connection without a WebSocket close frame, all in one go."""
    for device in fleet.devices:
        device.ws.transport.abort()


async def drop_round(daemon: Daemon, http: Http, prefix: str, peaks: list[tuple[int, int]]) -> list[dict]:
    """500 active calls, every device dropped at once, half re-registered within the grace;
    appends the daemon's heap in use and VmRSS with every device connected to `peaks`."""
    fleet = Fleet(daemon.ws_url, DROP_DEVICES, prefix=prefix)
    returned = Fleet(daemon.ws_url, 0)
    pairs = DROP_DEVICES // 2
    try:
        await fleet.connect()
        call_ids = await asyncio.gather(*(establish(fleet[2 * i], fleet[2 * i + 1]) for i in range(pairs)))
        await http.wait_for_status(activeCalls=pairs, connectedDevices=DROP_DEVICES)
        peaks.append((await heap_in_use(http), rss_kb(daemon.process.pid)))

        abort(fleet)
        dropped_at = time.monotonic()
        status = await http.wait_for_status(connectedDevices=0)
        assert status["activeCalls"] == pairs, f"calls ended before the grace: {status}"

        # Both participants of the first half come back (as new connections) within the grace.
        resumed = call_ids[:pairs // 2]
        returned = Fleet(daemon.ws_url, 0)
        returned.devices = [type(device)(daemon.ws_url, device.user_id)
                            for device in fleet.devices[:DROP_DEVICES // 2]]
        await returned.connect()
        acks = await asyncio.gather(*(device.ok("register", {"userId": device.user_id})
                                      for device in returned.devices))
        assert time.monotonic() - dropped_at < DROP_GRACE, "re-registering took longer than the grace"
        for device, ack in zip(returned.devices, acks):
            call_id = call_ids[int(device.user_id[len(prefix):]) // 2]
            assert call_id in [call["callId"] for call in ack["calls"]], f"{device.user_id}: {ack}"

        # After the grace the other half ends `disconnected`; the resumed half stays active.
        status = await http.wait_for_status(timeout=DROP_GRACE + 10, activeCalls=len(resumed))
        assert status["callsByEndReason"]["disconnected"] >= pairs - len(resumed), status
        await asyncio.gather(*(returned[2 * i].ok("end_call", {"callId": call_id})
                               for i, call_id in enumerate(resumed)))
        await returned.close()
        await http.wait_for_status(activeCalls=0, connectedDevices=0)
        return [{"callId": call_id, "endReason": "hangup" if call_id in resumed else "disconnected"}
                for call_id in call_ids]
    finally:
        await fleet.close()
        await returned.close()


@pytest.mark.timeout(120)
async def test_a_thousand_devices_dropping_at_once(daemon_factory, http_session):
    raise_descriptor_limit(DROP_DEVICES + 100)
    daemon = daemon_factory({"reconnect-grace": str(DROP_GRACE), "ring-timeout": "600",
                             "ping-interval": "25000", "ping-timeout": "20000",
                             # Every device comes from 127.0.0.1, and the returning ones overlap
                             # with the dropped ones until the server has seen them go.
                             "max-connections": str(2 * DROP_DEVICES + 100),
                             "max-connections-per-address": str(2 * DROP_DEVICES + 100)})
    http = Http(daemon.url, http_session)
    pid = daemon.process.pid
    baseline = (await heap_in_use(http), rss_kb(pid))

    peaks: list[tuple[int, int]] = []
    expected = await drop_round(daemon, http, "a", peaks)
    after_first = (await heap_in_use(http), rss_kb(pid))
    expected += await drop_round(daemon, http, "b", peaks)
    after_second = (await heap_in_use(http), rss_kb(pid))
    print(f"\nheap in use / VmRSS (kB): baseline {baseline[0] // 1024} / {baseline[1]}, "
          f"connected {[(heap // 1024, rss) for heap, rss in peaks]}, "
          f"after round 1 {after_first[0] // 1024} / {after_first[1]}, "
          f"after round 2 {after_second[0] // 1024} / {after_second[1]}")

    status = await http.status()
    assert status["connectedDevices"] == 0 and status["totalCalls"] == len(expected), status
    for start, peak, end, share in ((baseline[0], peaks[0][0], after_first[0], HEAP_LEFT_SHARE),
                                    (after_first[0], peaks[1][0], after_second[0], HEAP_LEFT_SHARE_AGAIN)):
        assert end - start <= share * (peak - start), (
            f"heap in use: {start} before a round, {peak} with its devices, {end} after they left")

    assert daemon.stop() == 0, daemon.log_tail()
    records = {record["callId"]: record["endReason"] for record in daemon.read_history_file()["calls"]}
    assert records == {item["callId"]: item["endReason"] for item in expected}
