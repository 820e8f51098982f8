"""ASGI middleware: a request id on every request and its log lines, an access log line, HTTP metrics."""

from __future__ import annotations

import itertools
import logging
import os
import re
import time
from collections.abc import Iterable, Sequence
from typing import Any

from starlette.routing import BaseRoute, Match, Mount, Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ops.cors import ORIGIN, cors_layer, vary_origin
from ops.latency_histogram import Series
from ops.log_setup import request_id
from ops.metrics import Metrics

log = logging.getLogger("sunoql.access")

REQUEST_ID_HEADER = b"x-request-id"
# The original project's name for the same id, kept for clients that read it.
LEGACY_REQUEST_ID_HEADER = b"x-any2api-request-id"
ID_HEADERS = frozenset({REQUEST_ID_HEADER, LEGACY_REQUEST_ID_HEADER})
# A caller's id is kept only when it is short and plain, so it cannot forge or flood a log line.
ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
UNMATCHED = "<unmatched>"
# Probes and scrapes would drown the access log; they are still measured.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/ping"})


class RequestContextMiddleware:
    """`cors`: CORSMiddleware's options when CORS is on. Requests with an Origin go through Starlette's
    CORSMiddleware; the others only gain `Vary: Origin`, added here with the request id headers."""

    def __init__(
        self,
        app: ASGIApp,
        metrics: Metrics,
        routes: Sequence[BaseRoute],
        cors: dict[str, Any] | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = routes
        self.cors = cors_layer(app, **cors) if cors else None
        self._children: dict[tuple[str, str, int], Series] = {}
        self._by_route: dict[tuple[str, int, int], Series] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "websocket":
            rid = incoming_request_id(scope) or new_request_id()
            token = request_id.set(rid)
            try:
                await self._websocket(scope, receive, send, rid)
            finally:
                request_id.reset(token)
        else:
            await self.app(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The hot path of every request: one pass over the request's headers and one over the response's.
        started = time.perf_counter()
        incoming, origin = read_request_headers(scope)
        rid = incoming or new_request_id()
        token = request_id.set(rid)
        status = 500  # what the client gets when the app raised before answering
        rid_bytes = rid.encode()
        added = [(REQUEST_ID_HEADER, rid_bytes), (LEGACY_REQUEST_ID_HEADER, rid_bytes)]
        inner, vary = self.app, False
        if self.cors is not None:
            vary = not origin  # with an Origin, Starlette's CORS layer answers and sets Vary itself
            inner = self.app if vary else self.cors

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": response_headers(message.get("headers", ()), added, vary)}
            await send(message)

        try:
            await inner(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            self.metrics.http_latency.observe(self._latency(scope, status), elapsed)
            if scope["path"] not in QUIET_PATHS:
                route = self._route(scope)
                # The path only: a query string may carry a token.
                log.info(
                    "%s %s %s %.1f ms",
                    scope["method"],
                    scope["path"],
                    status,
                    elapsed * 1000,
                    extra={"route": route, "status": status, "duration_ms": round(elapsed * 1000, 1)},
                )
            request_id.reset(token)

    def _route(self, scope: Scope) -> str:
        # The router records the route it chose in the scope, so the request is not matched twice;
        # what never reached it (a CORS preflight, an early error) is matched here.
        chosen = scope.get("route")
        return _template(chosen) if isinstance(chosen, BaseRoute) else route_template(self.routes, scope)

    def _latency(self, scope: Scope, status: int) -> Series:
        # Keyed by the route the router chose (by identity: Starlette's routes define __eq__, not
        # __hash__, and live as long as the app), so a request it matched needs no template lookup.
        chosen = scope.get("route")
        if not isinstance(chosen, BaseRoute):
            return self._series(scope["method"], self._route(scope), status)
        key = (scope["method"], id(chosen), status)
        series = self._by_route.get(key)
        if series is None:
            series = self._by_route[key] = self._series(scope["method"], _template(chosen), status)
        return series

    def _series(self, method: str, route: str, status: int) -> Series:
        key = (method, route, status)
        series = self._children.get(key)
        if series is None:
            series = self._children[key] = self.metrics.http_latency.series(method, route, str(status))
        return series

    async def _websocket(self, scope: Scope, receive: Receive, send: Send, rid: str) -> None:
        self.metrics.websockets.inc()
        started = time.perf_counter()
        log.info("websocket %s opened", scope["path"])

        async def accept_with_id(message: Message) -> None:
            if message["type"] == "websocket.accept":
                message = {
                    **message,
                    "headers": response_headers(
                        message.get("headers", ()), [(REQUEST_ID_HEADER, rid.encode())], vary=False
                    ),
                }
            await send(message)

        try:
            await self.app(scope, receive, accept_with_id)
        finally:
            self.metrics.websockets.dec()
            log.info("websocket %s closed after %.1f s", scope["path"], time.perf_counter() - started)


class _IdSource:
    """32 hex digits, unique without a random draw per request: a random per-process prefix (drawn again
    in a forked child) and a counter."""

    def __init__(self) -> None:
        self._pid = -1
        self._prefix = ""
        self._counter = itertools.count()

    def __call__(self) -> str:
        if self._pid != os.getpid():
            self._pid, self._prefix, self._counter = os.getpid(), os.urandom(8).hex(), itertools.count()
        return f"{self._prefix}{next(self._counter):016x}"


new_request_id = _IdSource()


def response_headers(
    headers: Iterable[tuple[bytes, bytes]], ids: list[tuple[bytes, bytes]], vary: bool
) -> list[tuple[bytes, bytes]]:
    """The app's headers with our request id headers (replacing any it set) and, when `vary`,
    `Vary: Origin` (joined to a Vary it has, as `vary_origin` does)."""
    kept = [header for header in headers if header[0].lower() not in ID_HEADERS]
    kept += ids
    return vary_origin(kept) if vary else kept


def read_request_headers(scope: Scope) -> tuple[str | None, bool]:
    """What the request context needs from the request's headers, in one pass: the caller's acceptable
    request id (None when absent or not plain) and whether it carries an Origin."""
    incoming: str | None = None
    origin = seen_id = False
    for key, value in scope.get("headers", ()):
        name = key.lower()
        if name == REQUEST_ID_HEADER and not seen_id:
            seen_id = True
            text = value.decode("latin-1").strip()
            incoming = text if ACCEPTABLE_ID.fullmatch(text) else None
        elif name == ORIGIN:
            origin = True
    return incoming, origin


def incoming_request_id(scope: Scope) -> str | None:
    return read_request_headers(scope)[0]


def route_template(routes: Sequence[BaseRoute], scope: Scope) -> str:
    """The matched route's path template ("/suno/fetch/{id}"), so metric labels stay few."""
    partial = None
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return _template(route)
        if match is Match.PARTIAL and partial is None:
            partial = route
    return _template(partial) if partial is not None else UNMATCHED


def _template(route: BaseRoute) -> str:
    if isinstance(route, Route | WebSocketRoute):
        return route.path
    if isinstance(route, Mount):
        return f"{route.path}/{{path}}"
    return UNMATCHED
