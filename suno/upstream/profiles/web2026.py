"""The web app's calls of late 2026 (`suno-2026.md`): generate/v2-web, feed/v3, cowrite lyrics."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from suno.models import Clip, Lyrics
from suno.upstream.clip_parsing import clips_from, feed_items, field, protocol_error
from suno.upstream.profiles.base import LyricsDraft, SubmitOrder
from suno.upstream.requester import Requester

GENERATE_PATH = "/api/generate/v2-web/"
FEED_PATH = "/api/feed/v3"
COWRITE_PATH = "/api/generate/cowrite-lyrics/"
RECENT_PAGE_SIZE = 50


def browser_token(now_ms: int | None = None) -> str:
    """The `browser-token` header: JSON holding base64 of {"timestamp": ms}, fresh per request."""
    stamp = int(time.time() * 1000) if now_ms is None else now_ms
    inner = base64.b64encode(json.dumps({"timestamp": stamp}).encode()).decode()
    return json.dumps({"token": inner})


def generate_body(order: SubmitOrder) -> dict[str, Any]:
    """The v2-web body for a new song (simple or custom mode) or a continuation (`task: "extend"`)."""
    request = order.request
    simple = request.is_inspiration_mode
    metadata: dict[str, Any] = {
        "web_client_pathname": "/create",
        "create_mode": "simple" if simple else "custom",
        "create_session_token": str(uuid.uuid4()),
    }
    if order.user_tier:
        metadata["user_tier"] = order.user_tier
    body: dict[str, Any] = {
        "generation_type": "TEXT",
        "mv": order.mv,
        "transaction_uuid": order.transaction_uuid,
        "override_fields": [],
        "make_instrumental": request.make_instrumental,
        "metadata": metadata,
    }
    if simple:
        metadata["lyrics_model"] = "default"
        body.update(prompt="", gpt_description_prompt=request.gpt_description_prompt)
    else:
        body.update(
            prompt="" if request.make_instrumental else request.prompt,
            title=request.title,
            tags=request.effective_tags,
            negative_tags=request.negative_tags,
        )
    if order.token:
        body.update(token=order.token, token_provider=order.token_provider or 1)
    sliders = _control_sliders(order)
    if sliders:
        metadata["control_sliders"] = sliders
    if request.max_mode:
        metadata["is_max_mode"] = True
    if request.mumble:
        metadata["is_mumble"] = True
    if request.duration_seconds is not None:
        body["duration"] = request.duration_seconds
    if request.persona_id:
        body["persona_id"] = request.persona_id
    if request.is_continuation:
        metadata["is_remix"] = True
        body.update(task="extend", continue_clip_id=request.continue_clip_id, continue_at=request.continue_at)
    return body


def _control_sliders(order: SubmitOrder) -> dict[str, Any]:
    request = order.request
    sliders: dict[str, Any] = {}
    if request.weirdness is not None:
        sliders["weirdness_constraint"] = request.weirdness
    if request.style_weight is not None:
        sliders["style_weight"] = request.style_weight
    if request.audio_weight is not None:
        sliders["audio_weight"] = request.audio_weight
    if request.variety is not None:
        sliders["aug_creativity"] = request.variety
    return sliders


def _ids_filter(ids: Sequence[str]) -> dict[str, Any]:
    return {"cursor": None, "limit": len(ids), "filters": {"ids": {"presence": "True", "clipIds": list(ids)}}}


class Web2026Profile:
    name = "web2026"
    generate_path = GENERATE_PATH

    def request_headers(self) -> Mapping[str, str]:
        return {"browser-token": browser_token()}

    async def generate(self, requester: Requester, order: SubmitOrder) -> list[Clip]:
        reply = await requester.call(
            "POST", GENERATE_PATH, "generate", body=generate_body(order), idempotent=False, paid=True
        )
        return clips_from(field(reply, "clips", "generate"), "generate", requester.account)

    async def feed(self, requester: Requester, ids: Sequence[str], batch_size: int) -> list[Clip]:
        # feed/v3 leaves out clips in error: the caller reads a missing id with GET /api/clip/{id}.
        clips: list[Clip] = []
        for start in range(0, len(ids), batch_size):
            reply = await requester.call(
                "POST", FEED_PATH, "feed", body=_ids_filter(ids[start : start + batch_size])
            )
            clips.extend(clips_from(feed_items(reply), "feed", requester.account))
        return clips

    async def recent_clips(self, requester: Requester, limit: int) -> list[Clip]:
        clips: list[Clip] = []
        cursor: Any = None
        while len(clips) < limit:
            body = {"cursor": cursor, "limit": min(RECENT_PAGE_SIZE, limit - len(clips))}
            reply = await requester.call("POST", FEED_PATH, "feed", body=body)
            clips.extend(clips_from(feed_items(reply), "feed", requester.account))
            cursor = reply.get("next_cursor") if isinstance(reply, Mapping) else None
            if not cursor or not (isinstance(reply, Mapping) and reply.get("has_more")):
                break
        return clips[:limit]

    async def write_lyrics(self, requester: Requester, prompt: str) -> LyricsDraft:
        body = {"instruction": prompt, "mode": "apply_user_request", "metadata": {"lyrics_model": "default"}}
        reply = await requester.call("POST", COWRITE_PATH, "lyrics generation", body=body, idempotent=False)
        if not isinstance(reply, Mapping):
            raise protocol_error(requester.account, "lyrics generation", "not an object")
        text = reply.get("lyrics") or reply.get("text")
        if not isinstance(text, str) or not text.strip():
            raise protocol_error(requester.account, "lyrics generation", "no lyrics")
        lyrics_id = str(reply.get("id") or uuid.uuid4())
        title = reply.get("title")
        return LyricsDraft(
            lyrics_id,
            Lyrics(id=lyrics_id, status="complete", title=title if isinstance(title, str) else "", text=text),
        )

    async def lyrics_result(self, requester: Requester, lyrics_id: str) -> Lyrics:
        # Cowrite answers at once, so only a task from the legacy route polls; that route may still answer.
        reply = await requester.call(
            "GET", f"/api/generate/lyrics/{quote(lyrics_id, safe='')}", "lyrics lookup"
        )
        if not isinstance(reply, Mapping):
            raise protocol_error(requester.account, "lyrics lookup", "not an object")
        return Lyrics.from_dict({**reply, "id": reply.get("id") or lyrics_id})
