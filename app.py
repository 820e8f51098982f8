"""The composition root: builds the Starlette app from settings, runs the worker in its lifespan; the CLI."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from ops.background_server import serve_in_background
from ops.graceful import GracefulServer, end_watches
from ops.health import healthz, readyz
from ops.log_setup import configure_logging, current_redactor
from ops.metrics import Metrics, metrics_endpoint
from ops.metrics_observer import MetricsObserver
from ops.profiling import PPROF_HOST, profiling_app
from ops.request_context import RequestContextMiddleware
from rest_compat.api_docs import openapi_document_route
from rest_compat.assets import asset_routes
from rest_compat.legacy import legacy_routes
from rest_compat.openai import chat_routes
from rest_compat.swagger import swagger_routes
from schema.transport import graphql_routes
from suno.assets.runtime import start_assets
from suno.config import Settings
from suno.errors import SettingsError
from suno.events import EventHub
from suno.observer import NO_OBSERVER, Observer
from suno.relay import EventRelay
from suno.service import SunoService
from suno.store import TaskStore, create_engine, database_from_settings, upgrade_to_head
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
    metrics: Metrics = field(default_factory=Metrics)
    pprof_url: str | None = None


def create_app(settings: Settings | None = None, *, upstream: Upstream | None = None) -> Starlette:
    """The whole server. `upstream` replaces the Suno account pool (tests)."""
    settings = settings or Settings.from_env()
    holder: dict[str, Runtime] = {}
    metrics = Metrics()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            runtime = await start_runtime(settings, stack, upstream, metrics)
            holder["runtime"] = runtime
            app.state.runtime = runtime
            redact_account_secrets(runtime, stack)
            if settings.pprof:
                runtime.pprof_url = await stack.enter_async_context(
                    serve_in_background(profiling_app(), PPROF_HOST, settings.pprof_port)
                )
                log.warning(
                    "PPROF=true: profiling listener on %s/debug/pprof/ (loopback only)", runtime.pprof_url
                )
            for route in front_door_routes(runtime.service, settings):
                app.router.routes.append(route)
            yield

    async def task_counts() -> dict[tuple[str, str], int]:
        return await holder["runtime"].store.count_by_status()

    app = Starlette(
        routes=[
            Route("/ping", ping),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint(metrics, task_counts)),
        ],
        lifespan=lifespan,
    )
    origins = [origin.strip() for origin in settings.cors_allow_origins.split(",") if origin.strip()]
    if origins and origins != ["none"]:
        # Browser chat apps and web pages call /v1, /suno and /graphql directly.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "X-Request-Id"],
            expose_headers=["X-Request-Id", "X-Any2api-Request-Id"],
            max_age=600,
        )
    # Outermost, so its request id is on every line an inner layer logs and its timing covers them.
    app.add_middleware(RequestContextMiddleware, metrics=metrics, routes=lambda: app.router.routes)
    return app


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


async def start_runtime(
    settings: Settings,
    stack: contextlib.AsyncExitStack,
    upstream: Upstream | None = None,
    metrics: Metrics | None = None,
) -> Runtime:
    metrics = metrics or Metrics()
    observer = MetricsObserver(metrics)
    engine = create_engine(database_from_settings(settings.sql_dsn, settings.sqlite_path))
    store = TaskStore(engine)
    stack.push_async_callback(store.close)
    await upgrade_to_head(engine)
    simulator_url = None
    if upstream is None:
        upstream, simulator_url = await start_upstream(settings, stack, observer)
        metrics.count_token_refreshes(upstream.account_names())
    stack.push_async_callback(upstream.aclose)
    service = SunoService(
        store, upstream, EventHub(), poll_interval=settings.poll_interval, observer=observer
    )
    metrics.subscriptions.set_function(lambda: service.hub.subscriber_count)
    # Changes made by other replicas reach our subscribers and refresh our cache.
    relay = EventRelay(store, service.hub, cache=service.cache)
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
    worker.start()  # recovers interrupted submissions, then ticks
    stack.push_async_callback(worker.stop)
    # Playable copies of finished songs: follows the store's events, stopped before the store closes.
    await start_assets(settings, store, service, upstream, stack)
    return Runtime(settings, store, service, worker, simulator_url, metrics=metrics)


async def start_upstream(
    settings: Settings, stack: contextlib.AsyncExitStack, observer: Observer = NO_OBSERVER
) -> tuple[Upstream, str | None]:
    """The account pool; with no credentials, pointed at the built-in simulator served on loopback."""
    if not settings.uses_simulator:
        return build_upstream(settings, observer=observer), None
    from simulator import create_simulator_app, simulator_settings, simulator_state_path

    simulator = create_simulator_app(
        speed=settings.simulator_speed, era=settings.simulator_era, state_file=simulator_state_path(settings)
    )
    # Its lifespan reads the state a previous run saved and writes it back at stop. Quiet: uvicorn's
    # "Uvicorn running on …" would read as if it were sunoql's own address; the banner says what runs.
    base_url = await stack.enter_async_context(serve_in_background(simulator, lifespan=True, announce=False))
    for line in simulator_banner(base_url, settings.simulator_era).splitlines():
        log.warning(line)
    return build_upstream(simulator_settings(settings, base_url), observer=observer), base_url


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


def front_door_routes(service: SunoService, settings: Settings) -> list[BaseRoute]:
    return [
        *graphql_routes(service, settings),
        *legacy_routes(service, settings),
        *chat_routes(service, settings),
        *asset_routes(service, settings),
        openapi_document_route("/openapi.json"),
        *swagger_routes("/swagger", openapi_url="../openapi.json"),
    ]


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
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,  # ours: configure_logging already routes uvicorn's loggers
        access_log=False,  # the request middleware logs each request, with its request id
        timeout_graceful_shutdown=max(int(settings.shutdown_timeout), 1),
    )

    async def before_shutdown() -> None:
        runtime: Runtime | None = getattr(app.state, "runtime", None)
        if runtime is not None:
            runtime.metrics.shutting_down.set(1)
            await end_watches(runtime.service, settings.shutdown_timeout / 2)

    GracefulServer(config, before_shutdown, before_exit=flush_logs).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
