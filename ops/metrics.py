"""Prometheus metrics: one registry per app, counters fed by the core's observer, gauges read at scrape time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import Response

from ops.latency_histogram import LatencyHistogram
from suno.models import AccountState, TaskAction, TaskStatus
from suno.tick_report import TickReport

# Suno answers in tens of ms to tens of seconds (generate); a tick polls hundreds of clips at once.
UPSTREAM_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 60.0, 600.0)


class Metrics:
    def __init__(self) -> None:
        # Not the global registry: several apps may live in one process (tests, replicas in a bench).
        self.registry = CollectorRegistry()
        r = self.registry
        self.tasks = Gauge(
            "sunoql_tasks", "Tasks in the store, by action and status.", ["action", "status"], registry=r
        )
        self.submissions = Counter(
            "sunoql_submissions", "Tasks submitted through any front door, by action.", ["action"], registry=r
        )
        self.submission_failures = Counter(
            "sunoql_submission_failures",
            "Submissions refused (validation) or failed when sent to Suno, by action and reason.",
            ["action", "reason"],
            registry=r,
        )
        self.task_finished = Counter(
            "sunoql_tasks_finished",
            "Tasks that reached a terminal status in this process, by action, status and reason.",
            ["action", "status", "reason"],
            registry=r,
        )
        self.upstream_latency = Histogram(
            "sunoql_upstream_request_duration_seconds",
            "Calls to Suno (through the account pool), by endpoint and outcome status.",
            ["endpoint", "status"],
            buckets=UPSTREAM_BUCKETS,
            registry=r,
        )
        self.upstream_errors = Counter(
            "sunoql_upstream_errors",
            "Failed calls to Suno, by endpoint and status (HTTP code, or 'unreachable').",
            ["endpoint", "status"],
            registry=r,
        )
        self.token_refreshes = Counter(
            "sunoql_token_refreshes", "Clerk JWT exchanges (refreshes), by account.", ["account"], registry=r
        )
        self.worker_tick = Histogram(
            "sunoql_worker_tick_duration_seconds", "Duration of one worker tick.", registry=r
        )
        self.worker_in_flight = Gauge(
            "sunoql_worker_in_flight_tasks",
            "Tasks the worker claimed and polled in its last tick.",
            registry=r,
        )
        self.worker_changes = Counter(
            "sunoql_worker_task_changes", "Task changes the worker stored after polling Suno.", registry=r
        )
        self.worker_errors = Counter(
            "sunoql_worker_errors", "Failed worker steps and failed polls of an account.", registry=r
        )
        self.subscriptions = Gauge(
            "sunoql_active_subscriptions",
            "Open watches of tasks (GraphQL subscriptions, streaming chats, blocking lyrics calls).",
            registry=r,
        )
        self.websockets = Gauge("sunoql_websocket_connections", "Open WebSocket connections.", registry=r)
        self.webhook_attempts = Counter(
            "sunoql_webhook_attempts",
            "Webhook delivery attempts, by outcome (delivered, retry, gave_up, refused, rejected).",
            ["outcome"],
            registry=r,
        )
        self.webhook_latency = Histogram(
            "sunoql_webhook_attempt_duration_seconds", "Duration of one webhook delivery attempt.", registry=r
        )
        # Observed on every request: counted cheaply (see LatencyHistogram), exposed like the others.
        self.http_latency = LatencyHistogram(
            "sunoql_http_request_duration_seconds",
            "HTTP requests served, by method, route template and status code.",
            ["method", "route", "status"],
            buckets=HTTP_BUCKETS,
            registry=r,
        )
        self.shutting_down = Gauge(
            "sunoql_shutting_down", "1 while the process drains before exit.", registry=r
        )
        self.account_state = Gauge(
            "sunoql_account_state",
            "1 for each account's current health state, 0 for its other states.",
            ["account", "state"],
            registry=r,
        )
        self.account_state_changes = Counter(
            "sunoql_account_state_changes",
            "Account health changes, by account and new state.",
            ["account", "state"],
            registry=r,
        )
        self.captcha_solves = Histogram(
            "sunoql_captcha_solve_duration_seconds",
            "Captcha solves by the solver service, by solver and outcome (ok, failed).",
            ["solver", "outcome"],
            buckets=(1.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 180.0, 300.0),
            registry=r,
        )
        self.captcha_cost = Counter(
            "sunoql_captcha_solve_cost",
            "What the solver service charged, in its currency, by solver.",
            ["solver"],
            registry=r,
        )

    def observe_tick(self, report: TickReport) -> None:
        self.worker_tick.observe(report.duration)
        self.worker_in_flight.set(report.claimed)
        self.worker_changes.inc(report.changed)
        self.worker_errors.inc(report.errors)

    def set_task_counts(self, counts: dict[tuple[str, str], int]) -> None:
        # Every combination is written, so a status that emptied reads 0 instead of its last value.
        for action in TaskAction:
            for status in TaskStatus:
                self.tasks.labels(action.value, status.value).set(counts.get((action.value, status.value), 0))

    def count_token_refreshes(self, accounts: Iterable[str]) -> None:
        """Each account reads 0 until its first exchange, rather than being absent."""
        for account in accounts:
            self.token_refreshes.labels(account)

    def set_account_state(self, account: str, state: str) -> None:
        for known in AccountState:
            self.account_state.labels(account, known.value).set(1 if known.value == state else 0)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


def metrics_endpoint(
    metrics: Metrics, task_counts: Callable[[], Awaitable[dict[tuple[str, str], int]]]
) -> Callable[[Request], Awaitable[Response]]:
    """The /metrics handler: refreshes the store's task counts, then renders the registry."""

    async def scrape(_request: Request) -> Response:
        metrics.set_task_counts(await task_counts())
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return scrape
