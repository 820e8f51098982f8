"""Serve any ASGI app with a real uvicorn server on a free loopback port, inside the test's event loop."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.types import ASGIApp

from ops.background_server import serve_in_background


@contextlib.asynccontextmanager
async def serve(app: ASGIApp, *, host: str = "127.0.0.1", shutdown_timeout: int = 5) -> AsyncIterator[str]:
    """Yield the base URL (http://127.0.0.1:PORT) while uvicorn serves `app`; the lifespan runs too."""
    async with serve_in_background(
        app,
        host,
        lifespan=True,
        ws="websockets-sansio",
        access_log=True,
        shutdown_timeout=shutdown_timeout,
    ) as base_url:
        yield base_url
