"""The control socket (contract §3) against the real daemon, from Python's `socket` module:
every method, every JSON-RPC error case, the event stream during real calls placed by
python-socketio clients, a stuck subscriber while 100 calls go through, a 100,000-call history,
and dialtonectl end to end (tables, --json, exit codes, watch).

The daemon is started by this file's own fixture (with `--control-socket`), so it does not
depend on the shared conftest's fixtures.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from .clients import SioDevice, WsDevice
from .daemon import Daemon
from .scenarios import check_record, establish, hang_up, place_call

METHODS = [
    "status", "calls.list", "calls.get", "calls.end", "users.list", "users.disconnect",
    "users.notify", "history.list", "history.stats", "history.save", "events.subscribe",
    "events.unsubscribe", "log.setLevel", "config.reload", "rpc.discover",
]
# Application error numbers, as docs/control.md lists them.
CALL_NOT_FOUND = -32005
USER_OFFLINE = -32003
BAD_REQUEST = -32000
READ_TIMEOUT = 10.0


class Control:
    """A control-socket client on Python's `socket`: one JSON value per line each way.

    Notifications that arrive while waiting for an answer are kept for `notification()`.
    """

    def __init__(self, path: Path, timeout: float = READ_TIMEOUT, receive_buffer: int | None = None):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if receive_buffer is not None:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.sock.settimeout(timeout)
        self.sock.connect(str(path))
        self.reader = self.sock.makefile("rb")
        self.ids = 0
        self.notifications: list[dict] = []

    def send(self, text: str | bytes) -> None:
        self.sock.sendall(text.encode() if isinstance(text, str) else text)

    def send_line(self, text: str) -> None:
        self.send(text + "\n")

    def read(self) -> Any:
        line = self.reader.readline()
        assert line, "the daemon closed the control connection"
        assert line.endswith(b"\n"), f"an answer must end with a newline: {line[:200]!r}"
        return json.loads(line)

    def call_raw(self, text: str) -> Any:
        """Sends one line and returns the next message that is not a notification."""
        self.send_line(text)
        while True:
            message = self.read()
            if isinstance(message, dict) and "method" in message and "id" not in message:
                self.notifications.append(message)
                continue
            return message

    def request(self, method: str, params: Any = None) -> dict:
        self.ids += 1
        message = {"jsonrpc": "2.0", "id": self.ids, "method": method}
        if params is not None:
            message["params"] = params
        response = self.call_raw(json.dumps(message))
        assert response.get("jsonrpc") == "2.0" and response.get("id") == self.ids, response
        return response

    def result(self, method: str, params: Any = None) -> Any:
        response = self.request(method, params)
        assert "error" not in response and "result" in response, f"{method}: {response}"
        return response["result"]

    def error(self, method: str, params: Any = None) -> dict:
        response = self.request(method, params)
        assert "result" not in response and isinstance(response.get("error"), dict), f"{method}: {response}"
        error = response["error"]
        assert isinstance(error.get("code"), int) and isinstance(error.get("message"), str), error
        return error

    def app_error(self, method: str, params: Any, code: str, number: int) -> dict:
        error = self.error(method, params)
        assert error["code"] == number and error["code"] <= -32000, error
        assert error["data"]["code"] == code, error
        return error

    def notification(self) -> dict:
        if self.notifications:
            return self.notifications.pop(0)
        message = self.read()
        assert isinstance(message, dict) and "method" in message and "id" not in message, message
        return message

    def event(self) -> dict:
        message = self.notification()
        assert message["method"] == "event", message
        return message["params"]

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


def control_path(daemon: Daemon) -> Path:
    return daemon.work_dir / "control.sock"


def wait_for_control_socket(daemon: Daemon, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            Control(control_path(daemon), timeout=2).close()
            return
        except OSError as error:
            assert time.monotonic() < deadline, f"no control socket at {control_path(daemon)}: {error}"
            time.sleep(0.05)


@pytest.fixture
def control_daemon(request):
    """Starts dialtoned with its control socket in a short temporary directory."""
    work_root = Path(tempfile.mkdtemp(prefix="dtctl-"))
    started: list[Daemon] = []
    request.node.dialtone_daemons = started

    def start(options: dict[str, str] | None = None, prepare=None) -> Daemon:
        daemon = Daemon(work_root / f"d{len(started)}", options)
        if prepare is not None:
            prepare(daemon)
        started.append(daemon)
        daemon.start()
        wait_for_control_socket(daemon)
        return daemon

    yield start

    failures = []
    for daemon in started:
        try:
            code = daemon.stop()
            if code != 0:
                failures.append(f"dialtoned exited with {code} on SIGTERM\n{daemon.log_tail()}")
        finally:
            daemon.kill()
    shutil.rmtree(work_root, ignore_errors=True)
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)


async def device(daemon: Daemon, user_id: str) -> SioDevice:
    """A registered phone: the register ack means the daemon has bound it to `user_id`."""
    phone = await SioDevice(daemon.url, user_id).connect()
    await phone.register(user_id)
    return phone


# --- every method ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_every_method_on_a_real_call(control_daemon):
    daemon = control_daemon()
    control = Control(control_path(daemon))
    alice, bob = await device(daemon, "alice"), await device(daemon, "bob")
    try:
        call_id = await place_call(alice, bob, "alice", "bob")
        ringing = control.result("calls.list", {"state": "ringing"})["calls"]
        assert [call["callId"] for call in ringing] == [call_id]
        assert ringing[0]["state"] == "ringing" and ringing[0]["answeredAt"] is None

        await bob.ok("accept_call", {"callId": call_id})
        await alice.next("call_accepted", callId=call_id)

        status = control.result("status")
        assert status["connectedUsers"] == 2 and status["connectedDevices"] == 2
        assert status["activeCalls"] == 1 and status["ringingCalls"] == 0
        assert "callsByEndReason" in status and "averageDurationSeconds" in status

        assert control.result("calls.list", {"state": "ringing"})["calls"] == []
        assert [call["callId"] for call in control.result("calls.list")["calls"]] == [call_id]
        live = control.result("calls.get", {"callId": call_id})
        assert live["callId"] == call_id and live["state"] == "active"
        assert live["from"] == "alice" and live["participants"] == ["alice", "bob"]
        assert live["answeredAt"] is not None

        users = {user["userId"]: user for user in control.result("users.list")["users"]}
        assert sorted(users) == ["alice", "bob"]
        assert users["alice"]["calls"] == [call_id] and len(users["bob"]["sessions"]) == 1

        payload = {"text": "maintenance at 5", "n": 1}
        notified = control.result("users.notify", {"userId": "bob", "event": "announce", "data": payload})
        assert notified["delivered"] == 1
        assert await bob.next("announce") == payload

        ended = control.result("calls.end", {"callId": call_id, "reason": "operator test"})
        assert ended["callId"] == call_id and ended["endReason"] == "admin"
        assert isinstance(ended["duration"], (int, float))
        for phone in (alice, bob):
            event = await phone.next("call_ended", callId=call_id)
            assert event["reason"] == "admin", event

        record = control.result("calls.get", {"callId": call_id})
        check_record(record, callId=call_id, endReason="admin", participants=["alice", "bob"])
        history = control.result("history.list", {"userId": "alice", "limit": 5})["calls"]
        assert [entry["callId"] for entry in history] == [call_id]
        assert control.result("history.list", {"userId": "nobody"})["calls"] == []
        stats = control.result("history.stats")
        assert stats["callsByEndReason"]["admin"] == 1
        assert stats["calls"] == 1 and stats["answered"] == 1

        saved = control.result("history.save")
        assert saved["saved"] is True
        assert [call["callId"] for call in json.loads(daemon.history_path.read_text())["calls"]] == [call_id]

        assert control.result("log.setLevel", {"level": "debug"})["level"] == "debug"
        assert control.result("log.setLevel", ["info"]) == {"level": "info", "previous": "debug"}
        assert control.result("config.reload")["reloaded"] is True

        disconnected = control.result("users.disconnect", {"userId": "bob"})
        assert disconnected["devices"] == 1
        await bob.next("disconnect")

        document = control.result("rpc.discover")
        assert document["openrpc"].startswith("1.")
        assert [method["name"] for method in document["methods"]] == METHODS
        for method in document["methods"]:
            assert isinstance(method["params"], list) and "schema" in method["result"], method
    finally:
        control.close()
        await alice.close()
        await bob.close()


def test_the_socket_file_is_0660(control_daemon):
    daemon = control_daemon()
    mode = os.stat(control_path(daemon)).st_mode
    assert stat.S_ISSOCK(mode)
    assert stat.S_IMODE(mode) == 0o660


@pytest.mark.asyncio
async def test_devices_cannot_reach_control_methods(control_daemon):
    daemon = control_daemon()
    control = Control(control_path(daemon))
    alice, bob = await device(daemon, "alice"), await device(daemon, "bob")
    browser = await WsDevice(daemon.ws_url, "mallory").connect(query="userId=mallory")
    try:
        call_id = await establish(alice, bob, "alice", "bob")
        for method, params in [("calls.end", {"callId": call_id}), ("users.disconnect", {"userId": "bob"}),
                               ("history.save", None), ("rpc.discover", None)]:
            response = await browser.request(method, params)
            assert "result" not in response and "error" in response, response
        assert control.result("calls.get", {"callId": call_id})["state"] == "active"
        assert sorted(user["userId"] for user in control.result("users.list")["users"]) == ["alice", "bob", "mallory"]
    finally:
        control.close()
        await browser.close()
        await alice.close()
        await bob.close()


# --- JSON-RPC 2.0 to the letter --------------------------------------------------------------


def test_jsonrpc_errors(control_daemon):
    daemon = control_daemon()
    control = Control(control_path(daemon))
    try:
        for text in ['{"jsonrpc":"2.0","id":1,"method":"status"', "nonsense", '{"a":1,}']:
            reply = control.call_raw(text)
            assert reply["id"] is None and reply["error"]["code"] == -32700, (text, reply)

        invalid = [
            ("1", None), ('"status"', None), ("[]", None),
            ('{"jsonrpc":"1.0","id":3,"method":"status"}', 3),
            ('{"id":4,"method":"status"}', 4),
            ('{"jsonrpc":"2.0","id":5,"method":5}', 5),
            ('{"jsonrpc":"2.0","id":6,"method":"status","params":"x"}', 6),
            ('{"jsonrpc":"2.0","id":7}', 7),
        ]
        for text, request_id in invalid:
            reply = control.call_raw(text)
            assert reply["id"] == request_id and reply["error"]["code"] == -32600, (text, reply)

        for request_id in ["text-id", 1.5, None, 10**30]:
            reply = control.call_raw(json.dumps({"jsonrpc": "2.0", "id": request_id, "method": "status"}))
            assert reply["id"] == request_id and "result" in reply, reply

        assert control.error("calls.explode")["code"] == -32601
        assert control.error("calls.get", {})["code"] == -32602
        assert control.error("calls.get", {"callId": 5})["code"] == -32602
        assert control.error("calls.get", {"callId": "x", "typo": 1})["code"] == -32602
        assert control.error("calls.list", {"state": "exploded"})["code"] == -32602
        assert control.error("history.list", {"limit": 0})["code"] == -32602
        assert control.error("history.list", {"since": "last tuesday"})["code"] == -32602
        assert control.error("log.setLevel", {"level": "loud"})["code"] == -32602
        assert control.error("status", ["extra"])["code"] == -32602

        control.app_error("calls.get", {"callId": "call_missing"}, "call_not_found", CALL_NOT_FOUND)
        control.app_error("calls.end", {"callId": "call_missing"}, "call_not_found", CALL_NOT_FOUND)
        control.app_error("users.disconnect", {"userId": "ghost"}, "user_offline", USER_OFFLINE)
        control.app_error("users.notify", {"userId": "ghost", "event": "x", "data": {}}, "user_offline", USER_OFFLINE)

        # A notification is run and never answered, even when it fails.
        control.send_line('{"jsonrpc":"2.0","method":"log.setLevel","params":{"level":"debug"}}')
        control.send_line('{"jsonrpc":"2.0","method":"no.such.method"}')
        assert control.result("log.setLevel", {"level": "info"})["previous"] == "debug"

        batch = control.call_raw(
            '[{"jsonrpc":"2.0","id":1,"method":"status"},'
            '{"jsonrpc":"2.0","method":"status"},'
            '1,'
            '{"jsonrpc":"2.0","id":"b","method":"nope"},'
            '{"jsonrpc":"2.0","id":3,"method":"calls.get","params":{"callId":"call_missing"}}]'
        )
        assert [reply["id"] for reply in batch] == [1, None, "b", 3]
        assert "result" in batch[0]
        assert [reply["error"]["code"] for reply in batch[1:]] == [-32600, -32601, CALL_NOT_FOUND]
        assert batch[3]["error"]["data"]["code"] == "call_not_found"

        control.send_line('[{"jsonrpc":"2.0","method":"status"},{"jsonrpc":"2.0","method":"users.list"}]')
        assert control.request("status")["id"] == control.ids  # nothing came for the batch of notifications

        too_long = '{"jsonrpc":"2.0","id":1,"method":"status","params":{"pad":"' + "x" * 2_000_000 + '"}}'
        reply = control.call_raw(too_long)
        assert reply["id"] is None and reply["error"]["code"] == -32600, reply
        assert reply["error"]["data"]["code"] == "payload_too_large"
        assert "result" in control.request("status")  # the connection goes on
    finally:
        control.close()


def test_answers_a_client_that_shuts_its_sending_side(control_daemon):
    daemon = control_daemon()
    control = Control(control_path(daemon))
    try:
        control.send('{"jsonrpc":"2.0","id":1,"method":"status"}\n{"jsonrpc":"2.0","id":2,"method":"users.list"}')
        control.sock.shutdown(socket.SHUT_WR)
        assert [control.read()["id"], control.read()["id"]] == [1, 2]
        assert control.reader.readline() == b""
    finally:
        control.close()


def test_many_clients_at_once(control_daemon):
    daemon = control_daemon()
    failures: list[str] = []

    def client(number: int) -> None:
        try:
            control = Control(control_path(daemon))
            for _ in range(20):
                assert "connectedUsers" in control.result("status")
            control.close()
        except Exception as error:  # noqa: BLE001 - collected and reported below
            failures.append(f"client {number}: {error!r}")

    threads = [threading.Thread(target=client, args=(number,)) for number in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


# --- events ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_events_during_a_real_call(control_daemon):
    daemon = control_daemon()
    everything = Control(control_path(daemon))
    only_ends = Control(control_path(daemon))
    assert everything.result("events.subscribe") == {"subscribed": True, "types": None}
    assert only_ends.result("events.subscribe", {"types": ["call.ended"]})["types"] == ["call.ended"]
    alice, bob = await device(daemon, "alice"), await device(daemon, "bob")
    try:
        call_id = await establish(alice, bob, "alice", "bob")
        await hang_up(alice, bob, call_id, "alice")

        seen: list[dict] = []
        while not (seen and seen[-1]["type"] == "call.ended"):
            seen.append(await asyncio.to_thread(everything.event))
        for event in seen:
            assert isinstance(event["time"], str) and event["time"].endswith("Z"), event
        online = [event["userId"] for event in seen if event["type"] == "user.online"]
        assert online == ["alice", "bob"], seen
        call_types = [event["type"] for event in seen if event.get("callId") == call_id]
        for expected in ["call.created", "call.ringing", "call.accepted", "call.ended"]:
            assert expected in call_types, call_types
        assert call_types.index("call.created") < call_types.index("call.accepted") < call_types.index("call.ended")
        created = next(event for event in seen if event["type"] == "call.created")
        assert created["from"] == "alice" and created["participants"] == ["alice", "bob"]
        ended = seen[-1]
        assert ended["callId"] == call_id and ended["endReason"] == "hangup", ended
        assert ended["participants"] == ["alice", "bob"] and isinstance(ended["duration"], (int, float))

        # The filtered subscriber got the end of the call and nothing before it.
        filtered = await asyncio.to_thread(only_ends.event)
        assert filtered["type"] == "call.ended" and filtered["callId"] == call_id, filtered

        # After unsubscribing nothing more arrives: a whole call later, the next line is the
        # next answer.
        assert everything.result("events.unsubscribe") == {"subscribed": False}
        await hang_up(alice, bob, await establish(alice, bob, "alice", "bob"), "alice")
        assert "result" in everything.request("status")
        assert everything.notifications == []
    finally:
        everything.close()
        only_ends.close()
        await alice.close()
        await bob.close()


@pytest.mark.asyncio
async def test_a_stuck_subscriber_while_100_calls_go_through(control_daemon):
    daemon = control_daemon()
    # Subscribes, then never reads again, with the smallest receive buffer the kernel allows.
    stuck = Control(control_path(daemon), receive_buffer=1024)
    assert stuck.result("events.subscribe")["subscribed"] is True
    watcher = Control(control_path(daemon))
    assert watcher.result("events.subscribe", {"types": ["call.ended"]})["subscribed"] is True
    ended_seen: list[str] = []
    watching = threading.Thread(target=lambda: ended_seen.extend(watcher.event()["callId"] for _ in range(100)))
    watching.start()
    other = Control(control_path(daemon))
    alice, bob = await device(daemon, "alice"), await device(daemon, "bob")
    call_ids: list[str] = []
    try:
        for number in range(100):
            call_id = await establish(alice, bob, "alice", "bob")
            await hang_up(alice, bob, call_id, "alice")
            call_ids.append(call_id)
            if number % 20 == 0:
                assert "result" in other.request("status")
        await asyncio.to_thread(watching.join, READ_TIMEOUT)
        assert ended_seen == call_ids

        # Now the stuck subscriber reads: events in order, with any gap reported as `lagged`,
        # up to a marker published once it has drained.
        delivered: list[dict] = []
        lagged: list[int] = []
        drained = threading.Event()

        def drain() -> None:
            while True:
                message = stuck.notification()
                if message["method"] == "lagged":
                    lagged.append(message["params"]["dropped"])
                    continue
                delivered.append(message["params"])
                if message["params"]["type"] == "user.online" and message["params"]["userId"] == "marker":
                    drained.set()
                    return

        reading = threading.Thread(target=drain)
        reading.start()
        while not drained.is_set():
            marker = await device(daemon, "marker")
            await marker.close()
            await asyncio.to_thread(drained.wait, 0.2)
        await asyncio.to_thread(reading.join, READ_TIMEOUT)
        assert all(count > 0 for count in lagged), lagged
        ends = [event["callId"] for event in delivered if event["type"] == "call.ended"]
        assert ends == [call_id for call_id in call_ids if call_id in ends]  # in order, none invented
        if not lagged:
            assert ends == call_ids
        else:
            assert len(ends) + sum(lagged) >= len(call_ids)
    finally:
        for connection in (stuck, watcher, other):
            connection.close()
        await alice.close()
        await bob.close()


# --- a large answer --------------------------------------------------------------------------


def write_history(daemon: Daemon, count: int) -> None:
    records = []
    for number in range(count):
        second = number % 60
        records.append({
            "callId": f"call_{1_600_000_000_000 + number}_h{number}",
            "from": f"u{number % 97}", "participants": [f"u{number % 97}", f"v{number % 89}"],
            "media": "audio", "status": "ended", "endReason": "hangup",
            "createdAt": f"2024-01-01T00:00:{second:02d}.000Z",
            "answeredAt": f"2024-01-01T00:00:{second:02d}.500Z",
            "endedAt": f"2024-01-01T00:01:{second:02d}.500Z", "duration": 60,
        })
    daemon.history_path.write_text(json.dumps({"format": 1, "calls": records, "live": []}))


@pytest.mark.timeout(240)
@pytest.mark.asyncio
async def test_a_100000_call_history_while_a_call_goes_through(control_daemon):
    daemon = control_daemon(prepare=lambda daemon: write_history(daemon, 100_000))
    control = Control(control_path(daemon), timeout=180)
    alice, bob = await device(daemon, "alice"), await device(daemon, "bob")
    try:
        # The request is on the socket before the call starts; its 26 MB answer is being built
        # and written while the call goes through.
        control.send_line('{"jsonrpc":"2.0","id":"big","method":"history.list"}')
        listing = asyncio.create_task(asyncio.to_thread(control.read))
        call_id = await establish(alice, bob, "alice", "bob")
        await hang_up(alice, bob, call_id, "alice")
        answer = await listing
        assert answer["id"] == "big", answer.get("error")
        calls = answer["result"]["calls"]
        assert len(calls) >= 100_000
        assert all(set(record) >= {"callId", "endReason", "duration"} for record in calls[:10])
    finally:
        control.close()
        await alice.close()
        await bob.close()


# --- dialtonectl -----------------------------------------------------------------------------


def dialtonectl_path() -> Path:
    default = Path(os.environ.get("DIALTONED_BIN", ".build/debug/dialtoned")).resolve().parent / "dialtonectl"
    path = Path(os.environ.get("DIALTONECTL_BIN", default)).resolve()
    assert path.is_file(), f"dialtonectl not found at {path}: run `swift build` or set DIALTONECTL_BIN"
    return path


def ctl(daemon: Daemon | None, *arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    command = [str(dialtonectl_path()), *arguments]
    if daemon is not None:
        command += ["--socket", str(control_path(daemon))]
    environment = {name: value for name, value in os.environ.items() if name != "DIALTONE_CONTROL_SOCKET"}
    environment.update(env or {})
    return subprocess.run(command, capture_output=True, text=True, timeout=30, env=environment)


async def actl(daemon: Daemon | None, *arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`ctl` off the event loop, so the test's phones keep answering heartbeats meanwhile."""
    return await asyncio.to_thread(ctl, daemon, *arguments, env=env)


def table(output: str) -> list[list[str]]:
    """Rows of a dialtonectl table, split on its column starts (taken from the header)."""
    lines = output.rstrip("\n").split("\n")
    header = lines[0]
    starts = [index for index, char in enumerate(header)
              if char != " " and (index == 0 or header[max(0, index - 2):index] == "  ")]
    rows = []
    for line in lines:
        cells = [line[start:end].strip() for start, end in zip(starts, starts[1:] + [None])]
        rows.append(cells)
    return rows


@pytest.mark.asyncio
async def test_dialtonectl_end_to_end(control_daemon):
    daemon = control_daemon()
    alice, bob = await device(daemon, "alice"), await device(daemon, "bob")
    try:
        call_id = await establish(alice, bob, "alice", "bob")

        status = await actl(daemon, "status")
        assert status.returncode == 0, status.stderr
        assert any(line.split() == ["activeCalls", "1"] for line in status.stdout.splitlines()), status.stdout
        as_json = await actl(None, "status", "--json", env={"DIALTONE_CONTROL_SOCKET": str(control_path(daemon))})
        assert json.loads(as_json.stdout)["activeCalls"] == 1

        calls = await actl(daemon, "calls")
        rows = table(calls.stdout)
        assert rows[0][:3] == ["CALL ID", "STATE", "FROM"], calls.stdout
        assert rows[1][:3] == [call_id, "active", "alice"], calls.stdout
        assert [call["callId"] for call in json.loads((await actl(daemon, "calls", "--json")).stdout)["calls"]] == [call_id]
        assert (await actl(daemon, "calls", "--state", "ringing")).stdout.strip() == "no live calls"

        shown = await actl(daemon, "call", call_id)
        assert shown.returncode == 0 and call_id in shown.stdout and "active" in shown.stdout
        users = table((await actl(daemon, "users")).stdout)
        assert [row[0] for row in users] == ["USER", "alice", "bob"]

        notify = await actl(daemon, "notify", "bob", "announce", '{"text":"hi"}')
        assert notify.returncode == 0 and "1 device" in notify.stdout
        assert await bob.next("announce") == {"text": "hi"}

        ended = await actl(daemon, "end", call_id[:-2])  # a unique prefix is enough
        assert ended.returncode == 0 and call_id in ended.stdout, ended.stderr
        await bob.next("call_ended", callId=call_id, reason="admin")

        history = json.loads((await actl(daemon, "history", "--user", "alice", "--since", "1h", "--json")).stdout)
        assert [record["callId"] for record in history["calls"]] == [call_id]
        history_table = table((await actl(daemon, "history", "--limit", "1")).stdout)
        assert history_table[1][0] == call_id and "admin" in history_table[1]
        assert (await actl(daemon, "stats")).returncode == 0
        assert (await actl(daemon, "save")).stdout.startswith("history saved")
        assert (await actl(daemon, "log-level", "debug")).stdout.startswith("log level debug")
        assert (await actl(daemon, "reload")).stdout.startswith("configuration reloaded")
        assert json.loads((await actl(daemon, "raw", "rpc.discover")).stdout)["openrpc"].startswith("1.")

        missing = await actl(daemon, "call", "call_missing")
        assert missing.returncode == 3 and "call_not_found" in missing.stderr
        offline = await actl(daemon, "kick", "ghost")
        assert offline.returncode == 1 and "user_offline" in offline.stderr
        assert (await actl(daemon, "notify", "bob", "x", "{not json")).returncode == 64
        kicked = await actl(daemon, "kick", "bob")
        assert kicked.returncode == 0 and "disconnected bob" in kicked.stdout
        await bob.next("disconnect")
    finally:
        await alice.close()
        await bob.close()

    not_running = await actl(None, "status", "--socket", str(daemon.work_dir / "absent.sock"))
    assert not_running.returncode == 69 and "not running" in not_running.stderr


def test_dialtonectl_permission_denied(control_daemon):
    daemon = control_daemon()
    if os.geteuid() == 0:
        # Root passes every permission check: ask as nobody, who is not in the socket's group.
        os.chmod(daemon.work_dir, 0o755)
        os.chmod(daemon.work_dir.parent, 0o755)
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                   str(dialtonectl_path()), "status", "--socket", str(control_path(daemon))]
        denied = subprocess.run(command, capture_output=True, text=True, timeout=30)
    else:
        os.chmod(control_path(daemon), 0)
        denied = ctl(daemon, "status")
    assert denied.returncode == 77, denied
    assert "permission denied" in denied.stderr


@pytest.mark.asyncio
async def test_dialtonectl_watch_follows_a_call(control_daemon):
    daemon = control_daemon()
    watch = subprocess.Popen(
        [str(dialtonectl_path()), "watch", "--type", "call", "--json", "--socket", str(control_path(daemon))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    alice, bob = await device(daemon, "alice"), await device(daemon, "bob")
    try:
        # watch subscribes once it has connected; calls go on until one shows up in its output.
        first_line = asyncio.create_task(asyncio.to_thread(watch.stdout.readline))
        while not first_line.done():
            call_id = await place_call(alice, bob, "alice", "bob")
            await alice.ok("end_call", {"callId": call_id})
            await bob.next("call_ended", callId=call_id)
            await asyncio.wait({first_line}, timeout=0.2)
        message = json.loads(first_line.result())
        assert message["method"] == "event" and message["params"]["type"].startswith("call."), message
        watch.send_signal(signal.SIGINT)
        assert watch.wait(timeout=10) != 0
    finally:
        if watch.poll() is None:
            watch.kill()
        await alice.close()
        await bob.close()
