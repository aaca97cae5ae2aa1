"""Every error code a device can reach with auth mode none, on Socket.IO acks and /ws errors.

Not reachable here: `unauthorized` (needs auth mode jwt), `rate_limited` and
`payload_too_large` (limits of the security issue), `user_offline` (control interface's
users.notify), `internal` (a bug).
"""

from __future__ import annotations

import pytest

from .scenarios import establish, ice_flows, place_call

pytestmark = pytest.mark.asyncio

DEVICE_KINDS = ["websocket", "ws"]

UNKNOWN_EVENT = "fly_to_the_moon"
BAD_REQUESTS = [
    (UNKNOWN_EVENT, {"callId": "x"}),
    ("call", {}),                                     # no callee
    ("call", {"to": 5}),
    ("call", {"to": []}),
    ("call", {"to": [5]}),
    ("call", {"to": "alice"}),                        # calling yourself
    ("call", {"to": "bob", "media": "hologram"}),
    ("call", {"to": "bob", "callId": 12}),
    ("accept_call", {}),
    ("accept_call", {"callId": ["x"]}),
    ("reject_call", {"callId": "x", "reason": "because"}),
    ("ice_candidate", {"candidate": {"candidate": ""}}),  # no callId
    ("end_call", {"callId": 1}),
    ("register", {"userId": 5}),
    ("register", {}),
]


async def snapshot(http) -> dict:
    status = await http.status()
    return {key: value for key, value in status.items() if key != "uptimeSeconds"}


@pytest.mark.parametrize("kind", DEVICE_KINDS)
async def test_bad_request(devices, http, kind):
    alice = await devices.user("alice", kind)
    await devices.user("bob")
    before = await snapshot(http)
    for event, payload in BAD_REQUESTS:
        if kind == "ws" and event == UNKNOWN_EVENT:
            # JSON-RPC's own "method not found" is as fitting as an application error here.
            error = (await alice.request(event, payload))["error"]
            assert error["code"] in (-32601,) or error["code"] <= -32000, error
            assert error["data"]["code"] == "bad_request", error
            continue
        await alice.fails(event, payload, "bad_request")
    if kind == "ws":
        # JSON-RPC itself refuses params that are neither object nor array.
        await alice.send_raw('{"jsonrpc":"2.0","id":"p","method":"call","params":"bob"}')
        response = await alice.next("unsolicited")
        assert response["id"] in ("p", None) and response["error"]["code"] == -32600, response
    else:
        await alice.fails("call", "bob", "bad_request")
    assert await snapshot(http) == before
    assert await http.history("alice") == []


@pytest.mark.parametrize("kind", DEVICE_KINDS)
async def test_call_id_already_used_is_bad_request(devices, http, kind):
    alice = await devices.user("alice", kind)
    bob = await devices.user("bob")
    call_id = await place_call(alice, bob, "alice", "bob", callId="call_e2e_fixed")
    assert call_id == "call_e2e_fixed"
    await alice.ok("end_call", {"callId": call_id})
    await alice.fails("call", {"to": "bob", "callId": call_id}, "bad_request")  # used, in history


@pytest.mark.parametrize("kind", DEVICE_KINDS)
async def test_not_registered(devices, http, kind):
    device = devices.sio("anon") if kind != "ws" else devices.ws("anon")
    await device.connect()
    await devices.user("bob")
    for event, payload in [("call", {"to": "bob"}), ("accept_call", {"callId": "c"}),
                           ("reject_call", {"callId": "c"}), ("end_call", {}),
                           ("ice_candidate", {"callId": "c", "candidate": {"candidate": ""}}),
                           ("offer", {"callId": "c", "sdp": {}}), ("answer", {"callId": "c", "sdp": {}})]:
        await device.fails(event, payload, "not_registered")
    assert (await http.status())["ringingCalls"] == 0


@pytest.mark.parametrize("kind", DEVICE_KINDS)
async def test_busy_caller(devices, kind):
    alice = await devices.user("alice", kind)
    bob = await devices.user("bob")
    await devices.user("carol")
    await establish(alice, bob, "alice", "bob")
    await alice.fails("call", {"to": "carol"}, "busy")


@pytest.mark.parametrize("kind", DEVICE_KINDS)
async def test_call_not_found(devices, kind):
    alice = await devices.user("alice", kind)
    await alice.fails("end_call", {}, "call_not_found")
    await alice.fails("end_call", {"callId": "call_0_missing"}, "call_not_found")
    await alice.fails("accept_call", {"callId": "call_0_missing"}, "call_not_found")
    await alice.fails("ice_candidate", {"callId": "call_0_missing", "candidate": {"candidate": ""}},
                      "call_not_found")


@pytest.mark.parametrize("kind", DEVICE_KINDS)
async def test_not_a_participant(devices, http, kind):
    alice = await devices.user("alice")
    bob = await devices.user("bob")
    carol = await devices.user("carol", kind)
    call_id = await place_call(alice, bob, "alice", "bob")
    await carol.fails("accept_call", {"callId": call_id}, "not_a_participant")
    await carol.fails("reject_call", {"callId": call_id}, "not_a_participant")
    await bob.ok("accept_call", {"callId": call_id})
    await carol.fails("ice_candidate", {"callId": call_id, "candidate": {"candidate": ""}},
                      "not_a_participant")
    await carol.fails("offer", {"callId": call_id, "sdp": {"type": "offer", "sdp": ""}}, "not_a_participant")
    await carol.fails("end_call", {"callId": call_id}, "not_a_participant")
    # A prefix only ever searches the sender's own calls.
    await carol.fails("end_call", {"callId": call_id[:-2]}, "call_not_found")
    assert (await http.status())["activeCalls"] == 1
    await ice_flows(alice, bob, call_id, "alice")


@pytest.mark.parametrize("kind", DEVICE_KINDS)
async def test_invalid_state(devices, kind):
    alice = await devices.user("alice")
    bob = await devices.user("bob", kind)
    call_id = await establish(alice, bob, "alice", "bob")
    await bob.fails("accept_call", {"callId": call_id}, "invalid_state")
    await bob.fails("reject_call", {"callId": call_id}, "invalid_state")


async def test_failure_without_ack_is_an_error_event(devices):
    alice = await devices.user("alice")
    await alice.emit("end_call", {"callId": "call_0_missing"})
    error = await alice.next("error")
    assert error["code"] == "call_not_found" and error["event"] == "end_call", error
    assert isinstance(error["message"], str) and error["message"]
    await alice.emit("no_such_event", {})
    error = await alice.next("error")
    assert error["code"] == "bad_request" and error["event"] == "no_such_event", error


async def test_failed_notification_on_ws_is_an_error_event(devices):
    browser = await devices.user("alice", "ws")
    await browser.send_raw('{"jsonrpc":"2.0","method":"end_call","params":{"callId":"call_0_missing"}}')
    error = await browser.next("error")
    assert error["code"] == "call_not_found" and error["event"] == "end_call", error
    assert browser.unsolicited == [], "a notification gets no JSON-RPC response"
