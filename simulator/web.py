"""What the simulator's Starlette routes share: Suno's JSON and error bodies, reading requests, routes."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

Endpoint = Callable[[Request], Awaitable[Response]]
# studio-api's handlers also take the account the request's bearer JWT names (checked by the app).
AccountEndpoint = Callable[[Request, str], Awaitable[Response]]
# (method, path, endpoint name for the call counts and faults, handler)
AccountRoute = tuple[str, str, str, AccountEndpoint]


class SunoJSONResponse(Response):
    """JSON as Suno's FastAPI writes it (`json.dumps` defaults: ASCII, ", " and ": " separators)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content).encode()


def json_response(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return SunoJSONResponse(data, status, headers=dict(headers or {}))


def detail(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """Suno's FastAPI-style error body."""
    return json_response({"detail": message}, status, headers)


def raw_response(body: bytes, content_type: str = "application/json", status: int = 200) -> Response:
    return Response(body, status, media_type=content_type)


async def json_body(request: Request) -> Any:
    """The decoded JSON body; None when there is none (a malformed one raises ValueError: 422)."""
    body = await request.body()
    return json.loads(body) if body else None


def query_value(request: Request, name: str) -> str | None:
    """The first value of a query parameter (Starlette's `get` would give the last)."""
    values = request.query_params.getlist(name)
    return values[0] if values else None


def public_base_url(request: Request) -> str:
    """Absolute URLs in replies use the host the client reached us by."""
    return f"{request.url.scheme}://{request.headers.get('host', '127.0.0.1')}"


def route(method: str, path: str, endpoint: Endpoint) -> Iterator[Route]:
    """`path` with and without a trailing slash, answered alike (no redirect), for `method` only.

    Starlette would add HEAD to a GET route; Suno's routes as the simulator plays them have none.
    """
    bare = path.rstrip("/")
    for variant in (bare, f"{bare}/"):
        found = Route(variant, endpoint, methods=[method])
        found.methods = {method}
        yield found
