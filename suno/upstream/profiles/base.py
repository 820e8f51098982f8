"""What a protocol profile is, what a submission carries, and the once-per-process fallback between two."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from suno.errors import UpstreamRejected
from suno.models import Clip, Lyrics, MusicRequest
from suno.upstream.requester import Requester

logger = logging.getLogger("suno.upstream")

# What a server says for a route it does not have (FastAPI/Starlette), as opposed to "no such clip".
ROUTE_MISSING = frozenset({"not found", "method not allowed"})


@dataclass(frozen=True, slots=True)
class SubmitOrder:
    """One generate call: the request, the model it resolved to, and the ids made before sending."""

    request: MusicRequest
    mv: str
    transaction_uuid: str
    token: str | None = None
    token_provider: int | None = None
    user_tier: str | None = None


@dataclass(frozen=True, slots=True)
class LyricsDraft:
    """A lyrics submission: its id, and the lyrics at once when the route answers synchronously."""

    lyrics_id: str
    lyrics: Lyrics | None = None


class Profile(Protocol):
    name: str
    # Where generations go, operations on a clip (cover, stems…) included.
    generate_path: str

    def request_headers(self) -> Mapping[str, str]:
        """Headers made fresh for each studio-api request."""
        ...

    async def generate(self, requester: Requester, order: SubmitOrder) -> list[Clip]: ...

    async def feed(self, requester: Requester, ids: Sequence[str], batch_size: int) -> list[Clip]: ...

    async def recent_clips(self, requester: Requester, limit: int) -> list[Clip]:
        """The account's newest clips, newest first, whatever their status (reconciling a lost submit)."""
        ...

    async def write_lyrics(self, requester: Requester, prompt: str) -> LyricsDraft: ...

    async def lyrics_result(self, requester: Requester, lyrics_id: str) -> Lyrics: ...


def route_missing(error: UpstreamRejected) -> bool:
    """A 404/405 saying the route itself does not exist: nothing was done, so nothing was charged."""
    if error.status_code not in (404, 405):
        return False
    detail = error.message.rsplit(": ", 1)[-1].rstrip(")").strip().lower()
    return detail in ROUTE_MISSING


class ProtocolChoice:
    """The profile in use, shared by every account of the process; it may switch to the other once."""

    def __init__(self, primary: Profile, other: Profile) -> None:
        self.current = primary
        self._other = other
        self.fell_back = False

    def fall_back(self, failed: Profile, what: str) -> bool:
        """After `failed` met a missing route: True when the caller should try `current` again."""
        if self.fell_back:
            return self.current is not failed
        self.fell_back = True
        self.current = self._other
        logger.warning(
            "Suno has no %s route for the %r protocol; using %r from now on (set SUNO_PROTOCOL=%s)",
            what,
            failed.name,
            self._other.name,
            self._other.name,
        )
        return True
