"""SunoClient: studio-api's endpoints (generate, feed, lyrics, billing and the extras) as typed calls."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from suno.errors import SubmitOutcomeUnknown, UpstreamProtocolError, UpstreamRejected
from suno.models import DEFAULT_MODEL, Clip, Lyrics, MusicRequest
from suno.upstream.clerk import ClerkAuth, Sleep
from suno.upstream.clip_parsing import clip_from, clips_from, field, protocol_error
from suno.upstream.http import web_app_headers
from suno.upstream.profiles import protocol_choice
from suno.upstream.profiles.base import LyricsDraft, Profile, ProtocolChoice, SubmitOrder, route_missing
from suno.upstream.requester import Requester
from suno.upstream.types import AlignedWord, Billing, CaptchaTokenProvider, ChallengeCheck

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DownloadReply:
    """The download resolver's answer: a presigned URL, `processing` (ask again), or a refusal."""

    ok: bool
    reason: str = ""
    status: str = ""
    url: str | None = None
    message: str = ""

    @classmethod
    def from_upstream(cls, raw: Mapping[str, Any]) -> DownloadReply:
        url = raw.get("download_url") or raw.get("url")
        return cls(
            ok=bool(raw.get("ok", url is not None)),
            reason=str(raw.get("reason") or ""),
            status=str(raw.get("status") or ""),
            url=url if isinstance(url, str) and url else None,
            message=str(raw.get("message") or ""),
        )


class SunoClient:
    """One account's studio-api calls; the protocol profile (`suno.upstream.profiles`) spells the
    generate, feed and lyrics calls, everything else is the same in every profile."""

    def __init__(
        self,
        *,
        auth: ClerkAuth,
        http: httpx.AsyncClient,
        base_url: str,
        device_id: str = "",
        feed_batch_size: int = 200,
        protocol: ProtocolChoice | str = "web2026",
        captcha: CaptchaTokenProvider | None = None,
        read_attempts: int = 3,
        retry_backoff: float = 0.5,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.auth = auth
        self._device_id = device_id
        self._feed_batch_size = max(feed_batch_size, 1)
        self.protocol = protocol_choice(protocol) if isinstance(protocol, str) else protocol
        self._captcha = captcha
        self._requester = Requester(
            auth=auth,
            http=http,
            base_url=base_url,
            headers=web_app_headers(device_id),
            fresh_headers=lambda: self.protocol.current.request_headers(),
            read_attempts=read_attempts,
            retry_backoff=retry_backoff,
            sleep=sleep,
        )

    @property
    def account(self) -> str:
        return self.auth.account

    @property
    def device_id(self) -> str:
        return self._device_id

    def use_device_id(self, device_id: str) -> None:
        """Send this `device-id` from now on, to studio-api and Clerk alike."""
        self._device_id = device_id
        self._requester.set_header("device-id", device_id)
        self.auth.set_header("device-id", device_id)

    async def _profiled(self, what: str, call: Callable[[Profile], Awaitable[T]]) -> T:
        """Run `call` with the current profile; a missing route switches profiles once per process."""
        profile = self.protocol.current
        try:
            return await call(profile)
        except UpstreamRejected as exc:
            if route_missing(exc) and self.protocol.fall_back(profile, what):
                return await call(self.protocol.current)
            raise

    async def generate(
        self,
        request: MusicRequest,
        *,
        transaction_uuid: str | None = None,
        mv: str | None = None,
        user_tier: str | None = None,
    ) -> list[Clip]:
        """Submit one batch (Suno makes 2 clips). Sent exactly once: every attempt costs credits.

        A lost answer raises SubmitOutcomeUnknown (the clips may exist); never call again for it.
        """
        # The provider runs /api/c/check itself; a token and its provider go only when one was required.
        challenge = await self._captcha.captcha_token(self.account) if self._captcha else None
        order = SubmitOrder(
            request=request,
            mv=mv or request.mv or DEFAULT_MODEL,
            transaction_uuid=transaction_uuid or str(uuid.uuid4()),
            token=challenge.token if challenge else None,
            token_provider=challenge.provider if challenge else None,
            user_tier=user_tier,
        )
        try:
            return await self._profiled("generate", lambda profile: profile.generate(self._requester, order))
        except UpstreamProtocolError as exc:
            # A 200 we cannot read may still have made the clips.
            raise SubmitOutcomeUnknown(
                f"account {self.account!r}: the generate was sent but its answer was unreadable ({exc.message})",
                self.account,
                exc.status_code,
            ) from None

    async def captcha_required(self) -> bool:
        return (await self.captcha_check()).required

    async def captcha_check(self) -> ChallengeCheck:
        reply = await self._requester.call(
            "POST", "/api/c/check", "captcha check", body={"ctype": "generation"}
        )
        if not isinstance(reply, Mapping):
            return ChallengeCheck(required=False)
        version = reply.get("captcha_version")
        return ChallengeCheck(
            required=bool(reply.get("required")),
            version=version if isinstance(version, int) and not isinstance(version, bool) else None,
        )

    async def feed(self, ids: Sequence[str]) -> list[Clip]:
        """Many clips in as few requests as the batch size allows; ids Suno did not return are absent."""
        unique = list(dict.fromkeys(ids))
        return await self._profiled(
            "feed", lambda profile: profile.feed(self._requester, unique, self._feed_batch_size)
        )

    async def recent_clips(self, limit: int = 100) -> list[Clip]:
        """The account's newest clips (any status), newest first: how a lost submit is found."""
        return await self._profiled("feed", lambda profile: profile.recent_clips(self._requester, limit))

    async def clip(self, clip_id: str) -> Clip:
        reply = await self._requester.call("GET", f"/api/clip/{quote(clip_id, safe='')}", "clip lookup")
        # Some eras wrap the clip as {"clip": {...}}.
        if isinstance(reply, Mapping) and isinstance(reply.get("clip"), Mapping):
            reply = reply["clip"]
        return self._clip(reply, "clip lookup")

    async def write_lyrics(self, prompt: str) -> LyricsDraft:
        """Start lyrics; the web2026 profile's cowrite route answers with them at once."""
        return await self._profiled("lyrics", lambda profile: profile.write_lyrics(self._requester, prompt))

    async def generate_lyrics(self, prompt: str) -> str:
        return (await self.write_lyrics(prompt)).lyrics_id

    async def lyrics_result(self, lyrics_id: str) -> Lyrics:
        return await self._profiled(
            "lyrics", lambda profile: profile.lyrics_result(self._requester, lyrics_id)
        )

    async def billing(self) -> Billing:
        reply = await self._requester.call("GET", "/api/billing/info/", "billing lookup")
        if not isinstance(reply, Mapping):
            raise self._protocol_error("billing lookup", "not an object")
        return Billing.from_upstream(reply)

    async def concat(self, clip_id: str) -> Clip:
        reply = await self._requester.call(
            "POST", "/api/generate/concat/v2/", "concat", body={"clip_id": clip_id}, idempotent=False
        )
        return self._clip(reply, "concat")

    async def aligned_lyrics(self, clip_id: str) -> list[AlignedWord]:
        path = f"/api/gen/{quote(clip_id, safe='')}/aligned_lyrics/v2/"
        reply = await self._requester.call("GET", path, "aligned lyrics lookup")
        words = _field(reply, "aligned_words", "aligned lyrics lookup")
        if not isinstance(words, list):
            raise self._protocol_error("aligned lyrics lookup", "aligned_words is not a list")
        return [AlignedWord.from_upstream(word) for word in words if isinstance(word, Mapping)]

    async def stems(self, clip_id: str) -> list[Clip]:
        path = f"/api/edit/stems/{quote(clip_id, safe='')}"
        reply = await self._requester.call("POST", path, "stems", body={}, idempotent=False)
        return self._clips(_field(reply, "clips", "stems"), "stems")

    # The 2026 media calls (upstream-protocol.md §10): the download resolver, unlocking, WAV.

    async def download_link(self, clip_id: str, media_format: str = "mp3") -> DownloadReply:
        """Ask the download resolver for a presigned URL; `not_authorized` (or HTTP 403) means not unlocked."""
        path = f"/api/download/clip/{quote(clip_id, safe='')}?format={quote(media_format, safe='')}"
        try:
            reply = await self._requester.call("GET", path, "download link")
        except UpstreamRejected as exc:
            if exc.status_code == 403:
                return DownloadReply(ok=False, reason="not_authorized", message=exc.message)
            raise
        if not isinstance(reply, Mapping):
            raise self._protocol_error("download link", "not an object")
        return DownloadReply.from_upstream(reply)

    async def authorize_download(self, clip_id: str) -> DownloadReply:
        """Unlock a clip for download: spends the plan's download allowance. Sent once, never retried."""
        reply = await self._requester.call(
            "POST",
            "/api/download/authorize",
            "download unlock",
            body={"item_id": clip_id, "item_type": "clip"},
            idempotent=False,
        )
        return DownloadReply.from_upstream(reply if isinstance(reply, Mapping) else {})

    async def convert_wav(self, clip_id: str) -> None:
        await self._requester.call(
            "POST", f"/api/gen/{quote(clip_id, safe='')}/convert_wav/", "WAV conversion"
        )

    async def wav_file_url(self, clip_id: str) -> str | None:
        """The WAV's URL once the conversion is done; None while it is still running."""
        reply = await self._requester.call(
            "GET", f"/api/gen/{quote(clip_id, safe='')}/wav_file/", "WAV lookup"
        )
        url = reply.get("wav_file_url") if isinstance(reply, Mapping) else None
        return url if isinstance(url, str) and url else None

    def _clips(self, items: Any, what: str) -> list[Clip]:
        return clips_from(items, what, self.account)

    def _clip(self, item: Any, what: str) -> Clip:
        return clip_from(item, what, self.account)

    def _protocol_error(self, what: str, problem: str) -> UpstreamProtocolError:
        return protocol_error(self.account, what, problem)


_field = field
