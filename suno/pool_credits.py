"""The pool's credits: one rule for adding up the accounts' billing, which every door renders."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from suno.models import AccountStatus


@dataclass(frozen=True, slots=True)
class PoolCredits:
    """Each figure summed over the accounts whose billing reports it; None when none does (unknown is
    not zero: a door that must show a number shows 0, one that can show null says it is unknown)."""

    credits_left: int | None
    monthly_limit: int | None
    monthly_usage: int | None
    # The billing period of the first account that reports one.
    period: str | None
    # Every account reported its credits left; when not, a billing read (refresh) may tell the rest.
    complete: bool

    @classmethod
    def of(cls, statuses: Sequence[AccountStatus]) -> PoolCredits:
        return cls(
            credits_left=_total(status.credits_left for status in statuses),
            monthly_limit=_total(status.monthly_limit for status in statuses),
            monthly_usage=_total(status.monthly_usage for status in statuses),
            period=next((status.period for status in statuses if status.period), None),
            complete=all(status.credits_left is not None for status in statuses),
        )


def _total(values: Iterable[int | None]) -> int | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None
