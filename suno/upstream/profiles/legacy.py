"""The 2024–25 calls (`upstream-protocol.md`): generate/v2, feed/v2 with ids, lyrics submit + poll."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from suno.models import Clip, Lyrics
from suno.upstream.clip_parsing import clips_from, feed_items, field, protocol_error
from suno.upstream.profiles.base import LyricsDraft, SubmitOrder
from suno.upstream.requester import Requester

FEED_PATH = "/api/feed/v2"
RECENT_PAGE_SIZE = 20  # feed/v2 pages hold 20 clips


def generate_body(order: SubmitOrder) -> dict[str, Any]:
    request = order.request
    body: dict[str, Any] = {
        "mv": order.mv,
        "make_instrumental": request.make_instrumental,
        "generation_type": "TEXT",
        "negative_tags": request.negative_tags,
        "token": order.token,
    }
    if request.is_inspiration_mode:
        # Description mode: Suno writes lyrics, title and style itself from this text.
        body.update(prompt="", gpt_description_prompt=request.gpt_description_prompt)
    else:
        body.update(prompt=request.prompt, title=request.title, tags=request.effective_tags)
    if order.token:
        body["token_provider"] = order.token_provider or 1
    if request.persona_id:
        body["persona_id"] = request.persona_id
    if request.is_continuation:
        body.update(continue_clip_id=request.continue_clip_id, continue_at=request.continue_at, task="extend")
    return body


class LegacyProfile:
    name = "legacy"
    generate_path = "/api/generate/v2/"

    def __init__(self, feed_path: str = FEED_PATH) -> None:
        self._feed_path = feed_path

    def request_headers(self) -> Mapping[str, str]:
        return {}

    async def generate(self, requester: Requester, order: SubmitOrder) -> list[Clip]:
        reply = await requester.call(
            "POST", self.generate_path, "generate", body=generate_body(order), idempotent=False, paid=True
        )
        return clips_from(field(reply, "clips", "generate"), "generate", requester.account)

    async def feed(self, requester: Requester, ids: Sequence[str], batch_size: int) -> list[Clip]:
        clips: list[Clip] = []
        for start in range(0, len(ids), batch_size):
            # Raw commas, as the Go original sends them.
            query = ",".join(quote(clip_id, safe="") for clip_id in ids[start : start + batch_size])
            reply = await requester.call("GET", f"{self._feed_path}?ids={query}", "feed")
            clips.extend(clips_from(feed_items(reply), "feed", requester.account))
        return clips

    async def recent_clips(self, requester: Requester, limit: int) -> list[Clip]:
        clips: list[Clip] = []
        page = 0
        while len(clips) < limit:
            reply = await requester.call("GET", f"{self._feed_path}?page={page}", "feed")
            batch = clips_from(feed_items(reply), "feed", requester.account)
            clips.extend(batch)
            if len(batch) < RECENT_PAGE_SIZE:
                break
            page += 1
        return clips[:limit]

    async def write_lyrics(self, requester: Requester, prompt: str) -> LyricsDraft:
        reply = await requester.call(
            "POST", "/api/generate/lyrics/", "lyrics generation", body={"prompt": prompt}, idempotent=False
        )
        lyrics_id = field(reply, "id", "lyrics generation")
        if not isinstance(lyrics_id, str) or not lyrics_id:
            raise protocol_error(requester.account, "lyrics generation", "no lyrics id")
        return LyricsDraft(lyrics_id)

    async def lyrics_result(self, requester: Requester, lyrics_id: str) -> Lyrics:
        reply = await requester.call(
            "GET", f"/api/generate/lyrics/{quote(lyrics_id, safe='')}", "lyrics lookup"
        )
        if not isinstance(reply, Mapping):
            raise protocol_error(requester.account, "lyrics lookup", "not an object")
        return Lyrics.from_dict({**reply, "id": reply.get("id") or lyrics_id})
