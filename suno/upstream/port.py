"""The interface the service and worker need from Suno: the account pool's face, whatever sits behind it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from suno.errors import UpstreamError
from suno.models import AccountSecrets, AccountStatus, Clip, Lyrics, MusicRequest

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


class Upstream(Protocol):
    async def generate(
        self,
        request: MusicRequest,
        *,
        in_flight: Mapping[str, int],
        account: str | None = None,
    ) -> MusicSubmission:
        """Submit one music job.

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
