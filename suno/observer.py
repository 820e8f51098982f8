"""Observer: what the core reports as it works (submissions, refusals, ended tasks, upstream calls, ticks)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from suno.errors import SunoError
from suno.models import Task, TaskAction
from suno.tick_report import TickReport

INVALID_REQUEST = "invalid_request"


class Observer:
    """Every method does nothing here; an implementation (ops' metrics) overrides what it counts.

    Called on the event loop in the middle of the core's work: a method must be quick and never raise.
    """

    def submitted(self, action: TaskAction) -> None:
        """A front door submitted a task (counted before the service's own checks)."""

    def refused(self, action: TaskAction, reason: str) -> None:
        """A submission was refused: INVALID_REQUEST, or the `reason` of Suno's UpstreamError (when
        submitted, or when the worker sent a waiting task); once per refusal."""

    def task_ended(self, task: Task) -> None:
        """This process stored the change that made `task` terminal."""

    def upstream_call(self, operation: str, seconds: float, error: SunoError | None) -> None:
        """A call to the upstream ended (generate, generate_lyrics, feed, lyrics_result, billing);
        `error` is the SunoError it raised, None when it answered."""

    def token_refreshed(self, account: str) -> None:
        """Clerk issued `account` a new JWT."""

    def tick_ended(self, report: TickReport) -> None:
        """The worker finished one tick."""

    def webhook_attempt(self, outcome: str, seconds: float) -> None:
        """One webhook delivery attempt ended: delivered, retry, gave_up, refused (SSRF guard) or rejected."""

    def account_state_changed(self, account: str, state: str, previous: str | None) -> None:
        """An account's health state changed (AccountState values)."""

    def challenge_solved(self, solver: str, seconds: float, cost: float | None, error: str | None) -> None:
        """A captcha solver finished one solve: its time, its cost (the solver's currency) and the error, if any."""


NO_OBSERVER = Observer()


@contextlib.contextmanager
def timed_call(observer: Observer, operation: str) -> Iterator[None]:
    """Reports the block as one upstream call: its duration, and the SunoError it raised, if any."""
    started = time.perf_counter()
    error: SunoError | None = None
    try:
        yield
    except SunoError as exc:
        error = exc
        raise
    finally:
        observer.upstream_call(operation, time.perf_counter() - started, error)
