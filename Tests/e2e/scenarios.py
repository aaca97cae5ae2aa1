"""Call steps shared by the tests, each checking the contract's payloads on the way."""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone

from .clients import Devices
from .rawjson import RawJSON

END_REASONS = ("hangup", "cancelled", "rejected", "busy", "no_answer", "disconnected", "admin")
RECORD_KEYS = ["callId", "from", "participants", "media", "status", "endReason",
               "createdAt", "answeredAt", "endedAt", "duration"]
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
GENERATED_CALL_ID = re.compile(r"^call_(\d+)_(.+)$")

OFFER = {"type": "offer", "sdp": "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"}
ANSWER = {"type": "answer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"}

# Written the way Python's json would not write it: keys out of alphabetical order, numbers
# spelled with a trailing zero and an exponent, non-ASCII text as UTF-8, an escaped quote and
# backslash. The text itself is sent and must come back byte for byte (the daemon keeps key
# order and number text, and escapes minimally, so compact minimal input round-trips exactly).
ODD_CANDIDATE = RawJSON(
    '{"sdpMid":"0","candidate":"candidate:842163049 1 udp 1677729535 192.0.2.7 46154 typ srflx '
    'raddr 0.0.0.0 rport 0 generation 0 ufrag sK4v network-cost 999","sdpMLineIndex":0,'
    '"usernameFragment":"sK4v","x-weight":1.50,"x-scale":1E+2,"x-label":"caf\u00e9 \\"q\\" \\\\"}'
)
END_OF_CANDIDATES = {"candidate": ""}


def candidate(n: int) -> dict:
    return {"candidate": f"candidate:{n} 1 udp 2122260223 192.0.2.1 {50000 + n} typ host",
            "sdpMid": "0", "sdpMLineIndex": 0}


def parse_time(text: str) -> datetime:
    assert isinstance(text, str) and ISO_UTC.match(text), f"not an ISO-8601 UTC time: {text!r}"
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def check_generated_call_id(call_id: str) -> None:
    match = GENERATED_CALL_ID.match(call_id)
    assert match, f"callId {call_id!r} is not call_<unix-ms>_<random>"
    assert abs(int(match.group(1)) / 1000 - time.time()) < 300, f"callId time is not now: {call_id}"


def check_record(record: dict, **expected) -> dict:
    """A history record has exactly the contract's fields, consistent times and duration."""
    assert list(record.keys()) == RECORD_KEYS, f"record keys {list(record.keys())}"
    for key, value in expected.items():
        assert record[key] == value, f"record {key}: expected {value!r}, got {record[key]!r} in {record}"
    assert record["status"] == "ended"
    assert record["endReason"] in END_REASONS
    assert record["from"] in record["participants"]
    created, ended = parse_time(record["createdAt"]), parse_time(record["endedAt"])
    assert created <= ended
    if record["answeredAt"] is None:
        assert record["duration"] == 0
    else:
        answered = parse_time(record["answeredAt"])
        assert created <= answered <= ended
        assert abs(record["duration"] - (ended - answered).total_seconds()) < 0.0015, record
    return record


async def place_call(caller, callee, caller_id: str, callee_id: str, **fields) -> str:
    """caller calls callee (one device each, both registered) until both know it rings."""
    request = {"to": callee_id, "offer": OFFER, "media": "video", "metadata": {"topic": "e2e", "n": 1},
               **fields}
    ack = await caller.ok("call", request)
    call_id = ack["callId"]
    assert ack["delivered"] == 1, ack
    incoming = await callee.next("incoming_call", callId=call_id)
    assert incoming == {"callId": call_id, "from": caller_id, "participants": [caller_id, callee_id],
                        "offer": request["offer"], "media": request["media"],
                        "metadata": request["metadata"]}, incoming
    ringing = await caller.next("ringing", callId=call_id)
    assert ringing == {"callId": call_id, "to": callee_id}, ringing
    return call_id


async def accept(caller, callee, call_id: str, callee_id: str) -> None:
    await callee.ok("accept_call", {"callId": call_id, "answer": ANSWER})
    accepted = await caller.next("call_accepted", callId=call_id)
    assert accepted == {"callId": call_id, "from": callee_id, "answer": ANSWER}, accepted


async def establish(caller, callee, caller_id: str, callee_id: str, **fields) -> str:
    call_id = await place_call(caller, callee, caller_id, callee_id, **fields)
    await accept(caller, callee, call_id, callee_id)
    return call_id


async def ice_flows(sender, receiver, call_id: str, sender_id: str, n: int = 1) -> None:
    """A candidate from sender reaches receiver unchanged."""
    sent = candidate(n)
    await sender.ok("ice_candidate", {"callId": call_id, "candidate": sent})
    got = await receiver.next("ice_candidate", callId=call_id, candidate=sent)
    assert got == {"callId": call_id, "from": sender_id, "candidate": sent}, got


async def hang_up(ender, other, call_id: str, ender_id: str, reason: str = "hangup") -> dict:
    ack = await ender.ok("end_call", {"callId": call_id})
    assert ack["callId"] == call_id and isinstance(ack["duration"], (int, float)), ack
    ended = await other.next("call_ended", callId=call_id)
    assert ended == {"callId": call_id, "fromUserId": ender_id, "reason": reason,
                     "duration": ack["duration"]}, ended
    return ack


async def finished_call(daemon) -> str:
    """alice calls bob, bob answers and hangs up, both disconnect; returns the call id."""
    pool = Devices(daemon)
    try:
        alice = await pool.user("alice")
        bob = await pool.user("bob")
        call_id = await establish(alice, bob, "alice", "bob")
        await hang_up(bob, alice, call_id, "bob")
    finally:
        await pool.close_all()
    return call_id
