"""The in-process event hub: fans task changes out to subscribers without ever blocking the publisher."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable

from suno.models import Task

DEFAULT_QUEUE_SIZE = 32


class Subscription:
    """A bounded mailbox of task snapshots. When it overflows the owner must resynchronise from the store."""

    def __init__(self, hub: EventHub, task_ids: frozenset[str] | None, maxsize: int) -> None:
        self.task_ids = task_ids
        self._hub = hub
        self._queue: asyncio.Queue[Task | None] = asyncio.Queue(maxsize)
        self.overflowed = False
        self.closed = False

    def offer(self, task: Task) -> None:
        try:
            self._queue.put_nowait(task)
        except asyncio.QueueFull:
            # Dropping here is safe only because the reader sees the flag and re-reads the store.
            self.overflowed = True

    async def next(self, timeout: float | None = None) -> Task | None:
        """The next snapshot, or None after `timeout` seconds without one."""
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None

    def wake(self) -> None:
        """Make a waiting `next()` return None now; the owner then checks why (a shutdown)."""
        with contextlib.suppress(asyncio.QueueFull):
            self._queue.put_nowait(None)  # a full queue wakes its reader anyway

    def drain(self) -> list[Task]:
        items: list[Task] = []
        while not self._queue.empty():
            item = self._queue.get_nowait()
            if item is not None:
                items.append(item)
        return items

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._hub._remove(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class EventHub:
    def __init__(self) -> None:
        self._by_task: dict[str, set[Subscription]] = {}
        self._everything: set[Subscription] = set()
        self.published = 0

    def subscribe(
        self, task_ids: Iterable[str] | None = None, maxsize: int = DEFAULT_QUEUE_SIZE
    ) -> Subscription:
        """Follow some tasks, or every task when `task_ids` is None."""
        ids = frozenset(task_ids) if task_ids is not None else None
        subscription = Subscription(self, ids, maxsize)
        if ids is None:
            self._everything.add(subscription)
        else:
            for task_id in ids:
                self._by_task.setdefault(task_id, set()).add(subscription)
        return subscription

    def publish(self, task: Task) -> None:
        self.published += 1
        for subscription in (*self._by_task.get(task.id, ()), *self._everything):
            subscription.offer(task)

    def is_followed(self, task_id: str) -> bool:
        return bool(self._everything) or task_id in self._by_task

    def wake_all(self) -> None:
        for subscription in {*self._everything, *(s for subs in self._by_task.values() for s in subs)}:
            subscription.wake()

    @property
    def subscriber_count(self) -> int:
        return len(self._everything) + len({s for subs in self._by_task.values() for s in subs})

    def _remove(self, subscription: Subscription) -> None:
        if subscription.task_ids is None:
            self._everything.discard(subscription)
            return
        for task_id in subscription.task_ids:
            subs = self._by_task.get(task_id)
            if subs is not None:
                subs.discard(subscription)
                if not subs:
                    del self._by_task[task_id]
