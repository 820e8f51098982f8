"""CORS as Starlette's CORSMiddleware answers it, without its per-request header objects on the common path.

Most requests (API clients, relays, probes) carry no Origin: they only gain `Vary: Origin`, added here to
the raw header list. Requests with an Origin, and preflights, take Starlette's own code unchanged.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import Message, Receive, Scope, Send

VARY = b"vary"
ORIGIN = b"origin"


class LeanCORSMiddleware(CORSMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _has_origin(scope):
            await super().__call__(scope, receive, send)
            return

        async def send_with_vary(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _vary_origin(list(message.get("headers", ())))
            await send(message)

        await self.app(scope, receive, send_with_vary)


def _has_origin(scope: Scope) -> bool:
    return any(name.lower() == ORIGIN for name, _ in scope.get("headers", ()))


def _vary_origin(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """`Vary: Origin` appended to a Vary the response has (Starlette joins them the same way)."""
    for index, (name, _value) in enumerate(headers):
        if name.lower() == VARY:
            joined = ", ".join([*Headers(raw=headers).getlist("vary"), "Origin"]).encode("latin-1")
            rest = [header for header in headers[index + 1 :] if header[0].lower() != VARY]
            return [*headers[:index], (VARY, joined), *rest]
    headers.append((VARY, b"Origin"))
    return headers
