"""SunoClient: studio-api's endpoints (generate, feed, lyrics, billing and the extras) as typed calls."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from suno.errors import UpstreamProtocolError, UpstreamRejected
from suno.models import Clip, Lyrics, MusicRequest
from suno.upstream.clerk import ClerkAuth, Sleep
from suno.upstream.http import web_app_headers
from suno.upstream.requester import Requester
from suno.upstream.types import AlignedWord, Billing, CaptchaTokenProvider

FEED_PATH = "/api/feed/v2"


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
    def __init__(
        self,
        *,
        auth: ClerkAuth,
        http: httpx.AsyncClient,
        base_url: str,
        device_id: str = "",
        feed_batch_size: int = 200,
        feed_path: str = FEED_PATH,
        captcha: CaptchaTokenProvider | None = None,
        read_attempts: int = 3,
        retry_backoff: float = 0.5,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.auth = auth
        self._feed_batch_size = max(feed_batch_size, 1)
        self._feed_path = feed_path
        self._captcha = captcha
        self._requester = Requester(
            auth=auth,
            http=http,
            base_url=base_url,
            headers=web_app_headers(device_id),
            read_attempts=read_attempts,
            retry_backoff=retry_backoff,
            sleep=sleep,
        )

    @property
    def account(self) -> str:
        return self.auth.account

    async def generate(self, request: MusicRequest) -> list[Clip]:
        """Submit one batch (Suno makes 2 clips). Sent exactly once: every attempt costs credits."""
        body = await self._generate_body(request)
        reply = await self._requester.call(
            "POST", "/api/generate/v2/", "generate", body=body, idempotent=False
        )
        return self._clips(_field(reply, "clips", "generate"), "generate")

    async def _generate_body(self, request: MusicRequest) -> dict[str, Any]:
        body: dict[str, Any] = {
            "mv": request.mv,
            "make_instrumental": request.make_instrumental,
            "generation_type": "TEXT",
            "negative_tags": request.negative_tags,
            "token": await self._captcha_token(),
        }
        if request.is_inspiration_mode:
            # Description mode: Suno writes lyrics, title and style itself from this text.
            body.update(prompt="", gpt_description_prompt=request.gpt_description_prompt)
        else:
            body.update(prompt=request.prompt, title=request.title, tags=request.effective_tags)
        if request.persona_id:
            body["persona_id"] = request.persona_id
        if request.is_continuation:
            body.update(
                continue_clip_id=request.continue_clip_id, continue_at=request.continue_at, task="extend"
            )
        return body

    async def _captcha_token(self) -> str | None:
        if self._captcha is None:
            return None
        if not await self.captcha_required():
            return None
        return await self._captcha.captcha_token(self.account)

    async def captcha_required(self) -> bool:
        reply = await self._requester.call(
            "POST", "/api/c/check", "captcha check", body={"ctype": "generation"}
        )
        return bool(reply.get("required")) if isinstance(reply, Mapping) else False

    async def feed(self, ids: Sequence[str]) -> list[Clip]:
        """Many clips in as few requests as the batch size allows; ids Suno did not return are absent."""
        unique = list(dict.fromkeys(ids))
        clips: list[Clip] = []
        for start in range(0, len(unique), self._feed_batch_size):
            chunk = unique[start : start + self._feed_batch_size]
            # Raw commas, as the Go original sends them.
            query = ",".join(quote(clip_id, safe="") for clip_id in chunk)
            reply = await self._requester.call("GET", f"{self._feed_path}?ids={query}", "feed")
            clips.extend(self._clips(_feed_items(reply), "feed"))
        return clips

    async def clip(self, clip_id: str) -> Clip:
        reply = await self._requester.call("GET", f"/api/clip/{quote(clip_id, safe='')}", "clip lookup")
        # Some eras wrap the clip as {"clip": {...}}.
        if isinstance(reply, Mapping) and isinstance(reply.get("clip"), Mapping):
            reply = reply["clip"]
        return self._clip(reply, "clip lookup")

    async def generate_lyrics(self, prompt: str) -> str:
        reply = await self._requester.call(
            "POST", "/api/generate/lyrics/", "lyrics generation", body={"prompt": prompt}, idempotent=False
        )
        lyrics_id = _field(reply, "id", "lyrics generation")
        if not isinstance(lyrics_id, str) or not lyrics_id:
            raise self._protocol_error("lyrics generation", "no lyrics id")
        return lyrics_id

    async def lyrics_result(self, lyrics_id: str) -> Lyrics:
        reply = await self._requester.call(
            "GET", f"/api/generate/lyrics/{quote(lyrics_id, safe='')}", "lyrics lookup"
        )
        if not isinstance(reply, Mapping):
            raise self._protocol_error("lyrics lookup", "not an object")
        return Lyrics.from_dict({**reply, "id": reply.get("id") or lyrics_id})

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
        if not isinstance(items, list):
            raise self._protocol_error(what, "clips is not a list")
        return [self._clip(item, what) for item in items]

    def _clip(self, item: Any, what: str) -> Clip:
        if not isinstance(item, Mapping) or not item.get("id"):
            raise self._protocol_error(what, "a clip without an id")
        return Clip.from_upstream(item)

    def _protocol_error(self, what: str, problem: str) -> UpstreamProtocolError:
        return UpstreamProtocolError(
            f"account {self.account!r}: Suno's {what} reply is unexpected: {problem}"
        )


def _field(reply: Any, name: str, what: str) -> Any:
    if not isinstance(reply, Mapping) or name not in reply:
        raise UpstreamProtocolError(f"Suno's {what} reply has no {name!r}")
    return reply[name]


def _feed_items(reply: Any) -> Iterable[Any]:
    # /api/feed/ answered a bare list; /api/feed/v2 wraps the clips in an object.
    if isinstance(reply, list):
        return reply
    return _field(reply, "clips", "feed")  # type: ignore[no-any-return]
