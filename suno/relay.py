"""EventRelay: brings changes made by other replicas to this replica's subscribers, from the event log.

Every change writes an event row in its own transaction; the relay reads the rows after the last sequence it
saw and publishes the tasks that local subscribers follow. On PostgreSQL a NOTIFY sent with each event wakes
it at once; elsewhere it reads on a short timer. Changes made here are published directly as well:
subscribers drop the repeat by revision.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from suno.cache import TaskCache
from suno.events import EventHub
from suno.store import TaskStore
from suno.store.asset_cache import AssetRowCache
from suno.store.task_store import NOTIFY_CHANNEL

log = logging.getLogger("suno.relay")


class EventRelay:
    def __init__(
        self,
        store: TaskStore,
        hub: EventHub,
        *,
        cache: TaskCache | None = None,
        asset_rows: AssetRowCache | None = None,
        interval: float = 1.0,
        retention: float = 3600.0,
        prune_every: float = 300.0,
    ) -> None:
        self.store = store
        self.hub = hub
        self.cache = cache
        self.asset_rows = asset_rows
        self.interval = interval
        self.retention = retention
        self.prune_every = prune_every
        self.last_seq = 0
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._listener: Any = None
        self._last_prune = 0.0

    async def start(self) -> None:
        self.last_seq = await self.store.last_event_seq()
        await self._listen()
        self._task = asyncio.create_task(self._run(), name="event-relay")

    async def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None
        if self._listener is not None:
            connection, raw = self._listener
            with contextlib.suppress(Exception):
                await raw.remove_listener(NOTIFY_CHANNEL, self._on_notify)
            await connection.close()
            self._listener = None

    async def catch_up(self) -> int:
        """Publish the followed tasks changed since the last event seen; returns how many were published."""
        events = await self.store.events_after(self.last_seq)
        if not events:
            return 0
        self.last_seq = events[-1].seq
        if self.cache is not None:
            for event in events:
                self.cache.saw_revision(event.task_id, event.revision)
        if self.asset_rows is not None:
            # An asset row change writes an event for its task too (at the same revision).
            for event in events:
                self.asset_rows.forget_task(event.task_id)
        followed = sorted({event.task_id for event in events if self.hub.is_followed(event.task_id)})
        for task in await self.store.get_many(followed):
            self.hub.publish(task)
        return len(followed)

    async def _run(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
            self._wake.clear()
            try:
                await self.catch_up()
                await self._prune()
            except Exception:
                log.exception("reading the event log failed; trying again")

    async def _prune(self) -> None:
        now = time.time()
        if now - self._last_prune >= self.prune_every:
            self._last_prune = now
            await self.store.prune_events(now - self.retention)

    async def _listen(self) -> None:
        """On PostgreSQL, hold one connection that LISTENs, so a change elsewhere wakes the relay at once."""
        if self.store.engine.dialect.name != "postgresql":
            return
        connection = await self.store.engine.connect()
        try:
            raw = (await connection.get_raw_connection()).driver_connection
            assert raw is not None
            await raw.add_listener(NOTIFY_CHANNEL, self._on_notify)
        except Exception:
            await connection.close()
            log.warning("LISTEN failed; other replicas' changes arrive on the timer instead", exc_info=True)
            return
        self._listener = (connection, raw)

    def _on_notify(self, *_args: object) -> None:
        self._wake.set()
