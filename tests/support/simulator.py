"""Run the Suno simulator as a real HTTP server on loopback, for any test that needs an upstream.

    async with running_simulator(speed=100) as sim:
        settings = sim.settings()            # Settings aimed at it, with the "default" account's cookie
        sim.state.inject("429", "generate")  # the next generate answers 429
        sim.state.calls["feed"]              # requests per endpoint

`simulator_in_thread()` is the same for synchronous tests (its own event loop in a thread).
Both keep the state in memory unless given `state_file=` (then it survives a restart on the same file).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from simulator import SimulatorApp, SimulatorState, simulator_settings
from suno.config import Settings


@dataclass
class RunningSimulator:
    base_url: str
    app: SimulatorApp

    @property
    def state(self) -> SimulatorState:
        return self.app.state

    @property
    def clerk_url(self) -> str:
        # The simulator serves Clerk's routes on the same host as studio-api's.
        return self.base_url

    def settings(self, base: Settings | None = None, account: str = "default", **overrides: Any) -> Settings:
        return simulator_settings(base or Settings(), self.base_url, account).with_overrides(**overrides)

    def cookie_for(self, account: str) -> str:
        return self.state.cookie_for(account)

    def inject(
        self, kind: str, endpoint: str = "*", *, account: str | None = None, times: int | None = 1
    ) -> None:
        self.state.inject(kind, endpoint, account=account, times=times)


def _server(app: SimulatorApp) -> uvicorn.Server:
    # Port 0: the OS picks a free port. (A socket bound by hand would lack IPPROTO_TCP, and asyncio
    # then leaves Nagle on: every reply would wait ~40 ms for a delayed ACK.)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, lifespan="on", log_level="warning", access_log=False, ws="none"
    )
    return uvicorn.Server(config)


def _base_url(server: uvicorn.Server) -> str:
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    return f"http://{host}:{port}"


@contextlib.asynccontextmanager
async def running_simulator(
    speed: float = 100.0, *, state_file: Path | None = None, **options: Any
) -> AsyncIterator[RunningSimulator]:
    """The simulator served by uvicorn as a task of the current event loop, on a free loopback port."""
    app = SimulatorApp(SimulatorState(speed=speed, **options), state_file=state_file)
    server = _server(app)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()  # surface the start-up error
            await asyncio.sleep(0.005)
        yield RunningSimulator(_base_url(server), app)
    finally:
        server.should_exit = True
        await task


@contextlib.contextmanager
def simulator_in_thread(
    speed: float = 100.0, *, state_file: Path | None = None, **options: Any
) -> Iterator[RunningSimulator]:
    """The simulator in a background thread with its own loop, for tests that block."""
    app = SimulatorApp(SimulatorState(speed=speed, **options), state_file=state_file)
    server = _server(app)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the simulator thread stopped during start-up")
            threading.Event().wait(0.005)
        yield RunningSimulator(_base_url(server), app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
