"""Graceful shutdown: on SIGTERM stop accepting, end every watch cleanly, then let uvicorn drain and stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Awaitable, Callable, Generator

import uvicorn

from suno.service import SunoService

log = logging.getLogger("sunoql.shutdown")

# After the last watch ended, the front doors still send their closing frames ("complete", [DONE]).
SETTLE_SECONDS = 0.2


class GracefulServer(uvicorn.Server):
    """uvicorn's server with one step first: before connections are told to close (a WebSocket gets 1012
    at once), the service ends its watches, so subscriptions complete and chat streams send [DONE]."""

    def __init__(
        self,
        config: uvicorn.Config,
        before_shutdown: Callable[[], Awaitable[None]],
        before_exit: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(config)
        self.before_shutdown = before_shutdown
        self.before_exit = before_exit

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        with super().capture_signals():
            try:
                yield
            finally:
                # uvicorn re-raises the caught SIGTERM when this block ends, which kills the process
                # on the spot: the last log lines must be written before that.
                self.before_exit()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()  # stop accepting before anything else
        try:
            await self.before_shutdown()
        except Exception:
            log.exception("draining before shutdown failed; shutting down anyway")
        await super().shutdown(sockets)


async def end_watches(service: SunoService, timeout: float) -> int:
    """Ask every watch to end and wait (at most `timeout`) until none is left; returns how many remain."""
    count = service.hub.subscriber_count
    log.info("shutting down: ending %d open watch(es), then draining requests", count)
    service.begin_shutdown()
    deadline = time.monotonic() + timeout
    # The hub has no "now empty" signal; a 20 ms poll during a bounded shutdown costs nothing.
    while service.hub.subscriber_count and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.02)
    remaining = service.hub.subscriber_count
    if remaining:
        log.warning(
            "%d watch(es) still open after %.1f s; their connections will be closed", remaining, timeout
        )
    await asyncio.sleep(SETTLE_SECONDS)
    return remaining
