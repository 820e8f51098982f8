"""The in-process event hub: fans task changes out to subscribers without ever blocking the publisher."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable

from suno.models import Task

DEFAULT_QUEUE_SIZE = 32


class Subscription:
    """A bounded mailbox of task snapshots that never loses a task's newest one.

    When a slow reader lets it fill, the mailbox collapses to the newest snapshot of each task instead of
    dropping what arrives (a dropped terminal snapshot used to force every lagging reader to re-read the
    store at once, and under load those reads timed out and ended subscriptions without their SUCCESS).
    Only a subscription to every task can still overflow (it may follow any number of tasks); then
    `overflowed` is set and the owner resynchronises from the store.
    """

    __slots__ = ("_hub", "_items", "_maxsize", "_waiter", "_woken", "closed", "overflowed", "task_ids")

    def __init__(self, hub: EventHub, task_ids: frozenset[str] | None, maxsize: int) -> None:
        self.task_ids = task_ids
        self._hub = hub
        self._maxsize = max(1, maxsize)
        self._items: deque[Task] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._woken = False
        self.overflowed = False
        self.closed = False

    def offer(self, task: Task) -> None:
        if len(self._items) < self._maxsize:
            self._items.append(task)
        else:
            self._collapse(task)
        self._wake_reader()

    def _collapse(self, task: Task) -> None:
        newest: dict[str, Task] = {}
        for kept in (*self._items, task):
            seen = newest.pop(kept.id, None)
            # The relay may repeat an older snapshot after a newer one: the higher revision wins.
            newest[kept.id] = kept if seen is None or seen.revision <= kept.revision else seen
        limit = len(self.task_ids) if self.task_ids is not None else self._maxsize
        if len(newest) > max(limit, self._maxsize):
            self.overflowed = True
            for task_id in list(newest)[: len(newest) - self._maxsize]:
                del newest[task_id]
        self._items = deque(newest.values())

    async def next(self, timeout: float | None = None) -> Task | None:
        """The next snapshot, or None after `timeout` seconds without one (or after `wake`)."""
        if not self._items and not self._woken:
            # One future per wait, no task and no queue: cheap for thousands of idle subscribers.
            waiter = self._waiter = asyncio.get_running_loop().create_future()
            try:
                async with asyncio.timeout(timeout):
                    await waiter
            except TimeoutError:
                return None
            finally:
                self._waiter = None
        if self._items:
            return self._items.popleft()
        self._woken = False
        return None

    def wake(self) -> None:
        """Make a waiting `next()` return None now; the owner then checks why (a shutdown)."""
        if not self._items:
            self._woken = True
        self._wake_reader()

    def _wake_reader(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def drain(self) -> list[Task]:
        items = list(self._items)
        self._items.clear()
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
