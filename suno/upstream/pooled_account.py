"""One live account of the pool: its client, slots, health (rests after refusals) and cached billing."""

from __future__ import annotations

from dataclasses import replace

from suno.errors import (
    AuthExpired,
    CaptchaRequired,
    InsufficientCredits,
    RateLimited,
    UpstreamError,
)
from suno.model_catalog import CATALOG, FALLBACK_DEFAULT_MODEL, aliases_of, canonical_model, display_name
from suno.models import AccountModel, AccountStatus
from suno.upstream.account_config import AccountConfig
from suno.upstream.client import SunoClient
from suno.upstream.types import Billing

CREDITS_PER_GENERATION = 10
BILLING_TTL = 300.0
DEFAULT_RATE_LIMIT_COOLDOWN = 60.0
# Errors that say "this account, not this request": the account rests, other accounts take the work.
COOLDOWNS: dict[type[UpstreamError], float] = {
    CaptchaRequired: 600.0,
    InsufficientCredits: 300.0,  # then its billing is read again
    AuthExpired: 300.0,
}
ACCOUNT_ERRORS: tuple[type[UpstreamError], ...] = (RateLimited, *COOLDOWNS)


class PooledAccount:
    def __init__(self, config: AccountConfig, client: SunoClient) -> None:
        self.config = config
        self.client = client
        self.billing: Billing | None = None
        self.billing_at: float | None = None
        self.last_error: str | None = None
        self.cooldown_until: float | None = None
        # The refusal that sent the account to rest (its type tells a caller whether waiting helps).
        self.rest_error: UpstreamError | None = None
        self.in_flight = 0  # the store's count, as last told by a caller
        self.submitting = 0  # generate calls of ours not yet answered

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def credits_left(self) -> int | None:
        return self.billing.credits_left if self.billing else None

    def is_cooling_down(self, now: float) -> bool:
        return self.cooldown_until is not None and now < self.cooldown_until

    def has_free_slot(self) -> bool:
        return self.in_flight + self.submitting < self.config.max_concurrency

    def can_afford_generation(self) -> bool:
        credits = self.credits_left
        return credits is None or credits >= CREDITS_PER_GENERATION

    def billing_is_stale(self, now: float) -> bool:
        return self.billing_at is None or now - self.billing_at >= BILLING_TTL

    def refusal(self, now: float, *, needs_credits: bool = True) -> UpstreamError | None:
        """Why this account cannot take new work for a while, when waiting a tick will not help.

        A full set of slots or a 429 pause passes soon; a captcha, an expired login or empty credits
        need the operator (or next month), so a new task should fail with that reason, not wait.
        """
        error = self.rest_error
        if self.is_cooling_down(now) and error is not None:
            # A fresh exception per caller: the service stamps each with its own task id.
            return None if isinstance(error, RateLimited) else type(error)(error.message, error.status_code)
        if needs_credits and not self.can_afford_generation():
            return InsufficientCredits(
                f"account {self.name!r} has {self.credits_left} credits left; a song costs {CREDITS_PER_GENERATION}",
                status_code=402,
            )
        return None

    def unavailable_reason(self, now: float) -> str | None:
        if self.is_cooling_down(now):
            return f"resting after: {self.last_error}"
        if not self.has_free_slot():
            return f"all {self.config.max_concurrency} slots busy"
        if not self.can_afford_generation():
            return f"{self.credits_left} credits left"
        return None

    def models(self, default_override: str = "") -> list[AccountModel]:
        """The account's models: billing's list when it gives one, else the catalog (all assumed usable).

        `default_override` (DEFAULT_MODEL) is the default when the account may use it.
        """
        listed = self.billing.models if self.billing else ()
        if listed:
            entries = [
                AccountModel(
                    account=self.name,
                    key=info.key,
                    name=info.name if info.name != info.key else display_name(info.key),
                    aliases=aliases_of(info.key),
                    is_default=info.is_default,
                    usable=info.can_use,
                    max_lengths=dict(info.max_lengths),
                    features=(*info.features, *info.capabilities),
                )
                for info in listed
            ]
        else:
            entries = [
                AccountModel(
                    account=self.name,
                    key=model.key,
                    name=model.name,
                    aliases=model.aliases,
                    is_default=model.key == FALLBACK_DEFAULT_MODEL,
                )
                for model in CATALOG
            ]
        override = canonical_model(default_override) if default_override else ""
        if override and any(entry.key == override and entry.usable for entry in entries):
            entries = [replace(entry, is_default=entry.key == override) for entry in entries]
        return entries

    def default_model(self, default_override: str = "") -> AccountModel | None:
        usable = [entry for entry in self.models(default_override) if entry.usable]
        return next((entry for entry in usable if entry.is_default), usable[0] if usable else None)

    def record_billing(self, billing: Billing, now: float) -> None:
        self.billing = billing
        self.billing_at = now

    def record_generation(self) -> None:
        # Saves a billing call per song; the cache is re-read once BILLING_TTL has passed. Both figures
        # move together, so the doors never show credits spent while the month's usage stays put.
        self.last_error = None
        if self.billing and self.billing.credits_left is not None:
            left = max(self.billing.credits_left - CREDITS_PER_GENERATION, 0)
            usage = self.billing.monthly_usage
            self.billing = Billing(
                credits_left=left,
                monthly_limit=self.billing.monthly_limit,
                monthly_usage=None if usage is None else usage + (self.billing.credits_left - left),
                period=self.billing.period,
                is_active=self.billing.is_active,
                raw=self.billing.raw,
                models=self.billing.models,
                plan_id=self.billing.plan_id,
            )

    def record_error(self, error: UpstreamError, now: float) -> None:
        self.last_error = error.message
        if isinstance(error, RateLimited):
            rest = error.retry_after or DEFAULT_RATE_LIMIT_COOLDOWN
        else:
            rest = next((seconds for kind, seconds in COOLDOWNS.items() if isinstance(error, kind)), 0.0)
        if rest:
            self.cooldown_until = max(self.cooldown_until or 0.0, now + rest)
            self.rest_error = error
        if isinstance(error, InsufficientCredits):
            self.billing_at = None  # re-read credits when the rest is over

    def status(self, now: float) -> AccountStatus:
        billing = self.billing
        return AccountStatus(
            name=self.name,
            credits_left=billing.credits_left if billing else None,
            monthly_limit=billing.monthly_limit if billing else None,
            monthly_usage=billing.monthly_usage if billing else None,
            period=billing.period if billing else None,
            is_active=billing.is_active if billing else None,
            last_token_refresh=self.client.auth.last_exchange,
            healthy=not self.is_cooling_down(now),
            last_error=self.last_error,
            cooldown_until=self.cooldown_until if self.is_cooling_down(now) else None,
            in_flight=self.in_flight,
            max_concurrency=self.config.max_concurrency,
            unusable_reason=self.unusable_reason(now),
        )

    def unusable_reason(self, now: float) -> str | None:
        """Why no new song can go to this account until something changes (busy slots free up by themselves)."""
        if self.is_cooling_down(now):
            return f"resting after: {self.last_error}"
        if not self.can_afford_generation():
            return f"{self.credits_left} credits left; a song costs {CREDITS_PER_GENERATION}"
        return None
