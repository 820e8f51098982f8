"""Cross-replica events: a subscriber on replica A sees changes that replica B's worker makes."""

from __future__ import annotations

import asyncio

import pytest

from suno.events import EventHub
from suno.models import MusicRequest, Task, TaskStatus
from suno.relay import EventRelay
from suno.service import SunoService
from suno.store import TaskStore
from suno.worker import Worker, WorkerOptions
from tests.support.eventually import eventually
from tests.support.fake_upstream import FakeUpstream


async def test_a_watcher_on_one_replica_sees_the_other_replicas_worker(store: TaskStore) -> None:
    upstream = FakeUpstream()
    replica_a = SunoService(store, upstream, EventHub(), poll_interval=0.0)
    replica_b = SunoService(store, upstream, EventHub(), poll_interval=0.0)
    worker_b = Worker(replica_b, WorkerOptions(poll_interval=0.0))
    # On PostgreSQL a NOTIFY must wake the relay long before its timer would.
    interval = 30.0 if store.engine.dialect.name == "postgresql" else 0.05
    relay = EventRelay(store, replica_a.hub, interval=interval)
    await relay.start()
    try:
        task = await replica_b.submit_music(MusicRequest(prompt="la"))
        seen: list[Task] = []

        async def watch() -> None:
            async for snapshot in replica_a.watch(task.id):
                seen.append(snapshot)

        async def relayed() -> bool:
            return relay.last_seq >= await store.last_event_seq()

        watcher = asyncio.create_task(watch())
        await eventually(lambda: len(seen) >= 1)  # subscribed: the first snapshot is in
        for _ in range(4):
            await worker_b.tick()
            await eventually(relayed)  # replica A heard of this change before the next one
        await asyncio.wait_for(watcher, 5)
    finally:
        await relay.stop()
    assert seen[-1].status is TaskStatus.SUCCESS
    assert [t.status for t in seen] == sorted((t.status for t in seen), key=lambda s: s.rank)


async def test_relay_publishes_only_followed_tasks_and_prunes_old_events(sqlite_store: TaskStore) -> None:
    hub = EventHub()
    service = SunoService(sqlite_store, FakeUpstream(), EventHub(), poll_interval=0.0)
    relay = EventRelay(sqlite_store, hub, interval=60, retention=0.0)
    relay.last_seq = await sqlite_store.last_event_seq()
    followed = await service.submit_music(MusicRequest(prompt="one"))
    with hub.subscribe([followed.id]) as subscription:
        await service.submit_music(MusicRequest(prompt="two"))
        assert await relay.catch_up() == 1
        assert [t.id for t in subscription.drain()] == [followed.id]
    assert await relay.catch_up() == 0
    await relay._prune()
    assert await sqlite_store.events_after(0) == []


@pytest.mark.parametrize("store", ["postgres"], indirect=True)
async def test_postgres_notifies_the_relay_on_commit(store: TaskStore) -> None:
    relay = EventRelay(store, EventHub(), interval=60)
    await relay.start()
    try:
        assert relay._listener is not None
        service = SunoService(store, FakeUpstream(), EventHub(), poll_interval=0.0)
        await service.submit_music(MusicRequest(prompt="la"))

        async def relayed() -> bool:
            return relay.last_seq >= await store.last_event_seq()

        await eventually(relayed, timeout=2.0)  # far below the 60 s timer: only a NOTIFY can wake it
        assert relay.last_seq == await store.last_event_seq()
    finally:
        await relay.stop()


async def test_a_replica_never_keeps_serving_a_snapshot_another_replica_overtook(
    sqlite_store: TaskStore,
) -> None:
    upstream = FakeUpstream()
    replica_a = SunoService(sqlite_store, upstream, EventHub(), poll_interval=0.0)
    replica_b = SunoService(sqlite_store, upstream, EventHub(), poll_interval=0.0)
    relay = EventRelay(sqlite_store, replica_a.hub, cache=replica_a.cache, interval=60)
    relay.last_seq = await sqlite_store.last_event_seq()
    task = await replica_b.submit_music(MusicRequest(prompt="la"))
    assert (await replica_a.get_task(task.id)).status is TaskStatus.SUBMITTED  # now cached on A
    await Worker(replica_b, WorkerOptions(poll_interval=0.0)).tick()
    assert (await replica_a.get_task(task.id)).status is TaskStatus.SUBMITTED  # A has not read the log yet
    await relay.catch_up()
    assert (await replica_a.get_task(task.id)).status is TaskStatus.QUEUED
