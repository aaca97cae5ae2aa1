"""The ended calls of a long history are read while the daemon already serves: every answer drawn
from the history waits for them, calls ended meanwhile come after them, and records that turn out
bad move the file aside while the live calls restored at the start stay."""

from __future__ import annotations

import json
import time

import pytest

from .clients import Http
from .scenarios import check_record, finished_call

pytestmark = pytest.mark.asyncio

RECORDS = 30_000


def iso(milliseconds: int) -> str:
    seconds, millis = divmod(milliseconds, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


def records(count: int) -> list[dict]:
    start = int(time.time() * 1000) - 86_400_000
    calls = []
    for index in range(count):
        created = start + index
        calls.append({
            "callId": f"old-{index}", "from": "alice", "participants": ["alice", f"user-{index % 97}"],
            "media": "audio", "status": "ended", "endReason": "no_answer", "createdAt": iso(created),
            "answeredAt": None, "endedAt": iso(created + 30_000), "duration": 0,
        })
    return calls


def ringing_call() -> dict:
    now = int(time.time() * 1000)
    return {
        "callId": "still-ringing", "from": "carol",
        "participants": [{"userId": "carol", "state": "joined"}, {"userId": "dave", "state": "ringing"}],
        "media": "audio", "createdAt": iso(now), "ringDeadline": iso(now + 600_000),
    }


@pytest.mark.parametrize("calls_first", [False, True], ids=["as-dialtone-writes", "calls-first"])
async def test_a_long_history_is_complete_in_every_answer(daemon_factory, http_session, calls_first):
    old = records(RECORDS)
    document = {"format": 1, "calls": old, "live": []} if calls_first else {"format": 1, "live": [], "calls": old}
    daemon = daemon_factory(prepare=lambda d: d.history_path.write_text(json.dumps(document)))
    http = Http(daemon.url, http_session)

    call_id = await finished_call(daemon)

    status = await http.status()
    assert status["totalCalls"] == RECORDS + 1, status
    assert status["callsByEndReason"]["no_answer"] == RECORDS, status
    newest = await http.history("alice", limit=3)
    check_record(newest[0], callId=call_id, endReason="hangup")
    assert [record["callId"] for record in newest[1:]] == [f"old-{RECORDS - 1}", f"old-{RECORDS - 2}"]

    assert daemon.stop() == 0
    saved = json.loads(daemon.history_path.read_text())
    assert [record["callId"] for record in saved["calls"]] == [f"old-{i}" for i in range(RECORDS)] + [call_id]
    assert list(saved) == ["format", "live", "calls"]


async def test_records_that_turn_out_bad_move_the_file_aside(daemon_factory, http_session):
    old = records(100)
    old[57]["endedAt"] = "not a time"
    text = json.dumps({"format": 1, "live": [ringing_call()], "calls": old})
    daemon = daemon_factory(prepare=lambda d: d.history_path.write_text(text))
    http = Http(daemon.url, http_session)

    status = await http.status()
    assert (status["totalCalls"], status["ringingCalls"]) == (0, 1), status
    aside = sorted(daemon.state_dir.glob("history.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == text
    assert await http.history("alice") == []
    assert "calls[57].endedAt" in daemon.log_tail(200)

    assert daemon.stop() == 0
    saved = json.loads(daemon.history_path.read_text())
    assert (saved["calls"], [call["callId"] for call in saved["live"]]) == ([], ["still-ringing"])
    assert sorted(daemon.state_dir.glob("history.json.corrupt-*")) == aside


async def test_a_stop_as_soon_as_the_daemon_serves_keeps_every_record(daemon_factory):
    old = records(RECORDS)
    document = {"format": 1, "live": [ringing_call()], "calls": old}
    daemon = daemon_factory(prepare=lambda d: d.history_path.write_text(json.dumps(document)))

    assert daemon.stop() == 0  # most likely while the records are still being read
    saved = json.loads(daemon.history_path.read_text())
    assert saved["calls"] == old
    assert [call["callId"] for call in saved["live"]] == ["still-ringing"]
