"""The composition root: builds the Starlette app from settings, runs the worker in its lifespan; the CLI."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ops.background_server import listener_url, loopback_listener, serve_in_background
from ops.graceful import GracefulServer, end_watches
from ops.health import healthz, readyz
from ops.log_setup import configure_logging, current_redactor
from ops.metrics import Metrics, metrics_endpoint
from ops.metrics_observer import MetricsObserver
from ops.profiling import PPROF_HOST, profiling_app
from ops.request_context import RequestContextMiddleware
from ops.routing import IndexedRouter
from ops.server_options import server_options
from rest_compat.api_docs import openapi_document_route
from rest_compat.assets import asset_routes
from rest_compat.console import console_routes
from rest_compat.gcui import gcui_routes
from rest_compat.legacy import legacy_routes
from rest_compat.mcp_door import McpDoor, mcp_door
from rest_compat.openai import chat_routes
from rest_compat.sunoapi import sunoapi_callback_renderer, sunoapi_routes
from rest_compat.swagger import swagger_routes
from schema.transport import graphql_routes
from simulator import SimulatorApp, create_simulator_app, simulator_settings, simulator_state_path
from suno.assets.runtime import Assets, build_assets, download_resolver
from suno.config import Settings
from suno.errors import SettingsError
from suno.events import EventHub
from suno.relay import EventRelay
from suno.service import SunoService
from suno.store import TaskStore, create_engine, database_from_settings, upgrade_to_head
from suno.store.device_ids import DeviceIdStore
from suno.upstream import build_upstream
from suno.upstream.port import Upstream
from suno.webhooks.delivery import WebhookDispatcher
from suno.webhooks.runtime import build_webhooks, webhook_policy
from suno.worker import Worker, WorkerOptions

log = logging.getLogger("sunoql")


@dataclass
class Runtime:
    """Every piece of the server, built by `build_runtime` before it serves and started by its lifespan."""

    settings: Settings
    metrics: Metrics
    store: TaskStore
    upstream: Upstream
    service: SunoService
    relay: EventRelay
    worker: Worker
    assets: Assets
    mcp: McpDoor  # the one door with a lifespan (the MCP SDK's session manager)
    simulator: BuiltInSimulator | None = None
    webhooks: WebhookDispatcher | None = None  # None while WEBHOOK_SECRET is unset
    pprof_url: str | None = None

    @property
    def simulator_url(self) -> str | None:
        return self.simulator.url if self.simulator else None

    def close_unstarted(self) -> None:
        """Release what building took (the simulator's bound port) when the app will never start."""
        if self.simulator is not None:
            self.simulator.listener.close()


@dataclass
class BuiltInSimulator:
    """The stand-in for Suno that `make run` uses without credentials, on a loopback port bound up front."""

    app: SimulatorApp
    listener: socket.socket
    era: str

    @property
    def url(self) -> str:
        return listener_url(self.listener)


def create_app(settings: Settings | None = None, *, upstream: Upstream | None = None) -> Starlette:
    """The whole server. `upstream` replaces the Suno account pool (tests)."""
    settings = settings or Settings.from_env()
    runtime = build_runtime(settings, upstream)
    try:
        routes = app_routes(runtime)
    except BaseException:
        runtime.close_unstarted()  # e.g. a chat template that does not compile
        raise

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            await start_runtime(runtime, stack)
            yield

    app = Starlette(routes=routes, lifespan=lifespan)
    app.router = IndexedRouter(routes, lifespan=lifespan)  # Starlette's, trying only the routes that can fit
    app.state.runtime = runtime
    origins = [origin.strip() for origin in settings.cors_allow_origins.split(",") if origin.strip()]
    # Browser chat apps and web pages call /v1, /suno and /graphql directly.
    cors = (
        {
            "allow_origins": origins,
            "allow_methods": ["GET", "POST", "OPTIONS"],
            "allow_headers": ["Authorization", "Content-Type", "X-Request-Id"],
            "expose_headers": ["X-Request-Id", "X-Any2api-Request-Id"],
            "max_age": 600,
        }
        if origins and origins != ["none"]
        else None
    )
    # Outermost, so its request id is on every line an inner layer logs and its timing covers them; CORS
    # is part of it (see ops/cors.py).
    app.add_middleware(RequestContextMiddleware, metrics=runtime.metrics, routes=app.router.routes, cors=cors)
    return app


def build_runtime(settings: Settings, upstream: Upstream | None = None) -> Runtime:
    """Every piece, wired to what it needs; nothing runs yet (the lifespan starts them)."""
    metrics = Metrics()
    observer = MetricsObserver(metrics)
    store = TaskStore(create_engine(database_from_settings(settings.sql_dsn, settings.sqlite_path)))
    simulator = built_in_simulator(settings) if upstream is None and settings.uses_simulator else None
    if upstream is None:
        upstream_settings = simulator_settings(settings, simulator.url) if simulator else settings
        upstream = build_upstream(upstream_settings, observer=observer)
        metrics.count_token_refreshes(upstream.account_names())
        for name in upstream.account_names():
            metrics.set_account_state(name, "HEALTHY")  # until its first change says otherwise
    service = SunoService(
        store,
        upstream,
        EventHub(),
        poll_interval=settings.poll_interval,
        observer=observer,
        webhooks=webhook_policy(settings),
    )
    metrics.subscriptions.set_function(lambda: service.hub.subscriber_count)
    # Changes made by other replicas reach our subscribers and refresh our cache.
    relay = EventRelay(store, service.hub, cache=service.cache)
    worker = Worker(
        service,
        WorkerOptions(
            poll_interval=settings.poll_interval,
            task_timeout=settings.task_timeout,
            lease_seconds=settings.lease_seconds,
            heartbeat_timeout=settings.replica_heartbeat_timeout,
            submit_confirm_timeout=settings.submit_confirm_timeout,
        ),
    )
    # Playable copies of finished songs: the mirror follows the store's events.
    assets = build_assets(
        settings,
        store,
        resolver=download_resolver(upstream, settings),
        changes=lambda: int(service.hub.published),
    )
    relay.asset_rows = assets.store.cache  # other replicas' asset changes reach our cached links
    # The MCP door is built here, not in app_routes, because start_runtime runs its session manager.
    mcp = mcp_door(service, settings, assets.links)
    webhooks = build_webhooks(
        settings, store, assets.links, {"sunoapi": sunoapi_callback_renderer}, observer=observer
    )
    return Runtime(
        settings, metrics, store, upstream, service, relay, worker, assets, mcp, simulator, webhooks=webhooks
    )


def app_routes(runtime: Runtime) -> list[BaseRoute]:
    """Every route, built once: each door gets the service, the settings and the clip links."""
    service, settings, links = runtime.service, runtime.settings, runtime.assets.links
    return [
        Route("/ping", ping),
        Route("/favicon.ico", favicon),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_endpoint(runtime.metrics, runtime.store.count_by_status)),
        *graphql_routes(service, settings, links),
        *legacy_routes(service, settings, links),
        *chat_routes(service, settings, links),
        *gcui_routes(service, settings, links),
        *sunoapi_routes(service, settings, links),
        *runtime.mcp.routes(),
        *asset_routes(runtime.assets, settings),
        openapi_document_route("/openapi.json"),
        *swagger_routes("/swagger", openapi_url="../openapi.json"),
        *console_routes(),
    ]


async def start_runtime(runtime: Runtime, stack: contextlib.AsyncExitStack) -> None:
    """Start every piece in order; `stack` stops them in reverse (the store closes last)."""
    settings = runtime.settings
    stack.push_async_callback(runtime.store.close)
    await upgrade_to_head(runtime.store.engine)
    await runtime.upstream.adopt_device_ids(DeviceIdStore(runtime.store.engine))
    if runtime.simulator is not None:
        await serve_built_in_simulator(runtime.simulator, stack)
    stack.push_async_callback(runtime.upstream.aclose)
    await runtime.relay.start()
    stack.push_async_callback(runtime.relay.stop)
    runtime.worker.start()  # recovers interrupted submissions, then ticks
    stack.push_async_callback(runtime.worker.stop)
    await runtime.assets.start(stack)  # stopped before the store closes
    if runtime.webhooks is not None:  # delivers what a previous run (or another replica) left due
        runtime.webhooks.start()
        stack.push_async_callback(runtime.webhooks.stop)
    redact_account_secrets(runtime, stack)
    reload_accounts_on_sighup(runtime, stack)
    await stack.enter_async_context(runtime.mcp.running())  # /mcp serves from here; stops first
    if settings.pprof:
        runtime.pprof_url = await stack.enter_async_context(
            serve_in_background(profiling_app(), PPROF_HOST, settings.pprof_port, announce=False)
        )
        log.warning("PPROF=true: profiling listener on %s/debug/pprof/ (loopback only)", runtime.pprof_url)


def redact_account_secrets(runtime: Runtime, stack: contextlib.AsyncExitStack) -> None:
    """Every account's cookie, session id and current JWT join the log redaction while the app runs."""
    redactor = current_redactor()
    if redactor is None:
        return

    def account_secrets() -> list[str]:
        return [
            value
            for secrets in runtime.service.account_secrets()
            for value in (secrets.cookie, secrets.session_id, secrets.jwt)
        ]

    redactor.add_source(account_secrets)
    stack.callback(redactor.remove_source, account_secrets)


def reload_accounts_on_sighup(runtime: Runtime, stack: contextlib.AsyncExitStack) -> None:
    """SIGHUP re-reads ACCOUNTS_FILE (as a change of the file does at the next worker tick)."""
    if runtime.service.care is None or not hasattr(signal, "SIGHUP"):
        return
    loop = asyncio.get_running_loop()
    pending: set[asyncio.Task[list[str]]] = set()

    def reload() -> None:
        task = loop.create_task(runtime.service.reload_accounts())
        pending.add(task)
        task.add_done_callback(pending.discard)

    try:
        loop.add_signal_handler(signal.SIGHUP, reload)
    except (NotImplementedError, RuntimeError, ValueError):
        return  # not the main thread (tests serving the app in a thread), or no signals here
    stack.callback(loop.remove_signal_handler, signal.SIGHUP)


def built_in_simulator(settings: Settings) -> BuiltInSimulator:
    """The simulator, its state kept beside the database, on a port bound now so the pool can aim at it."""
    app = create_simulator_app(
        speed=settings.simulator_speed, era=settings.simulator_era, state_file=simulator_state_path(settings)
    )
    return BuiltInSimulator(app, loopback_listener(), settings.simulator_era)


async def serve_built_in_simulator(simulator: BuiltInSimulator, stack: contextlib.AsyncExitStack) -> None:
    # Its lifespan reads the state a previous run saved and writes it back at stop. Quiet: uvicorn's
    # "Uvicorn running on …" would read as if it were sunoql's own address; the banner says what runs.
    stack.callback(simulator.listener.close)
    await stack.enter_async_context(
        serve_in_background(simulator.app, lifespan=True, announce=False, listener=simulator.listener)
    )
    for line in simulator_banner(simulator.url, simulator.era).splitlines():
        log.warning(line)


SIMULATOR_BANNER_LINES = (
    "NO SUNO CREDENTIALS: sunoql is running against its built-in Suno",
    "SIMULATOR at {url}, {era} era (SIMULATOR_ERA)",
    "Songs are generated tones, not music. Set COOKIE (and SESSION_ID)",
    "or ACCOUNTS_FILE to use your Suno account.",
)


def simulator_banner(url: str, era: str, width: int = 72) -> str:
    rule = "*" * width
    body = [f"*  {line.format(url=url, era=era):<{width - 6}}  *" for line in SIMULATOR_BANNER_LINES]
    return "\n".join([rule, *body, rule])


async def favicon(_request: Request) -> Response:
    # Browsers ask for it on every page (GraphiQL, Swagger UI): an empty answer, not a 404 in the log.
    return Response(status_code=204, headers={"Cache-Control": "public, max-age=86400"})


async def ping(_request: Request) -> JSONResponse:
    return JSONResponse({"message": "pong"})


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

    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"sunoql: invalid setting: {error}", file=sys.stderr)
        return 2
    logging_setup = configure_logging(settings)
    try:
        return run_command(
            args.command,
            getattr(args, "host", None),
            getattr(args, "port", None),
            settings,
            logging_setup.close,
        )
    finally:
        logging_setup.close()


def run_command(
    command: str | None,
    host: str | None,
    port: int | None,
    settings: Settings,
    flush_logs: Callable[[], None] = lambda: None,
) -> int:

    if command == "migrate":
        asyncio.run(migrate(settings))
        print("sunoql: database is at the latest migration")
        return 0

    import uvicorn

    settings = settings.with_overrides(**{k: v for k, v in (("host", host), ("port", port)) if v is not None})
    try:
        app = create_app(settings)
    except SettingsError as error:  # e.g. a chat template that does not compile
        print(f"sunoql: {error}", file=sys.stderr)
        return 2
    config = uvicorn.Config(app, host=settings.host, port=settings.port, **server_options(settings))

    runtime: Runtime = app.state.runtime

    async def before_shutdown() -> None:
        runtime.metrics.shutting_down.set(1)
        await end_watches(runtime.service, settings.shutdown_timeout / 2)

    GracefulServer(config, before_shutdown, before_exit=flush_logs).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
