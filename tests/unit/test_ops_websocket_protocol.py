"""The lean WebSocket protocol: uvicorn's, minus the handshake and queue objects it kept per connection."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import uvicorn
from uvicorn.server import ServerState
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from ops.server_options import server_options
from ops.websocket_protocol import LeanWebSocketProtocol, ReceiveQueue, WritableFlag
from schema.direct_frames import SEND_TEXT_NOW
from suno.config import Settings


class FakeTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closing = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return default

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += data

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


def handshake() -> bytes:
    key = base64.b64encode(b"0123456789abcdef").decode()
    return (
        "GET /graphql HTTP/1.1\r\nHost: testserver\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()


def client_text(text: str) -> bytes:
    # A client frame must be masked; websockets' serializer does it for a client-side frame.
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=True, extensions=[])


async def test_the_served_protocol_drops_the_handshake_once_answered_and_still_carries_messages() -> None:
    received: list[str] = []

    async def echo(scope: Any, receive: Any, send: Any) -> None:
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept"})
        message = await receive()
        received.append(message["text"])
        await send({"type": "websocket.send", "text": message["text"].upper()})
        await send({"type": "websocket.close", "code": 1000})

    options = server_options(Settings())
    assert options["ws"] is LeanWebSocketProtocol  # what `sunoql serve` runs
    config = uvicorn.Config(echo, **options)
    config.load()
    protocol = LeanWebSocketProtocol(config, ServerState(), {})
    transport = FakeTransport()
    protocol.connection_made(transport)
    protocol.data_received(handshake())
    for _ in range(20):
        await asyncio.sleep(0)
    assert transport.written.startswith(b"HTTP/1.1 101")
    assert protocol.request is None and protocol.response is None
    protocol.data_received(client_text("hello"))
    for _ in range(20):
        await asyncio.sleep(0)
    assert received == ["hello"]
    assert b"HELLO" in transport.written


async def test_the_receive_queue_hands_items_over_in_order_to_a_waiting_reader() -> None:
    queue = ReceiveQueue()
    reader = asyncio.ensure_future(queue.get())
    await asyncio.sleep(0)
    queue.put_nowait(1)
    queue.put_nowait(2)
    assert await reader == 1
    assert not queue.empty()
    assert await queue.get() == 2 and queue.empty()


async def test_a_cancelled_reader_does_not_lose_the_next_item() -> None:
    queue = ReceiveQueue()
    reader = asyncio.ensure_future(queue.get())
    await asyncio.sleep(0)
    reader.cancel()
    await asyncio.sleep(0)
    queue.put_nowait("after")
    assert await asyncio.wait_for(queue.get(), 1) == "after"


async def test_every_sender_waiting_for_writable_is_released_even_if_one_is_cancelled() -> None:
    writable = WritableFlag()
    writable.clear()
    waiters = [asyncio.ensure_future(writable.wait()) for _ in range(3)]
    await asyncio.sleep(0)
    waiters[0].cancel()
    await asyncio.sleep(0)
    assert not any(waiter.done() for waiter in waiters[1:])
    writable.set()
    await asyncio.wait_for(asyncio.gather(*waiters[1:]), 1)
    assert writable.is_set()


def parse_server_frames(data: bytes) -> list[Frame]:
    reader = StreamReader()
    reader.feed_data(data)
    frames = []
    while True:
        parser = Frame.parse(reader.read_exact, mask=False, max_size=None, extensions=[])
        try:
            next(parser)
        except StopIteration as parsed:
            frames.append(parsed.value)
            continue
        return frames  # the parser asked for more than is there: every whole frame is read


async def open_protocol(transport: FakeTransport, app: Any) -> LeanWebSocketProtocol:
    config = uvicorn.Config(app, **server_options(Settings()))
    config.load()
    protocol = LeanWebSocketProtocol(config, ServerState(), {})
    protocol.connection_made(transport)
    protocol.data_received(handshake())
    for _ in range(20):
        await asyncio.sleep(0)
    transport.written.clear()
    return protocol


async def test_send_text_now_writes_one_valid_text_frame_of_any_length_until_the_socket_must_wait() -> None:
    offered: list[Any] = []
    release = asyncio.Event()

    async def holding(scope: Any, receive: Any, send: Any) -> None:
        assert (await receive())["type"] == "websocket.connect"
        offered.append(scope["extensions"][SEND_TEXT_NOW])
        await send({"type": "websocket.accept"})
        await release.wait()
        await send({"type": "websocket.close", "code": 1000})

    transport = FakeTransport()
    protocol = await open_protocol(transport, holding)
    send_text_now = offered[0]  # what the app finds in its scope
    texts = ["short", "é" * 100, "x" * 70_000]  # the three header lengths: 7 bits, 16 bits, 64 bits
    assert all(send_text_now(text.encode()) for text in texts)
    frames = parse_server_frames(bytes(transport.written))
    assert [(frame.opcode, frame.fin, bytes(frame.data).decode()) for frame in frames] == [
        (Opcode.TEXT, True, text) for text in texts
    ]
    protocol.pause_writing()  # the transport's buffer is full: the app must wait, through its ASGI send
    assert send_text_now(b"later") is False
    protocol.resume_writing()
    release.set()
    for _ in range(20):
        await asyncio.sleep(0)
    written = len(transport.written)
    assert protocol.close_sent and send_text_now(b"after close") is False
    assert len(transport.written) == written
