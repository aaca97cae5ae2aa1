"""Bad input from one client never disturbs another pair's call."""

from __future__ import annotations

import json

import pytest
import websockets.exceptions

from .rawengineio import RawEngineIO
from .scenarios import establish, hang_up, ice_flows

pytestmark = pytest.mark.asyncio

MALFORMED_SOCKETIO = [
    "42[bad",                    # truncated JSON
    "42{\"not\":\"an array\"}",
    "42[]",                      # event without a name
    "42[5,{}]",                  # name is not a string
    "4",                         # empty Socket.IO packet
    "49",                        # unknown Socket.IO packet type
    "43[]",                      # ACK with no id
    "42abc[\"x\"]",              # garbage ack id
    "45-[\"x\",{\"_placeholder\":true,\"num\":0}]",  # binary event with a broken attachment count
    "40/nope,",                  # unknown namespace
    "9",                         # unknown Engine.IO packet type
    "",
    "\u0000\u0001\u0002",
]


async def assert_call_undisturbed(alice, bob, call_id, http, n):
    await ice_flows(alice, bob, call_id, "alice", n=n)
    await ice_flows(bob, alice, call_id, "bob", n=n + 1)
    for device in (alice, bob):
        await device.expect_none("disconnect", within=0)
        await device.expect_none("close", within=0)
        await device.expect_none("call_ended", within=0)
    status = await http.status()
    assert status["activeCalls"] == 1 and status["connectedUsers"] >= 2, status


async def test_bad_input_does_not_disturb_other_calls(devices, http, http_session, daemon):
    alice = await devices.user("alice", "websocket")
    bob = await devices.user("bob", "polling")
    call_id = await establish(alice, bob, "alice", "bob")

    # Malformed Socket.IO and Engine.IO packets, each on a fresh raw connection (the
    # daemon may close the offender; that is its right).
    for packet in MALFORMED_SOCKETIO:
        raw = await RawEngineIO(daemon.ws_url).connect()
        await raw.send("40")
        await raw.next_message("40")
        try:
            await raw.send(packet)
            await raw.send(b"\xff\x00garbage-binary")
        except websockets.exceptions.ConnectionClosed:
            pass  # closing the offender's connection is allowed
        await raw.close()
    await assert_call_undisturbed(alice, bob, call_id, http, n=10)

    # Engine.IO polling abuse.
    base = f"{daemon.url}/socket.io/?EIO=4&transport=polling"
    async with http_session.post(f"{base}&sid=not-a-session", data="4garbage") as response:
        assert response.status == 400
    async with http_session.get(daemon.url + "/socket.io/?EIO=3&transport=polling") as response:
        assert response.status == 400
    async with http_session.get(base) as response:
        handshake = await response.text()
    assert handshake.startswith("0"), handshake
    sid = json.loads(handshake[1:])["sid"]
    async with http_session.post(f"{base}&sid={sid}", data="\x1e\x1e42[[[") as response:
        assert response.status in (200, 400)
    await assert_call_undisturbed(alice, bob, call_id, http, n=20)

    # A well-behaved library sending nonsense: unknown events, wrong types, an oversized message.
    mallory = await devices.user("mallory")
    await mallory.fails("dance", {"callId": call_id}, "bad_request")
    await mallory.fails("ice_candidate", {"callId": call_id, "candidate": {"candidate": ""}}, "not_a_participant")
    await mallory.fails("end_call", {"callId": call_id}, "not_a_participant")
    await mallory.fails("call", {"to": {"user": "bob"}}, "bad_request")
    await mallory.fails("accept_call", {"callId": call_id, "answer": 5}, ("bad_request", "not_a_participant"))
    await mallory.emit("call", ["bob"])
    await mallory.next("error")
    await mallory.emit("call", {"to": "bob", "metadata": "x" * 1_100_000})  # over maxPayload
    await assert_call_undisturbed(alice, bob, call_id, http, n=30)

    # Garbage on /ws.
    browser = await devices.user("eve", "ws")
    for garbage in ["{{{", "null", "[]", "[1,2]", '{"jsonrpc":"2.0"}', '{"jsonrpc":"1.0","id":1,"method":"call"}',
                    '{"jsonrpc":"2.0","id":{},"method":"call","params":{}}', "[" * 100_000 + "]" * 100_000,
                    '{"jsonrpc":"2.0","id":1,"method":"end_call","params":{"callId":"%s"}}' % call_id]:
        await browser.send_raw(garbage)
    await browser.send_raw(b"\x00\xffbinary")
    await assert_call_undisturbed(alice, bob, call_id, http, n=40)
    vandal = await devices.ws("vandal").connect()
    try:
        await vandal.send_raw('{"jsonrpc":"2.0","id":1,"method":"call","params":{"to":"bob","metadata":"'
                              + "y" * 1_100_000 + '"}}')
    except websockets.exceptions.ConnectionClosed:
        pass  # the daemon may refuse the message from its header and close before the rest is sent
    await vandal.ws.wait_closed()
    assert vandal.ws.close_code == 1009, vandal.ws.close_code
    await assert_call_undisturbed(alice, bob, call_id, http, n=50)

    await hang_up(alice, bob, call_id, "alice")
    for user in ("alice", "bob"):
        assert len(await http.history(user)) == 1


async def test_ws_answers_garbage_with_jsonrpc_errors(devices):
    browser = await devices.ws("browser").connect()
    await browser.send_raw("{{{")
    parse_error = await browser.next("unsolicited")
    assert parse_error["id"] is None and parse_error["error"]["code"] == -32700, parse_error
    await browser.send_raw("[]")
    invalid = await browser.next("unsolicited")
    assert invalid["id"] is None and invalid["error"]["code"] == -32600, invalid
    await browser.send_raw('[{"jsonrpc":"2.0","method":"end_call","params":{}}]')  # only notifications
    await browser.expect_none("unsolicited", within=0.3)
    # The connection is still usable.
    assert (await browser.register("browser"))["userId"] == "browser"


async def test_oversized_socketio_message_closes_only_that_connection(devices, http):
    alice = await devices.user("alice")
    bob = await devices.user("bob", "polling")
    call_id = await establish(alice, bob, "alice", "bob")
    mallory = await devices.user("mallory", "websocket")
    await mallory.emit("ice_candidate", {"callId": call_id, "candidate": "z" * 1_100_000})
    await mallory.next("disconnect", timeout=5)
    await assert_call_undisturbed(alice, bob, call_id, http, n=1)
