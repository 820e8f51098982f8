"""Serve any ASGI app with a real uvicorn server on a free loopback port, inside the test's event loop."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.types import ASGIApp

from ops.background_server import serve_in_background
from ops.server_options import server_options
from suno.config import Settings


@contextlib.asynccontextmanager
async def serve(app: ASGIApp, *, host: str = "127.0.0.1", shutdown_timeout: int = 5) -> AsyncIterator[str]:
    """Yield the base URL (http://127.0.0.1:PORT) while uvicorn serves `app`; the lifespan runs too.

    With the options `sunoql serve` uses (for a sunoql app, from its own settings), so WebSocket tests see
    what production negotiates.
    """
    runtime = getattr(getattr(app, "state", None), "runtime", None)
    settings = runtime.settings if runtime is not None else Settings()
    options = {**server_options(settings), "access_log": True, "timeout_graceful_shutdown": shutdown_timeout}
    async with serve_in_background(app, host, lifespan=True, options=options) as base_url:
        yield base_url
