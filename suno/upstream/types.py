"""Values the Suno client returns beyond the domain's Clip and Lyrics, and its captcha plug-in point."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from suno.challenges.tokens import CHALLENGE_PROVIDERS, HCAPTCHA, TURNSTILE, CaptchaToken, ChallengeCheck

__all__ = [
    "CHALLENGE_PROVIDERS",
    "HCAPTCHA",
    "TURNSTILE",
    "AlignedWord",
    "Billing",
    "CaptchaToken",
    "CaptchaTokenProvider",
    "ChallengeCheck",
]


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


@dataclass(frozen=True, slots=True)
class Billing:
    credits_left: int | None
    monthly_limit: int | None = None
    monthly_usage: int | None = None
    period: str | None = None
    is_active: bool | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_upstream(cls, raw: Mapping[str, Any]) -> Billing:
        # The name drifted: the Go original read credits_left, newer clients total_credits_left.
        credits = _int_or_none(raw.get("total_credits_left"))
        if credits is None:
            credits = _int_or_none(raw.get("credits_left"))
        period = raw.get("period")
        active = raw.get("is_active")
        return cls(
            credits_left=credits,
            monthly_limit=_int_or_none(raw.get("monthly_limit")),
            monthly_usage=_int_or_none(raw.get("monthly_usage")),
            period=str(period) if period is not None else None,
            is_active=active if isinstance(active, bool) else None,
            raw=dict(raw),
        )


@dataclass(frozen=True, slots=True)
class AlignedWord:
    word: str
    start_s: float
    end_s: float
    success: bool = True
    p_align: float = 1.0

    @classmethod
    def from_upstream(cls, raw: Mapping[str, Any]) -> AlignedWord:
        return cls(
            word=str(raw.get("word") or ""),
            start_s=float(raw.get("start_s") or 0.0),
            end_s=float(raw.get("end_s") or 0.0),
            success=bool(raw.get("success", True)),
            p_align=float(raw.get("p_align") or 0.0),
        )


class CaptchaTokenProvider(Protocol):
    """Supplies the token Suno's generate may demand (suno.challenges.ChallengeDesk follows the web app's
    flow); None when no challenge is required. It may raise to keep the generate from being sent."""

    async def captcha_token(self, account: str) -> CaptchaToken | None: ...
