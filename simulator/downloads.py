"""The 2026 era in the simulator: placeholder audio_url, media_urls, signed media, the download resolver, WAV.

See upstream-protocol.md §10. In the 2024 era every clip is unlocked and these routes still answer,
as the WAV conversion did then.
"""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from simulator.state import MEDIA_URL_TTL, SimClip, SimulatorState
from simulator.web import (
    AccountRoute,
    detail,
    json_body,
    json_response,
    public_base_url,
    query_value,
    raw_response,
)

# What Suno's placeholder answers: 403 with a short S3-style XML error (about 111 bytes).
FORBIDDEN_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
    b"<Message>Access Denied</Message></Error>"
)
ENCRYPTION_VERSION = "1.0.0"


def signed_media_url(state: SimulatorState, base_url: str, name: str) -> str:
    return f"{base_url}/media/{name}?{state.sign_media(name, state.clock() + MEDIA_URL_TTL)}"


def media_fields(state: SimulatorState, clip: SimClip, base_url: str) -> dict[str, Any]:
    """The 2026 fields of a finished clip: placeholder audio_url, media_urls, is_download_unlocked."""
    items: list[dict[str, Any]] = [
        {
            "url": f"{base_url}/media/enc/{clip.id}.m4a",
            "content_type": "m4a-opus",
            "delivery": "progressive",
            "encoding": ENCRYPTION_VERSION,  # encrypted: a player without the key hears nothing
        }
    ]
    if state.plain_media:
        items.append(
            {
                "url": signed_media_url(state, base_url, f"{clip.id}.wav"),
                "content_type": "wav",
                "delivery": "progressive",
            }
        )
    return {
        "audio_url": f"{base_url}/api/forbidden",
        "media_urls": items,
        "is_download_unlocked": clip.unlocked,
    }


def ciphertext(clip_id: str, size: int = 16_384) -> bytes:
    """Bytes that look like what an encrypted media item holds: no header any player recognises."""
    out = bytearray()
    block = hashlib.sha256(f"enc:{clip_id}".encode()).digest()
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:size])


class DownloadApi:
    """studio-api's download routes; handlers take the request and the bearer's account."""

    def __init__(self, state: SimulatorState) -> None:
        self.state = state

    def routes(self) -> list[AccountRoute]:
        return [
            ("GET", "/api/download/clip/{clip_id}", "download", self.download_link),
            ("POST", "/api/download/authorize", "download_authorize", self.authorize),
            ("POST", "/api/gen/{clip_id}/convert_wav", "convert_wav", self.convert_wav),
            ("GET", "/api/gen/{clip_id}/wav_file", "wav_file", self.wav_file),
        ]

    def _finished_clip(self, clip_id: str, account: str) -> SimClip | None:
        clip = self.state.clips.get(clip_id)
        if clip is None or clip.account != account or self.state.clip_status(clip) != "complete":
            return None
        return clip

    async def download_link(self, request: Request, account: str) -> Response:
        clip = self._finished_clip(request.path_params["clip_id"], account)
        media_format = query_value(request, "format") or "mp3"
        if clip is None:
            return detail(404, "Not found.")
        if media_format not in ("mp3", "wav", "m4a"):
            return detail(400, f"Unsupported format: {media_format}")
        # A stem is unlocked with the song it was separated from: a song and its stems count once.
        parent = self.state.clips.get(clip.stem_from_id) if clip.stem_from_id else None
        if not (clip.unlocked or (parent is not None and parent.unlocked)):
            return json_response(
                {
                    "ok": False,
                    "reason": "not_authorized",
                    "message": "Download this song from suno.com first (it uses your plan's downloads).",
                }
            )
        key = f"{clip.id}:{media_format}"
        self.state.download_polls[key] += 1
        if self.state.download_polls[key] <= self.state.processing_polls:
            return json_response({"ok": True, "status": "processing", "message": "Preparing your download"})
        # The simulator only makes WAV: every format gets the same playable file.
        url = signed_media_url(self.state, public_base_url(request), f"{clip.id}.wav")
        return json_response({"ok": True, "status": "complete", "download_url": url, "expires_in": 3600})

    async def authorize(self, request: Request, account: str) -> Response:
        body = await json_body(request) or {}
        clip = self._finished_clip(str(body.get("item_id") or ""), account)
        if clip is None or body.get("item_type") != "clip":
            return detail(404, "Not found.")
        if clip.unlocked:
            return json_response({"ok": True, "already_authorized": True})
        sim = self.state.account(account)
        if sim.download_usage >= sim.download_limit:
            return json_response(
                {"ok": False, "reason": "limit_reached", "message": "No downloads left this period."}, 402
            )
        sim.download_usage += 1
        clip.unlocked = True
        return json_response({"ok": True})

    async def convert_wav(self, request: Request, account: str) -> Response:
        clip = self._finished_clip(request.path_params["clip_id"], account)
        if clip is None:
            return detail(404, "Not found.")
        self.state.wav_requested[clip.id] += 1
        return json_response({})

    async def wav_file(self, request: Request, account: str) -> Response:
        clip = self._finished_clip(request.path_params["clip_id"], account)
        if clip is None:
            return detail(404, "Not found.")
        if not self.state.wav_requested[clip.id]:
            return json_response({"wav_file_url": None})
        key = f"{clip.id}:wav_file"
        self.state.download_polls[key] += 1
        if self.state.download_polls[key] <= self.state.processing_polls:
            return json_response({"wav_file_url": None})
        return json_response(
            {"wav_file_url": signed_media_url(self.state, public_base_url(request), f"{clip.id}.wav")}
        )


def forbidden() -> Response:
    return raw_response(FORBIDDEN_XML, "application/xml", 403)
