"""The original REST door's song operations: /suno/submit/<operation>, /suno/upload, personas, timed lyrics."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.routing import BaseRoute

from rest_compat.caller import base_url
from rest_compat.failures import bad_request, parse
from rest_compat.legacy import operations_wire as docs
from rest_compat.legacy.operations_wire import OperationSubmission, PersonaSubmission, UploadByUrl
from rest_compat.openapi import DocumentedRoute
from rest_compat.request_body import read_json_object
from suno.assets.links import AssetLinks
from suno.config import Settings
from suno.models import AlignedLyrics, Persona, TaskAction
from suno.operations.audio_file import CHUNK
from suno.operations.requests import OperationOrder, operation_request
from suno.operations.uploads import upload_chunks, upload_url
from suno.service import SunoService


class Door(Protocol):
    """What the operation routes need of the legacy door: the core, the settings, its guarded routes."""

    service: SunoService
    settings: Settings
    links: AssetLinks

    def route(self, path: str, handler: Handler, method: str, operation: Any) -> DocumentedRoute: ...


# /suno/submit/<path> → the task action.
SUBMIT_ACTIONS = {
    "extend": TaskAction.EXTEND,
    "cover": TaskAction.COVER,
    "concat": TaskAction.CONCAT,
    "stems": TaskAction.STEMS,
    "remaster": TaskAction.REMASTER,
    "add-vocals": TaskAction.ADD_VOCALS,
    "add-instrumental": TaskAction.ADD_INSTRUMENTAL,
    "video": TaskAction.VIDEO,
}
Handler = Callable[[Request], Awaitable[Any]]
BODY_EXAMPLE = '{"clip_id": "…"}'
# A multipart body's size beyond the file itself (boundaries, the title field).
FORM_OVERHEAD = 64 * 1024


def operation_routes(door: Door) -> list[BaseRoute]:
    ops = OperationsDoor(door)
    routes: list[BaseRoute] = [
        door.route(f"/suno/submit/{path}", ops.submitter(action), "POST", docs.submit_operation_doc(path))
        for path, action in SUBMIT_ACTIONS.items()
    ]
    return [
        *routes,
        door.route("/suno/upload", ops.upload, "POST", docs.UPLOAD),
        door.route("/suno/persona", ops.create_persona, "POST", docs.CREATE_PERSONA),
        door.route("/suno/personas", ops.personas, "GET", docs.LIST_PERSONAS),
        door.route("/suno/lyrics/aligned/{clip_id}", ops.aligned_lyrics, "GET", docs.ALIGNED_LYRICS),
    ]


class OperationsDoor:
    def __init__(self, door: Door) -> None:
        self.door = door
        self.service = door.service

    def submitter(self, action: TaskAction) -> Any:
        async def submit(request: Request) -> str:
            wire = parse(OperationSubmission, await read_json_object(request, example=BODY_EXAMPLE))
            task = await self.service.submit_operation(action, operation_request(action, order_of(wire)))
            return task.id

        return submit

    async def upload(self, request: Request) -> str:
        limit = self.door.settings.upload_max_bytes
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit + FORM_OVERHEAD:
                raise bad_request(f"the audio file is larger than {limit} bytes (UPLOAD_MAX_BYTES)")
            try:
                form = await request.form(max_files=1, max_fields=4)
            except (MultiPartException, HTTPException) as error:
                # Starlette turns its parser's complaint into an HTTPException inside an app.
                detail = error.message if isinstance(error, MultiPartException) else error.detail
                raise bad_request(f"the multipart body cannot be read: {detail}") from None
            try:
                file = form.get("file")
                title = form.get("title")
                if not isinstance(file, UploadFile):
                    raise bad_request("send the audio as a multipart part named 'file'")
                if title is not None and not isinstance(title, str):
                    raise bad_request("title must be text")
                task = await upload_chunks(self.service, file.filename or "", title, _chunks(file), limit)
            finally:
                await form.close()
            return task.id
        wire = parse(UploadByUrl, await read_json_object(request, example=BODY_EXAMPLE))
        return (await upload_url(self.service, wire.url, wire.title, limit)).id

    async def create_persona(self, request: Request) -> dict[str, Any]:
        wire = parse(PersonaSubmission, await read_json_object(request, example=BODY_EXAMPLE))
        persona = await self.service.operations.create_persona(
            wire.clip_id, wire.name, wire.description, wire.is_public
        )
        return persona_data(persona)

    async def personas(self, request: Request) -> list[dict[str, Any]]:
        return [persona_data(p) for p in await self.service.operations.list_personas()]

    async def aligned_lyrics(self, request: Request) -> dict[str, Any] | None:
        found = await self.service.aligned_lyrics(str(request.path_params["clip_id"])[:128])
        if found is None:
            return None
        return {
            **aligned_data(found),
            "lrc_url": self.door.links.lyrics_url(found.clip_id, base_url(request)),
        }


def order_of(wire: OperationSubmission) -> OperationOrder:
    return OperationOrder(
        clip_id=wire.clip_id,
        prompt=wire.prompt,
        tags=wire.tags,
        title=wire.title,
        model=wire.mv or wire.model,
        continue_at=_seconds(wire.continue_at),
        cover_start_s=_seconds(wire.cover_start_s),
        cover_end_s=_seconds(wire.cover_end_s),
        stem_group=wire.group,
        variation=wire.variation,
        persona_id=wire.persona_id,
    )


def persona_data(persona: Persona) -> dict[str, Any]:
    return {
        "id": persona.id,
        "name": persona.name,
        "description": persona.description,
        "clip_id": persona.root_clip_id,
        "account": persona.account,
        "is_public": persona.is_public,
        "created_at": int(persona.created_at),
    }


def aligned_data(found: AlignedLyrics) -> dict[str, Any]:
    def timed(items: Any) -> list[dict[str, Any]]:
        return [{"text": t.text, "start": t.start, "end": t.end} for t in items]

    return {
        "clip_id": found.clip_id,
        "words": timed(found.words),
        "lines": timed(found.lines),
        "lrc": found.lrc,
    }


def _seconds(value: float | int | None) -> float | None:
    return None if value is None else float(value)


async def _chunks(file: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await file.read(CHUNK):
        yield chunk
