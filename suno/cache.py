"""A bounded cache of ended tasks: a terminal task never changes, so any replica may keep it."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from suno.models import Task


class EndedTasks:
    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._tasks: OrderedDict[str, Task] = OrderedDict()

    def get(self, task_id: str) -> Task | None:
        task = self._tasks.get(task_id)
        if task is not None:
            self._tasks.move_to_end(task_id)
        return task

    def remember(self, tasks: Iterable[Task]) -> None:
        for task in tasks:
            if task.is_terminal:
                self._tasks[task.id] = task
                self._tasks.move_to_end(task.id)
        while len(self._tasks) > self.capacity:
            self._tasks.popitem(last=False)

    def __len__(self) -> int:
        return len(self._tasks)
