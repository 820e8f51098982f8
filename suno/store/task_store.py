"""TaskStore: every read and write of tasks, their events and leases, on SQLite, PostgreSQL or MySQL."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from suno.errors import InvalidRequest
from suno.models import (
    IN_FLIGHT_STATUSES,
    Clip,
    Lyrics,
    OperationRequest,
    Task,
    TaskAction,
    TaskFilter,
    TaskPage,
    TaskStatus,
)
from suno.store.engine import READ_ONLY
from suno.store.outages import reports_outages
from suno.store.replicas import ReplicaRegistry
from suno.store.rows import task_data, task_from_row, task_to_row
from suno.store.tables import replicas, task_clips, task_events, tasks
from suno.store.webhook_outbox import WebhookOutbox
from suno.store.webhook_outbox import enqueue as enqueue_webhooks

# PostgreSQL channel notified with every event (delivered at commit), so other replicas wake at once.
NOTIFY_CHANNEL = "sunoql_events"
_NOT_TERMINAL = [s.value for s in TaskStatus if not s.is_terminal]
_IN_FLIGHT = [s.value for s in IN_FLIGHT_STATUSES]


@dataclass(frozen=True, slots=True)
class Lease:
    """A worker's claim on a task; writes made under it are refused once another claim replaced it."""

    owner: str
    version: int


@dataclass(frozen=True, slots=True)
class Claim:
    task: Task
    lease: Lease


@dataclass(frozen=True, slots=True)
class TaskEvent:
    seq: int
    task_id: str
    status: TaskStatus
    revision: int


_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class TaskChange:
    """What a caller wants changed; the store applies the task rules (forward-only, terminal frozen)."""

    status: TaskStatus | None = None
    clips: Sequence[Clip] | None = None
    lyrics: Lyrics | None = None
    fail_reason: str | None = None
    account: str | None = None
    upstream_ids: Sequence[str] | None = None
    next_poll_at: float | None = _UNSET
    dispatch_started_at: float | None = _UNSET
    # A new waiting reason (None clears it); a change is visible, so watchers hear it.
    waiting_reason: str | None = _UNSET
    # An operation's result besides clips (aligned words, a video URL); None leaves it unchanged.
    result: Mapping[str, Any] | None = None
    # An operation's request once Suno gave it an id of its own (an upload's id).
    request: OperationRequest | None = None
    release_lease: bool = True


@dataclass(frozen=True, slots=True)
class UpdateResult:
    task: Task
    # The event written with the change; None when nothing visible changed.
    event: TaskEvent | None


@reports_outages
class TaskStore:
    def __init__(
        self, engine: AsyncEngine, clock: Callable[[], float] = time.time, *, replica_id: str | None = None
    ) -> None:
        self.engine = engine
        # This process: the owner of the dispatch marks it sets (its worker keeps the heartbeat).
        self.replica_id = replica_id or f"replica-{uuid.uuid4().hex[:12]}"
        self.replicas = ReplicaRegistry(engine, clock)
        # Reads go through this view of the same pool: on SQLite they skip the write lock.
        self._reader = engine.execution_options(**{READ_ONLY: True})
        self._clock = clock
        self._skip_locked = engine.dialect.name in ("postgresql", "mysql", "mariadb")
        self._notify = engine.dialect.name == "postgresql"
        self.webhooks = WebhookOutbox(engine, clock)

    async def close(self) -> None:
        await self.engine.dispose()

    async def ping(self) -> None:
        async with self._reader.connect() as conn:
            await conn.execute(sa.text("SELECT 1"))

    # Reads

    async def get(self, task_id: str) -> Task | None:
        async with self._reader.connect() as conn:
            row = (await conn.execute(sa.select(tasks).where(tasks.c.id == task_id))).mappings().first()
        return task_from_row(row) if row else None

    async def get_many(self, task_ids: Sequence[str]) -> list[Task]:
        """The tasks that exist among `task_ids`, in the order asked."""
        wanted = list(dict.fromkeys(task_ids))
        if not wanted:
            return []
        async with self._reader.connect() as conn:
            rows = (await conn.execute(sa.select(tasks).where(tasks.c.id.in_(wanted)))).mappings().all()
        found = {row["id"]: task_from_row(row) for row in rows}
        return [found[task_id] for task_id in wanted if task_id in found]

    async def page(self, task_filter: TaskFilter, cursor: str | None, limit: int) -> TaskPage:
        """Newest first; the cursor is the (submit_time, id) of the last task of the previous page."""
        query = sa.select(tasks)
        if task_filter.statuses:
            query = query.where(tasks.c.status.in_([s.value for s in task_filter.statuses]))
        if task_filter.actions:
            query = query.where(tasks.c.action.in_([a.value for a in task_filter.actions]))
        if task_filter.ids:
            query = query.where(tasks.c.id.in_(list(task_filter.ids)))
        if cursor:
            submit_time, task_id = decode_cursor(cursor)
            query = query.where(
                sa.or_(
                    tasks.c.submit_time < submit_time,
                    sa.and_(tasks.c.submit_time == submit_time, tasks.c.id < task_id),
                )
            )
        query = query.order_by(tasks.c.submit_time.desc(), tasks.c.id.desc()).limit(limit + 1)
        async with self._reader.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        page = [task_from_row(row) for row in rows[:limit]]
        has_next = len(rows) > limit
        next_cursor = encode_cursor(page[-1]) if has_next and page else None
        return TaskPage(tasks=tuple(page), next_cursor=next_cursor, has_next=has_next)

    async def find_by_clip(self, clip_id: str) -> Task | None:
        query = sa.select(tasks).join(task_clips, task_clips.c.task_id == tasks.c.id)
        async with self._reader.connect() as conn:
            row = (await conn.execute(query.where(task_clips.c.clip_id == clip_id))).mappings().first()
        return task_from_row(row) if row else None

    async def by_source(self, clip_id: str, action: TaskAction) -> list[Task]:
        """The tasks of `action` made from the clip `clip_id`, newest first (stems of a song, its timed lyrics)."""
        query = (
            sa.select(tasks)
            .where(tasks.c.source_clip_id == clip_id, tasks.c.action == action.value)
            .order_by(tasks.c.submit_time.desc(), tasks.c.id.desc())
        )
        async with self._reader.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [task_from_row(row) for row in rows]

    async def find_by_clips(self, clip_ids: Sequence[str]) -> dict[str, Task]:
        """clip id → the task that made it, for the clips among `clip_ids` that some task made."""
        wanted = list(dict.fromkeys(clip_ids))
        if not wanted:
            return {}
        query = sa.select(task_clips.c.clip_id, tasks).join(tasks, task_clips.c.task_id == tasks.c.id)
        async with self._reader.connect() as conn:
            rows = (await conn.execute(query.where(task_clips.c.clip_id.in_(wanted)))).mappings().all()
        made: dict[str, Task] = {}
        for row in rows:
            made[row["clip_id"]] = made.get(row["clip_id"]) or task_from_row(row)
        return made

    async def in_flight_by_account(self) -> dict[str, int]:
        """Unfinished tasks per account: the slots in use, wherever they were started."""
        query = (
            sa.select(tasks.c.account, sa.func.count())
            .where(tasks.c.status.in_(_IN_FLIGHT), tasks.c.account.is_not(None))
            .group_by(tasks.c.account)
        )
        async with self._reader.connect() as conn:
            return {account: count for account, count in (await conn.execute(query)).all()}

    async def count_by_status(self) -> dict[tuple[str, str], int]:
        query = sa.select(tasks.c.action, tasks.c.status, sa.func.count()).group_by(
            tasks.c.action, tasks.c.status
        )
        async with self._reader.connect() as conn:
            return {(action, status): n for action, status, n in (await conn.execute(query)).all()}

    async def events_after(self, seq: int, limit: int = 1000) -> list[TaskEvent]:
        query = sa.select(task_events).where(task_events.c.seq > seq).order_by(task_events.c.seq).limit(limit)
        async with self._reader.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [TaskEvent(r["seq"], r["task_id"], TaskStatus(r["status"]), r["revision"]) for r in rows]

    async def last_event_seq(self) -> int:
        async with self._reader.connect() as conn:
            value = (await conn.execute(sa.select(sa.func.max(task_events.c.seq)))).scalar()
        return int(value or 0)

    # Writes

    async def create(self, task: Task, *, dispatching: bool = False) -> TaskEvent:
        """Insert a new task and its first event in one transaction.

        `dispatching` marks it as being sent to Suno by the caller, so no worker sends it too.
        """
        now = self._clock()
        row = task_to_row(task) | {
            "updated_at": now,
            "revision": 1,
            "next_poll_at": None,
            "lease_version": 0,
            "dispatch_started_at": now if dispatching else None,
            "dispatch_owner": self.replica_id if dispatching else None,
        }
        async with self.engine.begin() as conn:
            await conn.execute(tasks.insert().values(**row))
            return await self._insert_event(conn, task.id, task.status, 1, now)

    async def update(
        self, task_id: str, change: TaskChange, lease: Lease | None = None
    ) -> UpdateResult | None:
        """Apply `change` under the task rules. None when the task is missing or `lease` was superseded."""
        async with self.engine.begin() as conn:
            query = sa.select(tasks).where(tasks.c.id == task_id)
            if self._skip_locked:
                query = query.with_for_update()
            row = (await conn.execute(query)).mappings().first()
            if row is None:
                return None
            if lease is not None and (row["lease_owner"], row["lease_version"]) != (
                lease.owner,
                lease.version,
            ):
                return None
            current = task_from_row(row)
            values, changed = self._apply(current, change)
            if change.release_lease:
                values |= {"lease_owner": None, "lease_expires": None}
            if change.next_poll_at is not _UNSET:
                values["next_poll_at"] = change.next_poll_at
            if change.dispatch_started_at is not _UNSET:
                values["dispatch_started_at"] = change.dispatch_started_at
                if change.dispatch_started_at is None:
                    values["dispatch_owner"] = None
            event = None
            event_time = 0.0
            if changed:
                now = event_time = self._clock()
                values |= {"updated_at": now, "revision": current.revision + 1}
                event = await self._insert_event(
                    conn, task_id, TaskStatus(values.get("status", current.status)), current.revision + 1, now
                )
                if change.upstream_ids:
                    await self._index_clips(conn, task_id, change.upstream_ids)
            if values:
                await conn.execute(tasks.update().where(tasks.c.id == task_id).values(**values))
                row = (await conn.execute(sa.select(tasks).where(tasks.c.id == task_id))).mappings().one()
                if event is not None:  # the outbox rows commit with the change, or not at all
                    await enqueue_webhooks(conn, current, task_from_row(row), event_time)
        return UpdateResult(task=task_from_row(row), event=event)

    def _apply(self, current: Task, change: TaskChange) -> tuple[dict[str, Any], bool]:
        if current.is_terminal:
            return {}, False  # a terminal task never changes again
        values: dict[str, Any] = {}
        status = current.status
        if change.status is not None and current.status.can_move_to(change.status):
            status = change.status
            values["status"] = status.value
            now = self._clock()
            if status.rank >= TaskStatus.IN_PROGRESS.rank and current.start_time is None:
                values["start_time"] = now
            if status.is_terminal:
                values |= {"finish_time": now, "next_poll_at": None}
        # An explicit reason wins; otherwise a status move ends the wait; an ended task waits for nothing.
        if change.waiting_reason is not _UNSET:
            waiting_reason = change.waiting_reason
        else:
            waiting_reason = current.waiting_reason if status is current.status else None
        if status.is_terminal:
            waiting_reason = None
        if waiting_reason != current.waiting_reason:
            values["waiting_reason"] = waiting_reason
        if change.fail_reason is not None and status is TaskStatus.FAILURE:
            values["fail_reason"] = change.fail_reason
        if change.account is not None and change.account != current.account:
            values["account"] = change.account
        if change.upstream_ids is not None and tuple(change.upstream_ids) != current.upstream_ids:
            values["upstream_ids"] = list(change.upstream_ids)
        if change.request is not None and change.request != current.request:
            values["request"] = change.request.to_dict()
        if change.clips is not None or change.lyrics is not None or change.result is not None:
            new_data = task_data(
                Task(
                    id=current.id,
                    action=current.action,
                    status=status,
                    request=current.request,
                    clips=tuple(change.clips if change.clips is not None else current.clips),
                    lyrics=change.lyrics,
                    result=change.result if change.result is not None else current.result,
                )
            )
            if _json(new_data) != _json(task_data(current)):
                values["data"] = new_data
        return values, bool(values)

    async def mark_dispatching(self, task_id: str) -> bool:
        """Take the right to send this task to Suno; False when someone else has it or it already went."""
        now = self._clock()
        query = (
            tasks.update()
            .where(
                tasks.c.id == task_id,
                tasks.c.status == TaskStatus.NOT_START.value,
                tasks.c.dispatch_started_at.is_(None),
            )
            .values(dispatch_started_at=now, dispatch_owner=self.replica_id)
        )
        async with self.engine.begin() as conn:
            return (await conn.execute(query)).rowcount == 1

    async def pending_dispatch(self, limit: int) -> list[Task]:
        """NOT_START tasks never sent to Suno, oldest first."""
        query = (
            sa.select(tasks)
            .where(tasks.c.status == TaskStatus.NOT_START.value, tasks.c.dispatch_started_at.is_(None))
            .order_by(tasks.c.submit_time, tasks.c.id)
            .limit(limit)
        )
        async with self._reader.connect() as conn:
            return [task_from_row(row) for row in (await conn.execute(query)).mappings().all()]

    async def interrupted_dispatches(
        self, started_before: float, owner_silent_before: float | None = None, *, others_only: bool = False
    ) -> list[str]:
        """NOT_START tasks whose submission began and never recorded an outcome, and whose sender died.

        Without `owner_silent_before`: every one begun before `started_before` (with `others_only`, all
        but this replica's own, which it is still sending). With it: those of another
        replica whose last heartbeat is older than `owner_silent_before`, and, begun before
        `started_before`, those whose replica is unknown (a mark older than the heartbeats). A live
        replica's send is never taken for interrupted: it records its outcome itself.
        """
        interrupted: sa.ColumnElement[bool] = tasks.c.dispatch_started_at < started_before
        if owner_silent_before is not None:
            silent = sa.select(replicas.c.id).where(
                replicas.c.heartbeat_at < owner_silent_before, replicas.c.id != self.replica_id
            )
            unknown = sa.or_(
                tasks.c.dispatch_owner.is_(None), tasks.c.dispatch_owner.not_in(sa.select(replicas.c.id))
            )
            interrupted = sa.or_(tasks.c.dispatch_owner.in_(silent), sa.and_(interrupted, unknown))
        elif others_only:
            not_ours = sa.or_(tasks.c.dispatch_owner.is_(None), tasks.c.dispatch_owner != self.replica_id)
            interrupted = sa.and_(interrupted, not_ours)
        query = sa.select(tasks.c.id).where(
            tasks.c.status == TaskStatus.NOT_START.value,
            tasks.c.dispatch_started_at.is_not(None),
            interrupted,
        )
        async with self._reader.connect() as conn:
            return list((await conn.execute(query)).scalars().all())

    async def awaiting_confirmation(self, reason: str, limit: int) -> list[tuple[Task, float]]:
        """NOT_START tasks whose submission started and that wait with `reason`, with when it started."""
        query = (
            sa.select(tasks)
            .where(
                tasks.c.status == TaskStatus.NOT_START.value,
                tasks.c.dispatch_started_at.is_not(None),
                tasks.c.waiting_reason == reason,
            )
            .order_by(tasks.c.dispatch_started_at, tasks.c.id)
            .limit(limit)
        )
        async with self._reader.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [(task_from_row(row), float(row["dispatch_started_at"])) for row in rows]

    async def overdue(self, submitted_before: float) -> list[str]:
        """Unfinished tasks submitted before `submitted_before`, except submissions still being sent or
        confirmed with Suno: those end by their own deadline (a timeout could hide a charged song)."""
        query = sa.select(tasks.c.id).where(
            tasks.c.status.in_(_NOT_TERMINAL),
            tasks.c.submit_time < submitted_before,
            sa.or_(tasks.c.status != TaskStatus.NOT_START.value, tasks.c.dispatch_started_at.is_(None)),
        )
        async with self._reader.connect() as conn:
            return list((await conn.execute(query)).scalars().all())

    async def claim_due(self, owner: str, lease_seconds: float, limit: int) -> list[Claim]:
        """Lease in-flight tasks whose poll is due and that nobody else holds (SKIP LOCKED where supported)."""
        now = self._clock()
        query = (
            sa.select(tasks)
            .where(
                tasks.c.status.in_(_IN_FLIGHT),
                sa.or_(tasks.c.next_poll_at.is_(None), tasks.c.next_poll_at <= now),
                sa.or_(
                    tasks.c.lease_owner.is_(None),
                    tasks.c.lease_owner == owner,
                    tasks.c.lease_expires < now,
                ),
            )
            .limit(limit)
        )
        if self.engine.dialect.name not in ("mysql", "mariadb"):
            query = query.order_by(tasks.c.next_poll_at, tasks.c.id)
        # Not on MySQL: InnoDB sorts after locking, so an ORDER BY would lock every due row and leave
        # nothing for the other replicas to skip to. Every due row is claimed soon either way.
        if self._skip_locked:
            query = query.with_for_update(skip_locked=True)
        async with self.engine.begin() as conn:
            rows = (await conn.execute(query)).mappings().all()
            if not rows:
                return []
            ids = [row["id"] for row in rows]
            # One statement for the batch; every claimed row's fencing token moves on.
            await conn.execute(
                tasks.update()
                .where(tasks.c.id.in_(ids))
                .values(
                    lease_owner=owner,
                    lease_expires=now + lease_seconds,
                    lease_version=tasks.c.lease_version + 1,
                )
            )
        return [Claim(task_from_row(row), Lease(owner, row["lease_version"] + 1)) for row in rows]

    async def release_leases(self, owner: str | None = None) -> None:
        """Drop leases (of one owner, or all: a single-process SQLite start owns everything)."""
        query = tasks.update().where(tasks.c.lease_owner.is_not(None))
        if owner is not None:
            query = query.where(tasks.c.lease_owner == owner)
        async with self.engine.begin() as conn:
            await conn.execute(query.values(lease_owner=None, lease_expires=None))

    async def prune_events(self, older_than: float) -> int:
        async with self.engine.begin() as conn:
            result = await conn.execute(task_events.delete().where(task_events.c.created_at < older_than))
        return int(result.rowcount or 0)

    async def _insert_event(
        self, conn: AsyncConnection, task_id: str, status: TaskStatus, revision: int, now: float
    ) -> TaskEvent:
        result = await conn.execute(
            task_events.insert().values(
                task_id=task_id, status=status.value, revision=revision, created_at=now
            )
        )
        seq = result.inserted_primary_key[0] if result.inserted_primary_key else 0
        if self._notify:
            await conn.execute(sa.select(sa.func.pg_notify(NOTIFY_CHANNEL, task_id)))
        return TaskEvent(int(seq), task_id, status, revision)

    async def _index_clips(self, conn: AsyncConnection, task_id: str, clip_ids: Sequence[str]) -> None:
        existing = set(
            (await conn.execute(sa.select(task_clips.c.clip_id).where(task_clips.c.clip_id.in_(clip_ids))))
            .scalars()
            .all()
        )
        fresh = [{"clip_id": clip_id, "task_id": task_id} for clip_id in clip_ids if clip_id not in existing]
        if fresh:
            await conn.execute(task_clips.insert(), fresh)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def encode_cursor(task: Task) -> str:
    return base64.urlsafe_b64encode(json.dumps([task.submit_time, task.id]).encode()).decode()


def decode_cursor(cursor: str) -> tuple[float, str]:
    try:
        submit_time, task_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return float(submit_time), str(task_id)
    except Exception:
        raise InvalidRequest("cursor is not one this server returned", field="after") from None
