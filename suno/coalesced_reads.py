"""One store read for many watchers that re-read at the same moment (a shutdown wake, a safety-net timer)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from suno.models import Task

ReadMany = Callable[[Sequence[str]], Awaitable[list[Task]]]


class CoalescedReads:
    """`get_many` calls made in the same loop turn share one query, instead of one each on the pool."""

    def __init__(self, read_many: ReadMany) -> None:
        self._read_many = read_many
        self._wanted: set[str] = set()
        self._batch: asyncio.Future[dict[str, Task]] | None = None
        self._reading: set[asyncio.Task[None]] = set()  # strong references until each read ends

    async def get_many(self, task_ids: Sequence[str]) -> list[Task]:
        self._wanted.update(task_ids)
        batch = self._batch
        if batch is None:
            batch = self._batch = asyncio.get_running_loop().create_future()
            asyncio.get_running_loop().call_soon(self._start, batch)
        # Shielded: one watcher going away must not cancel the read the others wait for.
        found = await asyncio.shield(batch)
        return [found[task_id] for task_id in task_ids if task_id in found]

    def _start(self, batch: asyncio.Future[dict[str, Task]]) -> None:
        wanted, self._wanted, self._batch = sorted(self._wanted), set(), None
        task = asyncio.ensure_future(self._read(wanted, batch))
        self._reading.add(task)
        task.add_done_callback(self._reading.discard)

    async def _read(self, wanted: list[str], batch: asyncio.Future[dict[str, Task]]) -> None:
        try:
            tasks = await self._read_many(wanted)
        except Exception as error:
            if not batch.done():
                batch.set_exception(error)
            return
        if not batch.done():
            batch.set_result({task.id: task for task in tasks})
