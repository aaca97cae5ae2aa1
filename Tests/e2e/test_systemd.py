"""dialtoned started the way systemd starts it (issue 3, contract section 5).

Debian's `systemd-socket-activate` passes named listening sockets (`--fdname=http:control`),
`NOTIFY_SOCKET` names a datagram socket this test reads, and for the journal test the daemon runs
in a private mount namespace whose /run/systemd/journal/socket is this test's socket. Nothing here
needs a running systemd; the journal test needs root (for `unshare --mount`).

Run: `.venv/bin/pytest Tests/e2e/test_systemd.py` after `swift build` (or set DIALTONED_BIN).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ACTIVATE = shutil.which("systemd-socket-activate") or "/usr/bin/systemd-socket-activate"
TIMEOUT = 20.0
STOP_TIMEOUT = 30.0


def dialtoned() -> str:
    path = Path(os.environ.get("DIALTONED_BIN", REPO / ".build/debug/dialtoned")).resolve()
    if not os.access(path, os.X_OK):
        raise FileNotFoundError(f"dialtoned not found at {path}: run `swift build` or set DIALTONED_BIN")
    return str(path)


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def work_dir():
    # Short: Unix socket paths must fit in 108 bytes.
    path = Path(tempfile.mkdtemp(prefix="dt-sd-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


class Datagrams:
    """A Unix datagram socket the daemon sends to: systemd's notify socket or journald's socket."""

    def __init__(self, path: Path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.bind(str(path))
        self.received: list[bytes] = []

    def wait_for(self, wanted: str, timeout: float = TIMEOUT) -> list[str]:
        """Notifications up to and including the first holding the assignment `wanted`."""
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                message = self.sock.recv(1 << 20).decode()
            except TimeoutError:
                break
            seen.append(message)
            if wanted in message.split("\n"):
                return seen
        raise AssertionError(f"no {wanted} within {timeout}s; received {seen!r}")

    def collect_in_background(self):
        """Read as journald does, all the time: a Unix datagram queue holds only
        net.unix.max_dgram_qlen (10) messages, and a sender blocks when it is full."""
        self.sock.settimeout(0.2)

        def run():
            while not self.stopped:
                try:
                    self.received.append(self.sock.recv(1 << 20))
                except (TimeoutError, OSError):
                    continue

        self.stopped = False
        self.collector = threading.Thread(target=run, daemon=True)
        self.collector.start()

    def drain(self, quiet: float = 0.5) -> list[bytes]:
        if getattr(self, "collector", None):
            time.sleep(quiet)
            self.stopped = True
            self.collector.join()
            return self.received
        self.sock.settimeout(quiet)
        while True:
            try:
                self.received.append(self.sock.recv(1 << 20))
            except TimeoutError:
                return self.received

    def close(self):
        self.sock.close()


def base_options(work_dir: Path, log_target: str = "stderr") -> list[str]:
    config = work_dir / "dialtone.json"
    config.write_text("{}\n")
    (work_dir / "state").mkdir(exist_ok=True)
    return ["--config", str(config), "--state-dir", str(work_dir / "state"), "--log-target", log_target]


def start_activated(work_dir: Path, fdnames: str, listens: list[str], options: list[str], env: dict[str, str]):
    """dialtoned under systemd-socket-activate, which starts it on the first connection."""
    command = [ACTIVATE, f"--fdname={fdnames}"]
    for address in listens:
        command += ["-l", address]
    for name, value in {"HOME": str(work_dir), **env}.items():
        command += ["-E", f"{name}={value}"]
    command += [dialtoned(), *options]
    log = open(work_dir / "dialtoned.log", "wb")
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    log.close()
    return process


def log_of(work_dir: Path) -> str:
    return (work_dir / "dialtoned.log").read_text(errors="replace")[-4000:]


def wait_for_path(path: Path, process: subprocess.Popen, work_dir: Path):
    deadline = time.monotonic() + TIMEOUT
    while not path.exists():
        assert process.poll() is None, f"exited early with {process.returncode}\n{log_of(work_dir)}"
        assert time.monotonic() < deadline, f"{path} never appeared\n{log_of(work_dir)}"
        time.sleep(0.02)


def http_get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def first_get(port: int, path: str, process: subprocess.Popen, work_dir: Path) -> tuple[int, bytes]:
    """GET once the listener exists; under systemd-socket-activate this connection starts the daemon."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            return http_get(port, path)
        except ConnectionRefusedError:
            assert process.poll() is None, f"exited early with {process.returncode}\n{log_of(work_dir)}"
            assert time.monotonic() < deadline, f"nothing listens on {port}\n{log_of(work_dir)}"
            time.sleep(0.02)


def control_call(path: Path, method: str, params: dict | None = None) -> dict:
    request = {"jsonrpc": "2.0", "id": 1, "method": method}
    if params is not None:
        request["params"] = params
    with closing(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)) as sock:
        sock.settimeout(TIMEOUT)
        sock.connect(str(path))
        sock.sendall(json.dumps(request).encode() + b"\n")
        buffer = b""
        while b"\n" not in buffer:
            chunk = sock.recv(65536)
            assert chunk, f"control socket closed without answering {method}"
            buffer += chunk
    return json.loads(buffer.split(b"\n", 1)[0])


def socket_inodes(pid: int) -> set[int]:
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        match = re.fullmatch(r"socket:\[(\d+)\]", target)
        if match:
            inodes.add(int(match.group(1)))
    return inodes


def listening_tcp_ports(pid: int) -> list[int]:
    """Ports of the TCP sockets in LISTEN state that `pid` holds."""
    owned = socket_inodes(pid)
    ports = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and int(fields[9]) in owned:
                ports.append(int(fields[1].rsplit(":", 1)[1], 16))
    return sorted(ports)


def listening_unix_paths(pid: int) -> list[str]:
    """Paths of the listening Unix sockets (flag __SO_ACCEPTCON) that `pid` holds."""
    owned = socket_inodes(pid)
    paths = []
    for line in Path("/proc/net/unix").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[3], 16) & 0x10000 and int(fields[6]) in owned:
            paths.append(fields[7] if len(fields) > 7 else "")
    return sorted(paths)


def stop(process: subprocess.Popen, work_dir: Path) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise AssertionError(f"no exit within {STOP_TIMEOUT}s of SIGTERM\n{log_of(work_dir)}")


def test_named_sockets_are_served_through_the_passed_descriptors(work_dir):
    notify = Datagrams(work_dir / "notify")
    port, decoy_port = free_port(), free_port()
    control = work_dir / "control.sock"
    decoy_control = work_dir / "decoy.sock"
    # The settings name other addresses: a daemon that bound its own listeners would use them.
    options = base_options(work_dir) + [
        "--listen", f"127.0.0.1:{decoy_port}",
        "--control-socket", str(decoy_control),
    ]
    process = start_activated(
        work_dir, "http:control", [f"127.0.0.1:{port}", str(control)], options, {"NOTIFY_SOCKET": str(notify.path)}
    )
    try:
        wait_for_path(control, process, work_dir)
        # This first connection makes systemd-socket-activate start the daemon, which must then
        # answer it through the adopted descriptor.
        status, _ = http_get(port, "/health")
        assert status == 200, log_of(work_dir)
        before_ready = notify.wait_for("READY=1")
        assert not any("STOPPING=1" in message for message in before_ready)

        status, body = http_get(port, "/status")
        assert status == 200
        assert json.loads(body)["status"]
        answer = control_call(control, "status")
        assert answer.get("id") == 1 and "result" in answer, answer

        assert listening_tcp_ports(process.pid) == [port], log_of(work_dir)
        assert listening_unix_paths(process.pid) == [str(control)], log_of(work_dir)
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", decoy_port), timeout=TIMEOUT).close()
        assert not decoy_control.exists()

        assert stop(process, work_dir) == 0, log_of(work_dir)
        notify.wait_for("STOPPING=1")
        # The socket file belongs to whoever passed it (systemd keeps listening on it).
        assert control.exists()
    finally:
        if process.poll() is None:
            process.kill()
        notify.close()


def test_a_name_that_was_not_passed_is_bound_from_the_settings(work_dir):
    port = free_port()
    control = work_dir / "control.sock"
    options = base_options(work_dir) + ["--listen", f"127.0.0.1:{free_port()}", "--control-socket", str(control)]
    process = start_activated(work_dir, "http", [f"127.0.0.1:{port}"], options, {})
    try:
        status, _ = first_get(port, "/health", process, work_dir)
        assert status == 200, log_of(work_dir)
        wait_for_path(control, process, work_dir)
        answer = control_call(control, "status")
        assert "result" in answer, answer
        assert listening_tcp_ports(process.pid) == [port]
        assert stop(process, work_dir) == 0, log_of(work_dir)
    finally:
        if process.poll() is None:
            process.kill()


def test_a_descriptor_of_the_wrong_type_is_a_clear_error(work_dir):
    port = free_port()
    control = work_dir / "control.sock"
    options = base_options(work_dir) + ["--listen", f"127.0.0.1:{free_port()}", "--control-socket", str(work_dir / "d.sock")]
    # Names swapped: the TCP socket is called "control", the Unix socket "http".
    process = start_activated(work_dir, "control:http", [f"127.0.0.1:{port}", str(control)], options, {})
    try:
        wait_for_path(control, process, work_dir)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT).close()
        except OSError:
            pass
        code = process.wait(timeout=TIMEOUT)
        assert code != 0
        log = log_of(work_dir)
        assert "descriptor 3 named 'control'" in log and "not a listening Unix stream socket" in log, log
    finally:
        if process.poll() is None:
            process.kill()


def test_auth_none_refuses_a_passed_socket_on_every_interface(work_dir):
    """The packaged default holds for sockets systemd passes too: with `auth none` a listener on
    0.0.0.0 stops the start, with the way out in the message; with `auth jwt` it serves."""
    for extra, serves in (([], False), (["--auth", "jwt", "--jwt-secret", "s3cret"], True)):
        port = free_port()
        options = base_options(work_dir) + ["--control-socket", str(work_dir / "control.sock"), *extra]
        process = start_activated(work_dir, "http", [f"0.0.0.0:{port}"], options, {})
        try:
            deadline = time.monotonic() + TIMEOUT
            while True:
                try:
                    status, _ = http_get(port, "/health")
                    break
                except ConnectionRefusedError:
                    assert time.monotonic() < deadline, log_of(work_dir)
                    time.sleep(0.02)
                except (ConnectionResetError, http.client.RemoteDisconnected):
                    status = None
                    break
            if serves:
                assert status == 200, log_of(work_dir)
                assert stop(process, work_dir) == 0, log_of(work_dir)
            else:
                assert process.wait(timeout=TIMEOUT) == 2, log_of(work_dir)
                log = log_of(work_dir)
                assert "not a loopback address" in log and "allow-remote-without-auth" in log, log
        finally:
            if process.poll() is None:
                process.kill()


def journal_entries(datagrams: list[bytes]) -> list[dict[str, list[bytes]]]:
    """Parses journald's native protocol: `NAME=value\\n`, or `NAME\\n` + le64 length + value + `\\n`."""
    entries = []
    for data in datagrams:
        fields: dict[str, list[bytes]] = {}
        index = 0
        while index < len(data):
            newline = data.index(b"\n", index)
            equals = data.find(b"=", index, newline)
            if equals >= 0:
                name, value, index = data[index:equals], data[equals + 1:newline], newline + 1
            else:
                name = data[index:newline]
                (length,) = struct.unpack_from("<Q", data, newline + 1)
                start = newline + 9
                value = data[start:start + length]
                assert data[start + length:start + length + 1] == b"\n", "binary field not terminated"
                index = start + length + 1
            fields.setdefault(name.decode(), []).append(value)
        entries.append(fields)
    return entries


def text(entry: dict[str, list[bytes]], name: str) -> str | None:
    values = entry.get(name)
    return values[0].decode() if values else None


@pytest.mark.skipif(os.geteuid() != 0, reason="a private mount namespace needs root")
def test_call_events_reach_the_journal_with_their_fields(work_dir):
    websockets_sync = pytest.importorskip("websockets.sync.client")
    journal_dir = work_dir / "journal"
    journal_dir.mkdir()
    journal = Datagrams(journal_dir / "socket")
    journal.collect_in_background()
    port = free_port()
    options = base_options(work_dir, log_target="journal") + ["--listen", f"127.0.0.1:{port}", "--control-socket", str(work_dir / "control.sock"), "--log-level", "info"]
    script = 'mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/journal && mount --bind "$0" /run/systemd/journal && exec "$@"'
    log = open(work_dir / "dialtoned.log", "wb")
    process = subprocess.Popen(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, str(journal_dir), dialtoned(), *options],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(work_dir)},
    )
    log.close()
    try:
        assert first_get(port, "/health", process, work_dir)[0] == 200

        def request(ws, request_id, method, params):
            ws.send(json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}))
            while True:
                message = json.loads(ws.recv(timeout=TIMEOUT))
                if message.get("id") == request_id:
                    assert "result" in message, message
                    return message["result"]

        def notification(ws, method):
            while True:
                message = json.loads(ws.recv(timeout=TIMEOUT))
                if message.get("method") == method:
                    return message["params"]

        url = f"ws://127.0.0.1:{port}/ws"
        with websockets_sync.connect(url) as alice, websockets_sync.connect(url) as bob:
            request(alice, 1, "register", {"userId": "alice"})
            request(bob, 1, "register", {"userId": "bob"})
            call_id = request(alice, 2, "call", {"to": "bob", "offer": {"type": "offer", "sdp": "v=0"}})["callId"]
            notification(bob, "incoming_call")
            request(bob, 2, "accept_call", {"callId": call_id, "answer": {"type": "answer", "sdp": "v=0"}})
            request(alice, 3, "ice_candidate", {"callId": call_id, "candidate": {"candidate": "candidate:1 1 udp 1 192.0.2.1 9 typ host"}})
            notification(bob, "ice_candidate")
            request(alice, 4, "end_call", {"callId": call_id})
        assert stop(process, work_dir) == 0, log_of(work_dir)
    finally:
        if process.poll() is None:
            process.kill()

    entries = journal_entries(journal.drain())
    journal.close()
    assert entries, f"nothing reached the journal\n{log_of(work_dir)}"
    for entry in entries:
        assert text(entry, "SYSLOG_IDENTIFIER") == "dialtoned"
        assert len(entry["MESSAGE"]) == 1 and "PRIORITY" in entry
        for name in entry:
            assert re.fullmatch(r"[A-Z][A-Z0-9_]{0,63}", name), name
    of_call = [entry for entry in entries if text(entry, "CALL_ID") == call_id]
    assert of_call, "no journal entry carries CALL_ID of the call"
    assert any(text(entry, "USER_ID") in ("alice", "bob") for entry in of_call)
    ended = [entry for entry in of_call if text(entry, "REASON") == "hangup"]
    assert len(ended) == 1, "the end of the call is logged exactly once, with its reason"
    assert "DURATION" in ended[0]
    # At level info nothing of the ICE relay path may appear.
    assert not any("candidate" in (text(entry, "MESSAGE") or "").lower() for entry in entries)
