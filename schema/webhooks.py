"""GraphQL types of webhook deliveries: each stage's outbox row and every attempt's outcome."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum

import strawberry

from suno.store import webhook_outbox


@strawberry.enum(description="Where a webhook delivery stands.")
class WebhookDeliveryState(Enum):
    PENDING = strawberry.enum_value(
        "pending", description="Not delivered yet, or waiting for its next attempt."
    )
    DELIVERED = strawberry.enum_value("delivered", description="The receiver answered 2xx.")
    FAILED = strawberry.enum_value(
        "failed",
        description="Refused (SSRF guard, a 4xx, a redirect) or retried for 24 hours without success.",
    )


@strawberry.type(description="One delivery attempt.")
class WebhookAttempt:
    at: datetime = strawberry.field(description="When it was made.")
    status_code: int | None = strawberry.field(
        description="The receiver's HTTP status; null without an answer."
    )
    error: str | None = strawberry.field(description="What went wrong; null when delivered.")
    seconds: float = strawberry.field(description="How long it took.")

    @classmethod
    def from_domain(cls, attempt: webhook_outbox.Attempt) -> WebhookAttempt:
        return cls(
            at=datetime.fromtimestamp(attempt.at, UTC),
            status_code=attempt.status_code,
            error=attempt.error,
            seconds=attempt.seconds,
        )


@strawberry.type(description="A webhook event of a task (one per stage: text, first, complete, error).")
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(description="The webhook-id header: the same on every retry.")
    stage: str = strawberry.field(description="text, first, complete or error.")
    url: str = strawberry.field(description="Where it is delivered.")
    state: WebhookDeliveryState = strawberry.field(description="Pending, delivered or failed.")
    attempts: int = strawberry.field(description="Attempts made so far.")
    next_attempt_at: datetime | None = strawberry.field(
        description="When the next attempt is due (pending only)."
    )
    created_at: datetime = strawberry.field(description="When the event was written (with the task change).")
    history: list[WebhookAttempt] = strawberry.field(description="Every attempt's outcome, oldest first.")

    @classmethod
    def from_domain(cls, delivery: webhook_outbox.Delivery) -> WebhookDelivery:
        pending = delivery.state == webhook_outbox.PENDING
        return cls(
            id=strawberry.ID(delivery.id),
            stage=delivery.stage,
            url=delivery.url,
            state=WebhookDeliveryState(delivery.state),
            attempts=delivery.attempts,
            next_attempt_at=datetime.fromtimestamp(delivery.next_attempt_at, UTC) if pending else None,
            created_at=datetime.fromtimestamp(delivery.created_at, UTC),
            history=[WebhookAttempt.from_domain(attempt) for attempt in delivery.history],
        )
