"""The core's observer hears what the service and the worker do, on a real store with the fake upstream."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from suno.errors import CaptchaRequired, InsufficientCredits, InvalidRequest, SunoError
from suno.events import EventHub
from suno.models import LyricsRequest, MusicRequest, Task, TaskAction, TaskStatus
from suno.observer import INVALID_REQUEST, NO_OBSERVER, Observer, timed_call
from suno.service import SunoService
from suno.store import TaskStore
from suno.tick_report import TickReport
from suno.worker import Worker, WorkerOptions
from tests.support.fake_upstream import FakeUpstream

FAST = WorkerOptions(poll_interval=0.0, error_backoff=0.0, dispatch_grace=0.0)


@dataclass
class Recorder(Observer):
    heard: list[tuple[Any, ...]] = field(default_factory=list)
    ended: list[Task] = field(default_factory=list)
    ticks: list[TickReport] = field(default_factory=list)

    def submitted(self, action: TaskAction) -> None:
        self.heard.append(("submitted", action))

    def refused(self, action: TaskAction, reason: str) -> None:
        self.heard.append(("refused", action, reason))

    def task_ended(self, task: Task) -> None:
        self.ended.append(task)

    def upstream_call(self, operation: str, seconds: float, error: SunoError | None) -> None:
        assert seconds >= 0
        self.heard.append(("upstream", operation, type(error).__name__ if error else None))

    def tick_ended(self, report: TickReport) -> None:
        self.ticks.append(report)

    def of(self, kind: str) -> list[tuple[Any, ...]]:
        return [event for event in self.heard if event[0] == kind]


def observed(store: TaskStore, upstream: FakeUpstream | None = None) -> tuple[SunoService, Worker, Recorder]:
    recorder = Recorder()
    service = SunoService(store, upstream or FakeUpstream(), EventHub(), poll_interval=0.0, observer=recorder)
    return service, Worker(service, FAST), recorder


async def test_the_observer_hears_a_song_from_its_submission_to_its_end(sqlite_store: TaskStore) -> None:
    service, worker, recorder = observed(sqlite_store)
    task = await service.submit_music(MusicRequest(prompt="la"))
    for _ in range(4):
        await worker.tick()
    assert recorder.heard[:2] == [("submitted", TaskAction.MUSIC), ("upstream", "generate", None)]
    feeds = [event for event in recorder.of("upstream") if event[1] == "feed"]
    assert feeds and all(error is None for _, _, error in feeds)
    assert [(t.id, t.status) for t in recorder.ended] == [(task.id, TaskStatus.SUCCESS)]
    assert len(recorder.ticks) == 4 and recorder.ticks[0].claimed == 1
    assert not recorder.of("refused")


async def test_lyrics_and_an_account_refresh_are_timed_by_their_operation(sqlite_store: TaskStore) -> None:
    service, worker, recorder = observed(sqlite_store)
    await service.submit_lyrics(LyricsRequest(prompt="rain"))
    await worker.tick()
    await service.account()
    await service.account(refresh=True)
    operations = [operation for _, operation, _ in recorder.of("upstream")]
    assert operations == ["generate_lyrics", "lyrics_result", "billing"]


async def test_a_refusal_by_suno_is_heard_once_with_its_reason_and_the_failed_task(
    sqlite_store: TaskStore,
) -> None:
    upstream = FakeUpstream(generate_error=InsufficientCredits("no credits left", 402))
    service, _, recorder = observed(sqlite_store, upstream)
    with pytest.raises(InsufficientCredits) as refused:
        await service.submit_music(MusicRequest(prompt="la"))
    assert recorder.heard == [
        ("submitted", TaskAction.MUSIC),
        ("upstream", "generate", "InsufficientCredits"),
        ("refused", TaskAction.MUSIC, "insufficient_credits"),
    ]
    assert [(t.id, t.status) for t in recorder.ended] == [(refused.value.task_id, TaskStatus.FAILURE)]


async def test_a_waiting_task_refused_when_the_worker_sends_it_is_heard_once(sqlite_store: TaskStore) -> None:
    upstream = FakeUpstream(max_concurrency=0)
    service, worker, recorder = observed(sqlite_store, upstream)
    waiting = await service.submit_music(MusicRequest(prompt="la"))
    assert waiting.status is TaskStatus.NOT_START
    assert recorder.of("upstream") == [("upstream", "generate", "NoAccountAvailable")]
    upstream.generate_error = CaptchaRequired("captcha required", 422)
    await worker.tick()
    await worker.tick()
    assert recorder.of("refused") == [("refused", TaskAction.MUSIC, "captcha_required")]
    assert [t.status for t in recorder.ended] == [TaskStatus.FAILURE]


async def test_an_invalid_submission_is_heard_as_refused_before_any_upstream_call(
    sqlite_store: TaskStore,
) -> None:
    service, _, recorder = observed(sqlite_store)
    request = MusicRequest(prompt="la", continue_clip_id="clip-x", continue_at=10.0, continue_task_id="nope")
    with pytest.raises(InvalidRequest):
        await service.submit_music(request)
    assert recorder.heard == [("submitted", TaskAction.MUSIC), ("refused", TaskAction.MUSIC, INVALID_REQUEST)]


async def test_without_an_observer_the_service_and_worker_use_the_silent_one(sqlite_store: TaskStore) -> None:
    service = SunoService(sqlite_store, FakeUpstream(), EventHub(), poll_interval=0.0)
    worker = Worker(service, FAST)
    task = await service.submit_music(MusicRequest(prompt="la"))
    for _ in range(4):
        await worker.tick()
    assert service.observer is NO_OBSERVER and worker.observer is NO_OBSERVER
    assert (await service.get_task(task.id)).status is TaskStatus.SUCCESS


def test_a_timed_call_reports_its_error_and_lets_it_through() -> None:
    recorder = Recorder()
    with pytest.raises(CaptchaRequired), timed_call(recorder, "feed"):
        raise CaptchaRequired("captcha required", 422)
    with timed_call(recorder, "feed"):
        pass
    assert recorder.heard == [("upstream", "feed", "CaptchaRequired"), ("upstream", "feed", None)]
