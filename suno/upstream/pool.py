"""AccountPool: the `Upstream` the service and worker use, spreading work over one or more Suno accounts."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

import httpx

from suno.challenges.desk import ChallengeDesk
from suno.challenges.health import AccountEvent, HealthBoard
from suno.challenges.solvers import NoSolver
from suno.errors import (
    CaptchaRequired,
    ChallengePending,
    InsufficientCredits,
    InvalidRequest,
    NoAccountAvailable,
    RateLimited,
    UpstreamError,
    UpstreamRejected,
    UpstreamUnavailable,
)
from suno.model_catalog import canonical_model
from suno.models import AccountModel, AccountSecrets, AccountStatus, Clip, Lyrics, MusicRequest
from suno.upstream.account_care import AccountCareMixin
from suno.upstream.account_health import clock_time
from suno.upstream.client import SunoClient
from suno.upstream.jwt import jwt_claims
from suno.upstream.operations import SunoOperations
from suno.upstream.pooled_account import ACCOUNT_ERRORS, PooledAccount
from suno.upstream.port import DeviceIdSource, LyricsSubmission, MusicSubmission

logger = logging.getLogger("suno.upstream")

Clock = Callable[[], float]
# The JWT claim that names the Suno user, as clips carry it in `user_id` (suno-2026.md).
USER_ID_CLAIM = "suno.com/claims/user_id"
T = TypeVar("T")


class AccountPool(AccountCareMixin):
    def __init__(
        self,
        accounts: Sequence[PooledAccount],
        *,
        clock: Clock = time.time,
        owned_clients: Sequence[httpx.AsyncClient] = (),
        desk: ChallengeDesk | None = None,
        board: HealthBoard | None = None,
        download_reserve: int = 0,
        default_model: str = "",
    ) -> None:
        if not accounts:
            raise ValueError("an account pool needs at least one account")
        self._accounts = {account.name: account for account in accounts}
        self._clock = clock
        self._owned_clients = list(owned_clients)
        self.desk = desk or ChallengeDesk(NoSolver(), clock=clock)
        self.board = board or HealthBoard(clock)
        self._download_reserve = download_reserve
        # Closed with the pool: the captcha solver's and the alerts' HTTP clients.
        self.closers: list[Callable[[], Awaitable[None]]] = []
        for account in accounts:
            self.desk.attach(account.name, account.client)
        self._default_model = default_model

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
        self,
        request: MusicRequest,
        *,
        in_flight: Mapping[str, int],
        account: str | None = None,
        transaction_uuid: str | None = None,
    ) -> MusicSubmission:
        chosen = [self.account(account)] if account else list(self._accounts.values())
        candidates = await self._ready_accounts(chosen, in_flight, needs_credits=True)
        if request.mv:
            # Only accounts that may use the model: another one would refuse it (or bill a different one).
            able = [a for a in candidates if _can_use(a, request.mv)]
            if candidates and not able:
                raise self._unusable(request.mv, candidates)
            candidates = able
        # Most credits first; an account whose credits are unknown goes last.
        candidates.sort(key=lambda a: (-(a.credits_left if a.credits_left is not None else -1), a.in_flight))

        async def submit(pooled: PooledAccount) -> MusicSubmission:
            default = pooled.default_model(self._default_model)
            clips = await pooled.client.generate(
                request,
                transaction_uuid=transaction_uuid,
                mv=request.mv or (default.key if default else None),
                user_tier=pooled.billing.plan_id if pooled.billing else None,
            )
            pooled.record_generation()
            return MusicSubmission(account=pooled.name, clips=tuple(clips))

        try:
            return await self._first_success(candidates, submit)
        finally:
            self.review_accounts()

    async def generate_lyrics(self, prompt: str, *, in_flight: Mapping[str, int]) -> LyricsSubmission:
        candidates = await self._ready_accounts(list(self._accounts.values()), in_flight, needs_credits=False)
        candidates.sort(key=lambda a: a.in_flight + a.submitting)

        async def submit(pooled: PooledAccount) -> LyricsSubmission:
            draft = await pooled.client.write_lyrics(prompt)
            pooled.last_error = None
            return LyricsSubmission(account=pooled.name, lyrics_id=draft.lyrics_id, lyrics=draft.lyrics)

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

    async def recent_clips(self, account: str, limit: int = 100) -> list[Clip]:
        pooled = self.account(account)
        try:
            return await pooled.client.recent_clips(limit)
        except UpstreamError as exc:
            pooled.record_error(exc, self._clock())
            raise

    async def models(self, *, refresh: bool = False) -> list[AccountModel]:
        accounts = list(self._accounts.values())
        now = self._clock()
        await self._refresh_billing([a for a in accounts if refresh or a.billing_is_stale(now)])
        return [model for pooled in accounts for model in pooled.models(self._default_model)]

    async def choose_model(self, model: str, *, account: str | None = None) -> AccountModel:
        chosen = [self.account(account)] if account else list(self._accounts.values())
        now = self._clock()
        await self._refresh_billing([a for a in chosen if a.billing_is_stale(now)])
        if not model:
            for pooled in chosen:
                if (default := pooled.default_model(self._default_model)) is not None:
                    return default
            raise self._unusable("the default model", chosen)
        key = canonical_model(model)
        for pooled in chosen:
            entries = {entry.key: entry for entry in pooled.models(self._default_model)}
            if key in entries and entries[key].usable:
                return entries[key]
            if not (pooled.billing and pooled.billing.models) and key not in entries:
                # Billing lists no models (an older Suno): a model unknown to the catalog may still exist.
                return AccountModel(account=pooled.name, key=key, name=key)
        raise self._unusable(model, chosen)

    def _unusable(self, model: str, accounts: Sequence[PooledAccount]) -> InvalidRequest:
        usable = sorted(
            {
                f"{entry.key} ({entry.name})" if entry.name != entry.key else entry.key
                for pooled in accounts
                for entry in pooled.models(self._default_model)
                if entry.usable
            }
        )
        names = ", ".join(pooled.name for pooled in accounts)
        return InvalidRequest(
            f"model {model!r} is not available to account {names}; usable models: "
            f"{', '.join(usable) or 'none'}",
            field="mv",
        )

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
            await self.tend_accounts(check_all=True)
        self.review_accounts()
        return [self._status(pooled) for pooled in self._accounts.values()]

    def account_events(self) -> AsyncIterator[AccountEvent]:
        return self.board.events(list(self._accounts))

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

    async def adopt_device_ids(self, source: DeviceIdSource) -> None:
        for pooled in self._accounts.values():
            if not pooled.client.device_id:
                pooled.client.use_device_id(await source.device_id(pooled.name))

    async def aclose(self) -> None:
        for close in self.closers:
            await close()
        self.closers.clear()
        for client in self._owned_clients:
            await client.aclose()
        self._owned_clients.clear()

    async def _ready_accounts(
        self, chosen: list[PooledAccount], in_flight: Mapping[str, int], *, needs_credits: bool
    ) -> list[PooledAccount]:
        for pooled in chosen:
            pooled.in_flight = in_flight.get(pooled.name, 0)
        now = self._clock()
        # Lyrics need no challenge; a song waits while its account's challenge is unsolved.
        challenged = [a for a in chosen if needs_credits and self.desk.pending(a.name) is not None]
        ready = [
            a for a in chosen if not a.is_cooling_down(now) and a.has_free_slot() and a not in challenged
        ]
        refusals: list[UpstreamError] = []
        if needs_credits:
            refusals = await self._refresh_billing([a for a in ready if a.billing_is_stale(now)])
            now = self._clock()
            ready = [a for a in ready if not a.is_cooling_down(now) and a.can_afford_generation()]
        if not ready:
            if refusals:
                raise refusals[-1]  # the operator needs Suno's reason (captcha, cookie…), not just "busy"
            waits = [
                error for a in challenged if isinstance(error := self.desk.refusal(a.name), ChallengePending)
            ]
            hard: list[UpstreamError] = [
                error
                for a in challenged
                if not isinstance(error := self.desk.refusal(a.name), ChallengePending)
            ]
            hard += [
                r
                for a in chosen
                if a not in challenged and (r := a.refusal(now, needs_credits=needs_credits)) is not None
            ]
            if len(hard) == len(chosen):
                # No account will take it by waiting: say why rather than leave the task queued.
                raise hard[-1]
            if waits and len(hard) + len(waits) == len(chosen):
                raise waits[0]
            reasons = "; ".join(f"{a.name}: {a.unavailable_reason(now) or 'busy'}" for a in chosen)
            raise NoAccountAvailable(
                f"no Suno account can take the job now ({reasons})", self._waiting_reason(chosen, now)
            )
        return ready

    def _waiting_reason(self, chosen: list[PooledAccount], now: float) -> str:
        limited = [
            a.cooldown_until
            for a in chosen
            if a.is_cooling_down(now) and isinstance(a.rest_error, RateLimited) and a.cooldown_until
        ]
        if limited and len(limited) == len(chosen):
            return f"rate limited until {clock_time(min(limited))}"
        return "all slots busy"

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
        waiting: ChallengePending | None = None
        for pooled in candidates:
            # Re-checked here, with no await before taking the slot: concurrent submits may have filled it.
            if not pooled.has_free_slot():
                continue
            pooled.submitting += 1
            try:
                return await submit(pooled)
            except ChallengePending as exc:
                waiting = waiting or exc  # nothing was sent; another account may take it
            except ACCOUNT_ERRORS as exc:
                if isinstance(exc, CaptchaRequired) and exc.status_code == 422 and self.desk.solver.parks:
                    # Suno's generate wanted a token: charged nothing, so the job waits for a solution.
                    await self.desk.challenged(pooled.name)
                    waiting = waiting or ChallengePending(pooled.name)
                    continue
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
        if waiting is not None:
            raise waiting
        if last_error is not None:
            raise last_error
        raise NoAccountAvailable("no Suno account can take the job now (every slot was taken meanwhile)")


def _can_use(pooled: PooledAccount, key: str) -> bool:
    if not (pooled.billing and pooled.billing.models):
        return True  # no list to check against: Suno decides
    return any(info.key == key and info.can_use for info in pooled.billing.models)
