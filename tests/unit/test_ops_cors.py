"""CORS inside the request context layer answers exactly as Starlette's CORSMiddleware does, header for
header (besides the request id headers the layer adds to every answer)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.middleware.cors import CORSMiddleware
from starlette.types import Message, Receive, Scope, Send

from ops.metrics import Metrics
from ops.request_context import LEGACY_REQUEST_ID_HEADER, REQUEST_ID_HEADER, RequestContextMiddleware

OPTIONS: dict[str, Any] = {
    "allow_methods": ["GET", "POST", "OPTIONS"],
    "allow_headers": ["Authorization", "Content-Type", "X-Request-Id"],
    "expose_headers": ["X-Request-Id"],
    "max_age": 600,
}


def inner(vary: bytes | None) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"text/plain")] + ([(b"vary", vary)] if vary else [])
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})

    return app


async def answer(middleware: Any, headers: list[tuple[bytes, bytes]], method: str = "GET") -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": "/ping", "headers": headers, "query_string": b""}
    await middleware(scope, receive, send)
    return sent


def without_request_ids(sent: list[Message]) -> list[Message]:
    ids = (REQUEST_ID_HEADER, LEGACY_REQUEST_ID_HEADER)
    start = sent[0]
    assert {name for name, _ in start["headers"]} >= set(ids)
    return [{**start, "headers": [h for h in start["headers"] if h[0] not in ids]}, *sent[1:]]


@pytest.mark.parametrize("origins", [["*"], ["https://chat.example"]])
@pytest.mark.parametrize("vary", [None, b"Accept-Encoding"])
@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("GET", []),
        ("GET", [(b"origin", b"https://chat.example")]),
        ("GET", [(b"origin", b"https://elsewhere.example")]),
        ("OPTIONS", [(b"origin", b"https://chat.example"), (b"access-control-request-method", b"POST")]),
    ],
)
async def test_the_same_answer_as_starlette(
    origins: list[str], vary: bytes | None, method: str, headers: list[tuple[bytes, bytes]]
) -> None:
    layer = RequestContextMiddleware(
        inner(vary), Metrics(), routes=[], cors={"allow_origins": origins, **OPTIONS}
    )
    ours = without_request_ids(await answer(layer, headers, method))
    theirs = await answer(CORSMiddleware(inner(vary), allow_origins=origins, **OPTIONS), headers, method)
    assert ours == theirs
    assert (
        any(name == b"vary" and b"Origin" in value for name, value in ours[0]["headers"])
        or method == "OPTIONS"
    )
