"""A bare Engine.IO v4 WebSocket connection, to send what no library would and to go silent."""

from __future__ import annotations

import asyncio
import json

import websockets.asyncio.client
import websockets.exceptions

from .events import DEFAULT_TIMEOUT


class RawEngineIO:
    def __init__(self, ws_url: str):
        self.ws_url = ws_url
        self.ws = None
        self.handshake: dict = {}
        self.answer_pings = True

    async def connect(self, query: str = "") -> "RawEngineIO":
        url = f"{self.ws_url}/socket.io/?EIO=4&transport=websocket" + (f"&{query}" if query else "")
        self.ws = await websockets.asyncio.client.connect(url, open_timeout=DEFAULT_TIMEOUT, max_size=None)
        opening = await asyncio.wait_for(self.ws.recv(), DEFAULT_TIMEOUT)
        assert isinstance(opening, str) and opening.startswith("0"), opening
        self.handshake = json.loads(opening[1:])
        return self

    async def send(self, message: str | bytes) -> None:
        await self.ws.send(message)

    async def next_message(self, prefix: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        """The next text packet starting with `prefix`, answering pings meanwhile if asked to."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            remaining = deadline - loop.time()
            assert remaining > 0, f"no packet starting with {prefix!r} within {timeout}s"
            message = await asyncio.wait_for(self.ws.recv(), remaining)
            if message == "2" and self.answer_pings:
                await self.ws.send("3")
            if isinstance(message, str) and message.startswith(prefix):
                return message

    async def closed_within(self, timeout: float) -> bool:
        """True when the server closes the connection within `timeout` (pings unanswered
        unless `answer_pings`)."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    message = await self.ws.recv()
                    if message == "2" and self.answer_pings:
                        await self.ws.send("3")
        except websockets.exceptions.ConnectionClosed:
            return True
        except TimeoutError:
            return False

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
