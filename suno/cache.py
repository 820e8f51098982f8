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
        while len(self._tasks) > self.capacity:
            self._tasks.popitem(last=False)

    def saw_revision(self, task_id: str, revision: int) -> None:
        """The event log says the task reached `revision`: forget an older snapshot."""
        kept = self._tasks.get(task_id)
        if kept is not None and kept.revision < revision:
            del self._tasks[task_id]

    def __len__(self) -> int:
        return len(self._tasks)
