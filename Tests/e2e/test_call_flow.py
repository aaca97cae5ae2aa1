"""A whole 1:1 call, from register to the history record, on every device transport."""

from __future__ import annotations

import asyncio
import json

import pytest

from .scenarios import (ANSWER, END_OF_CANDIDATES, ODD_CANDIDATE, OFFER, candidate,
                        check_generated_call_id, check_record, place_call)

pytestmark = pytest.mark.asyncio


async def full_call(caller, callee, http, *, upgraded: bool = False) -> None:
    register_ack = await caller.register("alice")
    assert set(register_ack) == {"ok", "userId", "sessionId", "iceServers", "calls"}, register_ack
    assert register_ack["ok"] is True and register_ack["userId"] == "alice"
    assert isinstance(register_ack["sessionId"], str) and register_ack["sessionId"]
    assert register_ack["iceServers"] == [] and register_ack["calls"] == []
    assert await caller.next("registered") == register_ack
    callee_ack = await callee.register("bob")
    assert await callee.next("registered") == callee_ack
    assert callee_ack["sessionId"] != register_ack["sessionId"]
    if upgraded:
        await caller.wait_for_transport("websocket")
        await callee.wait_for_transport("websocket")

    call_id = await place_call(caller, callee, "alice", "bob")
    check_generated_call_id(call_id)
    status = await http.status()
    assert (status["ringingCalls"], status["activeCalls"]) == (1, 0), status

    await callee.ok("accept_call", {"callId": call_id, "answer": ANSWER})
    accepted = await caller.next("call_accepted", callId=call_id)
    assert accepted == {"callId": call_id, "from": "bob", "answer": ANSWER}
    status = await http.status()
    assert (status["ringingCalls"], status["activeCalls"]) == (0, 1), status

    # ICE both ways, in order, including the end-of-candidates marker and a candidate
    # whose exact bytes must survive the relay.
    for n in range(3):
        await caller.ok("ice_candidate", {"callId": call_id, "candidate": candidate(n)})
    await caller.ok("ice_candidate", {"callId": call_id, "candidate": ODD_CANDIDATE})
    await caller.ok("ice_candidate", {"callId": call_id, "candidate": END_OF_CANDIDATES})
    for n in range(3):
        got = await callee.next("ice_candidate")
        assert got == {"callId": call_id, "from": "alice", "candidate": candidate(n)}, got
    odd = await callee.next("ice_candidate")
    assert set(odd) == {"callId", "from", "candidate"} and odd["from"] == "alice"
    assert callee.raw_containing('"candidate":' + ODD_CANDIDATE.text), \
        f"candidate bytes changed in the relay: {callee.raw_containing('x-weight')}"
    assert await callee.next("ice_candidate") == {"callId": call_id, "from": "alice",
                                                  "candidate": END_OF_CANDIDATES}

    await callee.ok("ice_candidate", {"callId": call_id, "candidate": ODD_CANDIDATE})
    await callee.ok("ice_candidate", {"callId": call_id, "candidate": candidate(7)})
    assert (await caller.next("ice_candidate"))["from"] == "bob"
    assert caller.raw_containing('"candidate":' + ODD_CANDIDATE.text)
    assert await caller.next("ice_candidate") == {"callId": call_id, "from": "bob", "candidate": candidate(7)}

    # Renegotiation: offer and answer are relayed the same way.
    await callee.ok("offer", {"callId": call_id, "sdp": OFFER})
    assert await caller.next("offer") == {"callId": call_id, "from": "bob", "sdp": OFFER}
    await caller.ok("answer", {"callId": call_id, "sdp": ANSWER})
    assert await callee.next("answer") == {"callId": call_id, "from": "alice", "sdp": ANSWER}

    await asyncio.sleep(0.05)  # let the call last a measurable time
    ack = await caller.ok("end_call", {"callId": call_id})
    assert set(ack) == {"ok", "callId", "duration"} and ack["callId"] == call_id, ack
    assert ack["duration"] > 0
    ended = await callee.next("call_ended")
    assert ended == {"callId": call_id, "fromUserId": "alice", "reason": "hangup",
                     "duration": ack["duration"]}, ended
    await caller.expect_none("call_ended", within=0.2)

    for user in ("alice", "bob"):
        records = await http.history(user)
        assert len(records) == 1, records
        check_record(records[0], callId=call_id, **{"from": "alice"}, participants=["alice", "bob"],
                     media="video", endReason="hangup", duration=ack["duration"])
        assert records[0]["answeredAt"] is not None
    status = await http.status()
    assert (status["ringingCalls"], status["activeCalls"]) == (0, 0), status


async def test_full_call_over_socketio(devices, http, transport):
    caller = await devices.sio("alice", transport).connect()
    callee = await devices.sio("bob", transport).connect()
    await full_call(caller, callee, http, upgraded=transport == "upgrade")


async def test_full_call_over_ws_jsonrpc(devices, http):
    caller = await devices.ws("alice").connect()
    callee = await devices.ws("bob").connect()
    await full_call(caller, callee, http)


async def test_socketio_device_calls_ws_device(devices, http):
    caller = await devices.sio("alice", "upgrade").connect()
    callee = await devices.ws("bob").connect()
    await full_call(caller, callee, http)


async def test_ws_device_calls_socketio_device(devices, http):
    caller = await devices.ws("alice").connect()
    callee = await devices.sio("bob", "polling").connect()
    await full_call(caller, callee, http)


async def test_ws_results_and_errors_are_jsonrpc(devices):
    """/ws: a result is the ack body, an event is a notification, a failure carries data.code."""
    device = await devices.ws("alice").connect()
    response = await device.request("register", {"userId": "alice"})
    assert set(response) == {"jsonrpc", "id", "result"}, response
    assert response["result"]["ok"] is True and response["result"]["userId"] == "alice"
    assert await device.next("registered") == response["result"]
    notifications = [json.loads(m) for m in device.raw_messages if '"registered"' in m]
    assert notifications == [{"jsonrpc": "2.0", "method": "registered", "params": response["result"]}], \
        device.raw_messages
    error = await device.fails("end_call", {"callId": "call_0_nope"}, "call_not_found")
    assert "result" not in error
    # String and null ids are echoed verbatim.
    await device.send_raw('{"jsonrpc":"2.0","id":"abc","method":"end_call","params":{}}')
    reply = await device.next("unsolicited")
    assert reply["id"] == "abc" and reply["error"]["data"]["code"] == "call_not_found", reply
