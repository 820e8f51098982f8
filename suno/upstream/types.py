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
class ModelInfo:
    """One entry of billing's `models[]`: what the account may use today, and that model's limits."""

    key: str
    name: str
    can_use: bool = True
    is_default: bool = False
    features: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()
    max_lengths: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_upstream(cls, raw: Mapping[str, Any]) -> ModelInfo | None:
        key = raw.get("external_key") or raw.get("key")
        if not isinstance(key, str) or not key:
            return None
        lengths = raw.get("max_lengths")
        return cls(
            key=key,
            name=str(raw.get("name") or key),
            can_use=raw.get("can_use") is not False,
            is_default=raw.get("is_default_model") is True,
            features=_names(raw.get("features")),
            capabilities=_names(raw.get("capabilities")),
            max_lengths={
                str(name): value
                for name, value in (lengths.items() if isinstance(lengths, Mapping) else ())
                if isinstance(value, int) and not isinstance(value, bool) and value > 0
            },
        )


def _names(value: Any) -> tuple[str, ...]:
    # Suno sends features as a list of names or as {name: bool}.
    if isinstance(value, Mapping):
        return tuple(str(name) for name, on in value.items() if on)
    if isinstance(value, list):
        return tuple(str(item) for item in value if isinstance(item, str))
    return ()


@dataclass(frozen=True, slots=True)
class Billing:
    credits_left: int | None
    monthly_limit: int | None = None
    monthly_usage: int | None = None
    period: str | None = None
    is_active: bool | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # The models the reply listed (2026); empty when the account's reply names none.
    models: tuple[ModelInfo, ...] = ()
    plan_id: str | None = None

    @classmethod
    def from_upstream(cls, raw: Mapping[str, Any]) -> Billing:
        # The name drifted: the Go original read credits_left, newer clients total_credits_left.
        credits = _int_or_none(raw.get("total_credits_left"))
        if credits is None:
            credits = _int_or_none(raw.get("credits_left"))
        period = raw.get("period")
        active = raw.get("is_active")
        listed = raw.get("models")
        models = tuple(
            info
            for item in (listed if isinstance(listed, list) else ())
            if isinstance(item, Mapping) and (info := ModelInfo.from_upstream(item)) is not None
        )
        plan = raw.get("plan")
        plan_id = plan.get("id") if isinstance(plan, Mapping) else None
        return cls(
            credits_left=credits,
            monthly_limit=_int_or_none(raw.get("monthly_limit")),
            monthly_usage=_int_or_none(raw.get("monthly_usage")),
            period=str(period) if period is not None else None,
            is_active=active if isinstance(active, bool) else None,
            raw=dict(raw),
            models=models,
            plan_id=str(plan_id) if plan_id is not None else None,
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
