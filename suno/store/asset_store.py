"""AssetStore: the rows saying where each clip's playable copy stands, on SQLite, PostgreSQL or MySQL."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from suno.assets.model import Asset, AssetKind, AssetReason, AssetState
from suno.models import CLIP_ACTIONS, TaskStatus
from suno.store.asset_cache import AssetRowCache
from suno.store.engine import READ_ONLY
from suno.store.outages import reports_outages
from suno.store.tables import assets, task_clips, task_events, tasks
from suno.store.task_store import NOTIFY_CHANNEL


def _asset(row: sa.RowMapping | Mapping[str, Any]) -> Asset:
    return Asset(
        clip_id=row["clip_id"],
        kind=AssetKind(row["kind"]),
        task_id=row["task_id"],
        account=row["account"],
        state=AssetState(row["state"]),
        reason=AssetReason(row["reason"])
        if row["reason"] in AssetReason._value2member_map_
        else AssetReason.NONE,
        detail=row["detail"],
        source=row["source"],
        storage_key=row["storage_key"],
        content_type=row["content_type"],
        size=row["size"],
        sha256=row["sha256"],
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


@reports_outages
class AssetStore:
    def __init__(self, engine: AsyncEngine, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        # Pure reads run beside SQLite's writer instead of queueing for its lock.
        self._reader = engine.execution_options(**{READ_ONLY: True})
        self._clock = clock
        self._notify = engine.dialect.name == "postgresql"
        self.cache = AssetRowCache()

    async def add_missing(self, wanted: Sequence[Asset]) -> int:
        """Insert the pending rows that do not exist yet; returns how many were new."""
        if not wanted:
            return 0
        now = self._clock()
        added = 0
        for attempt in range(2):
            try:
                async with self.engine.begin() as conn:
                    keys = {(a.clip_id, a.kind.value) for a in wanted}
                    clip_ids = sorted({a.clip_id for a in wanted})
                    existing = await conn.execute(
                        sa.select(assets.c.clip_id, assets.c.kind).where(assets.c.clip_id.in_(clip_ids))
                    )
                    present = {(row.clip_id, row.kind) for row in existing}
                    rows = [
                        {
                            "clip_id": a.clip_id,
                            "kind": a.kind.value,
                            "task_id": a.task_id,
                            "account": a.account,
                            "state": a.state.value,
                            "reason": a.reason.value,
                            "detail": a.detail,
                            "source": a.source,
                            "attempts": 0,
                            "next_attempt_at": a.next_attempt_at,
                            "created_at": now,
                            "updated_at": now,
                        }
                        for a in wanted
                        if (a.clip_id, a.kind.value) in keys - present
                    ]
                    if rows:
                        await conn.execute(sa.insert(assets), rows)
                        await self._announce(conn, tasks.c.id.in_(sorted({r["task_id"] for r in rows})))
                    added = len(rows)
                for task_id in {a.task_id for a in wanted}:
                    self.cache.forget_task(task_id)
                return added
            except IntegrityError:
                # Another replica inserted the same rows meanwhile: read again once.
                if attempt == 1:
                    raise
        return added

    async def get(self, clip_id: str, kind: AssetKind) -> Asset | None:
        async with self._reader.connect() as conn:
            row = (
                (
                    await conn.execute(
                        sa.select(assets).where(assets.c.clip_id == clip_id, assets.c.kind == kind)
                    )
                )
                .mappings()
                .first()
            )
        return _asset(row) if row else None

    async def for_clips(self, clip_ids: Sequence[str]) -> list[Asset]:
        wanted = list(dict.fromkeys(clip_ids))
        if not wanted:
            return []
        async with self._reader.connect() as conn:
            rows = (
                (await conn.execute(sa.select(assets).where(assets.c.clip_id.in_(wanted)))).mappings().all()
            )
        return [_asset(row) for row in rows]

    async def rows_for_tasks(self, clips_by_task: Mapping[str, Sequence[str]]) -> list[Asset]:
        """The asset rows of these tasks' clips (task id → its clip ids), from memory when kept."""
        found: list[Asset] = []
        missing: dict[str, Sequence[str]] = {}
        for task_id, clip_ids in clips_by_task.items():
            kept = self.cache.get(task_id)
            if kept is None:
                missing[task_id] = clip_ids
            else:
                found.extend(kept)
        if missing:
            generation = self.cache.generation
            rows = await self.for_clips([clip_id for clip_ids in missing.values() for clip_id in clip_ids])
            by_clip: dict[str, list[Asset]] = {}
            for row in rows:
                by_clip.setdefault(row.clip_id, []).append(row)
            for task_id, clip_ids in missing.items():
                task_rows = [row for clip_id in clip_ids for row in by_clip.get(clip_id, ())]
                self.cache.keep(task_id, clip_ids, task_rows, generation)
            found.extend(rows)
        return found

    async def take_due(self, limit: int, hold_seconds: float) -> list[Asset]:
        """Pending rows whose next attempt is due, each held for `hold_seconds` so no one else takes it."""
        now = self._clock()
        due = sa.or_(assets.c.next_attempt_at.is_(None), assets.c.next_attempt_at <= now)
        async with self._reader.connect() as conn:
            rows = (
                (
                    await conn.execute(
                        sa.select(assets)
                        .where(assets.c.state == AssetState.PENDING.value, due)
                        .order_by(assets.c.created_at)
                        .limit(limit)
                    )
                )
                .mappings()
                .all()
            )
        taken: list[Asset] = []
        for row in rows:
            # Compare-and-set on next_attempt_at: of two replicas, only one moves it.
            guard = (
                assets.c.next_attempt_at.is_(None)
                if row["next_attempt_at"] is None
                else assets.c.next_attempt_at == row["next_attempt_at"]
            )
            async with self.engine.begin() as conn:
                result = await conn.execute(
                    sa.update(assets)
                    .where(
                        assets.c.clip_id == row["clip_id"],
                        assets.c.kind == row["kind"],
                        assets.c.state == AssetState.PENDING.value,
                        guard,
                    )
                    .values(next_attempt_at=now + hold_seconds)
                )
            if result.rowcount == 1:
                taken.append(_asset({**row, "next_attempt_at": now + hold_seconds}))
        return taken

    async def update(self, clip_id: str, kind: AssetKind, **values: Any) -> None:
        fields = {
            name: value.value if isinstance(value, AssetState | AssetReason | AssetKind) else value
            for name, value in values.items()
        }
        fields["updated_at"] = self._clock()
        owner = sa.select(assets.c.task_id).where(assets.c.clip_id == clip_id, assets.c.kind == kind)
        async with self.engine.begin() as conn:
            await conn.execute(
                sa.update(assets).where(assets.c.clip_id == clip_id, assets.c.kind == kind).values(**fields)
            )
            await self._announce(conn, tasks.c.id.in_(owner))
        self.cache.forget_clip(clip_id)

    async def release(self, clip_id: str, kind: AssetKind) -> None:
        """Drop the hold on a pending row (its download was interrupted): it is due again now."""
        async with self.engine.begin() as conn:
            await conn.execute(
                sa.update(assets)
                .where(
                    assets.c.clip_id == clip_id,
                    assets.c.kind == kind,
                    assets.c.state == AssetState.PENDING.value,
                )
                .values(next_attempt_at=None)
            )

    async def retry(self, state: AssetState, reasons: Sequence[AssetReason]) -> int:
        """Make rows in `state` for one of `reasons` pending again (after the operator changed a setting)."""
        chosen = sa.and_(assets.c.state == state.value, assets.c.reason.in_([r.value for r in reasons]))
        async with self.engine.begin() as conn:
            await self._announce(conn, tasks.c.id.in_(sa.select(assets.c.task_id).where(chosen)))
            result = await conn.execute(
                sa.update(assets)
                .where(chosen)
                .values(
                    state=AssetState.PENDING.value, attempts=0, next_attempt_at=None, updated_at=self._clock()
                )
            )
        self.cache.clear()
        return int(result.rowcount or 0)

    async def _announce(self, conn: AsyncConnection, chosen: sa.ColumnElement[bool]) -> None:
        """An event for each `chosen` task (at its current revision) whose rows change, so every replica's
        relay forgets its copy of them; watchers drop the repeat by revision."""
        source = sa.select(tasks.c.id, tasks.c.status, tasks.c.revision, sa.literal(self._clock())).where(
            chosen
        )
        await conn.execute(
            task_events.insert().from_select(["task_id", "status", "revision", "created_at"], source)
        )
        if self._notify:
            await conn.execute(sa.select(sa.func.pg_notify(NOTIFY_CHANNEL, "assets")))

    async def unmirrored_success_tasks(self, limit: int) -> list[str]:
        """Finished music tasks with a clip that has no audio row yet (missed events, or a restart)."""
        has_audio = (
            sa.select(assets.c.clip_id)
            .where(assets.c.clip_id == task_clips.c.clip_id, assets.c.kind == AssetKind.AUDIO.value)
            .exists()
        )
        query = (
            sa.select(tasks.c.id)
            .join(task_clips, task_clips.c.task_id == tasks.c.id)
            .where(
                tasks.c.status == TaskStatus.SUCCESS.value,
                tasks.c.action.in_([action.value for action in CLIP_ACTIONS]),
                ~has_audio,
            )
            .group_by(tasks.c.id)
            .limit(limit)
        )
        async with self._reader.connect() as conn:
            return [row.id for row in await conn.execute(query)]

    async def ready_oldest_first(self, limit: int = 1000) -> list[Asset]:
        async with self._reader.connect() as conn:
            rows = (
                (
                    await conn.execute(
                        sa.select(assets)
                        .where(assets.c.state == AssetState.READY.value)
                        .order_by(assets.c.updated_at)
                        .limit(limit)
                    )
                )
                .mappings()
                .all()
            )
        return [_asset(row) for row in rows]

    async def ready_bytes(self) -> int:
        async with self._reader.connect() as conn:
            total = await conn.scalar(
                sa.select(sa.func.coalesce(sa.func.sum(assets.c.size), 0)).where(
                    assets.c.state == AssetState.READY.value
                )
            )
        return int(total or 0)
