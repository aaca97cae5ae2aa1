"""The helpers of the official JavaScript suites (fetch, a buffered WebSocket with waitFor, sleep),
in Python, each wait bounded in time."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import websockets.asyncio.client
import websockets.exceptions

WAIT = 5.0  # the suites' mocha timeout for their slowest (heartbeat) cases

PING_INTERVAL = 300
PING_TIMEOUT = 200


async def sleep(milliseconds: float) -> None:
    await asyncio.sleep(milliseconds / 1000)


class Response:
    def __init__(self, status: int, text: str):
        self.status = status
        self.text = text


async def fetch(session: aiohttp.ClientSession, url: str, method: str = "GET", body: str | None = None) -> Response:
    """Like `fetch` in the suites: one request on the session's keep-alive pool."""
    async with session.request(method, url, data=body.encode() if body is not None else None,
                               timeout=aiohttp.ClientTimeout(total=WAIT)) as response:
        return Response(response.status, await response.text())


class WebSocket:
    """A client WebSocket whose `close` can be awaited like the suites' waitFor(socket, "close");
    a refused upgrade counts as closed, as it does for a browser WebSocket."""

    def __init__(self, connection):
        self.connection = connection

    @classmethod
    async def open(cls, url: str) -> "WebSocket":
        try:
            connection = await asyncio.wait_for(websockets.asyncio.client.connect(url, max_size=None), WAIT)
        except (websockets.exceptions.InvalidStatus, websockets.exceptions.InvalidHandshake):
            connection = None
        return cls(connection)

    @property
    def refused(self) -> bool:
        return self.connection is None

    async def message(self) -> str | bytes:
        assert self.connection is not None, "the upgrade was refused"
        return await asyncio.wait_for(self.connection.recv(), WAIT)

    async def messages(self, count: int) -> list[str | bytes]:
        """Like waitForPackets in the Socket.IO suite: the next `count` messages, pings skipped."""
        packets = []
        while len(packets) < count:
            data = await self.message()
            if data != "2":
                packets.append(data)
        return packets

    async def send(self, data: str | bytes) -> None:
        await self.connection.send(data)

    async def wait_closed(self) -> None:
        """Returns once the server closed the connection (or refused it); fails after WAIT."""
        if self.connection is None:
            return
        async def drain():
            try:
                while True:
                    await self.connection.recv()
            except websockets.exceptions.ConnectionClosed:
                return
        await asyncio.wait_for(drain(), WAIT)

    async def close(self) -> None:
        if self.connection is not None:
            await self.connection.close()


async def init_long_polling_session(session: aiohttp.ClientSession, base_url: str, path: str) -> str:
    response = await fetch(session, f"{base_url}/{path}/?EIO=4&transport=polling")
    return json.loads(response.text[1:])["sid"]
