"""Devices as the tests see them: a python-socketio client and a plain `/ws` JSON-RPC client.

Both expose the same verbs (`ok`, `fails`, `request`, `next`, `expect_none`) so one scenario
can run over either transport.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

import aiohttp
import socketio
import websockets.asyncio.client

from . import rawjson
from .daemon import Daemon
from .events import DEFAULT_TIMEOUT, EventLog

TRANSPORTS = {
    "polling": ["polling"],
    "websocket": ["websocket"],
    "upgrade": None,  # the library default: polling first, then upgrade to websocket
}


def acceptable(code: str | tuple[str, ...]) -> tuple[str, ...]:
    """Where the contract leaves the exact code open, a test names every acceptable one."""
    return code if isinstance(code, tuple) else (code,)


def assert_error_body(body: Any, code: str | tuple[str, ...], context: str) -> dict:
    assert isinstance(body, dict) and body.get("ok") is False, f"{context}: expected a failure, got {body}"
    error = body.get("error")
    assert isinstance(error, dict), f"{context}: error must be an object: {body}"
    assert error.get("code") in acceptable(code), f"{context}: expected {code}, got {body}"
    assert isinstance(error.get("message"), str) and error["message"], f"{context}: no message: {body}"
    return error


class RecordingClient(socketio.AsyncClient):
    """Keeps the raw text of every Socket.IO packet received, to check relayed bytes."""

    def __init__(self, **options):
        self.raw_packets: list[str | bytes] = []
        super().__init__(**options)

    async def _handle_eio_message(self, data):
        self.raw_packets.append(data)
        await super()._handle_eio_message(data)


class SioDevice:
    """One phone speaking Socket.IO through python-socketio's AsyncClient."""

    def __init__(self, url: str, name: str, transport: str = "websocket"):
        self.url = url
        self.name = name
        self.transport = transport
        self.events = EventLog(name)
        self.sio = RecordingClient(reconnection=False, json=rawjson)
        self.sio.on("*", self._record_event)
        self.sio.on("connect_error", self._record_connect_error)
        self.sio.on("disconnect", self._record_disconnect)

    async def _record_event(self, event, *args):
        self.events.record(event, args[0] if len(args) == 1 else list(args))

    async def _record_connect_error(self, data=None):
        self.events.record("connect_error", data)

    async def _record_disconnect(self, reason=None):
        self.events.record("disconnect", reason)

    async def connect(self, auth: dict | None = None, query: str = "", headers: dict | None = None):
        url = f"{self.url}?{query}" if query else self.url
        await self.sio.connect(
            url,
            auth=auth,
            headers=headers or {},
            transports=TRANSPORTS[self.transport],
            wait_timeout=DEFAULT_TIMEOUT,
        )
        return self

    async def wait_for_transport(self, wanted: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.sio.transport() != wanted:
            assert loop.time() < deadline, f"{self.name}: still on {self.sio.transport()} after {timeout}s"
            await asyncio.sleep(0.05)

    async def request(self, event: str, data: Any = None, timeout: float = DEFAULT_TIMEOUT) -> Any:
        """Emits with an ack callback and returns the ack body."""
        return await self.sio.call(event, data, timeout=timeout)

    async def ok(self, event: str, data: Any = None) -> dict:
        body = await self.request(event, data)
        assert isinstance(body, dict) and body.get("ok") is True, f"{self.name} {event}: {body}"
        return body

    async def fails(self, event: str, data: Any, code: str | tuple[str, ...]) -> dict:
        return assert_error_body(await self.request(event, data), code, f"{self.name} {event}")

    async def emit(self, event: str, data: Any = None) -> None:
        """Emits without an ack callback."""
        await self.sio.emit(event, data)

    async def register(self, user_id: str) -> dict:
        return await self.ok("register", {"userId": user_id})

    async def next(self, event: str, timeout: float = DEFAULT_TIMEOUT, **expected) -> Any:
        return await self.events.next(event, timeout, **expected)

    async def expect_none(self, event: str, within: float = 0.5, **expected) -> None:
        await self.events.expect_none(event, within, **expected)

    def raw_containing(self, fragment: str) -> list[str]:
        return [packet for packet in self.sio.raw_packets
                if isinstance(packet, str) and fragment in packet]

    async def drop(self) -> None:
        """Loses the connection without a Socket.IO or Engine.IO goodbye (like a phone
        going out of coverage): the WebSocket is closed under the client's feet."""
        assert self.sio.transport() == "websocket", "drop() needs the websocket transport"
        await self.sio.eio.ws.close()
        await self.events.next("disconnect")

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()


class RpcError(AssertionError):
    def __init__(self, response: dict):
        super().__init__(f"JSON-RPC error: {response}")
        self.response = response


class WsDevice:
    """One browser speaking JSON-RPC 2.0 over the plain WebSocket at `/ws`."""

    def __init__(self, ws_url: str, name: str):
        self.ws_url = ws_url
        self.name = name
        self.events = EventLog(name)
        self.raw_messages: list[str | bytes] = []
        self.unsolicited: list[Any] = []  # responses whose id is not ours (e.g. null after garbage)
        self.closed: tuple[int | None, str] | None = None
        self._ids = itertools.count(1)
        self._pending: dict[Any, asyncio.Future] = {}
        self._reader: asyncio.Task | None = None
        self.ws = None

    async def connect(self, query: str = "", headers: dict | None = None):
        url = f"{self.ws_url}/ws" + (f"?{query}" if query else "")
        self.ws = await websockets.asyncio.client.connect(
            url, additional_headers=headers, open_timeout=DEFAULT_TIMEOUT, max_size=None
        )
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                self.raw_messages.append(message)
                self._dispatch(message)
        except websockets.exceptions.ConnectionClosed:
            pass
        finally:
            self.closed = (self.ws.close_code, self.ws.close_reason or "")
            self.events.record("close", {"code": self.ws.close_code, "reason": self.ws.close_reason})
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(ConnectionError(f"{self.name}: /ws closed {self.closed}"))

    def _dispatch(self, message: str | bytes) -> None:
        try:
            value = json.loads(message)
        except ValueError:
            self.unsolicited.append(message)
            return
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and "method" in item and "id" not in item:
                self.events.record(item["method"], item.get("params"))
            elif isinstance(item, dict) and item.get("id") in self._pending:
                self._pending.pop(item["id"]).set_result(item)
            else:
                self.unsolicited.append(item)
                self.events.record("unsolicited", item)

    async def request(self, method: str, params: Any = None, timeout: float = DEFAULT_TIMEOUT) -> dict:
        """Sends a JSON-RPC request and returns the whole response object."""
        request_id = next(self._ids)
        message = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        future = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        await self.ws.send(rawjson.dumps(message, separators=(",", ":")))
        response = await asyncio.wait_for(future, timeout)
        assert response.get("jsonrpc") == "2.0", f"{self.name}: not a JSON-RPC 2.0 response: {response}"
        assert response.get("id") == request_id, f"{self.name}: id mismatch: {response}"
        return response

    async def ok(self, method: str, params: Any = None) -> dict:
        response = await self.request(method, params)
        if "result" not in response:
            raise RpcError(response)
        result = response["result"]
        assert isinstance(result, dict) and result.get("ok") is True, f"{self.name} {method}: {response}"
        return result

    async def fails(self, method: str, params: Any, code: str | tuple[str, ...]) -> dict:
        response = await self.request(method, params)
        error = response.get("error")
        assert "result" not in response and isinstance(error, dict), f"{self.name} {method}: {response}"
        assert isinstance(error.get("code"), int) and error["code"] <= -32000, \
            f"{self.name} {method}: application errors use codes <= -32000: {response}"
        assert isinstance(error.get("message"), str) and error["message"], f"{self.name}: {response}"
        assert isinstance(error.get("data"), dict) and error["data"].get("code") in acceptable(code), \
            f"{self.name} {method}: expected data.code {code}: {response}"
        return error

    async def register(self, user_id: str) -> dict:
        return await self.ok("register", {"userId": user_id})

    async def send_raw(self, message: str | bytes) -> None:
        await self.ws.send(message)

    async def next(self, event: str, timeout: float = DEFAULT_TIMEOUT, **expected) -> Any:
        return await self.events.next(event, timeout, **expected)

    async def expect_none(self, event: str, within: float = 0.5, **expected) -> None:
        await self.events.expect_none(event, within, **expected)

    def raw_containing(self, fragment: str) -> list[str]:
        return [message for message in self.raw_messages
                if isinstance(message, str) and fragment in message]

    async def drop(self) -> None:
        """Cuts the TCP connection without a WebSocket close handshake."""
        self.ws.transport.abort()
        await self.events.next("close")

    async def close(self) -> None:
        if self.ws is not None and self.closed is None:
            await self.ws.close()
        if self._reader is not None:
            await self._reader


class Http:
    """The HTTP API through aiohttp; bodies come back parsed when they are JSON."""

    def __init__(self, url: str, session: aiohttp.ClientSession):
        self.url = url
        self.session = session

    async def request(self, method: str, path: str, *, json_body: Any = None, data: bytes | str | None = None,
                      headers: dict | None = None) -> tuple[int, dict, Any]:
        if json_body is not None:
            data = rawjson.dumps(json_body, separators=(",", ":"))
            headers = {"Content-Type": "application/json", **(headers or {})}
        async with self.session.request(method, self.url + path, data=data, headers=headers,
                                        timeout=aiohttp.ClientTimeout(total=DEFAULT_TIMEOUT)) as response:
            text = await response.text()
            try:
                body = json.loads(text)
            except ValueError:
                body = text
            return response.status, dict(response.headers), body

    async def get(self, path: str) -> tuple[int, dict, Any]:
        return await self.request("GET", path)

    async def get_json(self, path: str) -> Any:
        status, _, body = await self.get(path)
        assert status == 200, f"GET {path}: {status} {body}"
        assert isinstance(body, (dict, list)), f"GET {path}: not JSON: {body!r}"
        return body

    async def post(self, path: str, json_body: Any = None, data: bytes | str | None = None,
                   headers: dict | None = None) -> tuple[int, Any]:
        status, _, body = await self.request("POST", path, json_body=json_body, data=data, headers=headers)
        return status, body

    async def status(self) -> dict:
        return await self.get_json("/status")

    async def wait_for_status(self, timeout: float = DEFAULT_TIMEOUT, **expected) -> dict:
        """Polls /status until it shows `expected` (e.g. the daemon noticed a dropped device)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            status = await self.status()
            if all(status.get(key) == value for key, value in expected.items()):
                return status
            assert loop.time() < deadline, f"/status never showed {expected}: {status}"
            await asyncio.sleep(0.05)

    async def history(self, user_id: str, limit: int | None = None) -> list[dict]:
        query = f"?userId={user_id}" + (f"&limit={limit}" if limit is not None else "")
        body = await self.get_json(f"/history{query}")
        assert isinstance(body, dict) and isinstance(body.get("calls"), list), f"/history: {body}"
        return body["calls"]


class Devices:
    """Creates devices against one daemon and closes them all at the end of the test."""

    def __init__(self, daemon: Daemon):
        self.daemon = daemon
        self.opened: list[SioDevice | WsDevice] = []

    def sio(self, name: str, transport: str = "websocket") -> SioDevice:
        device = SioDevice(self.daemon.url, name, transport)
        self.opened.append(device)
        return device

    def ws(self, name: str) -> WsDevice:
        device = WsDevice(self.daemon.ws_url, name)
        self.opened.append(device)
        return device

    async def user(self, user_id: str, transport: str = "websocket", name: str | None = None):
        """A connected device registered as `user_id` (transport `ws` means `/ws`)."""
        name = name or user_id
        if transport == "ws":
            device = await self.ws(name).connect()
        else:
            device = await self.sio(name, transport).connect()
        ack = await device.register(user_id)
        assert ack["userId"] == user_id, ack
        await device.next("registered", userId=user_id)
        return device

    async def close_all(self) -> None:
        async def close(device):
            try:
                await asyncio.wait_for(device.close(), 5)
            except (Exception, asyncio.TimeoutError):
                pass  # a device the test dropped on purpose, or a daemon the test stopped
        await asyncio.gather(*(close(device) for device in self.opened))
