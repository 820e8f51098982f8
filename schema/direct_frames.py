"""A shared result written straight to each waiting subscriber's socket, in the shared execution's own step.

Profiled with 10,000 `taskProgress` subscribers of one task (one WebSocket each), a change reached its last
subscriber ~900 ms after its `updatedAt`: every subscriber's result woke that subscriber's operation task,
then went through Strawberry's send, Starlette's WebSocket and uvicorn's ASGI `send` before its one socket
write. The server offers a synchronous write of one text frame in the connection scope's extensions
(`SEND_TEXT_NOW`, `ops/websocket_protocol.py`). When a subscriber's task is waiting for its next result with
nothing queued, everything it sent before is already written, so the shared execution can write this result
itself without changing the order (`Listener.offer` in `schema/shared_subscriptions.py`). Everything else
still goes through the task: results with errors, results while the socket applies back-pressure (then the
task waits for it as before), and the `complete` after the last result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from schema.encoded_results import MESSAGE_SUFFIX, Encode, message_prefix, plain_encoded_data

# The ASGI scope extension under which the server offers `SendTextNow` on a WebSocket connection.
SEND_TEXT_NOW = "sunoql.websocket.send_text_now"
# Writes one text frame of these UTF-8 bytes now; False when it cannot (not open, or back-pressure).
SendTextNow = Callable[[bytes], bool]
SUFFIX = MESSAGE_SUFFIX.encode()


class DirectSender:
    """Writes one subscriber's result messages (`kind` with its operation id) straight to its socket."""

    __slots__ = ("_encode", "_prefix", "_send")

    def __init__(self, send: SendTextNow, kind: str, operation_id: str, encode: Encode) -> None:
        self._send = send
        self._prefix = message_prefix(kind, operation_id).encode()
        self._encode = encode

    def __call__(self, result: Any) -> bool:
        """True when `result` was written; False leaves it to the subscriber's task."""
        data = plain_encoded_data(result)
        if data is None:
            return False
        return self._send(b"".join((self._prefix, data.utf8(self._encode), SUFFIX)))


def direct_sender(
    scope: Mapping[str, Any], kind: str, operation_id: str, encode: Encode
) -> DirectSender | None:
    """A sender for one subscription on the connection of `scope`, when its server offers the write."""
    send = (scope.get("extensions") or {}).get(SEND_TEXT_NOW)
    return DirectSender(send, kind, operation_id, encode) if callable(send) else None
