"""Reconnect grace: a dropped participant can come back; after the grace the call ends."""

from __future__ import annotations

import asyncio
import json

import pytest

from .rawengineio import RawEngineIO
from .scenarios import check_record, establish, hang_up, ice_flows

pytestmark = pytest.mark.asyncio

GRACE = 2.0  # the test daemon's reconnect grace, seconds
LONG_RING = {"ring-timeout": "15"}  # for tests that do several things while a call rings


@pytest.mark.parametrize("kind", ["websocket", "ws"])
async def test_dropped_callee_resumes_within_grace(devices, http, kind):
    alice = await devices.user("alice")
    bob = await devices.user("bob", kind)
    call_id = await establish(alice, bob, "alice", "bob")
    await bob.drop()
    # Only once the daemon has noticed the drop is the call really in its grace period.
    status = await http.wait_for_status(connectedUsers=1, connectedDevices=1)
    assert status["activeCalls"] == 1, status

    bob_again = await (devices.ws("bob-again") if kind == "ws" else devices.sio("bob-again")).connect()
    register = await bob_again.register("bob")
    assert [call["callId"] for call in register["calls"]] == [call_id], register
    await ice_flows(alice, bob_again, call_id, "alice")
    await ice_flows(bob_again, alice, call_id, "bob", n=2)

    # Past the grace the dropped connection would have had, the call is still on.
    await asyncio.sleep(GRACE + 1)
    await alice.expect_none("call_ended", within=0.1)
    status = await http.status()
    assert status["activeCalls"] == 1, status
    await hang_up(bob_again, alice, call_id, "bob")
    [record] = await http.history("alice")
    check_record(record, callId=call_id, endReason="hangup")


@pytest.mark.parametrize("kind", ["websocket", "ws"])
async def test_grace_expiry_ends_the_call_as_disconnected(devices, http, kind):
    alice = await devices.user("alice", kind)
    bob = await devices.user("bob")
    call_id = await establish(alice, bob, "alice", "bob")
    await asyncio.sleep(0.02)
    await bob.drop()

    ended = await alice.next("call_ended", timeout=GRACE + 6)
    assert ended["callId"] == call_id and ended["reason"] == "disconnected", ended
    assert ended["fromUserId"] == "bob" and ended["duration"] > 0, ended
    [record] = await http.history("bob")
    check_record(record, callId=call_id, endReason="disconnected")

    # Coming back after the grace finds nothing to resume.
    bob_late = await devices.sio("bob-late").connect()
    assert (await bob_late.register("bob"))["calls"] == []


@pytest.mark.daemon_options(**LONG_RING)
async def test_missed_heartbeats_count_as_a_drop(devices, http, daemon):
    alice = await devices.user("alice")
    silent = await RawEngineIO(daemon.ws_url).connect()
    assert silent.handshake["pingInterval"] == 1000 and silent.handshake["pingTimeout"] == 1000
    await silent.send('40{"userId":"bob"}')
    await silent.next_message("40")
    call = await alice.ok("call", {"to": "bob"})
    incoming = json.loads((await silent.next_message('42["incoming_call"'))[2:])
    assert incoming[1]["callId"] == call["callId"]
    await silent.send('421["accept_call",{"callId":"%s"}]' % call["callId"])
    ack = json.loads((await silent.next_message("431"))[3:])
    assert ack[0]["ok"] is True, ack
    await alice.next("call_accepted")

    silent.answer_pings = False
    assert await silent.closed_within(10), "the daemon kept a connection that stopped answering pings"
    ended = await alice.next("call_ended", timeout=GRACE + 6)
    assert ended["reason"] == "disconnected" and ended["fromUserId"] == "bob", ended


@pytest.mark.daemon_options(**LONG_RING)
async def test_ringing_callee_whose_last_device_drops_can_come_back(devices, http):
    alice = await devices.user("alice")
    bob = await devices.user("bob")
    ack = await alice.ok("call", {"to": "bob"})
    await bob.next("incoming_call")
    await bob.drop()
    status = await http.wait_for_status(connectedUsers=1)
    assert status["ringingCalls"] == 1, status

    bob_again = await devices.sio("bob-again").connect()
    register = await bob_again.register("bob")
    assert [call["callId"] for call in register["calls"]] == [ack["callId"]], register
    await bob_again.next("incoming_call", callId=ack["callId"])
    await bob_again.ok("accept_call", {"callId": ack["callId"]})
    await alice.next("call_accepted", callId=ack["callId"])
