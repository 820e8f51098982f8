"""Just enough ASGI for the simulator: a request, a response and a router over paths (no web framework)."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

# The standard ASGI shapes (as Starlette and httpx's ASGITransport type them).
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


@dataclass(slots=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    scheme: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        """Absolute URLs in replies use the host the client reached us by."""
        return f"{self.scheme}://{self.headers.get('host', '127.0.0.1')}"

    def query_value(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def json(self) -> Any:
        if not self.body:
            return None
        return json.loads(self.body)


@dataclass(slots=True)
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    async def send(self, send: Send) -> None:
        headers = [(b"content-type", self.content_type.encode()), (b"content-length", b"%d" % len(self.body))]
        headers += [(name.lower().encode(), value.encode()) for name, value in self.headers.items()]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


def json_response(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(status, json.dumps(data).encode(), headers=dict(headers or {}))


def detail(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """Suno's FastAPI-style error body."""
    return json_response({"detail": message}, status, headers)


Handler = Callable[[Request], Awaitable[Response]]


class Router:
    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        """`pattern` is a path with {name} placeholders; a trailing slash is optional."""
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern.rstrip("/"))
        self._routes.append((method, re.compile(f"^{regex}/?$"), handler))

    def match(self, method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
        for route_method, regex, handler in self._routes:
            found = regex.match(path)
            if found and route_method == method:
                return handler, found.groupdict()
        return None


async def read_request(scope: Scope, receive: Receive) -> Request:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
    return Request(
        method=scope["method"],
        path=scope["path"],
        query=parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True),
        headers=headers,
        body=b"".join(chunks),
        scheme=scope.get("scheme", "http"),
    )
