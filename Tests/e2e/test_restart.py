"""A daemon restart keeps calls and history; a corrupt history file is moved aside."""

from __future__ import annotations

import asyncio
import json

import pytest

from .clients import Http
from .scenarios import check_record, establish, finished_call, hang_up, ice_flows, place_call

pytestmark = pytest.mark.asyncio


@pytest.mark.daemon_options(**{"reconnect-grace": "15"})
async def test_restart_keeps_an_active_call(devices, http, daemon):
    alice = await devices.user("alice")
    bob = await devices.user("bob", "polling")
    earlier = await place_call(alice, bob, "alice", "bob")
    await alice.ok("end_call", {"callId": earlier})
    call_id = await establish(alice, bob, "alice", "bob")
    loop = asyncio.get_running_loop()
    answered = loop.time()

    await asyncio.to_thread(daemon.restart)

    status = await http.status()
    assert (status["activeCalls"], status["connectedDevices"]) == (1, 0), status
    alice_again = await devices.sio("alice-again", "upgrade").connect()
    bob_again = await devices.ws("bob-again").connect()
    for device, user in ((alice_again, "alice"), (bob_again, "bob")):
        register = await device.register(user)
        assert [call["callId"] for call in register["calls"]] == [call_id], register
    await ice_flows(alice_again, bob_again, call_id, "alice")
    await ice_flows(bob_again, alice_again, call_id, "bob", n=2)

    lasted = loop.time() - answered
    ack = await hang_up(alice_again, bob_again, call_id, "alice")
    assert ack["duration"] >= lasted - 0.05, "the answer time did not survive the restart"
    records = await http.history("alice")
    assert [record["callId"] for record in records] == [call_id, earlier], records
    check_record(records[0], endReason="hangup", duration=ack["duration"])
    check_record(records[1], endReason="cancelled")


@pytest.mark.daemon_options(**{"ring-timeout": "10", "reconnect-grace": "20"})
async def test_restored_ringing_call_keeps_its_ring_deadline(devices, http, daemon):
    alice = await devices.user("alice")
    bob = await devices.user("bob")
    loop = asyncio.get_running_loop()
    placed = loop.time()
    call_id = await place_call(alice, bob, "alice", "bob")

    assert await asyncio.to_thread(daemon.stop) == 0
    # Down long enough that a fresh 10 s timer would end well after the original deadline.
    await asyncio.sleep(4)
    await asyncio.to_thread(daemon.start)

    alice_again = await devices.sio("alice-again").connect()
    assert [c["callId"] for c in (await alice_again.register("alice"))["calls"]] == [call_id]
    bob_again = await devices.sio("bob-again").connect()
    await bob_again.register("bob")
    incoming = await bob_again.next("incoming_call")
    assert incoming["callId"] == call_id and incoming["from"] == "alice", incoming

    ended = await alice_again.next("call_ended", timeout=15)
    assert ended["callId"] == call_id and ended["reason"] == "no_answer", ended
    assert loop.time() - placed < 12.5, "the ring deadline restarted with the daemon"
    [record] = await http.history("alice")
    check_record(record, callId=call_id, endReason="no_answer")


async def test_corrupt_history_is_moved_aside(daemon_factory, http_session):
    garbage = b"\x00{\"calls\": [oops \xff\xfe not json"
    daemon = daemon_factory(prepare=lambda d: d.history_path.write_bytes(garbage))
    http = Http(daemon.url, http_session)

    aside = sorted(daemon.state_dir.glob("history.json.corrupt-*"))
    assert len(aside) == 1, sorted(daemon.state_dir.iterdir())
    assert aside[0].read_bytes() == garbage
    assert (await http.get("/health"))[0] == 200
    assert await http.history("alice") == []

    call_id = await finished_call(daemon)

    assert daemon.stop() == 0
    json.loads(daemon.history_path.read_text())  # a fresh, valid file was written
    assert aside[0].read_bytes() == garbage
    daemon.start()
    [record] = await http.history("alice")
    check_record(record, callId=call_id, endReason="hangup")
    assert sorted(daemon.state_dir.glob("history.json.corrupt-*")) == aside
