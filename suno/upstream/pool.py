"""AccountPool: the `Upstream` the service and worker use, spreading work over one or more Suno accounts."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

import httpx

from suno.errors import (
    InsufficientCredits,
    NoAccountAvailable,
    UpstreamError,
    UpstreamRejected,
    UpstreamUnavailable,
)
from suno.models import AccountSecrets, AccountStatus, Clip, Lyrics, MusicRequest
from suno.upstream.client import SunoClient
from suno.upstream.jwt import jwt_claims
from suno.upstream.operations import SunoOperations
from suno.upstream.pooled_account import ACCOUNT_ERRORS, PooledAccount
from suno.upstream.port import LyricsSubmission, MusicSubmission

logger = logging.getLogger("suno.upstream")

Clock = Callable[[], float]
# The JWT claim that names the Suno user, as clips carry it in `user_id` (suno-2026.md).
USER_ID_CLAIM = "suno.com/claims/user_id"
T = TypeVar("T")


class AccountPool:
    def __init__(
        self,
        accounts: Sequence[PooledAccount],
        *,
        clock: Clock = time.time,
        owned_clients: Sequence[httpx.AsyncClient] = (),
    ) -> None:
        if not accounts:
            raise ValueError("an account pool needs at least one account")
        self._accounts = {account.name: account for account in accounts}
        self._clock = clock
        self._owned_clients = list(owned_clients)

    def account_names(self) -> list[str]:
        return list(self._accounts)

    def account(self, name: str) -> PooledAccount:
        try:
            return self._accounts[name]
        except KeyError:
            raise NoAccountAvailable(
                f"account {name!r} is not configured (known: {', '.join(self._accounts)})"
            ) from None

    def client(self, name: str) -> SunoClient:
        """The account's own client, for the extras (concat, stems, aligned lyrics, clip)."""
        return self.account(name).client

    async def generate(
        self, request: MusicRequest, *, in_flight: Mapping[str, int], account: str | None = None
    ) -> MusicSubmission:
        chosen = [self.account(account)] if account else list(self._accounts.values())
        candidates = await self._ready_accounts(chosen, in_flight, needs_credits=True)
        # Most credits first; an account whose credits are unknown goes last.
        candidates.sort(key=lambda a: (-(a.credits_left if a.credits_left is not None else -1), a.in_flight))

        async def submit(pooled: PooledAccount) -> MusicSubmission:
            clips = await pooled.client.generate(request)
            pooled.record_generation()
            return MusicSubmission(account=pooled.name, clips=tuple(clips))

        return await self._first_success(candidates, submit)

    async def generate_lyrics(self, prompt: str, *, in_flight: Mapping[str, int]) -> LyricsSubmission:
        candidates = await self._ready_accounts(list(self._accounts.values()), in_flight, needs_credits=False)
        candidates.sort(key=lambda a: a.in_flight + a.submitting)

        async def submit(pooled: PooledAccount) -> LyricsSubmission:
            lyrics_id = await pooled.client.generate_lyrics(prompt)
            pooled.last_error = None
            return LyricsSubmission(account=pooled.name, lyrics_id=lyrics_id)

        return await self._first_success(candidates, submit)

    async def feed(self, account: str, clip_ids: Sequence[str]) -> list[Clip]:
        pooled = self.account(account)
        try:
            return await pooled.client.feed(clip_ids)
        except UpstreamError as exc:
            pooled.record_error(exc, self._clock())
            raise

    async def lyrics_result(self, account: str, lyrics_id: str) -> Lyrics:
        pooled = self.account(account)
        try:
            return await pooled.client.lyrics_result(lyrics_id)
        except UpstreamError as exc:
            pooled.record_error(exc, self._clock())
            raise

    async def clip(self, account: str, clip_id: str) -> Clip | None:
        pooled = self.account(account)
        try:
            return await pooled.client.clip(clip_id)
        except UpstreamRejected as exc:
            if exc.status_code == 404:
                return None
            raise
        except UpstreamError as exc:
            pooled.record_error(exc, self._clock())
            raise

    # Song operations

    def operations(self, name: str) -> SunoOperations:
        return SunoOperations.of(self.account(name).client)

    def record_refusal(self, name: str, error: UpstreamError) -> None:
        if isinstance(error, ACCOUNT_ERRORS):
            self.account(name).record_error(error, self._clock())
            logger.info("account %s refused an operation and rests: %s", name, error.message)

    async def clip_owner(self, clip_id: str) -> tuple[str, Clip] | None:
        """Read the clip with each account; the owner is the one whose JWT user id is the clip's `user_id`."""
        for pooled in self._accounts.values():
            try:
                clip = await pooled.client.clip(clip_id)
                user_id = jwt_claims(await pooled.client.auth.token()).get(USER_ID_CLAIM)
            except UpstreamRejected as exc:
                if exc.status_code in (403, 404):
                    continue  # not this account's to read
                raise
            owner = clip.raw.get("user_id")
            # A clip without a user id that only its owner can read is the reader's.
            if owner is None or (isinstance(user_id, str) and owner == user_id):
                return pooled.name, clip
        return None

    async def account_models(self, name: str) -> list[Mapping[str, Any]]:
        pooled = self.account(name)
        if pooled.billing is None or pooled.billing_is_stale(self._clock()):
            await self._refresh_billing([pooled])
        raw = pooled.billing.raw if pooled.billing else {}
        models = raw.get("models")
        return (
            [dict(model) for model in models if isinstance(model, dict)] if isinstance(models, list) else []
        )

    async def accounts(self, *, refresh: bool = False) -> list[AccountStatus]:
        if refresh:
            await self._refresh_billing(list(self._accounts.values()))
        now = self._clock()
        return [pooled.status(now) for pooled in self._accounts.values()]

    def account_secrets(self) -> list[AccountSecrets]:
        return [
            AccountSecrets(
                name=pooled.name,
                session_id=pooled.client.auth.session_id,
                cookie=pooled.client.auth.cookie,
                jwt=pooled.client.auth.jwt,
                last_update=pooled.client.auth.last_exchange,
            )
            for pooled in self._accounts.values()
        ]

    async def aclose(self) -> None:
        for client in self._owned_clients:
            await client.aclose()
        self._owned_clients.clear()

    async def _ready_accounts(
        self, chosen: list[PooledAccount], in_flight: Mapping[str, int], *, needs_credits: bool
    ) -> list[PooledAccount]:
        for pooled in chosen:
            pooled.in_flight = in_flight.get(pooled.name, 0)
        now = self._clock()
        ready = [a for a in chosen if not a.is_cooling_down(now) and a.has_free_slot()]
        refusals: list[UpstreamError] = []
        if needs_credits:
            refusals = await self._refresh_billing([a for a in ready if a.billing_is_stale(now)])
            now = self._clock()
            ready = [a for a in ready if not a.is_cooling_down(now) and a.can_afford_generation()]
        if not ready:
            if refusals:
                raise refusals[-1]  # the operator needs Suno's reason (captcha, cookie…), not just "busy"
            hard = [r for a in chosen if (r := a.refusal(now, needs_credits=needs_credits)) is not None]
            if len(hard) == len(chosen):
                # No account will take it by waiting: say why rather than leave the task queued.
                raise hard[-1]
            reasons = "; ".join(f"{a.name}: {a.unavailable_reason(now) or 'busy'}" for a in chosen)
            raise NoAccountAvailable(f"no Suno account can take the job now ({reasons})")
        return ready

    async def _refresh_billing(self, accounts: list[PooledAccount]) -> list[UpstreamError]:
        """Re-read credits; returns the refusals that sent an account to rest."""
        refusals: list[UpstreamError] = []

        async def refresh(pooled: PooledAccount) -> None:
            try:
                billing = await pooled.client.billing()
            except UpstreamUnavailable as exc:
                pooled.last_error = exc.message  # a blip: keep the account, credits unknown
            except UpstreamError as exc:
                pooled.record_error(exc, self._clock())
                refusals.append(exc)
            else:
                pooled.record_billing(billing, self._clock())

        await asyncio.gather(*(refresh(pooled) for pooled in accounts))
        return refusals

    async def _has_credits(self, pooled: PooledAccount) -> bool:
        """Re-read the account's billing: True when it shows enough credits for a song."""
        try:
            billing = await pooled.client.billing()
        except UpstreamError:
            return False  # cannot confirm either way: rest, as the refusal said
        pooled.record_billing(billing, self._clock())
        return (
            pooled.billing is not None
            and pooled.billing.credits_left is not None
            and pooled.can_afford_generation()
        )

    async def _first_success(
        self, candidates: list[PooledAccount], submit: Callable[[PooledAccount], Awaitable[T]]
    ) -> T:
        last_error: UpstreamError | None = None
        for pooled in candidates:
            # Re-checked here, with no await before taking the slot: concurrent submits may have filled it.
            if not pooled.has_free_slot():
                continue
            pooled.submitting += 1
            try:
                return await submit(pooled)
            except ACCOUNT_ERRORS as exc:
                if isinstance(exc, InsufficientCredits) and await self._has_credits(pooled):
                    # One reply's word is not enough to shut the account for minutes: its billing
                    # says it can pay, so this refusal was about this request alone.
                    pooled.last_error = exc.message
                    logger.info("account %s refused a job for credits it has; not resting", pooled.name)
                    raise
                # A definite refusal charged nothing, so the next account may take the job.
                pooled.record_error(exc, self._clock())
                logger.info("account %s refused a job and rests: %s", pooled.name, exc.message)
                last_error = exc
            except UpstreamError as exc:
                pooled.last_error = exc.message
                raise
            finally:
                pooled.submitting -= 1
        if last_error is not None:
            raise last_error
        raise NoAccountAvailable("no Suno account can take the job now (every slot was taken meanwhile)")
