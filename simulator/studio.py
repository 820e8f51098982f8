"""studio-api's routes in the simulator: generate, feed, clip, lyrics, billing and the extras."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from simulator.faults import keyword_failure
from simulator.generation import GenerateApi
from simulator.render import aligned_words, clip_json, invented_lyrics, invented_title, lyrics_json
from simulator.state import SIM_MODELS, SimulatorState
from simulator.web import AccountRoute, detail, json_body, json_response, public_base_url, query_value


class StudioApi:
    """Handlers take the request and the account its bearer JWT belongs to (checked by the app)."""

    def __init__(self, state: SimulatorState) -> None:
        self.state = state
        self.generation = GenerateApi(state)

    def routes(self) -> list[AccountRoute]:
        return [
            ("POST", "/api/generate/v2", "generate", self.generation.legacy),
            ("POST", "/api/generate/v2-web", "generate", self.generation.web),
            ("GET", "/api/feed", "feed", self.feed_v1),
            ("GET", "/api/feed/v2", "feed", self.feed_v2),
            ("POST", "/api/feed/v3", "feed", self.feed_v3),
            ("GET", "/api/clip/{clip_id}", "clip", self.clip),
            ("POST", "/api/generate/lyrics", "lyrics", self.lyrics_submit),
            ("GET", "/api/generate/lyrics/{lyrics_id}", "lyrics_result", self.lyrics_result),
            ("POST", "/api/generate/cowrite-lyrics", "lyrics", self.cowrite_lyrics),
            ("GET", "/api/generate/cowrite-lyrics/models", "lyrics_models", self.cowrite_models),
            ("GET", "/api/billing/info", "billing", self.billing),
            ("POST", "/api/generate/concat/v2", "concat", self.concat),
            ("GET", "/api/gen/{clip_id}/aligned_lyrics/v2", "aligned_lyrics", self.aligned_lyrics),
            ("POST", "/api/edit/stems/{clip_id}", "stems", self.stems),
            ("POST", "/api/c/check", "captcha_check", self.captcha_check),
        ]

    def _own_clips(self, request: Request, account: str) -> list[dict[str, Any]]:
        raw = ",".join(request.query_params.getlist("ids"))
        ids = [clip_id for clip_id in raw.split(",") if clip_id]
        if not ids:
            mine = [clip for clip in self.state.clips.values() if clip.account == account]
            page = int(query_value(request, "page") or 0)
            chosen = sorted(mine, key=lambda c: c.created_at, reverse=True)[page * 20 : page * 20 + 20]
        else:
            found = (self.state.clips.get(clip_id) for clip_id in ids)
            chosen = [clip for clip in found if clip is not None and clip.account == account]
        return [clip_json(self.state, clip, public_base_url(request)) for clip in chosen]

    async def feed_v1(self, request: Request, account: str) -> Response:
        if not self.state.speaks("legacy"):
            return detail(404, "Not Found")
        return json_response(self._own_clips(request, account))

    async def feed_v2(self, request: Request, account: str) -> Response:
        if not self.state.speaks("legacy"):
            return detail(404, "Not Found")
        clips = self._own_clips(request, account)
        page = int(query_value(request, "page") or 0)
        return json_response({"clips": clips, "num_total_results": len(clips), "current_page": page})

    async def feed_v3(self, request: Request, account: str) -> Response:
        """Filtered by ids, or the account's clips newest first by cursor; clips in error are left out."""
        if not self.state.speaks("web2026"):
            return detail(404, "Not Found")
        body: dict[str, Any] = await json_body(request) or {}
        filters = body.get("filters") or {}
        wanted = (filters.get("ids") or {}).get("clipIds") if isinstance(filters, dict) else None
        base = public_base_url(request)
        if isinstance(wanted, list):
            found = (self.state.clips.get(str(clip_id)) for clip_id in wanted)
            chosen = [clip for clip in found if clip is not None and clip.account == account]
            next_cursor = None
        else:
            limit = min(max(int(body.get("limit") or 20), 1), 100)
            offset = int(body.get("cursor") or 0)
            mine = sorted(
                (clip for clip in self.state.clips.values() if clip.account == account),
                key=lambda c: (c.created_at, c.index),
                reverse=True,
            )
            chosen = mine[offset : offset + limit]
            next_cursor = str(offset + limit) if offset + limit < len(mine) else None
        clips = [clip_json(self.state, clip, base) for clip in chosen]
        shown = [clip for clip in clips if clip["status"] != "error"]
        return json_response(
            {"clips": shown, "next_cursor": next_cursor, "has_more": next_cursor is not None}
        )

    async def clip(self, request: Request, account: str) -> Response:
        clip = self.state.clips.get(request.path_params["clip_id"])
        if clip is None or clip.account != account:
            return detail(404, "Not found.")
        return json_response(clip_json(self.state, clip, public_base_url(request)))

    async def cowrite_lyrics(self, request: Request, account: str) -> Response:
        if not self.state.speaks("web2026"):
            return detail(404, "Not Found")
        instruction = str((await json_body(request) or {}).get("instruction") or "")
        if (failure := await keyword_failure(self.state, "lyrics", instruction)) is not None:
            return failure
        if not instruction.strip():
            return detail(422, "instruction is required")
        lyrics = self.state.new_lyrics(account, instruction)
        return json_response(
            {
                "id": lyrics.id,
                "title": invented_title(instruction),
                "lyrics": invented_lyrics(instruction),
                "status": "complete",
            }
        )

    async def cowrite_models(self, request: Request, account: str) -> Response:
        return json_response({"models": [{"key": "default", "name": "Default", "is_default": True}]})

    async def lyrics_submit(self, request: Request, account: str) -> Response:
        prompt = str((await json_body(request) or {}).get("prompt") or "")
        if (failure := await keyword_failure(self.state, "lyrics", prompt)) is not None:
            return failure
        return json_response({"id": self.state.new_lyrics(account, prompt).id})

    async def lyrics_result(self, request: Request, account: str) -> Response:
        lyrics = self.state.lyrics.get(request.path_params["lyrics_id"])
        if lyrics is None or lyrics.account != account:
            return detail(404, "Not found.")
        return json_response(lyrics_json(self.state, lyrics))

    async def billing(self, request: Request, account: str) -> Response:
        sim = self.state.account(account)
        return json_response(
            {
                "total_credits_left": sim.credits,
                "credits_left": sim.credits,
                "monthly_limit": sim.monthly_limit,
                "monthly_usage": sim.monthly_usage,
                "period": "month",
                "is_active": True,
                "subscription_type": "simulated",
                "download_usage": sim.download_usage,
                "download_limit": sim.download_limit,
                "plan": {
                    "id": "sim-pro",
                    "name": "Pro (simulated)",
                    "plan_key": "pro",
                    "usage_plan_features": [],
                },
                "models": [dict(model) for model in SIM_MODELS],
            }
        )

    async def concat(self, request: Request, account: str) -> Response:
        source = self.state.clips.get(str((await json_body(request) or {}).get("clip_id") or ""))
        if source is None or source.account != account:
            return detail(404, "Not found.")
        clip = self.state.new_clip(
            account,
            prompt=source.prompt,
            description=source.description,
            title=source.title,
            tags=source.tags,
            mv=source.mv,
            kind="concat",
            history=[{"id": source.id, "type": "gen"}, *source.history],
        )
        return json_response(clip_json(self.state, clip, public_base_url(request)))

    async def aligned_lyrics(self, request: Request, account: str) -> Response:
        clip = self.state.clips.get(request.path_params["clip_id"])
        if clip is None or clip.account != account:
            return detail(404, "Not found.")
        words = aligned_words(clip)
        return json_response(
            {"aligned_words": words, "waveform_data": [], "hoot_cer": 0.1, "is_streamed": False}
        )

    async def stems(self, request: Request, account: str) -> Response:
        source = self.state.clips.get(request.path_params["clip_id"])
        if source is None or source.account != account:
            return detail(404, "Not found.")
        clips = [
            self.state.new_clip(
                account,
                index=0,
                title=f"{source.title or 'Song'} ({part})",
                tags=source.tags,
                mv=source.mv,
                make_instrumental=True,
                kind="stem",
                stem_from_id=source.id,
            )
            for part in ("Vocals", "Instrumental")
        ]
        return json_response(
            {"clips": [clip_json(self.state, clip, public_base_url(request)) for clip in clips]}
        )

    async def captcha_check(self, request: Request, account: str) -> Response:
        return json_response(self.state.challenges.check(account))
