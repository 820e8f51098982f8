"""The simulator as a Starlette app: Clerk's and studio-api's routes, the CDN, and the /_sim admin routes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from simulator.admin import AdminApi
from simulator.cdn import CdnApi
from simulator.clerk import ClerkApi
from simulator.downloads import DownloadApi
from simulator.era import SimulatorEra
from simulator.faults import injected_failure
from simulator.operations import OperationsApi
from simulator.persistence import StateFile, StateSaver
from simulator.state import PROTOCOLS, SimulatorState
from simulator.studio import StudioApi
from simulator.web import AccountEndpoint, Endpoint, detail, route


class SimulatorApp:
    """An ASGI app; `state` holds its clips, accounts, faults and call counts.

    With `state_file`, the state is read from that file at start and written back a second after it
    changes and at stop (the ASGI lifespan must run); otherwise it lives in memory only.
    """

    def __init__(self, state: SimulatorState | None = None, *, state_file: Path | str | None = None) -> None:
        self.state = state or SimulatorState()
        self.saver = StateSaver(self.state, StateFile(state_file)) if state_file is not None else None
        routes: list[Route] = [*ClerkApi(self.state).routes()]
        operations = OperationsApi(self.state)
        # Operations first: their whole-song route (history checked) answers before the studio's.
        for method, path, endpoint, handler in [
            *operations.routes(),
            *StudioApi(self.state).routes(),
            *DownloadApi(self.state).routes(),
        ]:
            routes += route(method, path, self._authorized(endpoint, handler, f"{method} {path}"))
        routes += [*CdnApi(self.state).routes(), *AdminApi(self.state).routes(), *operations.public_routes()]
        self.app = Starlette(
            routes=routes,
            lifespan=self._lifespan,
            exception_handlers={
                HTTPException: not_found,
                ValueError: invalid_request,
                KeyError: invalid_request,
                TypeError: invalid_request,
            },
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
        # Every change worth keeping comes by POST (generate, lyrics, credits, unlocking): reads never.
        if self.saver is not None and scope["type"] == "http" and scope["method"] not in ("GET", "HEAD"):
            self.saver.mark_changed()

    @contextlib.asynccontextmanager
    async def _lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        if self.saver is None:
            yield
            return
        await self.saver.load()
        writer = asyncio.create_task(self.saver.run())
        try:
            yield
        finally:
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer
            await self.saver.flush()

    def _authorized(self, endpoint: str, handler: AccountEndpoint, route_name: str = "") -> Endpoint:
        """studio-api wants a live bearer JWT from Clerk; the handler gets the account it names."""

        async def guarded(request: Request) -> Response:
            self.state.calls[endpoint] += 1
            self.state.route_calls[route_name] += 1
            token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            account = self.state.verify_jwt(token) if token else None
            if account is None:
                return detail(401, "Unauthorized")
            self.state.account(account).calls[endpoint] += 1
            if request.method == "POST":
                # Read (and cache) the body first, as a server does: a slow fault then still does its work.
                await request.body()
            if (failure := await injected_failure(self.state, endpoint, account)) is not None:
                return failure
            return await handler(request, account)

        return guarded


async def not_found(request: Request, exc: Exception) -> Response:
    # An unknown path and a known path with another method alike: Suno's FastAPI 404.
    return detail(404, "Not Found")


async def invalid_request(request: Request, exc: Exception) -> Response:
    return detail(422, f"invalid request: {type(exc).__name__}")


def create_simulator_app(
    speed: float = 1.0,
    *,
    token_ttl: float = 60.0,
    default_credits: int = 500,
    captcha_required: bool = False,
    era: SimulatorEra | str = SimulatorEra.SUNO_2026,
    protocols: tuple[str, ...] = PROTOCOLS,
    state_file: Path | str | None = None,
) -> SimulatorApp:
    """The simulator's ASGI app; its `state` holds clips, accounts, faults and call counts.

    `state_file`: keep that state in this file across restarts (served with the lifespan on)."""
    state = SimulatorState(
        speed=speed,
        token_ttl=token_ttl,
        default_credits=default_credits,
        captcha_required=captcha_required,
        era=era,
        protocols=protocols,
    )
    return SimulatorApp(state, state_file=state_file)
