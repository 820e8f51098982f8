"""The same store suite on SQLite, PostgreSQL and MariaDB (the `store` fixture runs each test on all three)."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from suno.errors import InvalidRequest
from suno.models import Clip, LyricsRequest, MusicRequest, Task, TaskAction, TaskFilter, TaskStatus
from suno.store import TaskChange, TaskStore
from suno.store.tables import tasks


def new_task(submit_time: float = 1000.0, action: TaskAction = TaskAction.MUSIC) -> Task:
    request = MusicRequest(prompt="[Verse]\nhello") if action is TaskAction.MUSIC else LyricsRequest("rain")
    return Task(
        id=str(uuid.uuid4()),
        action=action,
        status=TaskStatus.NOT_START,
        request=request,
        submit_time=submit_time,
    )


def clip(clip_id: str, status: str, **extra: object) -> Clip:
    return Clip.from_upstream({"id": clip_id, "status": status, "metadata": {"tags": "pop"}, **extra})


async def submitted(
    store: TaskStore, task: Task, account: str = "default", clips: tuple[str, ...] = ()
) -> Task:
    await store.create(task)
    ids = clips or (f"{task.id}-a", f"{task.id}-b")
    result = await store.update(
        task.id,
        TaskChange(
            status=TaskStatus.SUBMITTED,
            account=account,
            upstream_ids=ids,
            clips=[clip(i, "submitted") for i in ids],
            next_poll_at=0.0,
        ),
    )
    assert result is not None
    return result.task


async def test_store_round_trips_a_task_with_unknown_clip_fields(store: TaskStore) -> None:
    task = new_task()
    await store.create(task)
    change = TaskChange(
        status=TaskStatus.SUBMITTED,
        clips=[clip("c1", "submitted", media_urls=[{"url": "x", "encoding": "1.0.0"}])],
        upstream_ids=["c1"],
        account="acc",
    )
    await store.update(task.id, change)
    loaded = await store.get(task.id)
    assert loaded is not None
    assert loaded.request == task.request
    assert loaded.status is TaskStatus.SUBMITTED
    assert loaded.clips[0].raw["media_urls"] == [{"url": "x", "encoding": "1.0.0"}]
    assert loaded.account == "acc"
    assert loaded.upstream_ids == ("c1",)
    assert (await store.find_by_clip("c1")) == loaded


async def test_store_finds_the_tasks_that_made_several_clips_in_one_query(store: TaskStore) -> None:
    first = await submitted(store, new_task(), clips=("k1", "k2"))
    second = await submitted(store, new_task(), clips=("k3", "k4"))
    found = await store.find_by_clips(["k3", "nope", "k1", "k2", "k3"])
    assert found == {"k3": second, "k1": first, "k2": first}
    assert await store.find_by_clips([]) == {}


async def test_store_moves_status_forward_only_and_freezes_terminal_tasks(store: TaskStore) -> None:
    task = await submitted(store, new_task())
    await store.update(task.id, TaskChange(status=TaskStatus.IN_PROGRESS))
    backwards = await store.update(task.id, TaskChange(status=TaskStatus.QUEUED))
    assert backwards is not None and backwards.task.status is TaskStatus.IN_PROGRESS
    assert backwards.event is None
    done = await store.update(task.id, TaskChange(status=TaskStatus.SUCCESS, fail_reason="ignored"))
    assert done is not None and done.task.status is TaskStatus.SUCCESS and done.task.fail_reason == ""
    assert done.task.start_time is not None and done.task.finish_time is not None
    after = await store.update(task.id, TaskChange(status=TaskStatus.FAILURE, fail_reason="late"))
    assert after is not None and after.task.status is TaskStatus.SUCCESS and after.event is None


async def test_store_writes_one_event_per_change_with_increasing_sequence(store: TaskStore) -> None:
    start = await store.last_event_seq()
    task = await submitted(store, new_task())
    unchanged = await store.update(task.id, TaskChange(clips=task.clips))
    assert unchanged is not None and unchanged.event is None
    await store.update(task.id, TaskChange(status=TaskStatus.FAILURE, fail_reason="moderation"))
    events = await store.events_after(start)
    assert [e.status for e in events] == [TaskStatus.NOT_START, TaskStatus.SUBMITTED, TaskStatus.FAILURE]
    assert [e.revision for e in events] == [1, 2, 3]
    assert events[0].seq < events[1].seq < events[2].seq
    loaded = await store.get(task.id)
    assert loaded is not None and loaded.fail_reason == "moderation" and loaded.revision == 3


async def test_store_get_many_returns_only_existing_ids_in_the_asked_order(store: TaskStore) -> None:
    first, second = new_task(), new_task()
    await store.create(first)
    await store.create(second)
    found = await store.get_many([second.id, "missing", first.id, second.id])
    assert [t.id for t in found] == [second.id, first.id]


async def test_store_pages_newest_first_with_cursor_and_filters(store: TaskStore) -> None:
    created = [new_task(submit_time=1000.0 + i) for i in range(5)]
    created.append(new_task(submit_time=1002.0, action=TaskAction.LYRICS))
    for task in created:
        await store.create(task)
    first = await store.page(TaskFilter(actions=[TaskAction.MUSIC]), None, 2)
    assert [t.submit_time for t in first.tasks] == [1004.0, 1003.0] and first.has_next
    second = await store.page(TaskFilter(actions=[TaskAction.MUSIC]), first.next_cursor, 2)
    third = await store.page(TaskFilter(actions=[TaskAction.MUSIC]), second.next_cursor, 2)
    assert [t.submit_time for t in second.tasks] == [1002.0, 1001.0]
    assert (
        [t.submit_time for t in third.tasks] == [1000.0] and not third.has_next and third.next_cursor is None
    )
    lyrics = await store.page(
        TaskFilter(actions=[TaskAction.LYRICS], statuses=[TaskStatus.NOT_START]), None, 10
    )
    assert [t.action for t in lyrics.tasks] == [TaskAction.LYRICS]
    with pytest.raises(InvalidRequest):
        await store.page(TaskFilter(), "not-a-cursor", 2)


async def test_store_lets_one_caller_dispatch_a_task(store: TaskStore) -> None:
    task = new_task()
    await store.create(task)
    assert [t.id for t in await store.pending_dispatch(10)] == [task.id]
    assert await store.mark_dispatching(task.id)
    assert not await store.mark_dispatching(task.id)
    assert await store.pending_dispatch(10) == []
    assert await store.interrupted_dispatches(started_before=10**12) == [task.id]


async def test_store_counts_in_flight_tasks_per_account(store: TaskStore) -> None:
    await submitted(store, new_task(), account="a")
    await submitted(store, new_task(), account="a")
    done = await submitted(store, new_task(), account="b")
    await store.update(done.id, TaskChange(status=TaskStatus.SUCCESS))
    assert await store.in_flight_by_account() == {"a": 2}


async def test_store_leases_claimed_tasks_and_fences_stale_writes(store: TaskStore) -> None:
    now = [1000.0]
    store._clock = lambda: now[0]  # the lease clock only
    task = await submitted(store, new_task())
    claims = await store.claim_due("w1", lease_seconds=30, limit=10)
    assert [c.task.id for c in claims] == [task.id]
    assert await store.claim_due("w2", lease_seconds=30, limit=10) == []
    now[0] += 31  # w1 stalls past its lease
    taken = await store.claim_due("w2", lease_seconds=30, limit=10)
    assert [c.task.id for c in taken] == [task.id]
    stale = await store.update(task.id, TaskChange(status=TaskStatus.FAILURE), claims[0].lease)
    assert stale is None
    fresh = await store.update(task.id, TaskChange(status=TaskStatus.QUEUED), taken[0].lease)
    assert fresh is not None and fresh.task.status is TaskStatus.QUEUED


async def test_store_reports_overdue_unfinished_tasks(store: TaskStore) -> None:
    old, recent = new_task(submit_time=100.0), new_task(submit_time=900.0)
    await store.create(old)
    await store.create(recent)
    assert await store.overdue(submitted_before=500.0) == [old.id]


@pytest.mark.parametrize("store", ["postgres", "mysql"], indirect=True)
async def test_two_workers_never_claim_the_same_task(store: TaskStore) -> None:
    for _ in range(40):
        await submitted(store, new_task())
    # Two claims at once, on two pooled connections, as two replicas would.
    claims = await asyncio.gather(
        store.claim_due("w1", lease_seconds=30, limit=25), store.claim_due("w2", lease_seconds=30, limit=25)
    )
    first, second = ({c.task.id for c in batch} for batch in claims)
    assert not first & second
    assert len(first | second) == 40


async def test_sqlite_reads_do_not_wait_for_a_writer(sqlite_store: TaskStore) -> None:
    task = new_task()
    await sqlite_store.create(task)
    async with sqlite_store.engine.begin() as writer:  # holds the write lock (BEGIN IMMEDIATE)
        await writer.execute(tasks.update().where(tasks.c.id == task.id).values(fail_reason="x"))
        loaded = await asyncio.wait_for(sqlite_store.get(task.id), 1.0)
    assert loaded is not None and loaded.fail_reason == ""  # it read the last committed state
