"""Suno's CDN in the simulator (no auth): audio, covers, encrypted media, audiopipe, the 2026 placeholder."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from simulator.downloads import ciphertext, forbidden
from simulator.era import SimulatorEra
from simulator.media import clip_wav, cover_png
from simulator.state import SimulatorState
from simulator.web import detail, query_value, raw_response, route


class CdnApi:
    def __init__(self, state: SimulatorState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        return [
            *route("GET", "/api/forbidden", self.forbidden),
            *route("GET", "/media/enc/{name}", self.encrypted_media),
            *route("GET", "/media/{name}", self.media),
            *route("GET", "/audiopipe", self.audiopipe),
        ]

    async def media(self, request: Request) -> Response:
        self.state.calls["media"] += 1
        name = request.path_params["name"]
        if name.startswith("image_") and name.endswith(".png"):
            clip_id = name.removeprefix("image_large_").removeprefix("image_").removesuffix(".png")
            if clip_id in self.state.clips:
                return raw_response(cover_png(clip_id), "image/png")
        if self.state.era is SimulatorEra.SUNO_2026 and not self.state.media_signature_ok(
            name, query_value(request, "expires"), query_value(request, "signature")
        ):
            return forbidden()  # the CDN now wants signed URLs
        clip = self.state.clips.get(name.removesuffix(".wav"))
        if name.endswith(".wav") and clip is not None and self.state.clip_status(clip) == "complete":
            return raw_response(clip_wav(clip.id), "audio/wav")
        return detail(404, "Not found.")

    async def forbidden(self, request: Request) -> Response:
        """The 2026 placeholder `audio_url`: 403 with an XML body, for everyone."""
        self.state.calls["forbidden"] += 1
        return forbidden()

    async def encrypted_media(self, request: Request) -> Response:
        self.state.calls["encrypted_media"] += 1
        clip_id = request.path_params["name"].removesuffix(".m4a")
        if clip_id not in self.state.clips:
            return detail(404, "Not found.")
        return raw_response(ciphertext(clip_id), "application/octet-stream")

    async def audiopipe(self, request: Request) -> Response:
        self.state.calls["audiopipe"] += 1
        clip = self.state.clips.get(query_value(request, "item_id") or "")
        if clip is None:
            return detail(404, "Not found.")
        return raw_response(clip_wav(clip.id), "audio/wav")
