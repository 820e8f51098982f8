"""A task's waiting reason: set explicitly, ended by a status move, never kept on an ended task."""

from __future__ import annotations

from suno.models import MusicRequest, Task, TaskAction, TaskStatus
from suno.store import TaskStore
from suno.store.task_store import TaskChange


async def test_a_waiting_reason_is_stored_and_visible_then_cleared_when_the_task_moves(
    store: TaskStore,
) -> None:
    await store.create(
        Task(id="t", action=TaskAction.MUSIC, status=TaskStatus.NOT_START, request=MusicRequest())
    )
    waiting = await store.update("t", TaskChange(waiting_reason="all slots busy"))
    assert waiting is not None and waiting.event is not None  # a new reason is a visible change
    assert waiting.task.waiting_reason == "all slots busy"
    assert (await store.get("t")).waiting_reason == "all slots busy"  # type: ignore[union-attr]
    moved = await store.update("t", TaskChange(status=TaskStatus.SUBMITTED))
    assert moved is not None and moved.task.waiting_reason is None


async def test_an_ended_task_waits_for_nothing(store: TaskStore) -> None:
    await store.create(
        Task(id="t", action=TaskAction.MUSIC, status=TaskStatus.SUBMITTED, request=MusicRequest())
    )
    ended = await store.update(
        "t", TaskChange(status=TaskStatus.FAILURE, fail_reason="x", waiting_reason="confirming with Suno")
    )
    assert ended is not None and ended.task.waiting_reason is None
