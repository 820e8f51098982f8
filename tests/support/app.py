"""Run the whole sunoql app (create_app) on a real uvicorn server for end-to-end tests."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx

from app import Runtime, create_app
from suno.config import Settings
from suno.upstream.port import Upstream
from tests.support.server import serve


@dataclass
class RunningApp:
    base_url: str
    runtime: Runtime

    @property
    def ws_url(self) -> str:
        return "ws" + self.base_url.removeprefix("http")


@contextlib.asynccontextmanager
async def running_app(settings: Settings, upstream: Upstream | None = None) -> AsyncIterator[RunningApp]:
    """The served app; without `upstream` it talks to the built-in simulator (settings decide its speed)."""
    app = create_app(settings, upstream=upstream)
    async with serve(app) as base_url:
        yield RunningApp(base_url=base_url, runtime=app.state.runtime)


@contextlib.asynccontextmanager
async def app_client(
    settings: Settings, upstream: Upstream | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client aimed at the served app (see `running_app`)."""
    async with running_app(settings, upstream) as app, httpx.AsyncClient(base_url=app.base_url) as http:
        yield http
