"""Every server event a test client received, in order, with waiting helpers."""

from __future__ import annotations

import asyncio
from typing import Any

DEFAULT_TIMEOUT = 5.0


def matches(payload: Any, expected: dict[str, Any]) -> bool:
    if not expected:
        return True
    if not isinstance(payload, dict):
        return False
    return all(key in payload and payload[key] == value for key, value in expected.items())


class EventLog:
    """Events are kept in arrival order; `next` consumes the first one that matches, so a
    test can expect the same event twice."""

    def __init__(self, owner: str):
        self.owner = owner
        self.received: list[tuple[str, Any]] = []
        self._pending: list[tuple[str, Any]] = []
        self._arrived = asyncio.Event()

    def record(self, event: str, payload: Any) -> None:
        self.received.append((event, payload))
        self._pending.append((event, payload))
        self._arrived.set()

    def _take(self, event: str, expected: dict[str, Any]):
        for index, (name, payload) in enumerate(self._pending):
            if name == event and matches(payload, expected):
                del self._pending[index]
                return True, payload
        return False, None

    async def next(self, event: str, timeout: float = DEFAULT_TIMEOUT, **expected: Any) -> Any:
        """The first not yet consumed `event` whose payload has the `expected` fields."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found, payload = self._take(event, expected)
            if found:
                return payload
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"{self.owner}: no {event!r} matching {expected} within {timeout}s; "
                    f"received {self.received}"
                )
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    async def expect_none(self, event: str, within: float = 0.5, **expected: Any) -> None:
        """Fails if `event` arrives within `within` seconds (used after the event that would
        have preceded it, so the quiet period only has to cover delivery, not processing)."""
        try:
            payload = await self.next(event, timeout=within, **expected)
        except AssertionError:
            return
        raise AssertionError(f"{self.owner}: unexpected {event!r}: {payload}")
