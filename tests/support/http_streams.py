"""Read a GraphQL subscription streamed over HTTP: graphql-sse events, or multipart/mixed subscription parts.

async with client.stream("POST", "/graphql", json=..., headers={"Accept": SSE_ACCEPT}) as response:
    async for event in sse_events(response):      # SSEEvent("next", {...}), …, SSEEvent("complete", None)
        ...
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

SSE_ACCEPT = "text/event-stream"
MULTIPART_ACCEPT = 'multipart/mixed; subscriptionSpec="1.0"'
MULTIPART_DELIMITER = "--graphql"


@dataclass(frozen=True)
class SSEEvent:
    event: str
    data: Any  # the decoded JSON of the data field, None when it is empty


async def sse_events(response: httpx.Response) -> AsyncIterator[SSEEvent]:
    """Each event as it arrives (comments, i.e. heartbeats, are skipped), until the server ends the stream."""
    event, data = "message", []
    async for line in response.aiter_lines():
        if line.startswith(":"):
            continue
        if line:
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "event":
                event = value
            elif name == "data":
                data.append(value)
            continue
        if data:
            text = "\n".join(data)
            yield SSEEvent(event, json.loads(text) if text else None)
        event, data = "message", []


async def multipart_payloads(response: httpx.Response) -> AsyncIterator[dict[str, Any]]:
    """Each part's JSON as it arrives (heartbeats, `{}`, are skipped), until the closing delimiter."""
    buffer = ""
    async for text in response.aiter_text():
        buffer += text
        *complete, buffer = buffer.split(MULTIPART_DELIMITER)
        for part in complete:
            _, separator, body = part.partition("\r\n\r\n")
            if separator and (payload := json.loads(body)):
                yield payload
        if buffer.startswith("--"):
            return
    raise AssertionError(f"the stream ended without the closing delimiter: {buffer!r:.200}")
