"""Limits (issue 7): every limit crossed on a real dialtoned, each with its clear error and its
count in `dialtone_limit_rejections_total`; and the refusal to serve `auth none` off loopback."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import subprocess
import time
import urllib.request

import pytest
import websockets.asyncio.client
import websockets.exceptions

from .clients import assert_error_body
from .daemon import Daemon, binary_path, free_port, hermetic_environment

pytestmark = pytest.mark.asyncio

RATE_LIMITED = "rate_limited"


# --- helpers ---------------------------------------------------------------------------------

def rejections(daemon: Daemon, limit: str) -> int:
    """The current value of dialtone_limit_rejections_total{limit=...}."""
    with urllib.request.urlopen(f"{daemon.url}/metrics", timeout=5) as response:
        text = response.read().decode()
    match = re.search(r'^dialtone_limit_rejections_total\{limit="%s"\} (\d+)' % re.escape(limit), text, re.M)
    assert match, f"no dialtone_limit_rejections_total for {limit} in /metrics:\n{text}"
    return int(match.group(1))


def wait_for_rejections(daemon: Daemon, limit: str, at_least: int, timeout: float = 5.0) -> int:
    deadline = time.monotonic() + timeout
    while True:
        count = rejections(daemon, limit)
        if count >= at_least or time.monotonic() > deadline:
            assert count >= at_least, f"{limit}: {count} rejections counted, expected at least {at_least}"
            return count
        time.sleep(0.05)


def connect(daemon: Daemon, source: str = "127.0.0.1") -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(5)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", daemon.port))
    return sock


def read_until_closed(sock: socket.socket, timeout: float = 5.0) -> bytes:
    """Everything the server sends until it closes; fails if it does not close in time."""
    sock.settimeout(timeout)
    received = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return received
        received += chunk


def split_response(raw: bytes) -> tuple[int, dict, bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    return status, headers, body


def get(sock: socket.socket, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """One keep-alive GET on an open connection; returns the whole response."""
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: test\r\n{extra}\r\n".encode())
    raw = b""
    while b"\r\n\r\n" not in raw:
        chunk = sock.recv(65536)
        assert chunk, f"closed before answering GET {path}: {raw!r}"
        raw += chunk
    status, response_headers, body = split_response(raw)
    length = int(response_headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, f"closed in the middle of the body of GET {path}"
        body += chunk
    return status, response_headers, body


def json_get(daemon: Daemon, path: str, headers: dict | None = None) -> tuple[int, object]:
    with connect(daemon) as sock:
        status, _, body = get(sock, path, {**(headers or {}), "Connection": "close"})
    return status, json.loads(body)


def assert_refused_connection(sock: socket.socket, status: int, message: str) -> None:
    raw = read_until_closed(sock)
    got_status, _, body = split_response(raw)
    assert got_status == status, raw
    assert json.loads(body) == {"status": "Error", "message": message}


async def until_accepted(daemon: Daemon, timeout: float = 5.0) -> None:
    """A closed connection is released asynchronously: waits until a new one is served."""
    deadline = time.monotonic() + timeout
    while True:
        with connect(daemon) as sock:
            try:
                status, _, _ = get(sock, "/health", {"Connection": "close"})
                if status == 200:
                    return
            except (AssertionError, ConnectionError):
                pass
        assert time.monotonic() < deadline, "a connection slot never came back"
        await asyncio.sleep(0.05)


async def hold_connections(daemon: Daemon, count: int, timeout: float = 5.0) -> tuple[list[socket.socket], int]:
    """`count` served keep-alive connections, and how many attempts were refused on the way:
    connections closed just before (the harness's probes, a /metrics read) are released
    asynchronously, so a slot one of them still holds is waited for."""
    held: list[socket.socket] = []
    refused = 0
    deadline = time.monotonic() + timeout
    while len(held) < count:
        sock = connect(daemon)
        try:
            status = get(sock, "/health")[0]
        except (AssertionError, ConnectionError):
            status = None
        if status == 200:
            held.append(sock)
            continue
        sock.close()
        refused += 1
        if time.monotonic() > deadline:
            for sock in held:
                sock.close()
            pytest.fail(f"only {len(held)} of {count} connections were served")
        await asyncio.sleep(0.05)
    return held, refused


def polling_handshake(daemon: Daemon, headers: dict | None = None) -> tuple[int, bytes]:
    with connect(daemon) as sock:
        status, _, body = get(sock, "/socket.io/?EIO=4&transport=polling", {**(headers or {}), "Connection": "close"})
    return status, body


# --- connections -----------------------------------------------------------------------------

@pytest.mark.daemon_options(**{"max-connections": "5"})
async def test_connections_beyond_the_total_get_503(daemon):
    before = rejections(daemon, "connections")
    held, refused = await hold_connections(daemon, 5)
    try:
        with connect(daemon) as extra:
            assert_refused_connection(extra, 503, "Too many connections")
        with connect(daemon, source="127.0.0.2") as other_address:
            assert_refused_connection(other_address, 503, "Too many connections")
    finally:
        held.pop().close()
    await until_accepted(daemon)
    for sock in held:
        sock.close()
    # At least the refusals seen here: until_accepted may be refused too while a slot is released.
    assert wait_for_rejections(daemon, "connections", before + refused + 2) >= before + refused + 2


@pytest.mark.daemon_options(**{"max-connections-per-address": "5"})
async def test_connections_beyond_the_per_address_limit_get_429(daemon):
    before = rejections(daemon, "connections_per_address")
    held, refused = await hold_connections(daemon, 5)
    try:
        with connect(daemon) as extra:
            assert_refused_connection(extra, 429, "Too many connections from this address")
        # Another address has its own count.
        with connect(daemon, source="127.0.0.2") as other_address:
            assert get(other_address, "/health", {"Connection": "close"})[0] == 200
    finally:
        for sock in held:
            sock.close()
    await until_accepted(daemon)
    assert wait_for_rejections(daemon, "connections_per_address", before + refused + 1) >= before + refused + 1


# --- calls per user --------------------------------------------------------------------------

@pytest.mark.daemon_options(**{"max-calls-per-user": "1"})
async def test_calls_beyond_the_per_user_limit_are_rate_limited(daemon, devices):
    alice = await devices.user("alice")
    bob = await devices.user("bob")
    carol = await devices.user("carol")
    await devices.user("dave")
    placed = await alice.ok("call", {"to": ["bob", "carol"]})
    call_id = placed["callId"]
    for callee in (bob, carol):
        await callee.next("incoming_call", callId=call_id)
        await callee.ok("accept_call", {"callId": call_id})
    await alice.ok("leave_call", {"callId": call_id})  # the call goes on between bob and carol

    error = await alice.fails("call", {"to": "dave"}, RATE_LIMITED)
    assert "too many live calls" in error["message"]
    status = await asyncio.to_thread(json_get, daemon, "/status")
    assert status[1]["ringingCalls"] + status[1]["activeCalls"] == 1, status
    assert rejections(daemon, "calls_per_user") == 1

    await bob.ok("end_call", {"callId": call_id})
    await alice.ok("call", {"to": "dave"})


# --- event rate ------------------------------------------------------------------------------

RATE_OPTIONS = {"rate-limit": "5", "rate-burst": "10"}


@pytest.mark.daemon_options(**RATE_OPTIONS)
async def test_socketio_events_beyond_the_rate_are_refused_and_others_are_unaffected(daemon, devices):
    flood = await devices.user("flood")
    calm = await devices.user("calm")
    answers = await asyncio.gather(*(flood.request("register", {"userId": "flood"}) for _ in range(40)))
    refused = [answer for answer in answers if answer.get("ok") is False]
    accepted = [answer for answer in answers if answer.get("ok") is True]
    for answer in refused:
        assert_error_body(answer, RATE_LIMITED, "flood register")
    # The bucket held 10 minus the register of the fixture; it refills 5 a second meanwhile.
    assert len(refused) >= 20, answers
    assert 9 <= len(accepted) <= 20, answers
    assert rejections(daemon, "rate") == len(refused)

    await calm.ok("register", {"userId": "calm"})

    # Without an ack callback the refusal is an `error` event.
    for _ in range(20):
        await flood.emit("register", {"userId": "flood"})
    error = await flood.next("error", code=RATE_LIMITED)
    assert error["event"] == "register"

    # The bucket refills: after a pause the flooding device is served again.
    await asyncio.sleep(1.0)
    await flood.ok("register", {"userId": "flood"})


@pytest.mark.daemon_options(**RATE_OPTIONS)
async def test_ws_requests_beyond_the_rate_get_a_json_rpc_error(daemon, devices):
    flood = await devices.user("flood", transport="ws")
    answers = await asyncio.gather(
        *(flood.request("register", {"userId": "flood"}) for _ in range(40)))
    errors = [answer["error"] for answer in answers if "error" in answer]
    assert len(errors) >= 20, answers
    for error in errors:
        assert error["code"] <= -32000 and error["data"]["code"] == RATE_LIMITED, error
    calm = await devices.user("calm", transport="ws")
    await calm.ok("register", {"userId": "calm"})
    assert rejections(daemon, "rate") == len(errors)


@pytest.mark.daemon_options(**{"rate-limit": "0", "rate-burst": "1"})
async def test_rate_limit_zero_limits_nothing(daemon, devices):
    device = await devices.user("busybee")
    answers = await asyncio.gather(*(device.request("register", {"userId": "busybee"}) for _ in range(200)))
    assert all(answer.get("ok") is True for answer in answers)
    assert rejections(daemon, "rate") == 0


# --- polling sessions ------------------------------------------------------------------------

@pytest.mark.daemon_options(**{"max-polling-sessions": "3"})
async def test_polling_handshakes_beyond_the_limit_get_503(daemon, devices):
    for _ in range(3):
        status, body = await asyncio.to_thread(polling_handshake, daemon)
        assert status == 200 and body.startswith(b"0{"), body
    status, body = await asyncio.to_thread(polling_handshake, daemon)
    assert status == 503, body
    assert json.loads(body) == {"code": 3, "message": "Too many polling sessions"}
    assert rejections(daemon, "polling_sessions") == 1
    # WebSocket sessions are not polling sessions.
    await devices.user("alice", transport="websocket")


# --- slow and idle HTTP ----------------------------------------------------------------------

@pytest.mark.daemon_options(**{"request-timeout": "1"})
async def test_a_request_head_that_never_ends_gets_408(daemon):
    with connect(daemon) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: test\r\nX-Slow: ")
        started = time.monotonic()
        raw = await asyncio.to_thread(read_until_closed, sock, 5.0)
        elapsed = time.monotonic() - started
    status, _, body = split_response(raw)
    assert status == 408, raw
    assert json.loads(body) == {"status": "Error", "message": "Request timeout"}
    assert 0.5 <= elapsed < 4, elapsed
    assert rejections(daemon, "request_timeout") == 1


@pytest.mark.daemon_options(**{"request-timeout": "1"})
async def test_a_body_that_never_ends_gets_408(daemon):
    with connect(daemon) as sock:
        sock.sendall(b"POST /call-end HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\n{\"callId\":")
        raw = await asyncio.to_thread(read_until_closed, sock, 5.0)
    assert split_response(raw)[0] == 408, raw


@pytest.mark.daemon_options(**{"idle-timeout": "1", "ping-interval": "3000", "ping-timeout": "3000"})
async def test_idle_connections_are_closed_but_not_long_polls_or_websockets(daemon, devices):
    with connect(daemon) as quiet:
        assert get(quiet, "/health")[0] == 200
        started = time.monotonic()
        assert await asyncio.to_thread(read_until_closed, quiet, 5.0) == b""
        assert 0.5 <= time.monotonic() - started < 4
    with connect(daemon) as silent:  # never sent a byte
        assert await asyncio.to_thread(read_until_closed, silent, 5.0) == b""

    # A poll parked longer than the idle timeout is answered, not cut (the ping comes at 3 s).
    with connect(daemon) as poller:
        status, _, body = get(poller, "/socket.io/?EIO=4&transport=polling")
        sid = json.loads(body[1:])["sid"]
        started = time.monotonic()
        status, _, body = await asyncio.to_thread(get, poller, f"/socket.io/?EIO=4&transport=polling&sid={sid}")
        assert status == 200 and body == b"2", body
        assert time.monotonic() - started > 1.5

    ws = await devices.user("alice", transport="ws")
    await asyncio.sleep(1.5)
    await ws.ok("register", {"userId": "alice"})
    assert rejections(daemon, "idle_timeout") >= 2


# --- Origin ----------------------------------------------------------------------------------

ALLOWED = "https://app.example.com"


@pytest.mark.daemon_options(**{"cors-origins": ALLOWED})
async def test_origins_outside_the_allowlist_are_refused(daemon, devices):
    with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
        await websockets.asyncio.client.connect(
            f"{daemon.ws_url}/ws?userId=eve", origin="https://evil.example", open_timeout=5)
    assert refused.value.response.status_code == 403
    assert json.loads(refused.value.response.body) == {"status": "Error", "message": "Origin not allowed"}

    with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
        await websockets.asyncio.client.connect(
            f"{daemon.ws_url}/socket.io/?EIO=4&transport=websocket", origin="https://evil.example", open_timeout=5)
    assert refused.value.response.status_code == 403

    status, body = await asyncio.to_thread(polling_handshake, daemon, {"Origin": "https://evil.example"})
    assert status == 403 and json.loads(body) == {"status": "Error", "message": "Origin not allowed"}
    assert rejections(daemon, "origin") == 3

    # The allowed origin, and no origin at all (a native app), pass.
    status, body = await asyncio.to_thread(polling_handshake, daemon, {"Origin": ALLOWED})
    assert status == 200 and body.startswith(b"0{"), body
    allowed = await websockets.asyncio.client.connect(f"{daemon.ws_url}/ws?userId=ann", origin=ALLOWED)
    await allowed.close()
    await devices.user("native", transport="ws")
    await devices.user("phone", transport="websocket")
    # Plain HTTP routes are not device endpoints: a page may read /health from anywhere.
    assert (await asyncio.to_thread(json_get, daemon, "/health", {"Origin": "https://evil.example"}))[0] == 200
    assert rejections(daemon, "origin") == 3


async def test_any_origin_by_default(daemon):
    status, _ = await asyncio.to_thread(polling_handshake, daemon, {"Origin": "https://anywhere.example"})
    assert status == 200


# --- payload sizes ---------------------------------------------------------------------------

@pytest.mark.daemon_options(**{"max-payload": "2000"})
async def test_oversized_http_body_gets_413(daemon, http):
    status, body = await http.post("/call-end", data="x" * 5000, headers={"Content-Type": "application/json"})
    assert status == 413, body
    assert body["error"] == "payload_too_large"
    assert rejections(daemon, "payload") == 1


@pytest.mark.daemon_options(**{"max-payload": "2000"})
async def test_oversized_polling_post_gets_413(daemon):
    with connect(daemon) as sock:
        status, _, body = get(sock, "/socket.io/?EIO=4&transport=polling")
        sid = json.loads(body[1:])["sid"]
        payload = b"4" + b"x" * 5000
        sock.sendall(
            f"POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\nHost: test\r\n"
            f"Content-Type: text/plain\r\nContent-Length: {len(payload)}\r\n\r\n".encode() + payload)
        raw = await asyncio.to_thread(read_until_closed, sock)
    assert split_response(raw)[0] == 413, raw
    assert rejections(daemon, "payload") == 1


@pytest.mark.daemon_options(**{"max-payload": "2000"})
async def test_oversized_socketio_message_closes_the_connection(daemon, devices):
    big = await devices.user("big")
    small = await devices.user("small")
    await big.emit("register", {"userId": "big", "padding": "x" * 5000})
    await big.next("disconnect")
    await small.ok("register", {"userId": "small"})
    assert rejections(daemon, "payload") == 1


@pytest.mark.daemon_options(**{"max-payload": "2000"})
async def test_oversized_ws_message_closes_with_1009(daemon, devices):
    ws = await devices.user("big", transport="ws")
    await ws.send_raw(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "register",
                                  "params": {"userId": "big", "padding": "x" * 5000}}))
    await ws.ws.wait_closed()
    assert ws.ws.close_code == 1009
    assert rejections(daemon, "payload") == 1


# --- auth none off loopback ------------------------------------------------------------------

def run_dialtoned(tmp_path, *options: str, timeout: float = 10.0) -> subprocess.CompletedProcess:
    state = tmp_path / "state"
    state.mkdir(exist_ok=True)
    config = tmp_path / "dialtone.json"
    config.write_text("{}\n")
    return subprocess.run(
        [str(binary_path()), "--config", str(config), "--state-dir", str(state),
         "--control-socket", str(tmp_path / "control.sock"), *options],
        env=hermetic_environment(state), capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("address", ["0.0.0.0:0", "[::]:0"])
async def test_auth_none_refuses_a_non_loopback_listener(tmp_path, address):
    for extra in ([], ["--check-config"]):
        result = run_dialtoned(tmp_path, "--listen", address, *extra)
        assert result.returncode == 2, result
        assert "not a loopback address" in result.stderr
        assert "set auth to jwt" in result.stderr and "allow-remote-without-auth to true" in result.stderr


async def test_loopback_listeners_and_jwt_need_no_permission(tmp_path):
    for options in (["--listen", "127.0.0.5:0"], ["--listen", "[::1]:0"],
                    ["--listen", "0.0.0.0:0", "--auth", "jwt", "--jwt-secret", "s3cret"]):
        result = run_dialtoned(tmp_path, *options, "--check-config")
        assert result.returncode == 0, result


async def test_allow_remote_without_auth_starts_on_every_interface(tmp_path):
    daemon = Daemon(tmp_path / "remote", {"allow-remote-without-auth": "true"})
    daemon.port = free_port()
    original = daemon.command

    def on_every_interface() -> list[str]:
        command = original()
        command[command.index("--listen") + 1] = f"0.0.0.0:{daemon.port}"
        return command

    daemon.command = on_every_interface
    try:
        daemon.start()
        assert daemon.stop() == 0
    finally:
        daemon.kill()
