"""sunoapi.org's routes (/api/v1/*) on SunoService; their OpenAPI operations are in `docs`.

Every answer is HTTP 200 with `{"code", "msg", "data"}`; the outcome is `code`. A task's `callBackUrl`
becomes its webhook (format "sunoapi"), delivered by the core's outbox at each stage.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from rest_compat.caller import base_url
from rest_compat.failures import parse
from rest_compat.openapi import DocumentedRoute
from rest_compat.request_body import read_json_object
from rest_compat.sunoapi import docs
from rest_compat.sunoapi.callbacks import FORMAT
from rest_compat.sunoapi.errors import (
    NOT_AVAILABLE,
    NOT_FOUND,
    OK,
    TOO_LONG,
    UNAUTHORIZED,
    SunoapiError,
    bad,
    error_reply,
    reply,
)
from rest_compat.sunoapi.views import lyrics_record, music_record, stems_record, video_record, wav_record
from rest_compat.sunoapi.wire import (
    LIMITS,
    MODELS,
    NON_CUSTOM_PROMPT,
    ExtendBody,
    GenerateBody,
    LyricsBody,
    Mp4Body,
    VocalRemovalBody,
    WavBody,
)
from suno.assets.links import AssetLinks
from suno.assets.model import Asset, AssetKind, AssetState
from suno.assets.views import asset_path
from suno.auth import is_authorized
from suno.config import Settings
from suno.models import MusicRequest, Task, TaskAction, TaskStatus, VocalGender
from suno.operations.requests import OperationOrder, operation_request
from suno.pool_credits import PoolCredits
from suno.requests import MusicOrder, lyrics_request, music_request
from suno.service import SunoService
from suno.webhooks.policy import Webhook

log = logging.getLogger("sunoql.sunoapi")

PREFIX = "/api/v1"
WAV_PREFIX = "wav-"
LYRICS_WORDS = 200
# Routes whose contract takes a source this door cannot use yet (an `uploadUrl` to fetch): each answers
# 501; wiring one is a handler fetching the URL into `SunoService.upload_audio`, then the operation.
NOT_YET: dict[str, str] = {
    "/generate/upload-cover": "covers of uploaded audio",
    "/generate/upload-extend": "extending uploaded audio",
    "/generate/add-vocals": "adding vocals",
    "/generate/add-instrumental": "adding an instrumental",
}

Handler = Callable[[Request], Awaitable[Any]]


def sunoapi_routes(service: SunoService, settings: Settings, links: AssetLinks) -> list[BaseRoute]:
    door = SunoapiDoor(service, settings, links)
    routes: list[BaseRoute] = [
        door.route("/generate", door.generate, "POST", docs.GENERATE),
        door.route("/generate/extend", door.extend, "POST", docs.EXTEND),
        door.route("/generate/record-info", door.record_info, "GET", docs.RECORD_INFO),
        door.route("/generate/credit", door.credit, "GET", docs.CREDIT),
        door.route("/lyrics", door.lyrics, "POST", docs.LYRICS),
        door.route("/lyrics/record-info", door.lyrics_info, "GET", docs.LYRICS_INFO),
        door.route("/wav/generate", door.wav, "POST", docs.WAV),
        door.route("/wav/record-info", door.wav_info, "GET", docs.WAV_INFO),
        door.route("/vocal-removal/generate", door.vocal_removal, "POST", docs.VOCAL_REMOVAL),
        door.route("/vocal-removal/record-info", door.vocal_removal_info, "GET", docs.VOCAL_REMOVAL_INFO),
        door.route("/mp4/generate", door.mp4, "POST", docs.MP4),
        door.route("/mp4/record-info", door.mp4_info, "GET", docs.MP4_INFO),
    ]
    for path, what in NOT_YET.items():
        method = "GET" if path.endswith("record-info") else "POST"
        routes.append(door.route(path, door.not_yet(what), method, docs.not_yet(path, what)))
    return routes


class SunoapiDoor:
    def __init__(self, service: SunoService, settings: Settings, links: AssetLinks) -> None:
        self.service = service
        self.settings = settings
        self.links = links
        self._warned = False

    def route(self, path: str, handler: Handler, method: str, operation: Any) -> DocumentedRoute:
        return DocumentedRoute(PREFIX + path, self.guarded(handler), methods=[method], operation=operation)

    def guarded(self, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        """SECRET_TOKEN first, then the handler; whatever it raises becomes the envelope with its code."""

        async def endpoint(request: Request) -> Response:
            if not is_authorized(request.headers.get("authorization"), self.settings.secret_token):
                return reply(
                    UNAUTHORIZED, "unauthorized: send the header 'Authorization: Bearer <SECRET_TOKEN>'"
                )
            try:
                data = await handler(request)
            except Exception as error:
                return error_reply(error)
            return reply(OK, "success", data)

        return endpoint

    # Music

    async def generate(self, request: Request) -> dict[str, Any]:
        wire = parse(GenerateBody, await read_json_object(request, example=docs.EXAMPLE))
        limits = LIMITS.get(wire.model)
        if limits is None:
            raise bad(f"model must be one of {', '.join(MODELS)}, got {wire.model[:40]!r}")
        prompt, style, title = wire.prompt or "", wire.style or "", wire.title or ""
        if wire.customMode:
            required = ["style", "title"] if wire.instrumental else ["prompt", "style", "title"]
            given = {"prompt": prompt, "style": style, "title": title}
            missing = [name for name in required if not given[name].strip()]
            if missing:
                raise bad(f"custom mode needs {', '.join(missing)} (instrumental: style and title)")
            for name, limit in (("prompt", limits.prompt), ("style", limits.style), ("title", limits.title)):
                within(name, given[name], limit, wire.model)
            order = MusicOrder(
                prompt=prompt,
                tags=style,
                title=title,
                negative_tags=wire.negativeTags or "",
                vocal_gender=gender(wire.vocalGender),
                model=MODELS[wire.model],
                make_instrumental=wire.instrumental,
            )
        else:
            if not prompt.strip():
                raise bad("prompt is required: describe the song (non-custom mode)")
            within("prompt", prompt, NON_CUSTOM_PROMPT, "non-custom mode")
            order = MusicOrder(
                gpt_description_prompt=prompt,
                negative_tags=wire.negativeTags or "",
                vocal_gender=gender(wire.vocalGender),
                model=MODELS[wire.model],
                make_instrumental=wire.instrumental,
            )
        task = await self._submit(order, wire)
        return {"taskId": task.id}

    async def extend(self, request: Request) -> dict[str, Any]:
        wire = parse(ExtendBody, await read_json_object(request, example=docs.EXAMPLE))
        limits = LIMITS.get(wire.model)
        if limits is None:
            raise bad(f"model must be one of {', '.join(MODELS)}, got {wire.model[:40]!r}")
        if not wire.audioId.strip():
            raise bad("audioId is required: the clip to extend")
        sources = await self.service.tasks_for_clips([wire.audioId])
        clip = next((c for task in sources for c in task.clips if c.id == wire.audioId), None)
        if clip is None:
            raise SunoapiError(NOT_FOUND, f"no clip with id {wire.audioId!r}")
        if wire.defaultParamFlag:
            missing = [n for n in ("prompt", "style", "title") if not (getattr(wire, n) or "").strip()]
            if wire.continueAt is None:
                missing.append("continueAt")
            if missing:
                raise bad(f"defaultParamFlag true needs {', '.join(missing)}")
            for name, limit in (("prompt", limits.prompt), ("style", limits.style), ("title", limits.title)):
                within(name, getattr(wire, name) or "", limit, wire.model)
            prompt, style, title, at = wire.prompt or "", wire.style or "", wire.title or "", wire.continueAt
        else:
            # The source clip's own settings, continued from its end.
            prompt, style, title = wire.prompt or "", clip.tags or "", clip.title
            at = wire.continueAt if wire.continueAt is not None else (clip.duration or 0.0)
        order = MusicOrder(
            prompt=prompt,
            tags=style,
            title=title,
            negative_tags=wire.negativeTags or "",
            vocal_gender=gender(wire.vocalGender),
            model=MODELS[wire.model],
            make_instrumental=not prompt.strip(),
            continue_clip_id=wire.audioId,
            continue_at=at,
        )
        task = await self._submit(order, wire)
        return {"taskId": task.id}

    async def _submit(self, order: MusicOrder, wire: GenerateBody | ExtendBody) -> Task:
        song: MusicRequest = dataclasses.replace(
            music_request(order),
            style_weight=wire.styleWeight,
            weirdness=wire.weirdnessConstraint,
            audio_weight=wire.audioWeight,
            persona_id=(wire.personaId or "").strip() or None,
        )
        return await self.service.submit_music(song, self._webhook(wire.callBackUrl))

    async def record_info(self, request: Request) -> dict[str, Any]:
        task = await self._task(request, TaskAction.MUSIC)
        return music_record(task, await self.links.task_views([task], base_url(request)))

    async def credit(self, _request: Request) -> int:
        credits = PoolCredits.of(await self.service.account())
        if not credits.complete:
            credits = PoolCredits.of(await self.service.account(refresh=True))
        return credits.credits_left or 0  # the contract's data is a number

    # Lyrics

    async def lyrics(self, request: Request) -> dict[str, Any]:
        wire = parse(LyricsBody, await read_json_object(request, example=docs.EXAMPLE))
        if not wire.prompt.strip():
            raise bad("prompt is required: say what the lyrics are about")
        if len(wire.prompt.split()) > LYRICS_WORDS:
            raise SunoapiError(TOO_LONG, f"prompt is too long: at most {LYRICS_WORDS} words")
        task = await self.service.submit_lyrics(lyrics_request(wire.prompt), self._webhook(wire.callBackUrl))
        return {"taskId": task.id}

    async def lyrics_info(self, request: Request) -> dict[str, Any]:
        return lyrics_record(await self._task(request, TaskAction.LYRICS))

    # WAV: the asset mirror's lossless copy of a finished clip

    async def wav(self, request: Request) -> dict[str, Any]:
        # callBackUrl is accepted (the contract requires it) but not called for WAV: poll record-info.
        wire = parse(WavBody, await read_json_object(request, example=docs.EXAMPLE))
        task = await self.service.find_task(wire.taskId)
        if task is None or wire.audioId not in {clip.id for clip in task.clips}:
            raise SunoapiError(NOT_FOUND, f"no clip {wire.audioId!r} in task {wire.taskId!r}")
        if task.status is not TaskStatus.SUCCESS:
            raise bad("the song is not finished yet: convert it once record-info says SUCCESS")
        await self.links.store.add_missing(
            [Asset(clip_id=wire.audioId, kind=AssetKind.WAV, task_id=task.id, account=task.account)]
        )
        return {"taskId": f"{WAV_PREFIX}{wire.audioId}"}

    async def wav_info(self, request: Request) -> dict[str, Any]:
        record_id = task_id(request)
        clip_id = record_id.removeprefix(WAV_PREFIX)
        asset = (
            await self.links.store.get(clip_id, AssetKind.WAV) if record_id.startswith(WAV_PREFIX) else None
        )
        task = await self.service.store.find_by_clip(clip_id) if asset is not None else None
        if asset is None or task is None:
            raise SunoapiError(NOT_FOUND, f"no WAV conversion with taskId {record_id!r}")
        url = ""
        if asset.state is AssetState.READY:
            url = self.links.catalog.url(asset_path(clip_id, AssetKind.WAV), base_url(request))
        return wav_record(record_id, task, clip_id, asset, url)

    # Operations on a finished clip of one of this door's music tasks

    async def vocal_removal(self, request: Request) -> dict[str, Any]:
        # All twelve stems in one task, whatever `type` asks: it holds the vocals and everything else,
        # where separate_vocal's vocal + instrumental pair would be two paid Suno tasks.
        wire = parse(VocalRemovalBody, await read_json_object(request, example=docs.EXAMPLE))
        return await self._operate(TaskAction.STEMS, wire.taskId, wire.audioId, wire.callBackUrl)

    async def vocal_removal_info(self, request: Request) -> dict[str, Any]:
        task = await self._task(request, TaskAction.STEMS)
        return stems_record(task, await self.links.task_views([task], base_url(request)))

    async def mp4(self, request: Request) -> dict[str, Any]:
        wire = parse(Mp4Body, await read_json_object(request, example=docs.EXAMPLE))
        return await self._operate(TaskAction.VIDEO, wire.taskId, wire.audioId, wire.callBackUrl)

    async def mp4_info(self, request: Request) -> dict[str, Any]:
        task = await self._task(request, TaskAction.VIDEO)
        return video_record(task, await self.links.task_views([task], base_url(request)))

    async def _operate(
        self, action: TaskAction, music_task_id: str, clip_id: str, callback: str | None
    ) -> dict[str, str]:
        if not music_task_id.strip() or not clip_id.strip():
            raise bad("taskId and audioId are required: the music task and the clip it made")
        hook = self._webhook(callback)
        if hook is not None:
            # A bad callBackUrl is the caller's mistake whatever the clip: said before looking it up.
            self.service.webhooks.check(hook.url, hook.field)
        task = await self.service.find_task(music_task_id)
        if task is None or clip_id not in {clip.id for clip in task.clips}:
            raise SunoapiError(NOT_FOUND, f"no clip {clip_id!r} in task {music_task_id!r}")
        if task.status is not TaskStatus.SUCCESS:
            raise bad("the song is not finished yet: ask once record-info says SUCCESS")
        order = operation_request(action, OperationOrder(clip_id=clip_id))
        made = await self.service.submit_operation(action, order, hook)
        return {"taskId": made.id}

    def _webhook(self, url: str | None) -> Webhook | None:
        """The callBackUrl as the task's webhook. Clients of the contract always send one (it is required
        there, some send a placeholder and poll): with webhooks off (no WEBHOOK_SECRET) it is ignored,
        said once in the log, instead of refusing every request."""
        if not url or not url.strip():
            return None
        if not self.service.webhooks.enabled:
            if not self._warned:
                self._warned = True
                log.warning("callBackUrl ignored on /api/v1: set WEBHOOK_SECRET to have sunoql call it")
            return None
        return Webhook(url, FORMAT, field="callBackUrl")

    def not_yet(self, what: str) -> Handler:
        async def handler(request: Request) -> None:
            raise SunoapiError(
                NOT_AVAILABLE,
                f"not available yet: {request.url.path} ({what}) takes an uploadUrl, which this door "
                "does not fetch yet; upload the file through another door, then extend or cover its clip",
            )

        return handler

    async def _task(self, request: Request, action: TaskAction) -> Task:
        wanted = task_id(request)
        task = await self.service.find_task(wanted)
        if task is None or task.action is not action:
            raise SunoapiError(NOT_FOUND, f"no {action.value.lower()} task with taskId {wanted!r}")
        return task


def task_id(request: Request) -> str:
    value = request.query_params.get("taskId", "").strip()
    if not value:
        raise bad("taskId is required: ?taskId=<the taskId the submission answered>")
    if len(value) > 200:
        raise bad("taskId is too long")
    return value


def within(name: str, value: str, limit: int, model: str) -> None:
    if len(value) > limit:
        raise SunoapiError(
            TOO_LONG, f"{name} is too long for {model}: {len(value)} characters, at most {limit}"
        )


def gender(value: str | None) -> VocalGender | None:
    return {"m": VocalGender.MALE, "f": VocalGender.FEMALE}.get(value or "")
