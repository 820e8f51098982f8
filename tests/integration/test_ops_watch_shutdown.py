"""The service's shutdown hook: open watches end at once, later ones yield their snapshot and end; the task is untouched."""

from __future__ import annotations

import asyncio

from ops.graceful import end_watches
from suno.events import EventHub
from suno.models import MusicRequest, TaskStatus
from suno.service import SunoService
from suno.store import TaskStore
from tests.support.fake_upstream import FakeUpstream


async def test_begin_shutdown_ends_every_open_watch_and_leaves_the_task_running(
    sqlite_store: TaskStore,
) -> None:
    service = SunoService(sqlite_store, FakeUpstream(advance=False), EventHub(), poll_interval=0.0)
    task = await service.submit_music(MusicRequest(gpt_description_prompt="rain"))
    seen: list[TaskStatus] = []

    all_watching = asyncio.Event()

    async def follow() -> None:
        async for snapshot in service.watch(task.id):
            seen.append(snapshot.status)
            if len(seen) == 3:
                all_watching.set()

    watchers = [asyncio.create_task(follow()) for _ in range(3)]
    await asyncio.wait_for(all_watching.wait(), 1.0)
    assert service.hub.subscriber_count == 3
    remaining = await end_watches(service, timeout=2.0)
    await asyncio.wait_for(asyncio.gather(*watchers), 1.0)
    assert remaining == 0 and service.hub.subscriber_count == 0
    assert seen == [TaskStatus.SUBMITTED] * 3
    assert (await service.get_task(task.id)).status is TaskStatus.SUBMITTED

    late = [snapshot.status async for snapshot in service.watch(task.id)]
    assert late == [TaskStatus.SUBMITTED]
