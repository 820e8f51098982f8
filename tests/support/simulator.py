"""Run the Suno simulator as a real HTTP server on loopback, for any test that needs an upstream.

    async with running_simulator(speed=100) as sim:
        settings = sim.settings()            # Settings aimed at it, with the "default" account's cookie
        sim.state.inject("429", "generate")  # the next generate answers 429
        sim.state.calls["feed"]              # requests per endpoint

It is served by ops.background_server, as the app serves its built-in simulator. The state stays in memory
unless given `state_file=` (then it survives a restart on the same file).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ops.background_server import serve_in_background
from simulator import SimulatorApp, SimulatorState, simulator_settings
from suno.config import Settings
from tests.support.protocol import test_protocol


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


@contextlib.asynccontextmanager
async def running_simulator(
    speed: float = 100.0, *, state_file: Path | None = None, **options: Any
) -> AsyncIterator[RunningSimulator]:
    """The simulator served by uvicorn as a task of the current event loop, on a free loopback port."""
    # It speaks only the profile the suite runs under, so a call of the other profile fails loudly (404).
    options.setdefault("protocols", (test_protocol(),))
    app = SimulatorApp(SimulatorState(speed=speed, **options), state_file=state_file)
    # Its lifespan loads and saves the state file.
    async with serve_in_background(app, ws="none", lifespan=True, announce=False) as base_url:
        yield RunningSimulator(base_url, app)
