"""What the pool does for its accounts between jobs: re-check challenges, take tokens, swap logins."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence

from suno.challenges.desk import ChallengeDesk
from suno.challenges.health import AccountEvent, HealthBoard
from suno.errors import AuthExpired, CaptchaRequired, InvalidRequest, UpstreamError
from suno.models import AccountStatus
from suno.upstream.account_config import AccountConfig
from suno.upstream.account_health import account_health
from suno.upstream.accounts_reload import AccountsFileReloader
from suno.upstream.pooled_account import PooledAccount

log = logging.getLogger("suno.upstream")

MAX_COOKIE_LENGTH = 32_768


class AccountCareMixin:
    """Mixed into AccountPool: the AccountCare port (`suno.upstream.port`)."""

    _accounts: dict[str, PooledAccount]
    _clock: Callable[[], float]
    desk: ChallengeDesk
    board: HealthBoard
    reloader: AccountsFileReloader | None = None
    _download_reserve: int

    def _status(self, pooled: PooledAccount) -> AccountStatus:
        status = pooled.status(self._clock())
        current = self.board.current(pooled.name)
        if current is None:
            return status
        if self.desk.pending(pooled.name) is not None and status.healthy:
            # Waiting for a captcha solution: no song goes to it, though it is not resting.
            status = dataclasses.replace(
                status,
                healthy=False,
                unusable_reason=status.unusable_reason
                or f"waiting for a captcha solution ({current.reason})",
            )
        return dataclasses.replace(
            status,
            state=current.state,
            state_since=current.since,
            state_reason=current.reason,
            challenge_provider=current.challenge_provider,
        )

    def review_accounts(self) -> list[AccountEvent]:
        """Compare every account's state with the last one; the changes become events."""
        now = self._clock()
        events = []
        for pooled in self._accounts.values():
            health = account_health(pooled, now, self.desk, self._download_reserve)
            if (event := self.board.review(pooled.name, health)) is not None:
                events.append(event)
        return events

    def on_token(self, listener: Callable[[str], None]) -> None:
        self.desk.on_token(listener)

    async def tend_accounts(self, *, check_all: bool = False) -> None:
        """Ask Suno again for every account waiting on a challenge (a check costs no credits): the rest
        ends, and the waiting songs go, as soon as it stops asking. `check_all`: every account."""
        if self.reloader is not None:
            await self.reloader.reload_if_changed()
        now = self._clock()
        for pooled in self._accounts.values():
            resting_for_challenge = pooled.is_cooling_down(now) and isinstance(
                pooled.rest_error, CaptchaRequired
            )
            if not (check_all or resting_for_challenge or self.desk.pending(pooled.name)):
                continue
            if pooled.is_cooling_down(now) and isinstance(pooled.rest_error, AuthExpired):
                continue  # a check cannot pass without a login
            try:
                check = await self.desk.check(pooled.name)
            except UpstreamError as exc:
                log.info("captcha check for account %s failed: %s", pooled.name, exc.message)
                continue
            if not check.required and isinstance(pooled.rest_error, CaptchaRequired):
                end_rest(pooled)
                log.info("account %s: Suno no longer asks for a captcha; its rest ends", pooled.name)
        self.review_accounts()

    async def reload_accounts(self) -> list[str]:
        if self.reloader is None:
            log.info("no ACCOUNTS_FILE to re-read")
            return []
        return await self.reloader.reload()

    async def solve_challenge(self, account: str, token: str, provider: int) -> AccountStatus:
        pooled = self._known(account, "account")
        self.desk.hand_in(account, token, provider)
        if isinstance(pooled.rest_error, CaptchaRequired):
            end_rest(pooled)
        self.review_accounts()
        return self._status(pooled)

    async def update_account(self, name: str, cookie: str, session_id: str | None = None) -> AccountStatus:
        """New credentials in place: in-flight tasks keep polling; a REAUTH_REQUIRED rest ends when Clerk
        takes them. The values never appear in a reply or a log line."""
        pooled = self._known(name, "name")
        cookie = cookie.strip()
        if not cookie or len(cookie) > MAX_COOKIE_LENGTH or any(c in cookie for c in "\r\n"):
            raise InvalidRequest(
                "cookie must be the Cookie header of a suno.com request, on one line", field="cookie"
            )
        session = (session_id or "").strip()
        if any(c in session for c in "\r\n; "):
            raise InvalidRequest("sessionId must be a Clerk session id (sess_…)", field="sessionId")
        await self._replace_credentials(
            pooled, dataclasses.replace(pooled.config, cookie=cookie, session_id=session)
        )
        self.review_accounts()
        return self._status(pooled)

    async def apply_configs(self, configs: Sequence[AccountConfig]) -> list[str]:
        """A re-read ACCOUNTS_FILE: accounts whose login or slots changed are updated in place; the names
        of those changed. Accounts added or removed need a restart (their tasks would be orphaned)."""
        changed: list[str] = []
        for config in configs:
            pooled = self._accounts.get(config.name)
            if pooled is None:
                log.warning(
                    "ACCOUNTS_FILE: account %s is new; it joins the pool at the next restart", config.name
                )
                continue
            if (config.cookie, config.session_id) != (pooled.config.cookie, pooled.config.session_id):
                await self._replace_credentials(pooled, config)
                changed.append(config.name)
            elif config.max_concurrency != pooled.config.max_concurrency:
                pooled.config = config
                changed.append(config.name)
        for name in set(self._accounts) - {config.name for config in configs}:
            log.warning(
                "ACCOUNTS_FILE: account %s is gone from the file; it stays until the next restart", name
            )
        self.review_accounts()
        return changed

    async def _replace_credentials(self, pooled: PooledAccount, config: AccountConfig) -> None:
        await pooled.client.auth.replace_credentials(config.cookie, config.session_id)
        pooled.config = config
        if isinstance(pooled.rest_error, AuthExpired):
            end_rest(pooled)
        pooled.last_error = None
        try:
            await pooled.client.auth.token()  # proves the login now, not at the next song
        except UpstreamError as exc:
            pooled.record_error(exc, self._clock())
            log.warning("account %s: the new login was refused: %s", pooled.name, exc.message)
        else:
            log.info("account %s: new login accepted", pooled.name)

    def _known(self, name: str, field: str) -> PooledAccount:
        pooled = self._accounts.get(name)
        if pooled is None:
            known = ", ".join(self._accounts)
            raise InvalidRequest(f"account {name!r} is not configured (known: {known})", field=field)
        return pooled


def end_rest(pooled: PooledAccount) -> None:
    pooled.cooldown_until = None
    pooled.rest_error = None
    pooled.last_error = None
