"""uvicorn's sans-I/O WebSocket protocol, trimmed of what it keeps per connection without needing it.

Measured with tracemalloc on 500 idle `taskProgress` connections, the stock protocol holds, for each
connection's whole life, the parsed handshake request and the response it answered with (~5 KB of header
objects), and an `asyncio.Queue` plus an `asyncio.Event` (five deques, ~2 KB) for what is at most a few
messages waiting for one reader. This subclass drops the handshake once it is answered and uses a list and a
lazily created future instead. Everything else, the framing, the keep-alive ping, the close handshake, is
uvicorn's.

It also offers the app a synchronous write of one text frame (`send_text_now`, in the scope's extensions
under `SEND_TEXT_NOW`), which a shared subscription result uses to reach thousands of sockets from one step
instead of one ASGI `send` per subscriber (`schema/direct_frames.py`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.http11 import Request
from websockets.protocol import State

from schema.direct_frames import SEND_TEXT_NOW


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

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)
        if scope is not None:
            scope.setdefault("extensions", {})[SEND_TEXT_NOW] = self.send_text_now

    def send_text_now(self, payload: bytes) -> bool:
        """Write one text frame of `payload` (UTF-8) at once, as an ASGI `websocket.send` would; False,
        writing nothing, when the connection is not open or the transport asks us to wait."""
        if (
            self.disconnected
            or not self.handshake_complete
            or self.initial_response is not None
            or self.close_sent
            or self.conn.state is not State.OPEN
            or not self.writable.is_set()
            or self.transport.is_closing()
        ):
            return False
        # websockets frames it (and compresses it when permessage-deflate was negotiated).
        self.conn.send_text(payload)
        self.transport.write(b"".join(self.conn.data_to_send()))
        return True

    async def send(self, message: Any) -> None:
        await super().send(message)
        if self.handshake_complete and getattr(self, "response", None) is not None:
            # Answered: uvicorn never reads the handshake again (the app has its own copy in the scope).
            self.request = None  # type: ignore[assignment]
            self.response = None  # type: ignore[assignment]
