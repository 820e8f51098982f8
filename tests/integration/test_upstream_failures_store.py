"""Each failure the simulator can inject, through the real client, service, worker and store:
the task ends failed with a readable reason, or waits and is retried when nothing was charged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from suno.config import Settings
from suno.errors import (
    AuthExpired,
    CaptchaRequired,
    InsufficientCredits,
    UpstreamError,
    UpstreamRejected,
    UpstreamUnavailable,
)
from suno.events import EventHub
from suno.models import MusicRequest, TaskStatus
from suno.reconcile import CONFIRMING_REASON
from suno.service import SunoService
from suno.upstream import build_upstream
from suno.worker import Worker, WorkerOptions
from tests.support.databases import migrated_store
from tests.support.eventually import eventually
from tests.support.simulator import RunningSimulator, running_simulator


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Rig:
    sim: RunningSimulator
    service: SunoService
    worker: Worker
    clock: Clock

    async def finish(self, task_id: str) -> TaskStatus:
        """Tick the worker until the task ends; its final status."""

        async def ended() -> TaskStatus:
            await self.worker.tick()
            task = await self.service.get_task(task_id)
            assert task.is_terminal, task
            return task.status

        return await eventually(ended, interval=0.01)


@pytest.fixture
async def rig(settings: Settings, tmp_path: Path) -> AsyncIterator[Rig]:
    clock = Clock()  # the pool's clock: how long an account rests
    async with running_simulator(speed=1000) as sim, migrated_store("sqlite", tmp_path) as store:
        pool = build_upstream(sim.settings(settings), clock=clock)
        service = SunoService(store, pool, EventHub(), poll_interval=0.0)
        worker = Worker(service, WorkerOptions(poll_interval=0.0, error_backoff=0.0))
        try:
            yield Rig(sim, service, worker, clock)
        finally:
            await pool.aclose()


@pytest.mark.parametrize(
    ("fault", "error", "words"),
    [
        ("400", UpstreamRejected, "refused"),
        ("401", AuthExpired, "COOKIE"),
        ("402", InsufficientCredits, "credits"),
        ("422", CaptchaRequired, "captcha"),
        ("500", UpstreamUnavailable, "500"),
    ],
)
async def test_a_refused_or_failed_submission_fails_the_task_with_the_reason(
    rig: Rig, fault: str, error: type[UpstreamError], words: str
) -> None:
    with pytest.raises(error) as caught:
        await rig.service.submit_music(MusicRequest(prompt=f"[Verse]\nla [sim:{fault}]"))
    task = await rig.service.get_task(caught.value.task_id or "")
    assert task.status is TaskStatus.FAILURE
    assert words.lower() in task.fail_reason.lower()
    assert "__client" not in task.fail_reason and "eyJ" not in task.fail_reason  # no secret in the reason
    assert rig.sim.state.calls["generate"] == 1  # a generate is never retried blindly


async def test_a_lost_answer_is_confirmed_from_the_feed_and_ends_with_those_clips_after_one_generate(
    rig: Rig,
) -> None:
    rig.sim.inject("lost-answer", "generate")  # the clips are made, then a proxy answers 504
    task = await rig.service.submit_music(MusicRequest(prompt="[Verse]\nlost in the mail", tags="folk"))
    assert (task.status, task.waiting_reason) == (TaskStatus.NOT_START, CONFIRMING_REASON)
    assert task.transaction_uuid and task.account == "default"
    assert await rig.finish(task.id) is TaskStatus.SUCCESS
    done = await rig.service.get_task(task.id)
    made = [clip.id for clip in rig.sim.state.clips.values()]
    assert sorted(done.upstream_ids) == sorted(made) and len(made) == 2
    assert rig.sim.state.calls["generate"] == 1  # never sent again
    assert rig.sim.state.account("default").credits == 490


async def test_an_answer_lost_without_clips_fails_outcome_unknown_after_the_confirm_timeout(rig: Rig) -> None:
    task = await rig.service.submit_music(MusicRequest(prompt="[Verse]\nla [sim:badjson]"))
    assert (task.status, task.waiting_reason) == (TaskStatus.NOT_START, CONFIRMING_REASON)
    await rig.worker.tick()
    assert (await rig.service.get_task(task.id)).status is TaskStatus.NOT_START  # still looking
    rig.worker.options = WorkerOptions(poll_interval=0.0, submit_confirm_timeout=0.0)
    await rig.worker.tick()
    failed = await rig.service.get_task(task.id)
    assert failed.status is TaskStatus.FAILURE and failed.fail_reason.startswith("outcome_unknown")
    assert "credits may have been spent" in failed.fail_reason
    assert rig.sim.state.calls["generate"] == 1


async def test_a_read_timeout_after_sending_is_confirmed_when_suno_made_the_clips_anyway(rig: Rig) -> None:
    impatient = build_upstream(rig.sim.settings().with_overrides(upstream_timeout=0.5))
    try:
        # The simulator sleeps past our timeout, then makes the clips all the same.
        rig.sim.inject("slow", "generate")
        rig.sim.state.slow_seconds = 1.5
        rig.service.upstream = rig.worker.upstream = impatient
        task = await rig.service.submit_music(MusicRequest(prompt="[Verse]\nslow boat", tags="sea shanty"))
        assert (task.status, task.waiting_reason) == (TaskStatus.NOT_START, CONFIRMING_REASON)
        assert await rig.finish(task.id) is TaskStatus.SUCCESS
        assert rig.sim.state.calls["generate"] == 1
    finally:
        await impatient.aclose()


async def test_a_rate_limited_submission_waits_then_is_sent_once_the_account_rested(rig: Rig) -> None:
    rig.sim.inject("429", "generate")
    task = await rig.service.submit_music(MusicRequest(prompt="[Verse]\nla"))
    assert task.status is TaskStatus.NOT_START  # nothing charged: it waits
    await rig.worker.tick()
    assert (await rig.service.get_task(task.id)).status is TaskStatus.NOT_START  # still resting
    rig.clock.now += 3600
    assert await rig.finish(task.id) is TaskStatus.SUCCESS
    assert rig.sim.state.calls["generate"] == 2


@pytest.mark.parametrize("fault", ["500", "badjson", "401"])
async def test_feed_failures_keep_the_task_and_polling_resumes(rig: Rig, fault: str) -> None:
    task = await rig.service.submit_music(MusicRequest(prompt="[Verse]\nla"))
    rig.sim.inject(fault, "feed", times=4)  # more than the client's own retries
    report = await rig.worker.tick()
    assert report.errors == 1
    assert (await rig.service.get_task(task.id)).status is TaskStatus.SUBMITTED
    rig.sim.state.clear_faults()
    rig.clock.now += 3600
    assert await rig.finish(task.id) is TaskStatus.SUCCESS


async def test_a_clip_ending_in_error_fails_the_task_with_suno_s_message(rig: Rig) -> None:
    task = await rig.service.submit_music(MusicRequest(prompt="[Verse]\nla [sim:clip-error]"))
    assert await rig.finish(task.id) is TaskStatus.FAILURE
    failed = await rig.service.get_task(task.id)
    assert failed.fail_reason and failed.fail_reason != "timeout"
    assert all(clip.status == "error" for clip in failed.clips)
