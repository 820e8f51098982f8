"""Challenge values: Suno's captcha versions, a solved token, a check's answer."""

from __future__ import annotations

from dataclasses import dataclass, field

HCAPTCHA = 1
TURNSTILE = 2
CHALLENGE_PROVIDERS = {HCAPTCHA: "hCaptcha", TURNSTILE: "Turnstile"}


@dataclass(frozen=True, slots=True)
class CaptchaToken:
    """A solved challenge: the token and its provider (Suno's captcha_version: 1 hCaptcha, 2 Turnstile)."""

    token: str = field(repr=False)
    provider: int


@dataclass(frozen=True, slots=True)
class ChallengeCheck:
    """POST /api/c/check's answer."""

    required: bool
    version: int | None = None
