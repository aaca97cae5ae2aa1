"""Relayed ICE and SDP bodies travel as the bytes the sender wrote: whitespace, escapes and
number spellings that a JSON library would re-spell arrive unchanged, and only the envelope
around them is rebuilt."""

from __future__ import annotations

import json

import pytest

from .rawengineio import RawEngineIO

pytestmark = pytest.mark.asyncio


async def joined(daemon, user: str) -> RawEngineIO:
    raw = await RawEngineIO(daemon.ws_url).connect(f"userId={user}")
    await raw.send("40")
    await raw.next_message("40")
    return raw


def ack_body(message: str) -> dict:
    # 43<id>[{...}]
    return json.loads(message[message.index("["):])[0]


async def active_call(alice: RawEngineIO, bob: RawEngineIO) -> str:
    await alice.send('421["call",{"to":"bob"}]')
    call = ack_body(await alice.next_message("431["))
    assert call["ok"] is True, call
    call_id = call["callId"]
    await bob.next_message('42["incoming_call"')
    await bob.send('422["accept_call",' + json.dumps({"callId": call_id}) + "]")
    assert ack_body(await bob.next_message("432["))["ok"] is True
    await alice.next_message('42["call_accepted"')
    return call_id


async def test_relayed_body_keeps_its_bytes(daemon):
    alice, bob = await joined(daemon, "alice"), await joined(daemon, "bob")
    call_id = await active_call(alice, bob)
    body = '{ "candidate" : "caf\\u00e9 \\/ 1.50e3 {[\\"", "sdpMid":"0" ,"n": 1.50E+3 }'
    await alice.send(
        f'423[ "ice_candidate" , {{"callId": {json.dumps(call_id)},\n "candidate" :  {body} }} ]')
    assert ack_body(await alice.next_message("433[")) == {"ok": True}
    relayed = await bob.next_message('42["ice_candidate"')
    assert relayed == ('42["ice_candidate",{"callId":' + json.dumps(call_id) + ',"from":"alice","candidate":'
                       + body + "}]"), relayed

    sdp = '"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\\u0000"'
    await bob.send('424["answer",{"sdp":' + sdp + ',"callId":' + json.dumps(call_id) + "}]")
    assert ack_body(await bob.next_message("434[")) == {"ok": True}
    relayed = await alice.next_message('42["answer"')
    assert relayed == '42["answer",{"callId":' + json.dumps(call_id) + ',"from":"bob","sdp":' + sdp + "}]"
    await alice.close()
    await bob.close()


async def test_escaped_key_relays_the_member_it_names(daemon):
    """An escaped key spelling `candidate` is the member the core reads: its value is relayed,
    serialised, not the later member of the same name."""
    alice, bob = await joined(daemon, "alice"), await joined(daemon, "bob")
    call_id = await active_call(alice, bob)
    await alice.send('425["ice_candidate",{"cand\\u0069date":{"a": 1},"callId":' + json.dumps(call_id)
                     + ',"candidate":"second"}]')
    assert ack_body(await alice.next_message("435[")) == {"ok": True}
    relayed = await bob.next_message('42["ice_candidate"')
    assert json.loads(relayed[2:]) == ["ice_candidate", {"callId": call_id, "from": "alice", "candidate": {"a": 1}}]
    await alice.close()
    await bob.close()
