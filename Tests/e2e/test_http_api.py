"""The HTTP API: POST /call-end with the Node server's shapes, /status, /history, /metrics, /health."""

from __future__ import annotations

import asyncio
import re

import pytest

from .scenarios import END_REASONS, check_record, establish, ice_flows, place_call

pytestmark = pytest.mark.asyncio

SUCCESS = {"status": "Success", "message": "Call ended successfully"}
NOT_FOUND = {"status": "Error", "message": "Call not found"}


async def active_call(devices):
    alice = await devices.user("alice")
    bob = await devices.user("bob", "polling")
    call_id = await establish(alice, bob, "alice", "bob")
    return alice, bob, call_id


async def assert_ended_by_http(http, alice, bob, call_id, requester):
    """Every device of every participant hears about it, the requester's too."""
    for device in (alice, bob):
        ended = await device.next("call_ended", callId=call_id)
        assert ended["reason"] == "hangup" and ended["fromUserId"] == requester, ended
        assert ended["duration"] > 0, ended
    [record] = await http.history(requester)
    check_record(record, callId=call_id, endReason="hangup")
    assert (await http.status())["activeCalls"] == 0


def call_end_cases(call_id: str):
    return {
        "exact id": {"callId": call_id, "userId": "bob"},
        "unique prefix": {"callId": call_id[:-2], "userId": "alice"},
        "the user's only call": {"userId": "alice"},
    }


@pytest.mark.parametrize("case", ["exact id", "unique prefix", "the user's only call"])
async def test_call_end(devices, http, case):
    alice, bob, call_id = await active_call(devices)
    await asyncio.sleep(0.02)  # a measurable duration
    body = call_end_cases(call_id)[case]
    status, answer = await http.post("/call-end", body)
    assert (status, answer) == (200, {**SUCCESS, "callId": call_id}), (status, answer)
    await assert_ended_by_http(http, alice, bob, call_id, body["userId"])


async def test_call_end_not_found(devices, http):
    alice, bob, call_id = await active_call(devices)
    for body in ({"callId": "call_1_nope", "userId": "alice"},
                 {"callId": "zzz", "userId": "alice"},
                 {"userId": "carol"}):
        status, answer = await http.post("/call-end", body)
        assert (status, answer) == (404, NOT_FOUND), (body, status, answer)
    # Someone else's call cannot be ended by naming it.
    status, answer = await http.post("/call-end", {"callId": call_id, "userId": "carol"})
    assert status in (403, 404) and answer["status"] == "Error", (status, answer)
    await ice_flows(alice, bob, call_id, "alice")
    assert (await http.status())["activeCalls"] == 1


@pytest.mark.parametrize("body", [
    "{not json",
    "",
    "[]",
    '"alice"',
    '{"callId": 5, "userId": "alice"}',
    '{"callId": "x"}',
    '{"userId": ["alice"]}',
    '{"userId": ""}',
], ids=["bad json", "empty body", "array", "string", "number callId", "no userId", "array userId",
        "empty userId"])
async def test_call_end_bad_request(devices, http, body):
    alice, bob, call_id = await active_call(devices)
    status, answer = await http.post("/call-end", data=body, headers={"Content-Type": "application/json"})
    assert status == 400, (status, answer)
    assert isinstance(answer, dict) and answer.get("status") == "Error", answer
    assert isinstance(answer.get("message"), str) and answer["message"], answer
    await ice_flows(bob, alice, call_id, "bob")
    assert (await http.status())["activeCalls"] == 1


async def test_call_end_body_too_large(devices, http):
    alice, bob, call_id = await active_call(devices)
    padding = "x" * 1_100_000  # over the default max-payload of 1,000,000 bytes
    body = '{"userId":"alice","pad":"' + padding + '"}'
    status, _ = await http.post("/call-end", data=body, headers={"Content-Type": "application/json"})
    assert status == 413
    await ice_flows(alice, bob, call_id, "alice")
    assert (await http.status())["activeCalls"] == 1


async def test_call_end_of_a_ringing_call_by_the_caller(devices, http):
    alice = await devices.user("alice")
    bob = await devices.user("bob")
    call_id = await place_call(alice, bob, "alice", "bob")
    status, answer = await http.post("/call-end", {"userId": "alice"})
    assert (status, answer) == (200, {**SUCCESS, "callId": call_id})
    for device in (alice, bob):
        ended = await device.next("call_ended", callId=call_id)
        assert ended["duration"] == 0 and ended["reason"] == "cancelled", ended


def totals_by_reason(status: dict) -> dict:
    """`callsByEndReason`: every end reason with its count, zeros included."""
    totals = status.get("callsByEndReason")
    assert isinstance(totals, dict) and set(totals) == set(END_REASONS), f"/status totals: {status}"
    return totals


async def test_status_counts_and_totals(devices, http):
    status = await http.status()
    for field in ("status", "version", "uptimeSeconds", "connectedUsers", "connectedDevices",
                  "ringingCalls", "activeCalls", "averageDurationSeconds"):
        assert field in status, f"/status lacks {field}: {status}"
    assert isinstance(status["version"], str) and status["version"]
    assert isinstance(status["uptimeSeconds"], (int, float)) and status["uptimeSeconds"] >= 0
    assert (status["connectedUsers"], status["connectedDevices"]) == (0, 0), status
    assert all(count == 0 for count in totals_by_reason(status).values()), status

    alice = await devices.user("alice")
    await devices.user("alice", "polling", name="alice-2")
    bob = await devices.user("bob")
    carol = await devices.user("carol", "ws")
    status = await http.status()
    assert (status["connectedUsers"], status["connectedDevices"]) == (3, 4), status

    # One call for each end reason a device can cause within seconds.
    hangup_id = await establish(alice, bob, "alice", "bob")
    await carol.fails("call", {"to": "bob"}, "busy")
    await asyncio.sleep(0.05)
    duration = (await alice.ok("end_call", {"callId": hangup_id}))["duration"]
    cancelled_id = await place_call(carol, bob, "carol", "bob")
    await carol.ok("end_call", {"callId": cancelled_id})
    rejected_id = await place_call(bob, carol, "bob", "carol")
    await carol.ok("reject_call", {"callId": rejected_id})
    await bob.ok("call", {"to": "nobody-online"})
    await bob.next("call_ended", timeout=8, reason="no_answer")

    status = await http.status()
    assert totals_by_reason(status) == {"hangup": 1, "cancelled": 1, "rejected": 1, "busy": 1, "no_answer": 1,
                      "disconnected": 0, "admin": 0}, status
    assert abs(status["averageDurationSeconds"] - duration) < 0.001, (status, duration)
    assert (status["ringingCalls"], status["activeCalls"]) == (0, 0)


async def test_history_is_newest_first_and_limited(devices, http):
    alice = await devices.user("alice")
    bob = await devices.user("bob")
    carol = await devices.user("carol")
    dave = await devices.user("dave")
    call_ids = []
    for _ in range(3):
        call_id = await place_call(alice, bob, "alice", "bob")
        await alice.ok("end_call", {"callId": call_id})
        await bob.next("call_ended", callId=call_id)
        call_ids.append(call_id)
    other = await place_call(carol, dave, "carol", "dave")
    await dave.ok("reject_call", {"callId": other})

    records = await http.history("alice")
    assert [record["callId"] for record in records] == call_ids[::-1], records
    for record in records:
        check_record(record, endReason="cancelled")
    assert [r["callId"] for r in await http.history("bob", limit=2)] == call_ids[:0:-1]
    assert [r["callId"] for r in await http.history("dave")] == [other]
    assert await http.history("nobody") == []
    status, _, body = await http.get("/history?userId=alice&limit=abc")
    assert status == 400, (status, body)


METRIC_LINE = re.compile(
    r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? '
    r'(-?[0-9.eE+-]+|NaN|\+Inf|-Inf)( -?\d+)?$'
)


async def test_metrics_is_prometheus_text(devices, http):
    alice, bob, call_id = await active_call(devices)
    status, headers, body = await http.get("/metrics")
    assert status == 200
    assert headers.get("Content-Type", "").startswith("text/plain"), headers
    samples = 0
    for line in body.splitlines():
        if line.startswith("# TYPE "):
            assert re.match(r"^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped)$",
                            line), line
        elif line and not line.startswith("#"):
            assert METRIC_LINE.match(line), f"not a Prometheus sample: {line!r}"
            samples += 1
    assert samples > 0, body


async def test_health_and_unknown_paths(http):
    status, _, _ = await http.get("/health")
    assert status == 200
    status, _, _ = await http.get("/no-such-thing")
    assert status == 404
