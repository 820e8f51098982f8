"""serve_in_background: an ASGI app served by uvicorn inside the current event loop, for as long as needed."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
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
) -> AsyncIterator[str]:
    """Run an ASGI app with uvicorn in this event loop (port 0: a free one); yield its base URL.

    The defaults suit the simulator and the PPROF listener; the tests' server runs the app's lifespan.
    """
    import uvicorn

    # Port 0 lets uvicorn bind the socket itself: one bound by hand would lack IPPROTO_TCP, and asyncio
    # then leaves Nagle on, so every reply would wait ~40 ms for a delayed ACK.
    # Bounded stop (2 s by default): a PPROF profile may sleep for minutes; it must not hold up the shutdown.
    config = uvicorn.Config(
        asgi_app,
        host=host,
        port=port,
        log_config=None,
        lifespan="on" if lifespan else "off",
        ws=ws,
        access_log=access_log,
        timeout_graceful_shutdown=shutdown_timeout,
    )
    server = uvicorn.Server(config)
    # The host process owns SIGTERM/SIGINT; this inner server must not take them over.
    server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign,assignment]
    if not announce:  # no "Uvicorn running on …" line: the caller says what listens there
        server._log_started_message = lambda listeners: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("uvicorn stopped before it started")
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await task
