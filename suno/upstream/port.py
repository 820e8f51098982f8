"""The interface the service and worker need from Suno: the account pool's face, whatever sits behind it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from suno.challenges.health import AccountEvent
from suno.errors import UpstreamError
from suno.models import AccountModel, AccountSecrets, AccountStatus, Clip, Lyrics, MusicRequest

if TYPE_CHECKING:
    from suno.upstream.operations import SunoOperations


@dataclass(frozen=True, slots=True)
class MusicSubmission:
    """What generate returned: the account that now owns the clips, and the clips (usually 2)."""

    account: str
    clips: tuple[Clip, ...]


@dataclass(frozen=True, slots=True)
class LyricsSubmission:
    account: str
    lyrics_id: str
    # The lyrics themselves when Suno wrote them at once (the web2026 cowrite route).
    lyrics: Lyrics | None = None


class DeviceIdSource(Protocol):
    async def device_id(self, account: str) -> str:
        """The account's persistent device id (made once, then always the same)."""
        ...


class Upstream(Protocol):
    async def generate(
        self,
        request: MusicRequest,
        *,
        in_flight: Mapping[str, int],
        account: str | None = None,
        transaction_uuid: str | None = None,
    ) -> MusicSubmission:
        """Submit one music job.

        `transaction_uuid` is the task's, stored before this call. A lost answer raises
        SubmitOutcomeUnknown (with the account it went to): the caller reconciles, never resends.

        `in_flight` counts the store's unfinished tasks per account, so slots survive restarts.
        `account` pins the job (a continuation must run on the account that owns the source clip).
        Raises NoAccountAvailable when no healthy account has a free slot, UpstreamError otherwise.
        Never retried blindly: a generate costs credits.
        """
        ...

    async def generate_lyrics(self, prompt: str, *, in_flight: Mapping[str, int]) -> LyricsSubmission: ...

    async def feed(self, account: str, clip_ids: Sequence[str]) -> list[Clip]:
        """Current state of many clips of one account, in as few requests as the batch size allows."""
        ...

    async def lyrics_result(self, account: str, lyrics_id: str) -> Lyrics: ...

    async def recent_clips(self, account: str, limit: int = 100) -> list[Clip]:
        """The account's newest clips, any status, newest first (to find a submit whose answer was lost)."""
        ...

    async def models(self, *, refresh: bool = False) -> list[AccountModel]:
        """Every account's models (from its cached billing), usable or not."""
        ...

    async def choose_model(self, model: str, *, account: str | None = None) -> AccountModel:
        """The model a song will use (`model` empty: the default), before anything is spent.

        Raises InvalidRequest (field "mv") naming the usable models when no account that may take the
        job can use it.
        """
        ...

    async def clip(self, account: str, clip_id: str) -> Clip | None:
        """One clip read on its own (for a clip the feed left out); None when Suno says it does not exist."""
        ...

    async def accounts(self, *, refresh: bool = False) -> list[AccountStatus]:
        """Every account without secrets; `refresh` re-reads billing from Suno."""
        ...

    def account_secrets(self) -> list[AccountSecrets]:
        """The certificates, for a caller who explicitly asked for them."""
        ...

    def account_names(self) -> list[str]: ...

    async def adopt_device_ids(self, source: DeviceIdSource) -> None:
        """Give each account without a configured device id its persistent one from `source`."""

    # Song operations (suno/operations/): the owner of a clip, the account's models, its calls.

    async def clip_owner(self, clip_id: str) -> tuple[str, Clip] | None:
        """The account that owns a clip sunoql never saw, and the clip: Suno's clip read whose `user_id` is
        the account's (the JWT's `suno.com/claims/user_id`); None when no configured account owns it."""
        ...

    async def account_models(self, account: str) -> list[Mapping[str, Any]]:
        """The models the account's billing lists (with `allowed_condition_combinations`); [] when unknown."""
        ...

    def operations(self, account: str) -> SunoOperations:
        """The account's operation calls (raises NoAccountAvailable for an unknown account)."""
        ...

    def record_refusal(self, account: str, error: UpstreamError) -> None:
        """An operation call's refusal that is about the account (captcha, login, credits, 429): it rests,
        as after a refused song."""
        ...

    async def aclose(self) -> None: ...


@runtime_checkable
class AccountCare(Protocol):
    """What an upstream with live accounts (the pool) also offers: challenges, health, logins."""

    async def tend_accounts(self, *, check_all: bool = False) -> None:
        """Once per worker tick: re-check challenges (and ACCOUNTS_FILE); states become events."""
        ...

    async def solve_challenge(self, account: str, token: str, provider: int) -> AccountStatus: ...

    async def update_account(
        self, name: str, cookie: str, session_id: str | None = None
    ) -> AccountStatus: ...

    async def reload_accounts(self) -> list[str]:
        """Re-read ACCOUNTS_FILE now (SIGHUP); the names of the accounts updated."""
        ...

    def account_events(self) -> AsyncIterator[AccountEvent]:
        """Every account's state now, then each change."""
        ...

    def on_token(self, listener: Callable[[str], None]) -> None:
        """`listener(account)` when a captcha token arrives for the account."""
        ...
