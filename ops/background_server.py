"""serve_in_background: an ASGI app served by uvicorn inside the current event loop, for as long as needed."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Mapping
from typing import Any


@contextlib.asynccontextmanager
async def serve_in_background(
    asgi_app: Any,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    lifespan: bool = False,
    ws: str = "auto",
    access_log: bool = False,
    shutdown_timeout: int = 2,
    announce: bool = True,
    listener: socket.socket | None = None,
    options: Mapping[str, Any] | None = None,
) -> AsyncIterator[str]:
    """Run an ASGI app with uvicorn in this event loop (port 0: a free one); yield its base URL.

    The defaults suit the simulator and the PPROF listener; the tests' server runs the app's lifespan with
    `options=server_options(settings)`, what `sunoql serve` runs (they override `ws` and the rest).
    """
    import uvicorn

    # Port 0 lets uvicorn bind the socket itself; a `listener` bound ahead must say IPPROTO_TCP (see
    # loopback_listener), or asyncio leaves Nagle on and every reply waits ~40 ms for a delayed ACK.
    # Bounded stop (2 s by default): a PPROF profile may sleep for minutes; it must not hold up the shutdown.
    chosen: dict[str, Any] = {
        "log_config": None,
        "ws": ws,
        "access_log": access_log,
        "timeout_graceful_shutdown": shutdown_timeout,
        **(options or {}),
    }
    config = uvicorn.Config(asgi_app, host=host, port=port, lifespan="on" if lifespan else "off", **chosen)
    server = uvicorn.Server(config)
    # The host process owns SIGTERM/SIGINT; this inner server must not take them over.
    server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign,assignment]
    if not announce:  # no "Uvicorn running on …" line: the caller says what listens there
        server._log_started_message = lambda listeners: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve(sockets=[listener] if listener else None))
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("uvicorn stopped before it started")
            await asyncio.sleep(0.01)
        host, port = server.servers[0].sockets[0].getsockname()[:2]
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await task


def loopback_listener() -> socket.socket:
    """A socket bound to a free loopback port now, served later: its address is known before the server runs.

    Created with IPPROTO_TCP spelled out: asyncio turns Nagle off only for sockets whose `proto` says TCP,
    and without it every reply would wait ~40 ms for a delayed ACK.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    return listener


def listener_url(listener: socket.socket) -> str:
    host, port = listener.getsockname()[:2]
    return f"http://{host}:{port}"
