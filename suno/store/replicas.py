"""ReplicaRegistry: each running process's heartbeat, so another can tell it died (and stopped sending)."""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from suno.store.outages import reports_outages
from suno.store.tables import replicas


@reports_outages
class ReplicaRegistry:
    def __init__(self, engine: AsyncEngine, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self._clock = clock

    async def beat(self, replica_id: str) -> None:
        """Record that `replica_id` is alive now (its first beat registers it)."""
        now = self._clock()
        refresh = replicas.update().where(replicas.c.id == replica_id).values(heartbeat_at=now)
        async with self.engine.begin() as conn:
            if (await conn.execute(refresh)).rowcount == 1:
                return
        try:
            async with self.engine.begin() as conn:
                await conn.execute(replicas.insert().values(id=replica_id, started_at=now, heartbeat_at=now))
        except IntegrityError:
            pass  # a beat of the same replica got there first: the row is fresh either way

    async def heartbeats(self) -> dict[str, float]:
        """Every known replica's last heartbeat."""
        async with self.engine.connect() as conn:
            rows = (await conn.execute(sa.select(replicas.c.id, replicas.c.heartbeat_at))).all()
        return {replica_id: float(at) for replica_id, at in rows}

    async def prune(self, silent_before: float) -> int:
        """Forget replicas silent since before `silent_before` (long dead: their marks use the fallback)."""
        async with self.engine.begin() as conn:
            result = await conn.execute(replicas.delete().where(replicas.c.heartbeat_at < silent_before))
        return int(result.rowcount or 0)
