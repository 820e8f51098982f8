"""A shared subscription result is encoded to JSON once: its subscribers' messages differ only in their id.

Profiled with 10,000 `taskProgress` subscribers of one task (one WebSocket each), encoding every
subscriber's whole `next` message was about 7 % of the server's time per change (more for larger
selections). The shared execution
(`schema/shared_subscriptions.py`) marks each result's `data` as `EncodedData`; the WebSocket handlers
(`schema/websocket.py`) then splice the subscriber's id into the one encoding. A message with errors or
extensions, or one from an unshared execution, is encoded as before.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from typing import Any

from strawberry.types import ExecutionResult

Encode = Callable[[object], str | bytes]
# What the two protocols call a result message: graphql-transport-ws `next`, graphql-ws `data`.
RESULT_TYPES = frozenset({"next", "data"})


class EncodedData(dict[str, Any]):
    """A result's `data`, which remembers its JSON once it has been encoded."""

    __slots__ = ("_json", "_utf8")

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__(data)
        self._json: str | None = None
        self._utf8: bytes | None = None

    def json(self, encode: Encode) -> str:
        if self._json is None:
            text = encode(self)
            self._json = text.decode() if isinstance(text, bytes) else text
        return self._json

    def utf8(self, encode: Encode) -> bytes:
        """The same JSON as bytes, for writing a frame without encoding the text per subscriber."""
        if self._utf8 is None:
            self._utf8 = self.json(encode).encode()
        return self._utf8


def shared_result(result: Any) -> Any:
    """`result` with its data marked for encoding once, when it is a plain result with data only."""
    if type(result) is not ExecutionResult or type(result.data) is not dict:
        return result
    if result.errors or result.extensions:
        return result
    return dataclasses.replace(result, data=EncodedData(result.data))


def message_prefix(kind: str, operation_id: object) -> str:
    """What a result message's JSON starts with, up to its data; `MESSAGE_SUFFIX` closes it."""
    return f'{{"id":{json.dumps(operation_id)},"type":"{kind}","payload":{{"data":'


MESSAGE_SUFFIX = "}}"


def plain_encoded_data(result: Any) -> EncodedData | None:
    """The `EncodedData` of a result that carries nothing else (what `shared_result` marks); else None."""
    if type(result) is not ExecutionResult or result.errors or result.extensions:
        return None
    data = result.data
    return data if isinstance(data, EncodedData) else None


def encoded_message(message: Mapping[str, Any], encode: Encode) -> str | None:
    """The JSON of a result message whose payload is only `EncodedData`; None for any other message."""
    kind = message.get("type")
    payload = message.get("payload")
    if kind not in RESULT_TYPES or not isinstance(payload, dict) or payload.keys() != {"data"}:
        return None
    data = payload["data"]
    if not isinstance(data, EncodedData):
        return None
    return message_prefix(kind, message["id"]) + data.json(encode) + MESSAGE_SUFFIX
