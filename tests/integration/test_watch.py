"""SunoService.watch and the event hub: order, termination, and slow subscribers."""

from __future__ import annotations

import asyncio

import pytest

from suno.errors import TaskNotFound
from suno.events import EventHub
from suno.models import MusicRequest, Task, TaskStatus
from suno.service import SunoService
from suno.store import TaskStore
from suno.worker import Worker, WorkerOptions
from tests.support.eventually import eventually
from tests.support.fake_upstream import FakeUpstream


def make(store: TaskStore) -> tuple[SunoService, Worker]:
    service = SunoService(store, FakeUpstream(), EventHub(), poll_interval=0.0)
    return service, Worker(service, WorkerOptions(poll_interval=0.0))


async def collect(stream: object, into: list[Task]) -> None:
    async for task in stream:  # type: ignore[attr-defined]
        into.append(task)


async def test_watch_yields_snapshot_then_each_change_and_ends_after_the_terminal_one(
    sqlite_store: TaskStore,
) -> None:
    service, worker = make(sqlite_store)
    task = await service.submit_music(MusicRequest(prompt="la"))
    seen: list[Task] = []
    watcher = asyncio.create_task(collect(service.watch(task.id), seen))
    await eventually(lambda: len(seen) == 1)  # subscribed: the first snapshot is in
    for _ in range(4):
        await worker.tick()
    await asyncio.wait_for(watcher, 2)
    assert [t.status for t in seen] == [
        TaskStatus.SUBMITTED,
        TaskStatus.QUEUED,
        TaskStatus.IN_PROGRESS,
        TaskStatus.SUCCESS,
    ]
    assert [t.revision for t in seen] == sorted({t.revision for t in seen})


async def test_watch_of_an_ended_task_yields_it_once_and_ends(sqlite_store: TaskStore) -> None:
    service, worker = make(sqlite_store)
    task = await service.submit_music(MusicRequest(prompt="la"))
    for _ in range(4):
        await worker.tick()
    seen = [t async for t in service.watch(task.id)]
    assert [t.status for t in seen] == [TaskStatus.SUCCESS]


async def test_watch_of_an_unknown_task_raises_not_found(sqlite_store: TaskStore) -> None:
    service, _ = make(sqlite_store)
    with pytest.raises(TaskNotFound):
        async for _ in service.watch("nope"):
            pass
    assert service.hub.subscriber_count == 0


async def test_a_slow_subscriber_does_not_delay_a_fast_one(sqlite_store: TaskStore) -> None:
    service, worker = make(sqlite_store)
    task = await service.submit_music(MusicRequest(prompt="la"))
    fast: list[Task] = []
    slow_started, network_back = asyncio.Event(), asyncio.Event()

    async def slow_reader() -> list[Task]:
        seen = []
        async for snapshot in service.watch(task.id):
            seen.append(snapshot)
            slow_started.set()
            await network_back.wait()  # a client on a bad network: stuck until the fast one is done
        return seen

    slow = asyncio.create_task(slow_reader())
    fast_task = asyncio.create_task(collect(service.watch(task.id), fast))
    await slow_started.wait()
    started = asyncio.get_running_loop().time()
    for _ in range(4):
        await worker.tick()
    await asyncio.wait_for(fast_task, 1)
    assert asyncio.get_running_loop().time() - started < 0.4
    assert fast[-1].status is TaskStatus.SUCCESS
    assert not slow.done()
    network_back.set()
    slow_seen = await asyncio.wait_for(slow, 5)
    assert slow_seen[-1].status is TaskStatus.SUCCESS


async def test_an_overflowing_subscriber_is_resynchronised_to_the_terminal_status(
    sqlite_store: TaskStore,
) -> None:
    service, worker = make(sqlite_store)
    task = await service.submit_music(MusicRequest(prompt="la"))
    stream = service.watch(task.id)
    first = await anext(stream)
    assert first.status is TaskStatus.SUBMITTED
    # Flood its mailbox with far more snapshots than it holds, then finish the task.
    for _ in range(100):
        service.hub.publish(first)
    for _ in range(4):
        await worker.tick()
    rest = [t async for t in stream]
    assert rest[-1].status is TaskStatus.SUCCESS
    assert all(t.revision > first.revision for t in rest)


async def test_watch_many_follows_several_tasks_until_all_end(sqlite_store: TaskStore) -> None:
    service, worker = make(sqlite_store)
    first = await service.submit_music(MusicRequest(prompt="one"))
    second = await service.submit_music(MusicRequest(prompt="two"))
    seen: list[Task] = []
    watcher = asyncio.create_task(collect(service.watch_many([first.id, second.id]), seen))
    await eventually(lambda: len(seen) == 2)  # subscribed: both first snapshots are in
    for _ in range(4):
        await worker.tick()
    await asyncio.wait_for(watcher, 2)
    finals = {t.id: t.status for t in seen}
    assert finals == {first.id: TaskStatus.SUCCESS, second.id: TaskStatus.SUCCESS}
    assert service.hub.subscriber_count == 0


async def test_ended_tasks_are_served_from_memory(sqlite_store: TaskStore) -> None:
    service, worker = make(sqlite_store)
    task = await service.submit_music(MusicRequest(prompt="la"))
    for _ in range(4):
        await worker.tick()

    async def store_down(*_args: object) -> None:
        raise AssertionError("the store was read for an ended task")

    sqlite_store.get = store_down  # type: ignore[assignment,method-assign]
    sqlite_store.get_many = store_down  # type: ignore[assignment,method-assign]
    assert (await service.get_task(task.id)).status is TaskStatus.SUCCESS
    assert [t.id for t in await service.get_tasks([task.id])] == [task.id]
