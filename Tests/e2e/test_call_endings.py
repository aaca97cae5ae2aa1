"""How calls end without a hangup: reject, busy, cancel, ring timeout; and multi-device ringing."""

from __future__ import annotations

import pytest

from .scenarios import ANSWER, check_record, establish, ice_flows, place_call

pytestmark = pytest.mark.asyncio

# Accepting a call that has ended: it is no longer live (call_not_found), or it is known but
# not ringing (invalid_state); the contract allows either.
OVER = ("call_not_found", "invalid_state")
LONG_RING = {"ring-timeout": "15"}  # for tests that do several things while a call rings


@pytest.mark.parametrize("reason, end_reason", [("declined", "rejected"), ("busy", "busy")])
async def test_reject(devices, http, reason, end_reason):
    alice = await devices.user("alice")
    bob = await devices.user("bob", "polling")
    call_id = await place_call(alice, bob, "alice", "bob")

    await bob.ok("reject_call", {"callId": call_id, "reason": reason})
    assert await alice.next("call_rejected") == {"callId": call_id, "from": "bob", "reason": reason}

    [record] = await http.history("alice")
    check_record(record, callId=call_id, endReason=end_reason, answeredAt=None, duration=0)
    assert (await http.status())["ringingCalls"] == 0
    # The call is over: accepting it now is refused.
    await bob.fails("accept_call", {"callId": call_id}, OVER)


async def test_reject_without_reason_is_declined(devices, http):
    alice = await devices.user("alice")
    bob = await devices.user("bob")
    call_id = await place_call(alice, bob, "alice", "bob")
    await bob.ok("reject_call", {"callId": call_id})
    assert await alice.next("call_rejected") == {"callId": call_id, "from": "bob", "reason": "declined"}
    [record] = await http.history("bob")
    check_record(record, callId=call_id, endReason="rejected")


async def test_busy_callee(devices, http):
    alice = await devices.user("alice")
    bob = await devices.user("bob")
    carol = await devices.user("carol", "polling")
    call_id = await establish(alice, bob, "alice", "bob")

    error = await carol.fails("call", {"to": "bob"}, "busy")
    assert "bob" in error["message"] or "busy" in error["message"].lower(), error
    await bob.expect_none("incoming_call")

    [record] = await http.history("carol")
    check_record(record, **{"from": "carol"}, participants=["carol", "bob"], endReason="busy",
                 answeredAt=None, duration=0)
    assert record["callId"] != call_id
    # The busy attempt did not disturb the ongoing call.
    await ice_flows(alice, bob, call_id, "alice")
    await ice_flows(bob, alice, call_id, "bob")
    assert (await http.status())["activeCalls"] == 1


async def test_caller_cancels_while_ringing(devices, http):
    alice = await devices.user("alice")
    bob = await devices.user("bob")
    call_id = await place_call(alice, bob, "alice", "bob")

    ack = await alice.ok("end_call", {"callId": call_id})
    assert ack == {"ok": True, "callId": call_id, "duration": 0}, ack
    assert await bob.next("call_ended") == {"callId": call_id, "fromUserId": "alice",
                                            "reason": "cancelled", "duration": 0}
    [record] = await http.history("bob")
    check_record(record, callId=call_id, endReason="cancelled", answeredAt=None, duration=0)


@pytest.mark.daemon_options(**LONG_RING)
async def test_every_callee_device_rings_and_the_first_accept_wins(devices, http):
    alice = await devices.user("alice")
    phone = await devices.user("bob", "polling", name="bob-phone")
    tablet = await devices.user("bob", "websocket", name="bob-tablet")
    laptop = await devices.user("bob", "ws", name="bob-laptop")

    ack = await alice.ok("call", {"to": "bob", "media": "audio"})
    call_id = ack["callId"]
    assert ack["delivered"] == 3, ack
    for device in (phone, tablet, laptop):
        incoming = await device.next("incoming_call", callId=call_id)
        assert incoming["from"] == "alice" and incoming["participants"] == ["alice", "bob"]
    assert await alice.next("ringing") == {"callId": call_id, "to": "bob"}
    await alice.expect_none("ringing", within=0.3)  # one per callee, not per device

    await tablet.ok("accept_call", {"callId": call_id, "answer": ANSWER})
    assert await alice.next("call_accepted") == {"callId": call_id, "from": "bob", "answer": ANSWER}
    for device in (phone, laptop):
        assert await device.next("call_ended") == {"callId": call_id, "fromUserId": "bob",
                                                   "reason": "answered_elsewhere", "duration": 0}
        await device.fails("accept_call", {"callId": call_id}, "invalid_state")

    # From now on only the device that answered is in the call.
    await ice_flows(alice, tablet, call_id, "alice")
    await ice_flows(tablet, alice, call_id, "bob", n=2)
    await alice.ok("end_call", {"callId": call_id})
    ended = await tablet.next("call_ended")
    assert ended["reason"] == "hangup" and ended["fromUserId"] == "alice", ended
    for device in (phone, laptop):
        await device.expect_none("ice_candidate", within=0.2)
        await device.expect_none("call_ended", within=0.2)
    [record] = await http.history("bob")
    check_record(record, callId=call_id, endReason="hangup", media="audio")


async def test_ring_timeout_ends_with_no_answer(devices, http):
    alice = await devices.user("alice")
    bob = await devices.user("bob")
    call_id = await place_call(alice, bob, "alice", "bob")

    # The test daemon rings for 2 s.
    for device in (bob, alice):
        ended = await device.next("call_ended", timeout=8)
        assert ended == {"callId": call_id, "fromUserId": None, "reason": "no_answer", "duration": 0}, ended
    [record] = await http.history("alice")
    check_record(record, callId=call_id, endReason="no_answer", answeredAt=None, duration=0)
    await bob.fails("accept_call", {"callId": call_id}, OVER)


@pytest.mark.daemon_options(**LONG_RING)
async def test_offline_callee_gets_the_call_when_registering_in_time(devices, http):
    alice = await devices.user("alice")
    ack = await alice.ok("call", {"to": "bob", "media": "audio", "metadata": {"k": [1, 2]}})
    call_id = ack["callId"]
    assert ack["delivered"] == 0, ack
    await alice.expect_none("ringing", within=0.2)

    bob = await devices.sio("bob", "polling").connect()
    register = await bob.register("bob")
    assert [call["callId"] for call in register["calls"]] == [call_id], register
    incoming = await bob.next("incoming_call")
    assert incoming["callId"] == call_id and incoming["from"] == "alice"
    assert incoming["metadata"] == {"k": [1, 2]}
    assert await alice.next("ringing") == {"callId": call_id, "to": "bob"}

    await bob.ok("accept_call", {"callId": call_id})
    accepted = await alice.next("call_accepted")
    assert accepted["callId"] == call_id and accepted["from"] == "bob"
    await ice_flows(alice, bob, call_id, "alice")


async def test_offline_callee_that_never_comes_is_no_answer(devices, http):
    alice = await devices.user("alice")
    call_id = (await alice.ok("call", {"to": "bob"}))["callId"]
    ended = await alice.next("call_ended", timeout=8)
    assert ended["callId"] == call_id and ended["reason"] == "no_answer", ended
    [record] = await http.history("bob")
    check_record(record, callId=call_id, endReason="no_answer", participants=["alice", "bob"])
