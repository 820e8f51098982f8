"""The asset rows of finished songs, kept in memory so a poll of a finished song reads no SQL.

Keyed by task: a finished song's clips never change, only their rows do, and every row change passes
through AssetStore (which forgets the task here) and writes an event for the task, from which the relay of
every other replica forgets it too. A read that raced with a change is not kept (`generation`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from suno.assets.model import Asset


class AssetRowCache:
    def __init__(self, capacity: int = 20_000) -> None:
        self.capacity = capacity
        # task id → (its clip ids, the asset rows of those clips)
        self._rows: OrderedDict[str, tuple[tuple[str, ...], tuple[Asset, ...]]] = OrderedDict()
        self._task_of_clip: dict[str, str] = {}
        # Bumped by every forget: a read that started before a change must not store what it read.
        self.generation = 0
        self.hits = 0
        self.misses = 0

    def get(self, task_id: str) -> tuple[Asset, ...] | None:
        kept = self._rows.get(task_id)
        if kept is None:
            self.misses += 1
            return None
        self.hits += 1
        self._rows.move_to_end(task_id)
        return kept[1]

    def keep(self, task_id: str, clip_ids: Iterable[str], rows: Iterable[Asset], generation: int) -> None:
        if generation != self.generation:
            return
        clips = tuple(clip_ids)
        self._rows[task_id] = (clips, tuple(rows))
        self._rows.move_to_end(task_id)
        for clip_id in clips:
            self._task_of_clip[clip_id] = task_id
        while len(self._rows) > self.capacity:
            self._drop(next(iter(self._rows)))

    def forget_task(self, task_id: str) -> None:
        self.generation += 1
        self._drop(task_id)

    def forget_clip(self, clip_id: str) -> None:
        self.generation += 1
        task_id = self._task_of_clip.get(clip_id)
        if task_id is not None:
            self._drop(task_id)

    def clear(self) -> None:
        self.generation += 1
        self._rows.clear()
        self._task_of_clip.clear()

    def _drop(self, task_id: str) -> None:
        kept = self._rows.pop(task_id, None)
        if kept is not None:
            for clip_id in kept[0]:
                self._task_of_clip.pop(clip_id, None)

    def __len__(self) -> int:
        return len(self._rows)
