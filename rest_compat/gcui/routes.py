"""gcui-art/suno-api's routes (/api/*) on SunoService; their OpenAPI operations are in `docs`.

A song route answers the clips of the new task at once (Suno's two clips, still queued), or with
`wait_audio: true` once they stream or finish (at most WAIT_AUDIO_SECONDS), by watching the task.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from rest_compat.caller import base_url
from rest_compat.clip_lists import MAX_CLIP_ID_LENGTH, clip_ids, find_clips
from rest_compat.failures import Failure, parse
from rest_compat.gcui import docs
from rest_compat.gcui.errors import UNAUTHORIZED, RestFailure, bad_request, error_reply, gcui_failure
from rest_compat.gcui.operations import gcui_operation_routes
from rest_compat.gcui.views import audio_info, limit_reply, lyrics_reply, raw_clip, task_audio
from rest_compat.gcui.wire import (
    CustomGenerateBody,
    ExtendAudioBody,
    GenerateBody,
    LyricsBody,
)
from rest_compat.json_response import JSONResponse
from rest_compat.openapi import DocumentedRoute
from rest_compat.request_body import read_json_object
from rest_compat.waiting import wait_unless_client_leaves
from suno.assets.links import AssetLinks
from suno.auth import is_authorized
from suno.config import Settings
from suno.errors import InvalidRequest
from suno.models import Task, TaskAction, TaskFilter, TaskStatus
from suno.requests import MusicOrder, lyrics_request, music_request
from suno.service import SunoService

# As gcui: wait_audio waits at most this long, then answers the clips as they are.
WAIT_AUDIO_SECONDS = 100.0
# gcui answers the lyrics once they exist; sunoql gives up waiting after this long.
LYRICS_WAIT_SECONDS = 100.0
# GET /api/get without ids: this many tasks (two clips each, as a Suno feed page) per page.
TASKS_PER_PAGE = 10
MAX_PAGE = 100
# Clip states in which gcui's wait_audio stops waiting.
PLAYABLE_STATES = frozenset({"streaming", "complete"})
BODY_EXAMPLE = '{"prompt": "…"}'

Handler = Callable[[Request], Awaitable[Any]]


def gcui_routes(service: SunoService, settings: Settings, links: AssetLinks) -> list[BaseRoute]:
    door = GcuiDoor(service, settings, links)
    return [
        door.route("/api/generate", door.generate, "POST", docs.GENERATE),
        door.route("/api/custom_generate", door.custom_generate, "POST", docs.CUSTOM_GENERATE),
        door.route("/api/extend_audio", door.extend_audio, "POST", docs.EXTEND_AUDIO),
        door.route("/api/generate_lyrics", door.generate_lyrics, "POST", docs.GENERATE_LYRICS),
        door.route("/api/get", door.get, "GET", docs.GET),
        door.route("/api/clip", door.clip, "GET", docs.CLIP),
        door.route("/api/get_limit", door.get_limit, "GET", docs.GET_LIMIT),
        *gcui_operation_routes(door),
    ]


class GcuiDoor:
    def __init__(self, service: SunoService, settings: Settings, links: AssetLinks) -> None:
        self.service = service
        self.settings = settings
        self.links = links

    def route(self, path: str, handler: Handler, method: str, operation: Any) -> DocumentedRoute:
        return DocumentedRoute(path, self.guarded(handler), methods=[method], operation=operation)

    def guarded(self, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        """SECRET_TOKEN first, then the handler; whatever it raises becomes `{"error": …}`."""

        async def endpoint(request: Request) -> Response:
            if not is_authorized(request.headers.get("authorization"), self.settings.secret_token):
                return error_reply(UNAUTHORIZED)
            try:
                data = await handler(request)
            except Exception as error:
                return error_reply(gcui_failure(error))
            return data if isinstance(data, Response) else JSONResponse(data)

        return endpoint

    # Songs

    async def generate(self, request: Request) -> list[dict[str, Any]]:
        wire = parse(GenerateBody, await read_fields(request))
        if not wire.prompt.strip():
            raise bad_request("prompt is required: describe the song")
        order = MusicOrder(
            gpt_description_prompt=wire.prompt,
            model=wire.model or "",
            make_instrumental=bool(wire.make_instrumental),
        )
        try:
            task = await self._submit(order)
        except InvalidRequest as error:
            raise RestFailure(gcui_failure(error, description_field=True)) from None
        return await self._answer(request, task, bool(wire.wait_audio))

    async def custom_generate(self, request: Request) -> list[dict[str, Any]]:
        wire = parse(CustomGenerateBody, await read_fields(request))
        instrumental = bool(wire.make_instrumental)
        if not (wire.prompt or "").strip() and not (instrumental and (wire.tags or "").strip()):
            raise bad_request(
                "prompt (the lyrics) is required; an instrumental (make_instrumental: true) may give only tags"
            )
        order = custom_order(wire, make_instrumental=instrumental)
        return await self._answer(request, await self._submit(order), bool(wire.wait_audio))

    async def extend_audio(self, request: Request) -> Response:
        wire = parse(ExtendAudioBody, await read_fields(request))
        if not wire.audio_id.strip():
            raise bad_request("audio_id is required: the clip to extend")
        order = custom_order(wire, continue_clip_id=wire.audio_id, continue_at=wire.continue_at)
        clips = await self._answer(request, await self._submit(order), bool(wire.wait_audio))
        # As gcui: when every clip failed (Suno's moderation, say), the clips come back with 400.
        failed = bool(clips) and all(clip["status"] == "error" for clip in clips)
        return JSONResponse(clips, status_code=400 if failed else 200)

    async def _submit(self, order: MusicOrder) -> Task:
        return await self.service.submit_music(music_request(order))

    async def _answer(self, request: Request, task: Task, wait: bool) -> list[dict[str, Any]]:
        if wait:
            await wait_unless_client_leaves(request, self._playable(task.id), WAIT_AUDIO_SECONDS)
        current = await self.service.get_task(task.id)
        return task_audio([current], await self.links.task_views([current], base_url(request)))

    async def _playable(self, task_id: str) -> None:
        async for snapshot in self.service.watch(task_id):
            if snapshot.is_terminal or (
                snapshot.clips and all(clip.status in PLAYABLE_STATES for clip in snapshot.clips)
            ):
                return

    # Lyrics

    async def generate_lyrics(self, request: Request) -> dict[str, Any]:
        wire = parse(LyricsBody, await read_fields(request))
        if not wire.prompt.strip():
            raise bad_request("prompt is required: say what the lyrics are about")
        task = await self.service.submit_lyrics(lyrics_request(wire.prompt))
        await wait_unless_client_leaves(request, self._ended(task.id), LYRICS_WAIT_SECONDS)
        current = await self.service.get_task(task.id)
        if current.status is TaskStatus.FAILURE:
            raise RestFailure(Failure(502, f"Suno could not write the lyrics: {current.fail_reason}"))
        return lyrics_reply(current)

    async def _ended(self, task_id: str) -> None:
        async for snapshot in self.service.watch(task_id):
            if snapshot.is_terminal:
                return

    # Reading

    async def get(self, request: Request) -> list[dict[str, Any]]:
        ids = clip_ids(request.query_params.get("ids", ""))
        page = page_number(request.query_params.get("page"))
        if ids:
            found = await find_clips(self.service, self.links, ids, base_url(request))
            return [audio_info(clip, views) for clip, views in found]
        listing = TaskFilter(actions=[TaskAction.MUSIC])
        result = await self.service.list_tasks(listing, None, TASKS_PER_PAGE)
        for _ in range(page):
            if result.next_cursor is None:
                return []
            result = await self.service.list_tasks(listing, result.next_cursor, TASKS_PER_PAGE)
        tasks = list(result.tasks)
        return task_audio(tasks, await self.links.task_views(tasks, base_url(request)))

    async def clip(self, request: Request) -> dict[str, Any]:
        clip_id = request.query_params.get("id", "").strip()
        if not clip_id:
            raise bad_request("id is required: GET /api/clip?id=<clip id>")
        if len(clip_id) > MAX_CLIP_ID_LENGTH:
            raise bad_request(f"id is too long: at most {MAX_CLIP_ID_LENGTH} characters")
        for clip, views in await find_clips(self.service, self.links, [clip_id], base_url(request)):
            return raw_clip(clip, views)
        raise RestFailure(Failure(404, f"no clip with id {clip_id!r}"))

    async def get_limit(self, _request: Request) -> dict[str, Any]:
        statuses = await self.service.account()
        if any(status.credits_left is None for status in statuses):
            statuses = await self.service.account(refresh=True)
        if not statuses:
            raise RestFailure(Failure(503, "no Suno account is configured"))
        return limit_reply(statuses)


def custom_order(wire: CustomGenerateBody | ExtendAudioBody, **more: Any) -> MusicOrder:
    """Custom mode's fields (the lyrics, style and title) as an order, with `more` of its fields."""
    return MusicOrder(
        prompt=wire.prompt or "",
        tags=wire.tags or "",
        negative_tags=wire.negative_tags or "",
        title=wire.title or "",
        model=wire.model or "",
        **more,
    )


def page_number(value: str | None) -> int:
    if value is None or value == "":
        return 0
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_PAGE:
        raise bad_request(f"page must be a whole number from 0 to {MAX_PAGE}, got {value[:20]!r}")
    return int(value)


async def read_fields(request: Request) -> dict[str, Any]:
    return await read_json_object(request, example=BODY_EXAMPLE)
