"""The webhook outbox: which stages a task change reaches, the rows that deliver them, and their leases.

`enqueue` runs inside the task update's transaction, so a delivery exists exactly when its change does:
a crash after the commit leaves the row for the next start, and a rolled-back change leaves none.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from suno.models import Task, TaskAction, TaskStatus
from suno.store.engine import READ_ONLY
from suno.store.outages import reports_outages
from suno.store.tables import webhook_deliveries

# The stages a task passes, as sunoapi.org names its callbacks (every door's webhooks use them).
TEXT, FIRST, COMPLETE, ERROR = "text", "first", "complete", "error"
STAGES = (TEXT, FIRST, COMPLETE, ERROR)
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
# Attempts kept in a row's history; the count in `attempts` goes on past it.
HISTORY_LIMIT = 30
# Clip states in which the lyrics (the "text") exist, and in which the audio is whole.
_TEXT_STATES = frozenset({"streaming", "complete"})


def reached_stages(task: Task) -> list[str]:
    """The stages `task` has reached, in order."""
    reached: list[str] = []
    if task.action is TaskAction.MUSIC:
        states = [clip.status for clip in task.clips]
        if task.status is TaskStatus.SUCCESS or any(state in _TEXT_STATES for state in states):
            reached.append(TEXT)
        if task.status is TaskStatus.SUCCESS or "complete" in states:
            reached.append(FIRST)
    if task.status is TaskStatus.SUCCESS:
        reached.append(COMPLETE)
    if task.status is TaskStatus.FAILURE:
        reached.append(ERROR)
    return reached


def new_stages(before: Task, after: Task) -> list[str]:
    """The stages the change from `before` to `after` reached for the first time."""
    if not after.webhook_url:
        return []
    earlier = set(reached_stages(before))
    return [stage for stage in reached_stages(after) if stage not in earlier]


@dataclass(frozen=True, slots=True)
class Attempt:
    at: float
    status_code: int | None
    error: str | None
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at, "status_code": self.status_code, "error": self.error, "seconds": self.seconds}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attempt:
        code = data.get("status_code")
        return cls(
            at=float(data.get("at") or 0.0),
            status_code=int(code) if code is not None else None,
            error=data.get("error"),
            seconds=float(data.get("seconds") or 0.0),
        )


@dataclass(frozen=True, slots=True)
class Delivery:
    id: str
    task_id: str
    url: str
    format: str
    stage: str
    revision: int
    position: int
    state: str
    body: str | None
    attempts: int
    next_attempt_at: float
    created_at: float
    updated_at: float
    history: tuple[Attempt, ...] = field(default=())

    @property
    def last(self) -> Attempt | None:
        return self.history[-1] if self.history else None


@dataclass(frozen=True, slots=True)
class DeliveryClaim:
    delivery: Delivery
    # Unique per claim: a write under it is refused once the lease expired and someone else claimed.
    token: str


async def enqueue(conn: AsyncConnection, before: Task, after: Task, now: float) -> int:
    """Write a delivery row for each stage the change reached; in the caller's transaction."""
    stages = new_stages(before, after)
    if not stages or after.webhook_url is None:
        return 0
    rows: list[dict[str, Any]] = [
        {
            "id": f"msg_{uuid.uuid4().hex}",
            "task_id": after.id,
            "url": after.webhook_url,
            "format": after.webhook_format or "sunoql",
            "stage": stage,
            "revision": after.revision,
            "position": after.revision * 10 + STAGES.index(stage),
            "state": PENDING,
            "body": None,
            "attempts": 0,
            "history": [],
            "next_attempt_at": now,
            "lease_owner": None,
            "lease_expires": None,
            "created_at": now,
            "updated_at": now,
        }
        for stage in stages
    ]
    await conn.execute(webhook_deliveries.insert(), rows)
    return len(rows)


@reports_outages
class WebhookOutbox:
    """Claims, outcomes and reads of delivery rows, on the task store's engine."""

    def __init__(self, engine: AsyncEngine, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self._reader = engine.execution_options(**{READ_ONLY: True})
        self._clock = clock
        self._skip_locked = engine.dialect.name in ("postgresql", "mysql", "mariadb")
        self._ordered = engine.dialect.name not in ("mysql", "mariadb")

    async def claim_due(self, owner: str, lease_seconds: float, limit: int) -> list[DeliveryClaim]:
        """Lease pending deliveries that are due and that nobody holds (SKIP LOCKED where supported)."""
        now = self._clock()
        table = webhook_deliveries
        earlier = table.alias("earlier")
        # A task's events go in order: one waits while an earlier one of its task is still pending.
        waits = (
            sa.select(earlier.c.id)
            .where(
                earlier.c.task_id == table.c.task_id,
                earlier.c.state == PENDING,
                earlier.c.position < table.c.position,
            )
            .exists()
        )
        query = (
            sa.select(table)
            .where(
                table.c.state == PENDING,
                table.c.next_attempt_at <= now,
                sa.or_(table.c.lease_owner.is_(None), table.c.lease_expires < now),
                ~waits,
            )
            .limit(limit)
        )
        if self._ordered:  # as TaskStore.claim_due: InnoDB would lock every due row to sort them
            query = query.order_by(table.c.next_attempt_at, table.c.position, table.c.id)
        if self._skip_locked:
            query = query.with_for_update(skip_locked=True)
        async with self.engine.begin() as conn:
            rows = (await conn.execute(query)).mappings().all()
            claims: list[DeliveryClaim] = []
            for row in rows:
                token = f"{owner}:{uuid.uuid4().hex[:12]}"
                # Fenced on the lease read above: a row another replica claimed meanwhile is skipped.
                result = await conn.execute(
                    table.update()
                    .where(table.c.id == row["id"], _same_lease(row))
                    .values(lease_owner=token, lease_expires=now + lease_seconds)
                )
                if result.rowcount == 1:
                    claims.append(DeliveryClaim(_delivery(row), token))
        return claims

    async def keep_body(self, claim: DeliveryClaim, body: str) -> bool:
        async with self.engine.begin() as conn:
            result = await conn.execute(
                webhook_deliveries.update()
                .where(
                    webhook_deliveries.c.id == claim.delivery.id,
                    webhook_deliveries.c.lease_owner == claim.token,
                )
                .values(body=body)
            )
        return result.rowcount == 1

    async def record(
        self, claim: DeliveryClaim, attempt: Attempt, state: str, next_attempt_at: float | None = None
    ) -> bool:
        """Store one attempt's outcome and release the lease; False when the lease was lost."""
        delivery = claim.delivery
        kept = [a.to_dict() for a in delivery.history][-(HISTORY_LIMIT - 1) :]
        history = [*kept, attempt.to_dict()]
        values: dict[str, Any] = {
            "state": state,
            "attempts": delivery.attempts + 1,
            "history": history,
            "lease_owner": None,
            "lease_expires": None,
            "updated_at": self._clock(),
        }
        if next_attempt_at is not None:
            values["next_attempt_at"] = next_attempt_at
        async with self.engine.begin() as conn:
            result = await conn.execute(
                webhook_deliveries.update()
                .where(
                    webhook_deliveries.c.id == delivery.id, webhook_deliveries.c.lease_owner == claim.token
                )
                .values(**values)
            )
        return result.rowcount == 1

    async def for_task(self, task_id: str) -> list[Delivery]:
        return (await self.for_tasks([task_id])).get(task_id, [])

    async def for_tasks(self, task_ids: Sequence[str]) -> dict[str, list[Delivery]]:
        """task id → its deliveries, oldest first."""
        wanted = list(dict.fromkeys(task_ids))
        if not wanted:
            return {}
        query = (
            sa.select(webhook_deliveries)
            .where(webhook_deliveries.c.task_id.in_(wanted))
            .order_by(webhook_deliveries.c.position, webhook_deliveries.c.id)
        )
        async with self._reader.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        found: dict[str, list[Delivery]] = {task_id: [] for task_id in wanted}
        for row in rows:
            found[row["task_id"]].append(_delivery(row))
        return found

    async def prune(self, older_than: float) -> int:
        """Forget delivered and failed events last touched before `older_than`; pending ones stay."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                webhook_deliveries.delete().where(
                    webhook_deliveries.c.state != PENDING, webhook_deliveries.c.updated_at < older_than
                )
            )
        return int(result.rowcount or 0)

    async def count_by_state(self) -> dict[str, int]:
        query = sa.select(webhook_deliveries.c.state, sa.func.count()).group_by(webhook_deliveries.c.state)
        async with self._reader.connect() as conn:
            return {state: n for state, n in (await conn.execute(query)).all()}


def _same_lease(row: Any) -> sa.ColumnElement[bool]:
    owner = webhook_deliveries.c.lease_owner
    held: str | None = row["lease_owner"]
    return owner.is_(None) if held is None else owner == held


def _delivery(row: Any) -> Delivery:
    return Delivery(
        id=row["id"],
        task_id=row["task_id"],
        url=row["url"],
        format=row["format"],
        stage=row["stage"],
        revision=row["revision"],
        position=row["position"],
        state=row["state"],
        body=row["body"],
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        history=tuple(Attempt.from_dict(item) for item in (row["history"] or []) if isinstance(item, dict)),
    )
