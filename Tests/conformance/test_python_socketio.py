"""The official python-socketio AsyncClient, with its default options, against the reference
server: each transport, the polling -> websocket upgrade, acks, binary data and namespaces."""

from __future__ import annotations

import asyncio

import pytest
import socketio

pytestmark = pytest.mark.asyncio

WAIT = 5.0


async def connected_client(base_url: str, transports=None, namespaces=None, auth=None) -> tuple[socketio.AsyncClient, dict]:
    """A connected client and, per namespace, a queue of what it received."""
    client = socketio.AsyncClient(reconnection=False)
    queues: dict[str, asyncio.Queue] = {}
    for namespace in namespaces or ["/"]:
        queue: asyncio.Queue = asyncio.Queue()
        queues[namespace] = queue
        client.on("*", lambda event, *args, queue=queue: queue.put_nowait((event, list(args))), namespace=namespace)
    await client.connect(base_url, transports=transports, namespaces=namespaces, auth=auth, wait_timeout=WAIT)
    return client, queues


async def next_event(queue: asyncio.Queue, name: str) -> list:
    while True:
        event, args = await asyncio.wait_for(queue.get(), WAIT)
        if event == name:
            return args


@pytest.mark.parametrize("transports, expected", [(["polling"], "polling"), (["websocket"], "websocket"), (None, "websocket")])
async def test_connects_emits_and_receives_on_each_transport(base_url, transports, expected):
    client, queues = await connected_client(base_url, transports=transports, auth={"userId": "alice"})
    try:
        assert await next_event(queues["/"], "auth") == [{"userId": "alice"}]
        if transports is None:
            # The default client starts on polling and upgrades: wait for the upgrade to finish.
            for _ in range(50):
                if client.transport() == "websocket":
                    break
                await asyncio.sleep(0.1)
        assert client.transport() == expected
        await client.emit("message", ("hello", {"n": 1}, [True, None]))
        assert await next_event(queues["/"], "message-back") == ["hello", {"n": 1}, [True, None]]
    finally:
        await client.disconnect()


@pytest.mark.parametrize("transports", [["polling"], ["websocket"]])
async def test_survives_several_heartbeats(base_url, transports):
    client, queues = await connected_client(base_url, transports=transports)
    try:
        await asyncio.sleep(1.2)  # four ping intervals of the fixture
        assert client.connected
        await client.emit("message", "still here")
        assert await next_event(queues["/"], "message-back") == ["still here"]
    finally:
        await client.disconnect()


@pytest.mark.parametrize("transports", [["polling"], ["websocket"]])
async def test_emit_with_ack(base_url, transports):
    client, _ = await connected_client(base_url, transports=transports)
    try:
        answer = await client.call("message-with-ack", (1, "2", {"3": [False]}), timeout=WAIT)
        assert answer == (1, "2", {"3": [False]})
    finally:
        await client.disconnect()


@pytest.mark.parametrize("transports", [["polling"], ["websocket"]])
async def test_binary_both_ways(base_url, transports):
    client, queues = await connected_client(base_url, transports=transports)
    try:
        await client.emit("message", (b"\x01\x02\x03", {"nested": b"\xff\x00"}))
        assert await next_event(queues["/"], "message-back") == [b"\x01\x02\x03", {"nested": b"\xff\x00"}]
        answer = await client.call("message-with-ack", b"\x04\x05", timeout=WAIT)
        assert answer == b"\x04\x05"
    finally:
        await client.disconnect()


async def test_custom_namespace(base_url):
    client, queues = await connected_client(base_url, namespaces=["/", "/custom"], auth={"token": "abc"})
    try:
        assert await next_event(queues["/custom"], "auth") == [{"token": "abc"}]
        await client.emit("message", "to custom", namespace="/custom")
        assert await next_event(queues["/custom"], "message-back") == ["to custom"]
        answer = await client.call("message-with-ack", "ack from custom", namespace="/custom", timeout=WAIT)
        assert answer == "ack from custom"
    finally:
        await client.disconnect()


async def test_unknown_namespace_is_refused(base_url):
    client = socketio.AsyncClient(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError) as error:
        await client.connect(base_url, namespaces=["/random"], wait_timeout=WAIT)
    assert "Invalid namespace" in str(error.value) or "One or more namespaces failed to connect" in str(error.value)
    await client.disconnect()


async def test_large_message_within_max_payload(base_url):
    client, queues = await connected_client(base_url, transports=["websocket"])
    try:
        text = "x" * 500_000
        await client.emit("message", text)
        assert await next_event(queues["/"], "message-back") == [text]
    finally:
        await client.disconnect()
