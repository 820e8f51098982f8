"""The service and the worker on a real store, against the in-memory fake upstream."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from suno.config import Settings
from suno.errors import CaptchaRequired, InsufficientCredits, RateLimited, UpstreamUnavailable
from suno.events import EventHub
from suno.models import Clip, LyricsRequest, MusicRequest, Task, TaskAction, TaskStatus
from suno.reconcile import CONFIRMING_REASON
from suno.service import SunoService
from suno.store import TaskStore, create_engine, sqlite_database
from suno.upstream import build_upstream
from suno.worker import TIMEOUT_REASON, Worker, WorkerOptions
from tests.support.databases import migrated_store
from tests.support.fake_upstream import FakeUpstream
from tests.support.simulator import running_simulator

FAST = WorkerOptions(poll_interval=0.0, error_backoff=0.0, dispatch_grace=0.0)


def make(
    store: TaskStore, upstream: FakeUpstream | None = None, **options: Any
) -> tuple[SunoService, Worker]:
    service = SunoService(store, upstream or FakeUpstream(), EventHub(), poll_interval=0.0)
    worker_options = dataclasses.replace(FAST, **options)
    return service, Worker(service, worker_options)


async def run_until_done(worker: Worker, service: SunoService, task_id: str, ticks: int = 10) -> None:
    for _ in range(ticks):
        await worker.tick()
        if (await service.get_task(task_id)).is_terminal:
            return
    raise AssertionError("task did not end")


async def test_submitted_song_moves_through_every_status_to_success(sqlite_store: TaskStore) -> None:
    service, worker = make(sqlite_store)
    task = await service.submit_music(MusicRequest(prompt="la"))
    assert task.status is TaskStatus.SUBMITTED and len(task.upstream_ids) == 2
    seen: list[TaskStatus] = [task.status]
    for _ in range(4):
        await worker.tick()
        seen.append((await service.get_task(task.id)).status)
    assert seen == [
        TaskStatus.SUBMITTED,
        TaskStatus.QUEUED,
        TaskStatus.IN_PROGRESS,
        TaskStatus.SUCCESS,
        TaskStatus.SUCCESS,
    ]
    done = await service.get_task(task.id)
    assert done.clips[0].audio_url and done.start_time and done.finish_time


async def test_worker_polls_many_tasks_in_batched_feed_requests(sqlite_store: TaskStore) -> None:
    upstream = FakeUpstream(feed_batch_size=200, max_concurrency=1000)
    service, worker = make(sqlite_store, upstream)
    for _ in range(250):
        await service.submit_music(MusicRequest(prompt="la"))
    report = await worker.tick()
    assert report.claimed == 250
    # 500 clip ids of one account: one feed call, ceil(500 / 200) = 3 upstream requests.
    assert upstream.calls["feed"] == 1 and upstream.feed_requests == 3
    assert report.changed == 250


async def test_worker_fails_a_song_whose_clip_errors_with_the_reason(sqlite_store: TaskStore) -> None:
    upstream = FakeUpstream()
    service, worker = make(sqlite_store, upstream)
    task = await service.submit_music(MusicRequest(prompt="la"))
    upstream.failing_clips.add(task.upstream_ids[1])
    await run_until_done(worker, service, task.id)
    failed = await service.get_task(task.id)
    assert failed.status is TaskStatus.FAILURE and failed.fail_reason == "moderation: lyrics rejected"


async def test_worker_fails_task_after_timeout(sqlite_store: TaskStore) -> None:
    upstream = FakeUpstream(advance=False)
    service, worker = make(sqlite_store, upstream, task_timeout=0.2)
    task = await service.submit_music(MusicRequest(prompt="la"))
    now = [task.submit_time + 0.1]  # the worker's clock, moved by hand
    worker = Worker(service, worker.options, clock=lambda: now[0])
    await worker.tick()
    assert (await service.get_task(task.id)).status is TaskStatus.SUBMITTED
    now[0] = task.submit_time + 0.25
    await worker.tick()
    timed_out = await service.get_task(task.id)
    assert (timed_out.status, timed_out.fail_reason) == (TaskStatus.FAILURE, TIMEOUT_REASON)


async def test_upstream_errors_on_a_tick_keep_the_worker_and_the_task(sqlite_store: TaskStore) -> None:
    upstream = FakeUpstream()
    service, worker = make(sqlite_store, upstream)
    task = await service.submit_music(MusicRequest(prompt="la"))
    upstream.feed_error = UpstreamUnavailable("Suno answered 503")
    for _ in range(3):
        report = await worker.tick()
        assert report.errors == 1
    assert (await service.get_task(task.id)).status is TaskStatus.SUBMITTED
    upstream.feed_error = None
    await run_until_done(worker, service, task.id)
    assert (await service.get_task(task.id)).status is TaskStatus.SUCCESS


async def test_upstream_rejection_fails_the_task_and_reaches_the_caller(sqlite_store: TaskStore) -> None:
    upstream = FakeUpstream(generate_error=CaptchaRequired("Suno asks for a captcha"))
    service, _ = make(sqlite_store, upstream)
    with pytest.raises(CaptchaRequired) as caught:
        await service.submit_music(MusicRequest(prompt="la"))
    failed = await service.get_task(caught.value.task_id or "")
    assert (failed.status, failed.fail_reason) == (TaskStatus.FAILURE, "Suno asks for a captcha")


async def test_busy_accounts_leave_the_task_waiting_until_the_worker_sends_it(
    sqlite_store: TaskStore,
) -> None:
    upstream = FakeUpstream(max_concurrency=1)
    service, worker = make(sqlite_store, upstream)
    first = await service.submit_music(MusicRequest(prompt="one"))
    second = await service.submit_music(MusicRequest(prompt="two"))
    assert (first.status, second.status) == (TaskStatus.SUBMITTED, TaskStatus.NOT_START)
    await run_until_done(worker, service, first.id)
    await worker.tick()
    assert (await service.get_task(second.id)).status is not TaskStatus.NOT_START
    upstream.generate_error = RateLimited("slow down", retry_after=5)
    third = await service.submit_music(MusicRequest(prompt="three"))
    assert third.status is TaskStatus.NOT_START  # a 429 charges nothing: it waits


async def test_restart_resumes_unfinished_tasks_and_fails_interrupted_submissions(tmp_path: Path) -> None:
    upstream = FakeUpstream()
    async with migrated_store("sqlite", tmp_path) as store:
        service, worker = make(store, upstream)
        running = await service.submit_music(MusicRequest(prompt="la"))
        lyrics = await service.submit_lyrics(LyricsRequest("rain"))
        await worker.tick()
        upstream.max_concurrency = 0
        never_sent = await service.submit_music(MusicRequest(prompt="never sent"))
        upstream.max_concurrency = 10
        # A crash in the middle of a submission: marked as being sent, outcome never recorded.
        crashed = Task(
            id="crashed",
            action=TaskAction.MUSIC,
            status=TaskStatus.NOT_START,
            request=MusicRequest(prompt="x"),
        )
        await store.create(crashed)
        assert await store.mark_dispatching(crashed.id)
    assert never_sent.status is TaskStatus.NOT_START
    # Everything in memory is gone; a new process opens the same file.
    database_file = next(iter(sorted(tmp_path.glob("*.db"))))  # noqa: ASYNC240 (a test's temp dir)
    store = TaskStore(create_engine(sqlite_database(str(database_file))))
    try:
        service, worker = make(store, FakeUpstream())
        service.upstream = worker.upstream = upstream  # Suno remembers the clips it made
        assert await worker.recover() == 1
        # It may have been charged: never resent, it waits while its clips are looked for in the feed.
        interrupted = await service.get_task(crashed.id)
        assert (interrupted.status, interrupted.waiting_reason) == (TaskStatus.NOT_START, CONFIRMING_REASON)
        for task_id in (running.id, lyrics.id, never_sent.id):
            await run_until_done(worker, service, task_id)
            assert (await service.get_task(task_id)).status is TaskStatus.SUCCESS
        assert upstream.sent_prompts == ["la", "never sent"]  # the interrupted one was not sent again
    finally:
        await store.close()


async def test_recovery_on_sqlite_leaves_the_sends_this_process_already_began(
    sqlite_store: TaskStore,
) -> None:
    # The doors serve before the worker's first step: a send begun meanwhile is not a crash's leftover.
    service, worker = make(sqlite_store)
    sending = Task(
        id="sending", action=TaskAction.LYRICS, status=TaskStatus.NOT_START, request=LyricsRequest("x")
    )
    await sqlite_store.create(sending, dispatching=True)
    assert await worker.recover() == 0
    still = await service.get_task(sending.id)
    assert (still.status, still.fail_reason) == (TaskStatus.NOT_START, "")


async def test_lyrics_task_ends_with_the_lyrics(sqlite_store: TaskStore) -> None:
    service, worker = make(sqlite_store)
    task = await service.submit_lyrics(LyricsRequest("rain"))
    await run_until_done(worker, service, task.id)
    done = await service.get_task(task.id)
    assert done.status is TaskStatus.SUCCESS and done.lyrics is not None and "rain" in done.lyrics.text


@pytest.mark.postgres
async def test_two_workers_on_postgres_never_poll_the_same_task_in_a_tick(tmp_path: Path) -> None:
    async with migrated_store("postgres", tmp_path) as store:
        upstream = FakeUpstream(max_concurrency=1000)
        # Polled tasks are next due in 5 s, so a task seen twice would be a double claim.
        service, first = make(store, upstream, poll_interval=5.0)
        second = Worker(service, first.options, owner="second")
        for _ in range(60):
            await service.submit_music(MusicRequest(prompt="la"))
        polled: list[list[str]] = []  # clip ids per feed call
        original_feed = upstream.feed

        async def recording_feed(account: str, clip_ids: Sequence[str]) -> list[Clip]:
            polled.append(list(clip_ids))
            return await original_feed(account, clip_ids)

        upstream.feed = recording_feed  # type: ignore[method-assign]
        reports = await asyncio.gather(first.tick(), second.tick())
        ids = [clip_id for batch in polled for clip_id in batch]
        assert len(ids) == len(set(ids)) == 120
        assert sum(r.claimed for r in reports) == 60


async def test_a_worker_tick_during_a_submission_does_not_send_the_task_twice(
    sqlite_store: TaskStore,
) -> None:
    upstream = FakeUpstream()
    service, worker = make(sqlite_store, upstream)
    calling, release = asyncio.Event(), asyncio.Event()
    original_generate = upstream.generate

    async def slow_generate(request: MusicRequest, **kwargs: Any) -> Any:
        calling.set()
        await release.wait()
        return await original_generate(request, **kwargs)

    upstream.generate = slow_generate  # type: ignore[method-assign]
    submitting = asyncio.create_task(service.submit_music(MusicRequest(prompt="la")))
    await asyncio.wait_for(calling.wait(), 5)  # the task is stored, its call to Suno not answered yet
    report = await worker.tick()
    release.set()
    task = await submitting
    assert report.dispatched == 0
    assert task.status is TaskStatus.SUBMITTED and upstream.sent_prompts == ["la"]


async def test_an_account_out_of_credits_fails_new_songs_with_the_reason(settings: Settings) -> None:
    async with running_simulator(speed=200, default_credits=10) as sim:
        pool = build_upstream(sim.settings(settings))
        async with migrated_store("sqlite", Path(settings.log_dir)) as store:
            service = SunoService(store, pool, EventHub(), poll_interval=0.0)
            first = await service.submit_music(MusicRequest(prompt="la"))
            assert first.status is TaskStatus.SUBMITTED
            with pytest.raises(InsufficientCredits) as caught:
                await service.submit_music(MusicRequest(prompt="again"))
            failed = await service.get_task(caught.value.task_id or "")
        await pool.aclose()
    assert failed.status is TaskStatus.FAILURE and "credits" in failed.fail_reason


async def test_a_clip_suno_no_longer_knows_fails_its_task_at_once_after_the_grace(
    sqlite_store: TaskStore,
) -> None:
    upstream = FakeUpstream()
    service, worker = make(sqlite_store, upstream, missing_clip_grace=0.0)
    task = await service.submit_music(MusicRequest(prompt="la"))
    gone = task.upstream_ids[0]
    del upstream._clips[gone]  # the upstream forgot it: a restarted simulator, a deleted clip
    await worker.tick()
    failed = await service.get_task(task.id)
    assert failed.status is TaskStatus.FAILURE
    assert gone in failed.fail_reason and "does not exist" in failed.fail_reason
    assert upstream.calls["clip"] == 1


async def test_within_the_grace_a_clip_missing_from_the_feed_is_read_and_its_404_only_waits(
    sqlite_store: TaskStore,
) -> None:
    upstream = FakeUpstream()
    service, worker = make(sqlite_store, upstream, missing_clip_grace=3600.0)
    task = await service.submit_music(MusicRequest(prompt="la"))
    del upstream._clips[task.upstream_ids[0]]
    await worker.tick()
    assert (await service.get_task(task.id)).status is TaskStatus.SUBMITTED  # may not exist yet
    assert upstream.calls["clip"] == 1


async def test_only_a_few_missing_clips_are_read_on_their_own_per_tick(sqlite_store: TaskStore) -> None:
    upstream = FakeUpstream()
    service, worker = make(sqlite_store, upstream, missing_clip_grace=3600.0, clip_reads_per_tick=3)
    tasks = [await service.submit_music(MusicRequest(prompt=f"song {n}")) for n in range(4)]
    for task in tasks:
        for clip_id in task.upstream_ids:
            del upstream._clips[clip_id]
    await worker.tick()
    assert upstream.calls["clip"] == 3 and upstream.calls["feed"] == 1
