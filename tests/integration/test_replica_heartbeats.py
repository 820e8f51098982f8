"""Dispatch marks carry their replica; a survivor confirms a dead replica's sends once its heartbeat
stops, on SQLite, PostgreSQL and MariaDB (the `store` fixture runs each test on all three)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import sqlalchemy as sa

from suno.events import EventHub
from suno.models import MusicRequest, Task, TaskAction, TaskStatus
from suno.reconcile import CONFIRMING_REASON
from suno.service import SunoService
from suno.store import TaskStore
from suno.store.tables import tasks
from suno.worker import Worker, WorkerOptions
from tests.support.fake_upstream import FakeUpstream

# The fallback bound stays long, so only the heartbeat rule can mark a send interrupted in time.
OPTIONS = WorkerOptions(poll_interval=0.0, error_backoff=0.0, dispatch_grace=120.0, heartbeat_timeout=15.0)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def song() -> Task:
    return Task(
        id=str(uuid.uuid4()), action=TaskAction.MUSIC, status=TaskStatus.NOT_START, request=MusicRequest("x")
    )


def replica(store: TaskStore, clock: Clock, name: str, upstream: FakeUpstream) -> tuple[SunoService, Worker]:
    """Another process on the same database: its own store (and replica id), service and worker."""
    own = TaskStore(store.engine, clock, replica_id=name)
    service = SunoService(own, upstream, EventHub(), poll_interval=0.0, clock=clock)
    return service, Worker(service, OPTIONS, clock=clock)


async def owner_of(store: TaskStore, task_id: str) -> str | None:
    async with store.engine.connect() as conn:
        query = sa.select(tasks.c.dispatch_owner).where(tasks.c.id == task_id)
        owner = (await conn.execute(query)).scalar_one()
    return str(owner) if owner is not None else None


async def test_a_silent_replicas_sends_are_interrupted_after_the_heartbeat_bound(store: TaskStore) -> None:
    clock = Clock()
    dead = TaskStore(store.engine, clock, replica_id="dead")
    alive = TaskStore(store.engine, clock, replica_id="alive")
    await dead.replicas.beat("dead")
    await alive.replicas.beat("alive")
    theirs, ours = song(), song()
    await dead.create(theirs, dispatching=True)
    await alive.create(ours)
    assert await alive.mark_dispatching(ours.id)
    assert (await owner_of(store, theirs.id), await owner_of(store, ours.id)) == ("dead", "alive")
    clock.now += 16  # neither beats again
    silent_before, fallback = clock.now - 15, clock.now - 120
    # The other replica's send is interrupted; our own is not: we know we are alive.
    assert await alive.interrupted_dispatches(fallback, owner_silent_before=silent_before) == [theirs.id]
    assert await dead.interrupted_dispatches(fallback, owner_silent_before=silent_before) == [ours.id]
    # Without the heartbeat rule only the fallback applies, to every mark.
    assert await alive.interrupted_dispatches(fallback) == []
    assert sorted(await alive.interrupted_dispatches(clock.now)) == sorted([theirs.id, ours.id])


async def test_a_live_replicas_sends_wait_and_an_unknown_owners_use_the_fallback(store: TaskStore) -> None:
    clock = Clock()
    busy = TaskStore(store.engine, clock, replica_id="busy")
    ghost = TaskStore(store.engine, clock, replica_id="ghost")  # never beats: set before heartbeats
    survivor = TaskStore(store.engine, clock, replica_id="survivor")
    sending, orphan = song(), song()
    await busy.create(sending, dispatching=True)
    await ghost.create(orphan, dispatching=True)
    for _ in range(13):  # a long send, with the heartbeat going on beside it
        clock.now += 10
        await busy.replicas.beat("busy")
        found = await survivor.interrupted_dispatches(clock.now - 120, owner_silent_before=clock.now - 15)
        assert sending.id not in found
        assert (orphan.id in found) is (clock.now - 120 > 1_000_000.0)
    assert await survivor.interrupted_dispatches(clock.now - 120, clock.now - 15) == [orphan.id]


async def test_the_registry_keeps_one_row_per_replica_and_prunes_the_long_silent(store: TaskStore) -> None:
    clock = Clock()
    registry = TaskStore(store.engine, clock).replicas
    await registry.beat("a")
    clock.now += 5
    await registry.beat("a")
    await registry.beat("b")
    assert await registry.heartbeats() == {"a": clock.now, "b": clock.now}
    clock.now += 100
    await registry.beat("b")
    assert await registry.prune(clock.now - 50) == 1
    assert await registry.heartbeats() == {"b": clock.now}


async def test_a_survivor_confirms_a_dead_replicas_song_and_never_resends_it(store: TaskStore) -> None:
    clock = Clock()
    suno = FakeUpstream()
    calling = asyncio.Event()

    async def hanging_generate(request: MusicRequest, **kwargs: Any) -> Any:
        calling.set()
        await asyncio.Event().wait()  # the process dies before Suno answers

    dying_suno = FakeUpstream()
    dying_suno.generate = hanging_generate  # type: ignore[method-assign]
    dying_service, dying_worker = replica(store, clock, "dying", dying_suno)
    survivor_service, survivor = replica(store, clock, "survivor", suno)
    await dying_worker.beat()
    await survivor.beat()
    # The door's send records the same replica id as the one its worker beats for.
    submitting = asyncio.create_task(dying_service.submit_music(MusicRequest(prompt="paid once")))
    await asyncio.wait_for(calling.wait(), 5)
    (task,) = (await survivor_service.list_tasks()).tasks
    assert await owner_of(store, task.id) == dying_worker.store.replica_id == "dying"
    assert set(await store.replicas.heartbeats()) == {"dying", "survivor"}

    clock.now += 10  # within the bound: still being sent
    await survivor.beat()
    await survivor.tick()
    assert (await survivor_service.get_task(task.id)).waiting_reason is None
    clock.now += 10  # 20 s of silence, far below the 120 s fallback
    await survivor.beat()
    await survivor.tick()
    confirming = await survivor_service.get_task(task.id)
    assert (confirming.status, confirming.waiting_reason) == (TaskStatus.NOT_START, CONFIRMING_REASON)
    assert suno.sent_prompts == []  # it may have been charged: never sent again
    submitting.cancel()
