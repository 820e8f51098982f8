"""The composition root: builds the Starlette app from settings, runs the worker in its lifespan; the CLI."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from rest_compat.chat import chat_routes
from rest_compat.legacy import legacy_routes
from schema.transport import graphql_routes
from suno.config import Settings
from suno.errors import SettingsError
from suno.events import EventHub
from suno.relay import EventRelay
from suno.service import SunoService
from suno.store import TaskStore, create_engine, database_from_settings, schema_is_current, upgrade_to_head
from suno.upstream import build_upstream
from suno.upstream.port import Upstream
from suno.worker import Worker, WorkerOptions

log = logging.getLogger("sunoql")


@dataclass
class Runtime:
    """Everything the lifespan started, for the routes and for an orderly stop."""

    settings: Settings
    store: TaskStore
    service: SunoService
    worker: Worker
    simulator_url: str | None = None
    stoppers: list[contextlib.AsyncExitStack] = field(default_factory=list)


def create_app(settings: Settings | None = None, *, upstream: Upstream | None = None) -> Starlette:
    """The whole server. `upstream` replaces the Suno account pool (tests)."""
    settings = settings or Settings.from_env()
    holder: dict[str, Runtime] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            runtime = await start_runtime(settings, stack, upstream)
            holder["runtime"] = runtime
            app.state.runtime = runtime
            for route in front_door_routes(runtime.service, settings):
                app.router.routes.append(route)
            yield

    app = Starlette(
        routes=[Route("/ping", ping), Route("/healthz", healthz)],
        lifespan=lifespan,
    )
    return app


async def start_runtime(
    settings: Settings, stack: contextlib.AsyncExitStack, upstream: Upstream | None = None
) -> Runtime:
    engine = create_engine(database_from_settings(settings.sql_dsn, settings.sqlite_path))
    store = TaskStore(engine)
    stack.push_async_callback(store.close)
    await upgrade_to_head(engine)
    simulator_url = None
    if upstream is None:
        upstream, simulator_url = await start_upstream(settings, stack)
    stack.push_async_callback(upstream.aclose)
    service = SunoService(store, upstream, EventHub(), poll_interval=settings.poll_interval)
    relay = EventRelay(store, service.hub)  # changes made by other replicas reach our subscribers
    await relay.start()
    stack.push_async_callback(relay.stop)
    worker = Worker(
        service,
        WorkerOptions(
            poll_interval=settings.poll_interval,
            task_timeout=settings.task_timeout,
            lease_seconds=settings.lease_seconds,
        ),
    )
    await worker.recover()
    worker.start()
    stack.push_async_callback(worker.stop)
    return Runtime(settings, store, service, worker, simulator_url)


async def start_upstream(settings: Settings, stack: contextlib.AsyncExitStack) -> tuple[Upstream, str | None]:
    """The account pool; with no credentials, pointed at the built-in simulator served on loopback."""
    if not settings.uses_simulator:
        return build_upstream(settings), None
    from suno.simulator import create_simulator_app, simulator_settings

    base_url = await stack.enter_async_context(
        serve_in_background(create_simulator_app(speed=settings.simulator_speed))
    )
    for line in SIMULATOR_BANNER.format(url=base_url).splitlines():
        log.warning(line)
    return build_upstream(simulator_settings(settings, base_url)), base_url


SIMULATOR_BANNER = """
************************************************************************
*  NO SUNO CREDENTIALS: sunoql is running against its built-in Suno   *
*  SIMULATOR at {url:<40}               *
*  Songs are generated tones, not music. Set COOKIE (and SESSION_ID)  *
*  or ACCOUNTS_FILE to use your Suno account.                          *
************************************************************************"""


@contextlib.asynccontextmanager
async def serve_in_background(asgi_app: Any, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Run an ASGI app on a free loopback port with uvicorn, in this event loop."""
    import uvicorn

    config = uvicorn.Config(asgi_app, host=host, port=0, log_config=None, lifespan="off")
    server = uvicorn.Server(config)
    # The host process owns SIGTERM/SIGINT; this inner server must not take them over.
    server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign,assignment]
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("the simulator stopped before it started")
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await task


def front_door_routes(service: SunoService, settings: Settings) -> list[BaseRoute]:
    return [
        *graphql_routes(service, settings),
        *legacy_routes(service, settings),
        *chat_routes(service, settings),
    ]


async def ping(_request: Request) -> JSONResponse:
    return JSONResponse({"message": "pong"})


async def healthz(request: Request) -> JSONResponse:
    runtime: Runtime = request.app.state.runtime
    checks: dict[str, object] = {"process": "ok"}
    healthy = True
    try:
        await runtime.store.ping()
        checks["store"] = "ok"
        checks["migrations"] = "current" if await schema_is_current(runtime.store.engine) else "behind"
    except Exception as error:
        healthy = False
        checks["store"] = f"unreachable: {type(error).__name__}"
    checks["upstream"] = "simulator" if runtime.simulator_url else "suno"
    checks["worker"] = {"last_tick_seconds": round(runtime.worker.last_report.duration, 4)}
    return JSONResponse(
        {"status": "ok" if healthy else "degraded", "checks": checks}, 200 if healthy else 503
    )


async def migrate(settings: Settings) -> None:
    engine = create_engine(database_from_settings(settings.sql_dsn, settings.sqlite_path))
    try:
        await upgrade_to_head(engine)
    finally:
        await engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sunoql", description="A self-hosted gateway to Suno.ai")
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="serve the API (default)")
    serve.add_argument("--host", help="address to bind (default: HOST or 0.0.0.0)")
    serve.add_argument("--port", type=int, help="port (default: PORT or 8000)")
    commands.add_parser("migrate", help="apply database migrations and exit")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"sunoql: invalid setting: {error}", file=sys.stderr)
        return 2

    if args.command == "migrate":
        asyncio.run(migrate(settings))
        print("sunoql: database is at the latest migration")
        return 0

    import uvicorn

    settings = settings.with_overrides(
        **{k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    )
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
