"""An account's health state from what the pool knows: its rest, its challenge, credits and downloads."""

from __future__ import annotations

from datetime import UTC, datetime

from suno.challenges.desk import ChallengeDesk
from suno.challenges.health import AccountHealth
from suno.errors import AuthExpired, CaptchaRequired, InsufficientCredits, RateLimited
from suno.models import AccountState
from suno.upstream.pooled_account import CREDITS_PER_GENERATION, PooledAccount
from suno.upstream.types import CHALLENGE_PROVIDERS, HCAPTCHA

# DOWNLOADS_LOW: fewer downloads left than ASSET_DOWNLOAD_RESERVE plus this.
DOWNLOADS_MARGIN = 5
# What the operator reads next to CHALLENGE_REQUIRED (in the alert too): what happens, what to do.
SOLVER_HINTS = {
    "none": "no CAPTCHA_SOLVER: songs fail until Suno stops asking (solve one in the browser)",
    "relay": "songs wait: hand a token in with solveChallenge or POST /suno/account/challenge",
    "2captcha": "songs wait while the solver service solves it",
}


def account_health(
    pooled: PooledAccount, now: float, desk: ChallengeDesk, download_reserve: int
) -> AccountHealth:
    """The most pressing state first: a login or a challenge needs a person, credits need money."""
    resting = pooled.is_cooling_down(now)
    error = pooled.rest_error if resting else None
    if isinstance(error, AuthExpired):
        return AccountHealth(AccountState.REAUTH_REQUIRED, error.message)
    pending = desk.pending(pooled.name)
    if pending is not None or isinstance(error, CaptchaRequired):
        version = pending.version if pending else HCAPTCHA
        kind = CHALLENGE_PROVIDERS.get(version, "captcha")
        reason = f"Suno asks for a {kind} challenge; {SOLVER_HINTS.get(desk.solver.name, desk.solver.name)}"
        return AccountHealth(AccountState.CHALLENGE_REQUIRED, reason, version)
    if isinstance(error, RateLimited) and pooled.cooldown_until is not None:
        return AccountHealth(
            AccountState.RATE_LIMITED, f"rate limited until {clock_time(pooled.cooldown_until)}"
        )
    if isinstance(error, InsufficientCredits) or not pooled.can_afford_generation():
        return AccountHealth(
            AccountState.OUT_OF_CREDITS,
            f"{pooled.credits_left} credits left; a song costs {CREDITS_PER_GENERATION}",
        )
    left = downloads_left(pooled)
    if left is not None and left < download_reserve + DOWNLOADS_MARGIN:
        return AccountHealth(AccountState.DOWNLOADS_LOW, f"{left} downloads left this period")
    return AccountHealth(AccountState.HEALTHY)


def downloads_left(pooled: PooledAccount) -> int | None:
    raw = pooled.billing.raw if pooled.billing else {}
    limit, usage = raw.get("download_limit"), raw.get("download_usage")
    if isinstance(limit, int) and isinstance(usage, int) and not isinstance(limit, bool):
        return max(limit - usage, 0)
    return None


def clock_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
