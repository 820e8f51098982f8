"""Suno's challenges in the simulator: per account on or off, hCaptcha (1) or Turnstile (2), token checks.

A token passes when it carries the provider Suno asked for and looks like that provider's tokens
(hCaptcha's start "P1_", Turnstile's "0."), and has not been used before. A token that passes ends the
account's challenge, as solving it in the browser does; `/_sim/challenges/{name}` turns it on again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HCAPTCHA = 1
TURNSTILE = 2
TOKEN_PREFIXES = {HCAPTCHA: "P1_", TURNSTILE: "0."}


@dataclass
class AccountChallenge:
    required: bool = False
    version: int = HCAPTCHA
    # Ends with the first valid token (False: every generate needs a fresh token while required).
    ends_when_solved: bool = True


@dataclass
class ChallengeControl:
    default_required: bool = False
    default_version: int = HCAPTCHA
    accounts: dict[str, AccountChallenge] = field(default_factory=dict)
    used_tokens: set[str] = field(default_factory=set)
    accepted: list[dict[str, Any]] = field(default_factory=list)

    def of(self, account: str) -> AccountChallenge:
        if account not in self.accounts:
            self.accounts[account] = AccountChallenge(
                required=self.default_required, version=self.default_version
            )
        return self.accounts[account]

    def set(
        self, account: str, *, required: bool, version: int = HCAPTCHA, ends_when_solved: bool = True
    ) -> AccountChallenge:
        if version not in TOKEN_PREFIXES:
            raise ValueError("version must be 1 (hCaptcha) or 2 (Turnstile)")
        challenge = self.of(account)
        challenge.required, challenge.version, challenge.ends_when_solved = (
            required,
            version,
            ends_when_solved,
        )
        return challenge

    def check(self, account: str) -> dict[str, Any]:
        """The reply of POST /api/c/check."""
        challenge = self.of(account)
        reply: dict[str, Any] = {"required": challenge.required}
        if challenge.required:
            reply["captcha_version"] = challenge.version
        return reply

    def admit(self, account: str, body: dict[str, Any]) -> bool:
        """Whether a generate with this body may go; a valid token is spent (and may end the challenge)."""
        challenge = self.of(account)
        if not challenge.required:
            return True
        token, provider = body.get("token"), body.get("token_provider")
        valid = (
            isinstance(token, str)
            and provider == challenge.version
            and token.startswith(TOKEN_PREFIXES[challenge.version])
            and token not in self.used_tokens
        )
        if not valid:
            return False
        assert isinstance(token, str)
        self.used_tokens.add(token)
        self.accepted.append({"account": account, "token_provider": provider})
        if challenge.ends_when_solved:
            challenge.required = False
        return True

    def snapshot(self) -> dict[str, Any]:
        return {
            name: {"required": c.required, "version": c.version, "ends_when_solved": c.ends_when_solved}
            for name, c in self.accounts.items()
        }
