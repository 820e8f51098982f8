"""The event hub: bounded mailboxes that never block the publisher, and a watcher that overflows resyncs from the store."""

from __future__ import annotations

import asyncio
import dataclasses
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


def test_a_full_mailbox_drops_the_newest_snapshot_and_flags_the_overflow() -> None:
    hub = EventHub()
    with hub.subscribe(["t1"], maxsize=2) as subscription:
        for revision in (1, 2, 3):
            hub.publish(task(revision=revision))  # never blocks, never raises
        assert subscription.overflowed
        assert [t.revision for t in subscription.drain()] == [1, 2]


def test_one_overflowing_subscriber_does_not_cost_another_its_snapshots() -> None:
    hub = EventHub()
    with hub.subscribe(["t1"], maxsize=1) as small, hub.subscribe(None, maxsize=10) as everything:
        for revision in (1, 2, 3):
            hub.publish(task(revision=revision))
        hub.publish(task("other"))
        assert small.overflowed and not everything.overflowed
        assert [(t.id, t.revision) for t in everything.drain()] == [
            ("t1", 1),
            ("t1", 2),
            ("t1", 3),
            ("other", 1),
        ]
        assert [t.revision for t in small.drain()] == [1]  # "other" was never its business
    assert hub.published == 4


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


async def test_a_watcher_whose_mailbox_overflowed_resyncs_from_the_store() -> None:
    first = task(revision=1)
    store = TruthStore(first)
    service = service_on(store)
    stream = service.watch("t1")
    assert await anext(stream) == first
    # It fell behind: stale snapshots fill its mailbox, and the event of the terminal change is lost.
    for _ in range(DEFAULT_QUEUE_SIZE + 5):
        service.hub.publish(first)
    store.tasks["t1"] = dataclasses.replace(first, revision=9, status=TaskStatus.SUCCESS)
    # Without the resync it would wait for an event that never comes (the safety net is 120 s away).
    rest = await asyncio.wait_for(_rest(stream), 2)
    assert [(t.revision, t.status) for t in rest] == [(9, TaskStatus.SUCCESS)]
    assert store.reads == 2
    assert service.hub.subscriber_count == 0


async def _rest(stream) -> list[Task]:
    return [t async for t in stream]
