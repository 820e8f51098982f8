"""uvicorn's sans-I/O WebSocket protocol, trimmed of what it keeps per connection without needing it.

Measured with tracemalloc on 500 idle `taskProgress` connections, the stock protocol holds, for each
connection's whole life, the parsed handshake request and the response it answered with (~5 KB of header
objects), and an `asyncio.Queue` plus an `asyncio.Event` (five deques, ~2 KB) for what is at most a few
messages waiting for one reader. This subclass drops the handshake once it is answered and uses a list and a
lazily created future instead. Everything else, the framing, the keep-alive ping, the close handshake, is
uvicorn's.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


class _Waitable:
    """A wake-up for whoever waits: one future, created only while someone does."""

    __slots__ = ("_waiter",)

    def __init__(self) -> None:
        self._waiter: asyncio.Future[None] | None = None

    def _wake(self) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def _sleep(self) -> None:
        if self._waiter is None or self._waiter.done():
            self._waiter = asyncio.get_running_loop().create_future()
        # Shielded: several may wait on one future, and one of them being cancelled must not cancel it.
        await asyncio.shield(self._waiter)


class ReceiveQueue(_Waitable):
    """What the protocol hands the app's `receive`: `put_nowait`, `get` and `empty`, as uvicorn uses them."""

    __slots__ = ("_items",)

    def __init__(self) -> None:
        super().__init__()
        self._items: list[Any] = []

    def put_nowait(self, item: Any) -> None:
        self._items.append(item)
        self._wake()

    def empty(self) -> bool:
        return not self._items

    async def get(self) -> Any:
        while not self._items:
            await self._sleep()
        return self._items.pop(0)


class WritableFlag(_Waitable):
    """`set`, `clear`, `is_set` and `wait`, as uvicorn's flow control uses them (any number of senders)."""

    __slots__ = ("_set",)

    def __init__(self) -> None:
        super().__init__()
        self._set = True

    def set(self) -> None:
        self._set = True
        self._wake()

    def clear(self) -> None:
        self._set = False

    def is_set(self) -> bool:
        return self._set

    async def wait(self) -> None:
        while not self._set:
            await self._sleep()


class LeanWebSocketProtocol(WebSocketsSansIOProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = ReceiveQueue()  # type: ignore[assignment]
        self.writable = WritableFlag()  # type: ignore[assignment]

    async def send(self, message: Any) -> None:
        await super().send(message)
        if self.handshake_complete and getattr(self, "response", None) is not None:
            # Answered: uvicorn never reads the handshake again (the app has its own copy in the scope).
            self.request = None  # type: ignore[assignment]
            self.response = None  # type: ignore[assignment]
