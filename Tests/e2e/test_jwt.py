"""Auth mode jwt: HS256 tokens on Socket.IO, /ws and the HTTP API (contract §1 Identity, §2)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
import time
from pathlib import Path

import pytest
import socketio

from .clients import Devices, assert_error_body
from .scenarios import establish, hang_up, ice_flows

pytestmark = pytest.mark.asyncio

SECRET = "e2e-shared-secret"
JWT_OPTIONS = {"auth": "jwt", "jwt-secret": SECRET}
jwt_daemon = pytest.mark.daemon_options(**JWT_OPTIONS)
UNAUTHORIZED = {"message": "unauthorized"}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(sub: str, alg: str, lifetime: int) -> str:
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    payload = b64url(json.dumps({"sub": sub, "exp": int(time.time()) + lifetime}).encode())
    return f"{header}.{payload}"


def make_token(sub: str, *, secret: str = SECRET, lifetime: int = 3600) -> str:
    """An HS256 JWT as an issuer would sign it; `lifetime` is seconds from now to `exp`."""
    signed = unsigned(sub, "HS256", lifetime)
    signature = hmac.new(secret.encode(), signed.encode(), hashlib.sha256).digest()
    return f"{signed}.{b64url(signature)}"


BAD_TOKENS = {
    "forged": lambda: make_token("alice", secret="not-the-secret"),
    "expired": lambda: make_token("alice", lifetime=-3600),
    "alg none": lambda: unsigned("alice", "none", 3600) + ".",
    "garbage": lambda: "not-a-token",
}


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


async def sio_user(devices, user_id: str, transport: str = "websocket", name: str | None = None):
    """A Socket.IO device that authenticated with a token in the CONNECT auth payload."""
    device = await devices.sio(name or user_id, transport).connect(auth={"token": make_token(user_id)})
    registered = await device.next("registered")
    assert registered["userId"] == user_id, registered
    return device


async def assert_sio_refused(device, **connect):
    with pytest.raises(socketio.exceptions.ConnectionError):
        await device.connect(**connect)
    assert await device.next("connect_error") == UNAUTHORIZED


async def assert_ws_refused(device, **connect):
    await device.connect(**connect)
    error = await device.next("error")
    assert error["code"] == "unauthorized" and isinstance(error["message"], str) and error["message"], error
    closed = await device.next("close")
    assert closed["code"] == 1008, closed
    assert device.events.received[0][0] == "error", device.events.received


# Socket.IO


@jwt_daemon
@pytest.mark.parametrize("bad", list(BAD_TOKENS))
async def test_sio_bad_token_is_connect_error(devices, http, transport, bad):
    await assert_sio_refused(devices.sio("mallory", transport), auth={"token": BAD_TOKENS[bad]()})
    assert (await http.status())["connectedDevices"] == 0


@jwt_daemon
async def test_sio_missing_token_is_connect_error(devices, http, transport):
    await assert_sio_refused(devices.sio("anonymous", transport))
    # A claimed userId is no token.
    await assert_sio_refused(devices.sio("claimer", transport), auth={"userId": "alice"}, query="userId=alice")
    assert (await http.status())["connectedDevices"] == 0


@jwt_daemon
@pytest.mark.parametrize("where", ["auth", "query", "bearer"])
async def test_sio_token_sources(devices, transport, where):
    token = make_token("alice")
    connect = {"auth": {"auth": {"token": token}}, "query": {"query": f"token={token}"},
               "bearer": {"headers": bearer(token)}}[where]
    alice = await devices.sio("alice", transport).connect(**connect)
    assert (await alice.next("registered"))["userId"] == "alice"
    bob = await sio_user(devices, "bob")
    call_id = await establish(alice, bob, "alice", "bob")
    await ice_flows(bob, alice, call_id, "bob")


@jwt_daemon
async def test_impersonation_is_unauthorized(devices, http):
    alice = await sio_user(devices, "alice")
    await alice.fails("register", {"userId": "bob"}, "unauthorized")
    again = await alice.register("alice")
    assert again["userId"] == "alice"

    browser = await devices.ws("alice-browser").connect(headers=bearer(make_token("alice")))
    await browser.next("registered", userId="alice")
    await browser.fails("register", {"userId": "bob"}, "unauthorized")
    status = await http.status()
    assert (status["connectedUsers"], status["connectedDevices"]) == (1, 2), status


@jwt_daemon
async def test_a_valid_token_completes_a_full_call(devices, http):
    alice = await sio_user(devices, "alice", "upgrade")
    bob = await devices.ws("bob").connect(query=f"token={make_token('bob')}")
    await bob.next("registered", userId="bob")
    call_id = await establish(alice, bob, "alice", "bob")
    await ice_flows(alice, bob, call_id, "alice")
    await ice_flows(bob, alice, call_id, "bob")
    await hang_up(bob, alice, call_id, "bob")
    status, _, body = await http.request("GET", "/history", headers=bearer(make_token("alice")))
    [record] = body["calls"]
    assert record["callId"] == call_id and record["endReason"] == "hangup", record


# /ws


@jwt_daemon
@pytest.mark.parametrize("bad", list(BAD_TOKENS))
async def test_ws_bad_token_gets_an_error_and_1008(devices, http, bad):
    await assert_ws_refused(devices.ws("mallory"), headers=bearer(BAD_TOKENS[bad]()))
    assert (await http.status())["connectedDevices"] == 0


@jwt_daemon
async def test_ws_missing_token_gets_an_error_and_1008(devices, http):
    await assert_ws_refused(devices.ws("anonymous"))
    await assert_ws_refused(devices.ws("claimer"), query="userId=alice")
    assert (await http.status())["connectedDevices"] == 0


# HTTP


async def ringing_call(devices):
    alice = await sio_user(devices, "alice")
    bob = await sio_user(devices, "bob", "polling")
    call_id = (await alice.ok("call", {"to": "bob"}))["callId"]
    await bob.next("incoming_call", callId=call_id)
    return alice, bob, call_id


@jwt_daemon
@pytest.mark.parametrize("bad", [*BAD_TOKENS, "missing"])
async def test_call_end_without_a_valid_token_is_401(devices, http, bad):
    alice, bob, call_id = await ringing_call(devices)
    headers = {} if bad == "missing" else bearer(BAD_TOKENS[bad]())
    status, answer = await http.post("/call-end", {"callId": call_id, "userId": "alice"}, headers=headers)
    assert status == 401 and answer["status"] == "Error", (status, answer)
    assert (await http.status())["ringingCalls"] == 1


@jwt_daemon
async def test_call_end_acts_only_for_the_token_user(devices, http):
    alice, bob, call_id = await ringing_call(devices)
    status, answer = await http.post("/call-end", {"callId": call_id, "userId": "alice"},
                                     headers=bearer(make_token("bob")))
    assert status == 403 and answer["status"] == "Error", (status, answer)
    carol = await sio_user(devices, "carol")
    status, answer = await http.post("/call-end", {"callId": call_id, "userId": "carol"},
                                     headers=bearer(make_token("carol")))
    assert status == 403 and answer["status"] == "Error", (status, answer)
    assert (await http.status())["ringingCalls"] == 1
    await carol.expect_none("call_ended", within=0.2)

    # userId defaults to the token's user.
    status, answer = await http.post("/call-end", {"callId": call_id}, headers=bearer(make_token("bob")))
    assert (status, answer) == (200, {"status": "Success", "message": "Call ended successfully",
                                      "callId": call_id}), (status, answer)
    for device in (alice, bob):
        ended = await device.next("call_ended", callId=call_id)
        assert ended["fromUserId"] == "bob", ended


@jwt_daemon
async def test_history_is_the_token_users_own(devices, http):
    alice, bob, call_id = await ringing_call(devices)
    await hang_up(alice, bob, call_id, "alice", reason="cancelled")

    for headers in ({}, bearer(BAD_TOKENS["forged"]()), bearer(BAD_TOKENS["expired"]())):
        status, _, body = await http.request("GET", "/history?userId=alice", headers=headers)
        assert status == 401, (headers, status, body)
    status, _, body = await http.request("GET", "/history?userId=alice", headers=bearer(make_token("bob")))
    assert status == 403, (status, body)

    for path in ("/history", "/history?userId=alice", f"/history?token={make_token('alice')}"):
        headers = {} if "token=" in path else bearer(make_token("alice"))
        status, _, body = await http.request("GET", path, headers=headers)
        assert status == 200 and [r["callId"] for r in body["calls"]] == [call_id], (path, status, body)


@jwt_daemon
async def test_status_health_metrics_stay_open(http):
    for path in ("/status", "/health", "/metrics"):
        status, _, _ = await http.get(path)
        assert status == 200, path


# Auth none: the same requests behave as before, and the two input checks beside them.


async def test_without_jwt_a_token_is_not_needed(devices, http):
    alice = await devices.sio("alice").connect(auth={"userId": "alice"})
    await alice.next("registered", userId="alice")
    assert (await http.get("/history?userId=bob"))[0] == 200
    status, answer = await http.post("/call-end", {"userId": "alice"})
    assert status == 404, (status, answer)


async def test_call_end_with_an_empty_call_id_is_400(devices, http):
    alice = await devices.user("alice")
    bob = await devices.user("bob")
    call_id = await establish(alice, bob, "alice", "bob")
    status, answer = await http.post("/call-end", {"callId": "", "userId": "alice"})
    assert status == 400 and answer["status"] == "Error", (status, answer)
    assert (await http.status())["activeCalls"] == 1
    await ice_flows(bob, alice, call_id, "bob")


async def test_ws_refused_identity_gets_an_error(devices, http):
    browser = await devices.ws("long").connect(query="userId=" + "x" * 300)
    error = await browser.next("error")
    assert_error_body({"ok": False, "error": error}, "bad_request", "/ws ?userId= of 300 characters")
    assert error["event"] == "register", error
    assert (await http.status())["connectedUsers"] == 0


# RS256 and ES256: a public key file instead of the shared secret


def openssl(*args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=True).stdout


def der_to_raw(signature: bytes) -> bytes:
    """openssl's ECDSA signature, DER SEQUENCE { INTEGER r, INTEGER s }, as JWS's 64-byte r || s."""
    assert signature[0] == 0x30 and signature[1] < 0x80, signature.hex()
    position, numbers = 2, []
    for _ in range(2):
        assert signature[position] == 0x02, signature.hex()
        length = signature[position + 1]
        numbers.append(int.from_bytes(signature[position + 2 : position + 2 + length], "big"))
        position += 2 + length
    return b"".join(number.to_bytes(32, "big") for number in numbers)


def sign_with_key(sub: str, alg: str, private_key: Path) -> str:
    signed = unsigned(sub, alg, 3600)
    signature = openssl("dgst", "-sha256", "-sign", str(private_key), data=signed.encode())
    if alg == "ES256":
        signature = der_to_raw(signature)
    return f"{signed}.{b64url(signature)}"


KEY_KINDS = {
    "RS256": ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    "ES256": ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
}


@pytest.fixture(scope="module")
def key_pairs(tmp_path_factory):
    """For each algorithm, the issuer's key, its public half's PEM file and a stranger's key."""
    directory = tmp_path_factory.mktemp("jwt-keys")
    pairs = {}
    for alg, generate in KEY_KINDS.items():
        private, stranger, public = (directory / f"{alg}-{name}.pem" for name in ("private", "stranger", "public"))
        for path in (private, stranger):
            openssl(*generate, "-out", str(path))
        openssl("pkey", "-in", str(private), "-pubout", "-out", str(public))
        pairs[alg] = (private, public, stranger)
    return pairs


@pytest.mark.parametrize("alg", list(KEY_KINDS))
async def test_sio_public_key_tokens(daemon_factory, key_pairs, alg):
    private, public, stranger = key_pairs[alg]
    daemon = daemon_factory({"auth": "jwt", "jwt-public-key-file": str(public)})
    devices = Devices(daemon)
    try:
        alice = await devices.sio("alice", "websocket").connect(auth={"token": sign_with_key("alice", alg, private)})
        assert (await alice.next("registered"))["userId"] == "alice"
        await assert_sio_refused(devices.sio("forger", "websocket"),
                                 auth={"token": sign_with_key("alice", alg, stranger)})
        # Algorithm confusion: HS256 with the public key's PEM text as the HMAC secret.
        confused = make_token("alice", secret=public.read_text())
        await assert_sio_refused(devices.sio("confuser", "websocket"), auth={"token": confused})
    finally:
        await devices.close_all()
