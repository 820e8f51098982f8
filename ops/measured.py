"""The service and the upstream with metrics around them: the core stays free of any metrics library."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from ops.metrics import Metrics
from suno.errors import InvalidRequest, NoAccountAvailable, SunoError, UpstreamError, UpstreamUnavailable
from suno.models import (
    AccountSecrets,
    AccountStatus,
    Clip,
    Lyrics,
    LyricsRequest,
    MusicRequest,
    Task,
    TaskAction,
    TaskStatus,
)
from suno.service import SunoService
from suno.store import UpdateResult
from suno.upstream.port import LyricsSubmission, MusicSubmission, Upstream
from suno.worker import INTERRUPTED_REASON, TIMEOUT_REASON

T = TypeVar("T")
COUNTED_MARK = "_sunoql_counted_refusal"


class MeasuredService(SunoService):
    """Counts submissions, their refusals by reason, and the tasks this process brought to an end."""

    def __init__(self, *args: Any, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metrics = metrics

    async def submit_music(self, request: MusicRequest) -> Task:
        return await self._counted(TaskAction.MUSIC, super().submit_music(request))

    async def submit_lyrics(self, request: LyricsRequest) -> Task:
        return await self._counted(TaskAction.LYRICS, super().submit_lyrics(request))

    async def _counted(self, action: TaskAction, submit: Awaitable[Task]) -> Task:
        self.metrics.submissions.labels(action.value).inc()
        try:
            return await submit
        except InvalidRequest:
            self.metrics.submission_failures.labels(action.value, "invalid_request").inc()
            raise
        except UpstreamError as error:
            self._count_refusal(action, error)
            raise

    async def dispatch(self, task: Task) -> Task:
        # The worker sends waiting tasks through here; a submit may too, the mark keeps it counted once.
        try:
            return await super().dispatch(task)
        except UpstreamError as error:
            self._count_refusal(task.action, error)
            raise

    def _count_refusal(self, action: TaskAction, error: UpstreamError) -> None:
        if not getattr(error, COUNTED_MARK, False):
            setattr(error, COUNTED_MARK, True)
            self.metrics.submission_failures.labels(action.value, error.reason).inc()

    def publish(self, result: UpdateResult | None) -> Task | None:
        task = super().publish(result)
        if task is not None and result is not None and result.event is not None and task.is_terminal:
            reason = failure_kind(task.fail_reason) if task.status is TaskStatus.FAILURE else ""
            self.metrics.task_finished.labels(task.action.value, task.status.value, reason).inc()
        return task


def failure_kind(fail_reason: str | None) -> str:
    """A bounded label for a free-text reason."""
    if fail_reason == TIMEOUT_REASON:
        return "timeout"
    if fail_reason == INTERRUPTED_REASON:
        return "interrupted"
    return "suno"


class MeasuredUpstream:
    """An Upstream that times every call by endpoint and outcome; anything else goes to the wrapped one."""

    def __init__(self, inner: Upstream, metrics: Metrics) -> None:
        self.inner = inner
        self.metrics = metrics

    def __getattr__(self, name: str) -> Any:
        # The pool's extras (client(name), account(name)) stay reachable through the wrapper.
        return getattr(self.inner, name)

    async def generate(
        self, request: MusicRequest, *, in_flight: Mapping[str, int], account: str | None = None
    ) -> MusicSubmission:
        return await self._timed(
            "generate", lambda: self.inner.generate(request, in_flight=in_flight, account=account)
        )

    async def generate_lyrics(self, prompt: str, *, in_flight: Mapping[str, int]) -> LyricsSubmission:
        return await self._timed(
            "generate_lyrics", lambda: self.inner.generate_lyrics(prompt, in_flight=in_flight)
        )

    async def feed(self, account: str, clip_ids: Sequence[str]) -> list[Clip]:
        return await self._timed("feed", lambda: self.inner.feed(account, clip_ids))

    async def lyrics_result(self, account: str, lyrics_id: str) -> Lyrics:
        return await self._timed("lyrics_result", lambda: self.inner.lyrics_result(account, lyrics_id))

    async def accounts(self, *, refresh: bool = False) -> list[AccountStatus]:
        if not refresh:
            return await self.inner.accounts()
        return await self._timed("billing", lambda: self.inner.accounts(refresh=True))

    def account_secrets(self) -> list[AccountSecrets]:
        return self.inner.account_secrets()

    def account_names(self) -> list[str]:
        return self.inner.account_names()

    async def aclose(self) -> None:
        await self.inner.aclose()

    def token_refreshes(self) -> dict[str, int]:
        """Clerk exchanges per account, when the wrapped upstream is the account pool."""
        client = getattr(self.inner, "client", None)
        counts: dict[str, int] = {}
        if client is None:
            return counts
        for name in self.inner.account_names():
            auth = getattr(client(name), "auth", None)
            count = getattr(auth, "exchange_count", None)
            if isinstance(count, int):
                counts[name] = count
        return counts

    async def _timed(self, endpoint: str, call: Callable[[], Awaitable[T]]) -> T:
        started = time.perf_counter()
        status = "ok"
        try:
            return await call()
        except SunoError as error:
            status = outcome_status(error)
            self.metrics.upstream_errors.labels(endpoint, status).inc()
            raise
        finally:
            self.metrics.upstream_latency.labels(endpoint, status).observe(time.perf_counter() - started)


def outcome_status(error: SunoError) -> str:
    if isinstance(error, NoAccountAvailable):
        return "no_account"
    status_code = getattr(error, "status_code", None)
    if isinstance(status_code, int):
        return str(status_code)
    return "unreachable" if isinstance(error, UpstreamUnavailable) else "error"
