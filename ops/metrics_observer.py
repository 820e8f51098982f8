"""MetricsObserver: the core's Observer, turning what the service, worker and Clerk report into metrics."""

from __future__ import annotations

from ops.metrics import Metrics
from suno.errors import NoAccountAvailable, SunoError, UpstreamUnavailable
from suno.models import Task, TaskAction, TaskStatus
from suno.observer import Observer
from suno.reconcile import OUTCOME_UNKNOWN
from suno.tick_report import TickReport
from suno.worker import INTERRUPTED_REASON, TIMEOUT_REASON


class MetricsObserver(Observer):
    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def submitted(self, action: TaskAction) -> None:
        self.metrics.submissions.labels(action.value).inc()

    def refused(self, action: TaskAction, reason: str) -> None:
        self.metrics.submission_failures.labels(action.value, reason).inc()

    def task_ended(self, task: Task) -> None:
        reason = failure_kind(task.fail_reason) if task.status is TaskStatus.FAILURE else ""
        self.metrics.task_finished.labels(task.action.value, task.status.value, reason).inc()

    def upstream_call(self, operation: str, seconds: float, error: SunoError | None) -> None:
        status = "ok" if error is None else outcome_status(error)
        if error is not None:
            self.metrics.upstream_errors.labels(operation, status).inc()
        self.metrics.upstream_latency.labels(operation, status).observe(seconds)

    def token_refreshed(self, account: str) -> None:
        self.metrics.token_refreshes.labels(account).inc()

    def tick_ended(self, report: TickReport) -> None:
        self.metrics.observe_tick(report)

    def webhook_attempt(self, outcome: str, seconds: float) -> None:
        self.metrics.webhook_attempts.labels(outcome).inc()
        self.metrics.webhook_latency.observe(seconds)

    def account_state_changed(self, account: str, state: str, previous: str | None) -> None:
        self.metrics.set_account_state(account, state)
        self.metrics.account_state_changes.labels(account, state).inc()

    def challenge_solved(self, solver: str, seconds: float, cost: float | None, error: str | None) -> None:
        self.metrics.captcha_solves.labels(solver, "ok" if error is None else "failed").observe(seconds)
        if cost:
            self.metrics.captcha_cost.labels(solver).inc(cost)


def failure_kind(fail_reason: str | None) -> str:
    """A bounded label for a free-text reason."""
    if fail_reason == TIMEOUT_REASON:
        return "timeout"
    if fail_reason == INTERRUPTED_REASON:
        return "interrupted"
    if fail_reason and fail_reason.startswith(OUTCOME_UNKNOWN):
        return OUTCOME_UNKNOWN
    return "suno"


def outcome_status(error: SunoError) -> str:
    if isinstance(error, NoAccountAvailable):
        return "no_account"
    status_code = getattr(error, "status_code", None)
    if isinstance(status_code, int):
        return str(status_code)
    return "unreachable" if isinstance(error, UpstreamUnavailable) else "error"
