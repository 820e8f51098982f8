"""gcui-art's song-operation routes on sunoql's core: /api/concat, /api/generate_stems,
/api/get_aligned_lyrics and /api/persona, in gcui's shapes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from starlette.requests import Request
from starlette.routing import BaseRoute

from rest_compat.failures import Failure, parse
from rest_compat.gcui import docs
from rest_compat.gcui.errors import RestFailure, bad_request
from rest_compat.gcui.wire import ConcatBody, StemsBody
from rest_compat.openapi import DocumentedRoute
from rest_compat.request_body import read_json_object
from suno.assets.links import AssetLinks
from suno.models import Task, TaskAction
from suno.operations.requests import OperationOrder, operation_request
from suno.service import SunoService

Handler = Callable[[Request], Awaitable[Any]]
MAX_PERSONA_PAGE = 1000


class Door(Protocol):
    service: SunoService
    links: AssetLinks

    def route(self, path: str, handler: Handler, method: str, operation: Any) -> DocumentedRoute: ...

    async def _answer(self, request: Request, task: Task, wait: bool) -> list[dict[str, Any]]: ...


def gcui_operation_routes(door: Door) -> list[BaseRoute]:
    ops = GcuiOperations(door)
    return [
        door.route("/api/concat", ops.concat, "POST", docs.CONCAT),
        door.route("/api/generate_stems", ops.generate_stems, "POST", docs.GENERATE_STEMS),
        door.route("/api/get_aligned_lyrics", ops.get_aligned_lyrics, "GET", docs.GET_ALIGNED_LYRICS),
        door.route("/api/persona", ops.persona, "GET", docs.PERSONA),
    ]


class GcuiOperations:
    def __init__(self, door: Door) -> None:
        self.door = door
        self.service = door.service

    async def concat(self, request: Request) -> dict[str, Any]:
        """gcui answers Suno's concat reply: the whole song's clip, as it is now."""
        wire = parse(ConcatBody, await read_json_object(request, example='{"clip_id": "…"}'))
        task = await self._submit(TaskAction.CONCAT, wire.clip_id)
        clips = await self.door._answer(request, task, False)
        if not clips:
            raise RestFailure(Failure(502, "Suno made no whole-song clip"))
        return clips[0]

    async def generate_stems(self, request: Request) -> list[dict[str, Any]]:
        wire = parse(StemsBody, await read_json_object(request, example='{"audio_id": "…"}'))
        task = await self._submit(TaskAction.STEMS, wire.audio_id)
        return await self.door._answer(request, task, False)

    async def get_aligned_lyrics(self, request: Request) -> list[dict[str, Any]]:
        """gcui answers Suno's aligned words ({word, start_s, end_s, success, p_align}) for `song_id`."""
        song_id = request.query_params.get("song_id", "").strip()
        if not song_id or len(song_id) > 128:
            raise bad_request("song_id is required: GET /api/get_aligned_lyrics?song_id=<clip id>")
        found = await self.service.aligned_lyrics(song_id)
        if found is None:
            raise RestFailure(Failure(503, "Suno is still timing these lyrics: ask again in a moment"))
        return [
            {"word": w.text, "start_s": w.start, "end_s": w.end, "success": True, "p_align": 1.0}
            for w in found.words
        ]

    async def persona(self, request: Request) -> dict[str, Any]:
        persona_id = request.query_params.get("id", "").strip()
        if not persona_id or len(persona_id) > 128:
            raise bad_request("id is required: GET /api/persona?id=<persona id>&page=1")
        raw_page = request.query_params.get("page") or "1"
        if not (raw_page.isascii() and raw_page.isdigit()) or not 1 <= int(raw_page) <= MAX_PERSONA_PAGE:
            raise bad_request(f"page must be a whole number from 1 to {MAX_PERSONA_PAGE}")
        page = await self.service.operations.persona_page(persona_id, int(raw_page))
        return dict(page)

    async def _submit(self, action: TaskAction, clip_id: str) -> Task:
        return await self.service.submit_operation(
            action, operation_request(action, OperationOrder(clip_id=clip_id))
        )
