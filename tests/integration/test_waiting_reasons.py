"""Every task that waits says why: all slots busy, rate limited until T, waiting for a captcha."""

from __future__ import annotations

import re

from suno.config import CaptchaSolver, Settings
from suno.events import EventHub
from suno.models import MusicRequest, TaskStatus
from suno.service import SunoService
from suno.store import TaskStore
from suno.upstream import build_upstream
from suno.worker import Worker, WorkerOptions
from tests.support.simulator import running_simulator

SONG = MusicRequest(prompt="[Verse] la", tags="pop")
UNTIL = r"rate limited until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"


async def test_a_task_over_the_slots_waits_with_all_slots_busy_then_goes(
    sqlite_store: TaskStore, settings: Settings
) -> None:
    async with running_simulator(speed=200) as sim:
        pool = build_upstream(sim.settings(settings, account_concurrency=1))
        service = SunoService(sqlite_store, pool, EventHub(), poll_interval=0.0)
        worker = Worker(service, WorkerOptions(poll_interval=0.0))
        try:
            first = await service.submit_music(SONG)
            second = await service.submit_music(SONG)
            assert first.status is not TaskStatus.NOT_START
            assert (second.status, second.waiting_reason) == (TaskStatus.NOT_START, "all slots busy")
            for _ in range(200):
                await worker.tick()
                if (await service.get_task(second.id)).status is not TaskStatus.NOT_START:
                    break
            sent = await service.get_task(second.id)
            assert sent.status is not TaskStatus.NOT_START and sent.waiting_reason is None
        finally:
            await pool.aclose()


async def test_a_rate_limited_task_says_until_when(sqlite_store: TaskStore, settings: Settings) -> None:
    async with running_simulator() as sim:
        pool = build_upstream(sim.settings(settings))
        service = SunoService(sqlite_store, pool, EventHub(), poll_interval=0.0)
        try:
            sim.inject("429", "generate")
            task = await service.submit_music(SONG)
            assert task.status is TaskStatus.NOT_START
            again = await service.dispatch(task)  # the account rests: the pool says until when
            for reason in (task.waiting_reason, again.waiting_reason):
                assert reason is not None and re.fullmatch(UNTIL, reason), reason
        finally:
            await pool.aclose()


async def test_a_parked_task_is_sent_by_the_worker_once_suno_stops_asking(
    sqlite_store: TaskStore, settings: Settings
) -> None:
    async with running_simulator() as sim:
        pool = build_upstream(sim.settings(settings, captcha_solver=CaptchaSolver.RELAY))
        service = SunoService(sqlite_store, pool, EventHub(), poll_interval=0.0)
        worker = Worker(service, WorkerOptions(poll_interval=0.0))
        try:
            sim.state.challenges.set("default", required=True, version=1)
            task = await service.submit_music(SONG)
            assert task.waiting_reason == "waiting for a captcha solution on account default"
            await worker.tick()
            assert (await service.get_task(task.id)).status is TaskStatus.NOT_START
            sim.state.challenges.set("default", required=False)
            await worker.tick()  # the challenge is checked again, then the task goes, with no token
            sent = await service.get_task(task.id)
            assert sent.status is not TaskStatus.NOT_START and sent.waiting_reason is None
            assert sim.state.challenges.accepted == []
        finally:
            await pool.aclose()
