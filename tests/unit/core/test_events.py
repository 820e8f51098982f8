"""The event hub: bounded mailboxes that never block the publisher and never lose a task's newest snapshot."""

from __future__ import annotations

import asyncio
import dataclasses
import unittest.mock
from collections.abc import Sequence

from suno.events import DEFAULT_QUEUE_SIZE, EventHub
from suno.models import Task, TaskStatus
from suno.service import SunoService
from tests.support.fake_upstream import FakeUpstream
from tests.support.tasks import music_task as task


class TruthStore:
    """The store as a watcher sees it: `get_many` answers the latest snapshot and counts the reads."""

    def __init__(self, *tasks: Task) -> None:
        self.tasks = {t.id: t for t in tasks}
        self.reads = 0

    async def get_many(self, ids: Sequence[str]) -> list[Task]:
        self.reads += 1
        return [self.tasks[i] for i in ids if i in self.tasks]


def service_on(store: TruthStore) -> SunoService:
    return SunoService(store, FakeUpstream(), EventHub())  # type: ignore[arg-type]


def test_a_full_mailbox_keeps_the_newest_snapshot_of_each_task() -> None:
    hub = EventHub()
    with hub.subscribe(["t1", "t2"], maxsize=2) as subscription:
        for revision in (1, 2, 3):
            hub.publish(task(revision=revision))  # never blocks, never raises
        hub.publish(task("t2"))
        hub.publish(task(revision=2))  # an older repeat (the relay) does not replace the newer one
        assert not subscription.overflowed
        assert [(t.id, t.revision) for t in subscription.drain()] == [("t2", 1), ("t1", 3)]


def test_a_mailbox_for_every_task_overflows_only_past_its_size_in_distinct_tasks() -> None:
    hub = EventHub()
    with hub.subscribe(["t1"], maxsize=1) as small, hub.subscribe(None, maxsize=2) as everything:
        for revision in (1, 2, 3):
            hub.publish(task(revision=revision))
        hub.publish(task("other"))
        assert not small.overflowed and not everything.overflowed
        assert [(t.id, t.revision) for t in everything.drain()] == [("t1", 3), ("other", 1)]
        assert [t.revision for t in small.drain()] == [3]  # "other" was never its business
        for name in ("a", "b", "c"):
            hub.publish(task(name))
        assert everything.overflowed and [t.id for t in everything.drain()] == ["b", "c"]
    assert hub.published == 7


async def test_wake_makes_the_reader_return_none_and_never_fails_on_a_full_mailbox() -> None:
    hub = EventHub()
    with hub.subscribe(["t1"], maxsize=1) as subscription:
        reader = asyncio.create_task(subscription.next())
        subscription.wake()
        assert await asyncio.wait_for(reader, 1) is None
        hub.publish(task())
        subscription.wake()  # full: nothing to add, and no error
        assert (await subscription.next(0.1)) == task()


def test_a_closed_subscription_is_forgotten_by_the_hub() -> None:
    hub = EventHub()
    with hub.subscribe(["t1", "t2"]) as subscription:
        assert hub.subscriber_count == 1 and hub.is_followed("t2")
    hub.publish(task("t1"))
    assert subscription.closed and hub.subscriber_count == 0 and not hub.is_followed("t1")
    assert subscription.drain() == []


async def test_a_watcher_that_keeps_up_is_fed_by_events_without_reading_the_store_again() -> None:
    store = TruthStore(task(revision=1))
    service = service_on(store)
    stream = service.watch("t1")
    assert (await anext(stream)).revision == 1
    service.hub.publish(task(revision=2, status=TaskStatus.IN_PROGRESS))
    service.hub.publish(task(revision=3, status=TaskStatus.SUCCESS))
    rest = await asyncio.wait_for(_rest(stream), 2)
    assert [(t.revision, t.status) for t in rest] == [(2, TaskStatus.IN_PROGRESS), (3, TaskStatus.SUCCESS)]
    assert store.reads == 1  # only the first snapshot


async def test_a_watcher_that_fell_behind_gets_the_terminal_snapshot_without_reading_the_store() -> None:
    first = task(revision=1)
    store = TruthStore(first)
    service = service_on(store)
    stream = service.watch("t1")
    assert await anext(stream) == first
    # It fell behind: stale snapshots fill its mailbox before the terminal one arrives.
    for _ in range(DEFAULT_QUEUE_SIZE + 5):
        service.hub.publish(first)
    service.hub.publish(dataclasses.replace(first, revision=9, status=TaskStatus.SUCCESS))
    rest = await asyncio.wait_for(_rest(stream), 2)
    assert [(t.revision, t.status) for t in rest] == [(9, TaskStatus.SUCCESS)]
    assert store.reads == 1
    assert service.hub.subscriber_count == 0


async def test_watchers_re_reading_at_once_share_one_store_read() -> None:
    store = TruthStore(task("t1"), task("t2"))
    service = service_on(store)
    streams = [service.watch(name) for name in ("t1", "t2", "t1")]
    firsts = await asyncio.gather(*(anext(s) for s in streams))
    assert [t.id for t in firsts] == ["t1", "t2", "t1"]
    assert store.reads == 1  # the three first reads were one query
    store.tasks = {name: task(name, revision=2, status=TaskStatus.SUCCESS) for name in ("t1", "t2")}
    service.hub.wake_all()  # as a quiet timer would: every watcher re-reads
    rests = await asyncio.wait_for(asyncio.gather(*(_rest(s) for s in streams)), 2)
    assert [[t.status for t in rest] for rest in rests] == [[TaskStatus.SUCCESS]] * 3
    assert store.reads == 2


async def test_a_failed_re_read_is_retried_instead_of_ending_the_watch() -> None:
    store = TruthStore(task(revision=1))
    service = service_on(store)
    stream = service.watch("t1")
    await anext(stream)
    healthy = store.get_many

    async def failing(ids: Sequence[str]) -> list[Task]:
        store.get_many = healthy  # type: ignore[method-assign]
        raise ConnectionError("database restarting")

    store.get_many = failing  # type: ignore[method-assign]
    service.hub.wake_all()
    store.tasks["t1"] = task(revision=2, status=TaskStatus.SUCCESS)
    with unittest.mock.patch("suno.service.WATCH_RETRY_SECONDS", 0.05):
        rest = await asyncio.wait_for(_rest(stream), 2)
    assert [t.status for t in rest] == [TaskStatus.SUCCESS]


async def _rest(stream) -> list[Task]:
    return [t async for t in stream]
