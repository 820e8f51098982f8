"""ChallengeDesk: the web app's challenge flow per account, the tokens handed in, and who waits for one.

Before a generate (on an account challenged recently, or when the last check is old), ask
`/api/c/check`; when required, refresh the JWT once and ask again; only when still required is a
token needed. A token that came in (from a person or a solver service) goes with the next generate.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from suno.challenges.solvers import ChallengeSolver
from suno.challenges.tokens import CHALLENGE_PROVIDERS, HCAPTCHA, CaptchaToken, ChallengeCheck
from suno.errors import CaptchaRequired, ChallengePending, InvalidRequest, UpstreamError

if TYPE_CHECKING:
    from suno.upstream.client import SunoClient

log = logging.getLogger("suno.challenges")

# A challenge seen this recently makes every generate of the account check first.
RECENT_CHALLENGE = 3600.0
MAX_TOKEN_LENGTH = 16_384
# While an account stays challenged its check runs every tick; its JWT is refreshed at most this often.
REFRESH_AGAIN_AFTER = 60.0


@dataclass(frozen=True, slots=True)
class PendingChallenge:
    version: int
    since: float


class ChallengeDesk:
    def __init__(
        self,
        solver: ChallengeSolver,
        *,
        check_interval: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.solver = solver
        self._check_interval = check_interval
        self._clock = clock
        self._clients: dict[str, SunoClient] = {}
        self._pending: dict[str, PendingChallenge] = {}
        self._tokens: dict[str, CaptchaToken] = {}
        self._checked_at: dict[str, float] = {}
        self._challenged_at: dict[str, float] = {}
        self._refreshed_at: dict[str, float] = {}
        self._on_token: list[Callable[[str], None]] = []

    def attach(self, account: str, client: SunoClient) -> None:
        self._clients[account] = client

    def on_token(self, listener: Callable[[str], None]) -> None:
        """Called with the account's name when a token arrives (the worker sends the waiting tasks)."""
        self._on_token.append(listener)

    def pending(self, account: str) -> PendingChallenge | None:
        return self._pending.get(account)

    def refusal(self, account: str) -> UpstreamError | ChallengePending:
        """What a job for an account with a pending challenge meets: waiting (a solver) or a refusal."""
        if self.solver.parks:
            return ChallengePending(account)
        version = self._pending[account].version if account in self._pending else HCAPTCHA
        return CaptchaRequired(
            f"account {account!r}: Suno asks for a {CHALLENGE_PROVIDERS.get(version, 'captcha')} challenge "
            "before generating and no CAPTCHA_SOLVER is set: create one song in the browser with this "
            "account, or set CAPTCHA_SOLVER",
            status_code=422,
        )

    # The CaptchaTokenProvider port, called by the client while it builds a generate body.

    async def captcha_token(self, account: str) -> CaptchaToken | None:
        token = self._tokens.pop(account, None)
        if token is not None:
            return token
        if not self._check_due(account):
            return None
        check = await self.check(account)
        if not check.required:
            return None
        raise self.refusal(account)

    async def check(self, account: str) -> ChallengeCheck:
        """The web app's flow: check; when required, refresh the JWT once and check again."""
        client = self._clients[account]
        check = await client.captcha_check()
        refreshed = self._refreshed_at.get(account)
        if check.required and (refreshed is None or self._clock() - refreshed >= REFRESH_AGAIN_AFTER):
            await client.auth.refresh()
            self._refreshed_at[account] = self._clock()
            check = await client.captcha_check()
        self._checked_at[account] = self._clock()
        if check.required:
            self.require(account, check.version or HCAPTCHA)
        else:
            self.clear(account)
        return check

    async def challenged(self, account: str) -> None:
        """Suno refused a generate for want of a token: learn the version and mark the account."""
        try:
            check = await self.check(account)
        except UpstreamError as exc:
            log.info("captcha check for account %s failed: %s", account, exc)
            self.require(account, HCAPTCHA)
            return
        if not check.required:
            self.require(account, HCAPTCHA)  # Suno's generate said so: trust the refusal over the check

    def require(self, account: str, version: int) -> None:
        now = self._clock()
        self._challenged_at[account] = now
        if account in self._tokens:
            return  # a token is already waiting for the account's next generate
        current = self._pending.get(account)
        if current is None or current.version != version:
            self._pending[account] = PendingChallenge(version, now)
            log.info(
                "account %s: Suno asks for a %s challenge (solver: %s)",
                account,
                CHALLENGE_PROVIDERS.get(version, version),
                self.solver.name,
            )
        self.solver.start(account, version, self.deliver)

    def clear(self, account: str) -> None:
        if self._pending.pop(account, None) is not None:
            log.info("account %s: Suno no longer asks for a challenge", account)

    def hand_in(self, account: str, token: str, provider: int) -> None:
        """A person's token (solveChallenge): it goes with the account's next generate."""
        if account not in self._clients:
            raise InvalidRequest(f"account {account!r} is not configured", field="account")
        if provider not in CHALLENGE_PROVIDERS:
            raise InvalidRequest("provider must be 1 (hCaptcha) or 2 (Turnstile)", field="provider")
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH or any(c in token for c in "\r\n\t "):
            raise InvalidRequest("token must be the solved challenge's token, without spaces", field="token")
        self.deliver(account, CaptchaToken(token, provider))

    def deliver(self, account: str, token: CaptchaToken) -> None:
        self._tokens[account] = token
        self._pending.pop(account, None)
        log.info(
            "account %s: a %s token arrived", account, CHALLENGE_PROVIDERS.get(token.provider, "captcha")
        )
        for listener in self._on_token:
            listener(account)

    def _check_due(self, account: str) -> bool:
        now = self._clock()
        challenged = self._challenged_at.get(account)
        if challenged is not None and now - challenged < RECENT_CHALLENGE:
            return True
        checked = self._checked_at.get(account)
        return checked is None or now - checked >= self._check_interval
