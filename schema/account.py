"""GraphQL Account and SunoAccount: credits and health of the Suno account pool, never its secrets."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from schema.enums import AccountState
from suno.challenges.health import AccountEvent as DomainAccountEvent
from suno.models import AccountStatus
from suno.pool_credits import PoolCredits


@strawberry.type(description="One Suno account of the pool (never its cookie, session id or JWT).")
class SunoAccount:
    name: str = strawberry.field(description="The account's name in sunoql's pool.")
    credits_left: int | None = strawberry.field(description="Credits left, as Suno's billing reports.")
    monthly_limit: int | None = strawberry.field(description="Credits granted per period.")
    monthly_usage: int | None = strawberry.field(description="Credits used this period.")
    period: str | None = strawberry.field(description="The billing period Suno reports.")
    active: bool | None = strawberry.field(description="Whether Suno reports the subscription active.")
    token_age_seconds: float | None = strawberry.field(
        description="Seconds since the JWT was last refreshed."
    )
    healthy: bool = strawberry.field(description="False while the account is failing or cooling down.")
    last_error: str | None = strawberry.field(description="The last upstream error, if any.")
    unusable_reason: str | None = strawberry.field(
        description="Why no new song can go to this account now (resting after a refusal, too few credits); "
        "null when it can take one."
    )
    resting_until: float | None = strawberry.field(
        description="Epoch seconds when the account's rest ends by itself; null when it is not resting."
    )
    in_flight: int = strawberry.field(description="Tasks running on this account.")
    max_concurrency: int = strawberry.field(description="Tasks the account may run at once.")
    state: AccountState = strawberry.field(description="The account's health now.")
    state_since: datetime | None = strawberry.field(description="Since when the account is in this state.")
    state_reason: str | None = strawberry.field(description="Why it is in this state.")
    challenge_provider: int | None = strawberry.field(
        description="The challenge Suno asks for: 1 hCaptcha, 2 Turnstile; null unless CHALLENGE_REQUIRED."
    )

    @classmethod
    def from_domain(cls, account: AccountStatus, now: float) -> SunoAccount:
        refreshed = account.last_token_refresh
        return cls(
            name=account.name,
            credits_left=account.credits_left,
            monthly_limit=account.monthly_limit,
            monthly_usage=account.monthly_usage,
            period=account.period,
            active=account.is_active,
            token_age_seconds=round(max(0.0, now - refreshed), 3) if refreshed else None,
            healthy=account.healthy,
            last_error=account.last_error,
            unusable_reason=account.unusable_reason,
            resting_until=account.cooldown_until,
            in_flight=account.in_flight,
            max_concurrency=account.max_concurrency,
            state=AccountState(account.state.value),
            state_since=_time(account.state_since),
            state_reason=account.state_reason,
            challenge_provider=account.challenge_provider,
        )


@strawberry.type(description="A change of an account's health (or, first, its state when you subscribed).")
class AccountEvent:
    account: str = strawberry.field(description="The account's name in sunoql's pool.")
    state: AccountState = strawberry.field(description="Its state now.")
    previous_state: AccountState | None = strawberry.field(
        description="Its state before; null for the first event of a subscription about an unchanged account."
    )
    since: datetime = strawberry.field(description="When it entered this state.")
    reason: str | None = strawberry.field(description="Why.")
    challenge_provider: int | None = strawberry.field(
        description="1 hCaptcha, 2 Turnstile; null unless CHALLENGE_REQUIRED."
    )

    @classmethod
    def from_domain(cls, event: DomainAccountEvent) -> AccountEvent:
        return cls(
            account=event.account,
            state=AccountState(event.state.value),
            previous_state=AccountState(event.previous_state.value) if event.previous_state else None,
            since=datetime.fromtimestamp(event.since, UTC),
            reason=event.reason,
            challenge_provider=event.challenge_provider,
        )


def _time(epoch: float | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch is not None else None


@strawberry.type(description="The Suno account(s) behind this server: credits and health, never secrets.")
class Account:
    credits_left: int | None = strawberry.field(description="Credits left, summed over the pool.")
    monthly_limit: int | None = strawberry.field(description="Credits per period, summed over the pool.")
    monthly_usage: int | None = strawberry.field(
        description="Credits used this period, summed over the pool."
    )
    period: str | None = strawberry.field(description="The billing period of the first account.")
    active: bool = strawberry.field(description="True when at least one account is active and healthy.")
    token_age_seconds: float | None = strawberry.field(
        description="Seconds since the freshest JWT of the pool was refreshed."
    )
    accounts: list[SunoAccount] = strawberry.field(description="Each account of the pool.")

    @classmethod
    def from_domain(cls, accounts: list[AccountStatus], now: float) -> Account:
        members = [SunoAccount.from_domain(account, now) for account in accounts]
        ages = [m.token_age_seconds for m in members if m.token_age_seconds is not None]
        credits = PoolCredits.of(accounts)
        return cls(
            credits_left=credits.credits_left,
            monthly_limit=credits.monthly_limit,
            monthly_usage=credits.monthly_usage,
            period=credits.period,
            active=any(a.healthy and a.is_active is not False for a in accounts),
            token_age_seconds=min(ages) if ages else None,
            accounts=members,
        )
