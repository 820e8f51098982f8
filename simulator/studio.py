"""studio-api's routes in the simulator: generate, feed, clip, lyrics, billing and the extras."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from simulator.faults import keyword_failure
from simulator.operations import SIM_MODELS
from simulator.render import MAJOR_VERSIONS, aligned_words, clip_json, iso, lyrics_json
from simulator.state import CREDITS_PER_GENERATION, SimulatorState
from simulator.web import AccountRoute, detail, json_body, json_response, public_base_url, query_value


class StudioApi:
    """Handlers take the request and the account its bearer JWT belongs to (checked by the app)."""

    def __init__(self, state: SimulatorState) -> None:
        self.state = state

    def routes(self) -> list[AccountRoute]:
        return [
            ("POST", "/api/generate/v2", "generate", self.generate),
            ("GET", "/api/feed", "feed", self.feed_v1),
            ("GET", "/api/feed/v2", "feed", self.feed_v2),
            ("GET", "/api/clip/{clip_id}", "clip", self.clip),
            ("POST", "/api/generate/lyrics", "lyrics", self.lyrics_submit),
            ("GET", "/api/generate/lyrics/{lyrics_id}", "lyrics_result", self.lyrics_result),
            ("GET", "/api/billing/info", "billing", self.billing),
            ("POST", "/api/generate/concat/v2", "concat", self.concat),
            ("GET", "/api/gen/{clip_id}/aligned_lyrics/v2", "aligned_lyrics", self.aligned_lyrics),
            ("POST", "/api/edit/stems/{clip_id}", "stems", self.stems),
            ("POST", "/api/c/check", "captcha_check", self.captcha_check),
        ]

    async def generate(self, request: Request, account: str) -> Response:
        body: dict[str, Any] = await json_body(request) or {}
        text = " ".join(
            str(body.get(key) or "") for key in ("prompt", "gpt_description_prompt", "tags", "title")
        )
        if (failure := await keyword_failure(self.state, "generate", text)) is not None:
            return failure
        if self.state.captcha_required and not body.get("token"):
            return detail(422, "Token validation failed.")
        limit = self.state.max_running_jobs
        if limit is not None and self.state.running_jobs(account) >= limit:
            return detail(429, "Too many running jobs", {"Retry-After": f"{self.state.retry_after:g}"})
        sim_account = self.state.account(account)
        if sim_account.credits < CREDITS_PER_GENERATION:
            return detail(402, "Insufficient credits.")
        sim_account.credits -= CREDITS_PER_GENERATION
        sim_account.monthly_usage += CREDITS_PER_GENERATION
        history = []
        if body.get("continue_clip_id"):
            history = [
                {
                    "id": body["continue_clip_id"],
                    "continue_at": body.get("continue_at"),
                    "type": "gen",
                    "source": "web",
                    "infill": False,
                }
            ]
        fails = "[sim:clip-error]" in text or self.state.take_fault("generate", account, {"clip-error"})
        fields: dict[str, Any] = {
            "prompt": str(body.get("prompt") or ""),
            "description": str(body.get("gpt_description_prompt") or ""),
            "title": str(body.get("title") or ""),
            "tags": str(body.get("tags") or ""),
            "negative_tags": str(body.get("negative_tags") or ""),
            "mv": str(body.get("mv") or "chirp-fenix"),
            "make_instrumental": bool(body.get("make_instrumental")),
            "error_message": "Simulated failure: this song could not be generated." if fails else None,
            "history": history,
        }
        clips = [self.state.new_clip(account, index=index, **fields) for index in range(2)]
        created = iso(self.state.clock())
        reply = {
            "id": f"batch_{clips[0].id}",
            "clips": [clip_json(self.state, clip, public_base_url(request)) for clip in clips],
            "metadata": {"prompt": fields["prompt"], "tags": fields["tags"], "type": "gen", "stream": True},
            "major_model_version": MAJOR_VERSIONS.get(fields["mv"], fields["mv"]),
            "status": "complete",
            "created_at": created,
            "batch_size": 1,
        }
        return json_response(reply)

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
        return json_response(self._own_clips(request, account))

    async def feed_v2(self, request: Request, account: str) -> Response:
        clips = self._own_clips(request, account)
        page = int(query_value(request, "page") or 0)
        return json_response({"clips": clips, "num_total_results": len(clips), "current_page": page})

    async def clip(self, request: Request, account: str) -> Response:
        clip = self.state.clips.get(request.path_params["clip_id"])
        if clip is None or clip.account != account:
            return detail(404, "Not found.")
        return json_response(clip_json(self.state, clip, public_base_url(request)))

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
                # The models and the operations each supports (suno-2026.md, billing).
                "models": SIM_MODELS,
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
        return json_response({"required": self.state.captcha_required})
