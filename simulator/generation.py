"""The simulator's generate routes: the legacy `/api/generate/v2/` and the web app's `/api/generate/v2-web/`."""

from __future__ import annotations

import base64
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from simulator.faults import injected_failure, keyword_failure
from simulator.operations import generate_operation
from simulator.render import MAJOR_VERSIONS, clip_json, iso
from simulator.state import CREDITS_PER_GENERATION, DEFAULT_MODEL_KEY, SimulatorState
from simulator.web import detail, json_body, json_response, public_base_url

# The headers worth keeping with each recorded generate request (no authorization: it is a secret).
RECORDED_HEADERS = ("browser-token", "device-id", "origin", "referer", "user-agent")
SONG_TASKS = (None, "", "extend")


def _is_operation(body: dict[str, Any]) -> bool:
    """Any task but a plain song or a continuation (`extend`, which this module answers with its history)."""
    return body.get("task") not in SONG_TASKS


class GenerateApi:
    def __init__(self, state: SimulatorState) -> None:
        self.state = state

    async def legacy(self, request: Request, account: str) -> Response:
        if not self.state.speaks("legacy"):
            return detail(404, "Not Found")
        body: dict[str, Any] = await json_body(request) or {}
        self._record(request, body)
        if (operation := await self._maybe_operation(request, account, body)) is not None:
            return operation
        return await self._generate(request, account, body, default_model="chirp-fenix")

    async def web(self, request: Request, account: str) -> Response:
        if not self.state.speaks("web2026"):
            return detail(404, "Not Found")
        body: dict[str, Any] = await json_body(request) or {}
        self._record(request, body)
        if (operation := await self._maybe_operation(request, account, body)) is not None:
            return operation
        metadata = body.get("metadata")
        if not isinstance(body.get("transaction_uuid"), str) or not body["transaction_uuid"]:
            return detail(422, "transaction_uuid is required")
        if not isinstance(metadata, dict) or metadata.get("create_mode") not in ("simple", "custom"):
            return detail(422, "metadata.create_mode must be 'simple' or 'custom'")
        token = request.headers.get("browser-token")
        if token is not None and not _browser_token_ok(token):
            return detail(422, "Token validation failed.")
        mv = str(body.get("mv") or DEFAULT_MODEL_KEY)
        if mv not in self.state.usable_models():
            return detail(400, f"Model {mv} is not available on your plan.")
        return await self._generate(request, account, body, default_model=DEFAULT_MODEL_KEY)

    def _record(self, request: Request, body: dict[str, Any]) -> None:
        headers = {
            name: value for name in RECORDED_HEADERS if (value := request.headers.get(name)) is not None
        }
        self.state.record_generate(request.url.path, body, headers)

    async def _maybe_operation(self, request: Request, account: str, body: dict[str, Any]) -> Response | None:
        """A body with a `task` is an operation on a clip (either profile's route): counted, and open to
        faults, as "operation"; simulator.operations answers all but a continuation (None: the caller does)."""
        if not body.get("task"):
            return None
        self.state.calls["operation"] += 1
        self.state.account(account).calls["operation"] += 1
        if (failure := await injected_failure(self.state, "operation", account)) is not None:
            return failure
        if _is_operation(body):
            return await generate_operation(self.state, body, account, public_base_url(request))
        self.state.operations.bodies.append(dict(body))
        return None

    async def _generate(
        self, request: Request, account: str, body: dict[str, Any], *, default_model: str
    ) -> Response:
        text = " ".join(
            str(body.get(key) or "") for key in ("prompt", "gpt_description_prompt", "tags", "title")
        )
        if (failure := await keyword_failure(self.state, "generate", text)) is not None:
            return failure
        if not self.state.challenges.admit(account, body):
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
            "mv": str(body.get("mv") or default_model),
            "make_instrumental": bool(body.get("make_instrumental")),
            "error_message": "Simulated failure: this song could not be generated." if fails else None,
            "history": history,
        }
        clips = [self.state.new_clip(account, index=index, **fields) for index in range(2)]
        if "[sim:lost-answer]" in text or self.state.take_fault("generate", account, {"lost-answer"}):
            # The clips exist and the credits are spent, but the caller never hears it.
            return detail(504, "Gateway Timeout")
        reply = {
            "id": f"batch_{clips[0].id}",
            "clips": [clip_json(self.state, clip, public_base_url(request)) for clip in clips],
            "metadata": {"prompt": fields["prompt"], "tags": fields["tags"], "type": "gen", "stream": True},
            "major_model_version": MAJOR_VERSIONS.get(fields["mv"], fields["mv"]),
            "status": "complete",
            "created_at": iso(self.state.clock()),
            "batch_size": 1,
        }
        return json_response(reply)


def _browser_token_ok(header: str) -> bool:
    """`{"token": base64 of {"timestamp": ms}}`, as the web app makes it."""
    try:
        outer = json.loads(header)
        inner = json.loads(base64.b64decode(outer["token"]))
        return isinstance(inner["timestamp"], int)
    except (ValueError, KeyError, TypeError):
        return False
