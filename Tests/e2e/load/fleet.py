"""Thousands of phones in one asyncio loop, each a bare Engine.IO v4 WebSocket.

python-socketio costs too much per client for thousands of them; these speak just enough of
Engine.IO v4 and Socket.IO v5 on namespace `/`: the open packet, pings answered with pongs,
CONNECT with an auth payload, events, and acks to their own requests.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from typing import Any

import websockets.asyncio.client
import websockets.exceptions

from ..events import EventLog

CONNECT_TIMEOUT = 60.0
REQUEST_TIMEOUT = 10.0
# Socket.IO packet on namespace `/`: type digit, optional ack id, optional JSON body.
SOCKET_IO_PACKET = re.compile(r"^(\d)(\d*)(.*)$", re.DOTALL)
NORMAL_CLOSURE = 1000


class FleetDevice:
    """One phone registered as `user_id` by its CONNECT auth payload.

    Server events land in `events` (an `EventLog`, as for the other test devices); `close_code`
    is the WebSocket close code once the connection is gone (1006 when it was cut without a
    close frame).
    """

    def __init__(self, ws_url: str, user_id: str):
        self.ws_url = ws_url
        self.user_id = user_id
        self.events = EventLog(user_id)
        self.close_code: int | None = None
        self.ws = None
        self._ack_ids = itertools.count()
        self._acks: dict[int, asyncio.Future] = {}
        self._reader: asyncio.Task | None = None

    async def connect(self) -> "FleetDevice":
        url = f"{self.ws_url}/socket.io/?EIO=4&transport=websocket"
        # No library keepalive and no compression: the server's Engine.IO pings are the heartbeat,
        # and thousands of deflate contexts would cost the test more than the daemon.
        self.ws = await websockets.asyncio.client.connect(
            url, open_timeout=CONNECT_TIMEOUT, ping_interval=None, compression=None, max_size=None
        )
        opening = await asyncio.wait_for(self.ws.recv(), CONNECT_TIMEOUT)
        assert isinstance(opening, str) and opening.startswith("0"), f"{self.user_id}: open packet {opening!r}"
        self._reader = asyncio.create_task(self._read())
        await self.ws.send("40" + json.dumps({"userId": self.user_id}, separators=(",", ":")))
        answer = await self.events.next("connect", CONNECT_TIMEOUT)
        assert isinstance(answer, dict) and "sid" in answer, f"{self.user_id}: CONNECT answer {answer}"
        return self

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                if message == "2":
                    await self.ws.send("3")
                elif isinstance(message, str) and message.startswith("4"):
                    self._dispatch(message[1:])
        except websockets.exceptions.ConnectionClosed:
            pass
        finally:
            self.close_code = self.ws.close_code if self.ws.close_code is not None else 1006
            self.events.record("close", self.close_code)
            for future in self._acks.values():
                if not future.done():
                    future.set_exception(ConnectionError(f"{self.user_id}: closed ({self.close_code})"))

    def _dispatch(self, packet: str) -> None:
        kind, ack_id, body = SOCKET_IO_PACKET.match(packet).groups()
        value = json.loads(body) if body else None
        if kind == "0":
            self.events.record("connect", value)
        elif kind == "1":
            self.events.record("disconnect", value)
        elif kind == "2" and isinstance(value, list) and value:
            self.events.record(value[0], value[1] if len(value) > 1 else None)
        elif kind == "3" and ack_id and int(ack_id) in self._acks:
            self._acks.pop(int(ack_id)).set_result(value[0] if value else None)
        elif kind == "4":
            self.events.record("connect_error", value)

    async def request(self, event: str, data: Any) -> Any:
        """Emits `event` with an ack id; returns the ack body."""
        ack_id = next(self._ack_ids)
        future = asyncio.get_running_loop().create_future()
        self._acks[ack_id] = future
        await self.ws.send(f"42{ack_id}" + json.dumps([event, data], separators=(",", ":")))
        return await asyncio.wait_for(future, REQUEST_TIMEOUT)

    async def ok(self, event: str, data: Any) -> dict:
        body = await self.request(event, data)
        assert isinstance(body, dict) and body.get("ok") is True, f"{self.user_id} {event}: {body}"
        return body

    async def closed(self) -> int:
        """Waits until the connection is gone; returns its close code."""
        await self._reader
        return self.close_code

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await self._reader


class Fleet:
    """`count` devices `<prefix>0` … `<prefix><count-1>`, connected at most `concurrency` at a time
    (so the daemon's listen backlog never overflows)."""

    def __init__(self, ws_url: str, count: int, prefix: str = "u", concurrency: int = 100):
        self.devices = [FleetDevice(ws_url, f"{prefix}{index}") for index in range(count)]
        self.concurrency = concurrency

    def __getitem__(self, index: int) -> FleetDevice:
        return self.devices[index]

    async def connect(self) -> None:
        gate = asyncio.Semaphore(self.concurrency)

        async def one(device: FleetDevice) -> None:
            async with gate:
                await device.connect()

        await asyncio.gather(*(one(device) for device in self.devices))

    async def all_closed(self) -> list[int]:
        """Every device's close code, once every connection is gone."""
        return list(await asyncio.gather(*(device.closed() for device in self.devices if device.ws)))

    async def close(self) -> None:
        async def one(device: FleetDevice) -> None:
            try:
                await asyncio.wait_for(device.close(), 5)
            except (Exception, asyncio.TimeoutError):
                pass  # the daemon went away first: nothing left to close

        await asyncio.gather(*(one(device) for device in self.devices))


async def place_call(caller: FleetDevice, callee: FleetDevice) -> str:
    """caller calls callee until the callee's device has the incoming call."""
    ack = await caller.ok("call", {"to": callee.user_id, "media": "audio"})
    call_id = ack["callId"]
    await callee.events.next("incoming_call", REQUEST_TIMEOUT, callId=call_id)
    return call_id


async def establish(caller: FleetDevice, callee: FleetDevice) -> str:
    call_id = await place_call(caller, callee)
    await callee.ok("accept_call", {"callId": call_id})
    await caller.events.next("call_accepted", REQUEST_TIMEOUT, callId=call_id)
    return call_id
