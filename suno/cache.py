"""A bounded, revision-aware cache of task snapshots, so reads need not touch the store.

Ended tasks never change, so any replica may keep them. An unfinished task stays correct because every
change made here passes through `remember`, and the relay calls `saw_revision` for every event in the log,
which drops a snapshot another replica has overtaken (at once on PostgreSQL, within a second elsewhere).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from suno.models import Task


class TaskCache:
    def __init__(self, capacity: int = 20_000) -> None:
        self.capacity = capacity
        self._tasks: OrderedDict[str, Task] = OrderedDict()
        # clip id → the task that made it (a clip never moves to another task), for the clip doors.
        self._task_of_clip: dict[str, str] = {}

    def get(self, task_id: str) -> Task | None:
        task = self._tasks.get(task_id)
        if task is not None:
            self._tasks.move_to_end(task_id)
        return task

    def remember(self, tasks: Iterable[Task]) -> None:
        """Keep these snapshots, unless a newer revision of the same task is already kept."""
        for task in tasks:
            kept = self._tasks.get(task.id)
            if kept is None or kept.revision <= task.revision:
                self._tasks[task.id] = task
                self._tasks.move_to_end(task.id)
                for clip in task.clips:
                    self._task_of_clip[clip.id] = task.id
        while len(self._tasks) > self.capacity:
            _, dropped = self._tasks.popitem(last=False)
            for clip in dropped.clips:
                self._task_of_clip.pop(clip.id, None)

    def tasks_for_clips(self, clip_ids: Iterable[str]) -> dict[str, Task] | None:
        """clip id → its kept task, for every one of `clip_ids`; None unless all of them are known here."""
        found: dict[str, Task] = {}
        for clip_id in clip_ids:
            task_id = self._task_of_clip.get(clip_id)
            task = self._tasks.get(task_id) if task_id is not None else None
            if task is None or not any(clip.id == clip_id for clip in task.clips):
                return None
            found[clip_id] = task
        return found

    def saw_revision(self, task_id: str, revision: int) -> None:
        """The event log says the task reached `revision`: forget an older snapshot."""
        kept = self._tasks.get(task_id)
        if kept is not None and kept.revision < revision:
            del self._tasks[task_id]

    def __len__(self) -> int:
        return len(self._tasks)
