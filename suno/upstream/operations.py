"""studio-api's song operations (suno-2026.md, "Operations on a song") as typed calls of one account.

The v2-web bodies for extend, cover, add vocals/instrumental, stems and upload extend are built here
(the plain song's body stays the client's); every paid call is sent once, never retried.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from suno.errors import UpstreamProtocolError, UpstreamRejected, UpstreamUnavailable
from suno.models import Clip, OperationRequest, TaskAction
from suno.upstream.client import SunoClient
from suno.upstream.requester import Requester

WEB_GENERATE_PATH = "/api/generate/v2-web/"
STEMS_MODEL = "chirp-v3-0"
STEM_TYPE_ID = 91
# The v2-web `task` of each operation that is a generation.
V2_WEB_TASKS: Mapping[TaskAction, str] = {
    TaskAction.EXTEND: "extend",
    TaskAction.COVER: "cover",
    TaskAction.ADD_INSTRUMENTAL: "underpainting",
    TaskAction.ADD_VOCALS: "overpainting",
    TaskAction.STEMS: "gen_stem",
}
UPLOAD_EXTEND_TASK = "upload_extend"


@dataclass(frozen=True, slots=True)
class UploadForm:
    """Where to send the file: Suno's upload id and the presigned S3 form (url + fields)."""

    upload_id: str
    url: str
    fields: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class JobState:
    """A status of an operation that is not a clip: running, complete or error, with what it gave."""

    status: str
    error: str = ""
    data: Mapping[str, Any] | None = None


def v2_web_body(
    action: TaskAction,
    request: OperationRequest,
    *,
    source: Clip | None,
    transaction_uuid: str,
    from_upload: bool = False,
) -> dict[str, Any]:
    """The web app's body for an operation that is a generation; the source fills what was not given."""
    task = UPLOAD_EXTEND_TASK if action is TaskAction.EXTEND and from_upload else V2_WEB_TASKS[action]
    # An extension continues its source: same title and style unless told otherwise.
    inherits = action is TaskAction.EXTEND and source is not None
    source_title = source.title if source and inherits else ""
    source_tags = (source.tags or "") if source and inherits else ""
    title = request.title if request.title is not None else source_title
    body: dict[str, Any] = {
        "generation_type": "TEXT",
        "mv": STEMS_MODEL if action is TaskAction.STEMS else request.mv,
        "transaction_uuid": transaction_uuid,
        "override_fields": [],
        "prompt": request.prompt,
        "tags": request.tags or source_tags,
        # Suno answers 422 to a null title: always a string.
        "title": title or "",
        "negative_tags": "",
        "make_instrumental": False,
        "task": task,
        "metadata": {
            "web_client_pathname": "/create",
            "create_mode": "custom",
            "create_session_token": str(uuid.uuid4()),
            # A stem is not a remix; every other operation is.
            "is_remix": action is not TaskAction.STEMS,
        },
    }
    if action is TaskAction.EXTEND:
        body.update(continue_clip_id=request.clip_id, continue_at=request.continue_at)
    elif action is TaskAction.COVER:
        body["cover_clip_id"] = request.clip_id
        if request.cover_start_s is not None:
            body["cover_start_s"] = request.cover_start_s
        if request.cover_end_s is not None:
            body["cover_end_s"] = request.cover_end_s
    elif action is TaskAction.ADD_INSTRUMENTAL:
        body["underpainting_clip_id"] = request.clip_id
    elif action is TaskAction.ADD_VOCALS:
        body["overpainting_clip_id"] = request.clip_id
    elif action is TaskAction.STEMS:
        body.update(continue_clip_id=request.clip_id, stem_type_id=STEM_TYPE_ID)
        if request.stem_group:
            body.update(stem_task="extract", stem_type_group_name=request.stem_group)
        else:
            body["stem_task"] = "twelve"
    if request.persona_id:
        body["persona_id"] = request.persona_id
    return body


class SunoOperations:
    """One account's operation calls, through its client's requester (headers, re-auth, error mapping)."""

    def __init__(
        self, requester: Requester, generate_path: Callable[[], str] = lambda: WEB_GENERATE_PATH
    ) -> None:
        self._requester = requester
        # The profile's generate route (v2-web today, v2 under SUNO_PROTOCOL=legacy), read at each call.
        self._generate_path = generate_path
        # The presigned form is not studio-api: same pooled client, none of its headers.
        self._http = requester.http

    @classmethod
    def of(cls, client: SunoClient) -> SunoOperations:
        # The client's own requester: one JWT, one device id, one error mapping for all of an account's calls.
        return cls(client._requester, lambda: client.protocol.current.generate_path)

    @property
    def account(self) -> str:
        return self._requester.account

    async def generate(self, body: Mapping[str, Any]) -> list[Clip]:
        reply = await self._requester.call(
            "POST", self._generate_path(), "operation", body=dict(body), idempotent=False
        )
        return _clips(reply, "operation")

    async def concat(self, clip_id: str) -> list[Clip]:
        reply = await self._requester.call(
            "POST", "/api/generate/concat/v2/", "whole song", body={"clip_id": clip_id}, idempotent=False
        )
        return _clips(reply, "whole song")

    async def upsample(self, clip_id: str, model_name: str, variation: str) -> list[Clip]:
        body = {
            "clip_id": clip_id,
            "model_name": model_name,
            "variation_category": variation,
            "style_profile": "natural",
        }
        reply = await self._requester.call(
            "POST", "/api/generate/upsample", "remaster", body=body, idempotent=False
        )
        return _clips(reply, "remaster")

    async def create_persona(
        self, root_clip_id: str, name: str, description: str, is_public: bool
    ) -> Mapping[str, Any]:
        body = {
            "root_clip_id": root_clip_id,
            "name": name,
            "description": description,
            "is_public": is_public,
        }
        reply = await self._requester.call(
            "POST", "/api/persona/create/", "persona creation", body=body, idempotent=False
        )
        return _object(reply, "persona creation")

    async def personas(self) -> list[Mapping[str, Any]]:
        reply = await self._requester.call("GET", "/api/persona/get-personas/", "persona list")
        items = reply.get("personas") if isinstance(reply, Mapping) else reply
        if not isinstance(items, list):
            raise UpstreamProtocolError("Suno's persona list reply has no list of personas")
        return [item for item in items if isinstance(item, Mapping)]

    async def persona_page(self, persona_id: str, page: int) -> Mapping[str, Any]:
        path = f"/api/persona/get-persona-paginated/{quote(persona_id, safe='')}/?page={page}"
        return _object(await self._requester.call("GET", path, "persona page"), "persona page")

    # Uploads: a presigned form, the file streamed from disk, then Suno processes it into a clip.

    async def upload_start(self, extension: str) -> UploadForm:
        reply = _object(
            await self._requester.call(
                "POST", "/api/uploads/audio/", "upload", body={"extension": extension}, idempotent=False
            ),
            "upload",
        )
        upload_id, url, fields = reply.get("id"), reply.get("url"), reply.get("fields")
        if not isinstance(upload_id, str) or not isinstance(url, str) or not isinstance(fields, Mapping):
            raise UpstreamProtocolError("Suno's upload reply has no id, url and fields")
        return UploadForm(upload_id, url, {str(k): str(v) for k, v in fields.items()})

    async def upload_file(self, form: UploadForm, path: Path, filename: str, content_type: str) -> None:
        """POST the file to the presigned form; httpx reads it from disk in chunks as it sends."""
        try:
            with path.open("rb") as handle:
                response = await self._http.post(
                    form.url, data=dict(form.fields), files={"file": (filename, handle, content_type)}
                )
        except httpx.TransportError as exc:
            raise UpstreamUnavailable(
                f"cannot send the file to Suno's storage ({type(exc).__name__})"
            ) from None
        if response.status_code >= 300:
            raise UpstreamRejected(
                f"Suno's storage refused the file (HTTP {response.status_code})", response.status_code
            )

    async def upload_finish(self, upload_id: str, filename: str) -> None:
        await self._requester.call(
            "POST",
            f"/api/uploads/audio/{quote(upload_id, safe='')}/upload-finish/",
            "upload finish",
            body={"upload_type": "file_upload", "upload_filename": filename},
            idempotent=False,
        )

    async def upload_state(self, upload_id: str) -> JobState:
        reply = _object(
            await self._requester.call(
                "GET", f"/api/uploads/audio/{quote(upload_id, safe='')}/", "upload status"
            ),
            "upload status",
        )
        return JobState(str(reply.get("status") or ""), str(reply.get("error_message") or ""), reply)

    async def upload_clip(self, upload_id: str) -> str:
        reply = _object(
            await self._requester.call(
                "POST",
                f"/api/uploads/audio/{quote(upload_id, safe='')}/initialize-clip/",
                "upload clip",
                body={},
                idempotent=False,
            ),
            "upload clip",
        )
        clip_id = reply.get("clip_id") or reply.get("id")
        if not isinstance(clip_id, str) or not clip_id:
            raise UpstreamProtocolError("Suno's initialize-clip reply has no clip id")
        return clip_id

    # Video and timed lyrics: jobs with a status of their own.

    async def video_start(self, clip_id: str) -> None:
        await self._requester.call(
            "POST", f"/api/video/generate/{quote(clip_id, safe='')}/", "video", body={}, idempotent=False
        )

    async def video_state(self, clip_id: str) -> JobState:
        reply = _object(
            await self._requester.call(
                "GET", f"/api/video/generate/{quote(clip_id, safe='')}/status/", "video status"
            ),
            "video status",
        )
        return JobState(str(reply.get("status") or ""), str(reply.get("error_message") or ""), reply)

    async def aligned_lyrics_start(self, clip_id: str, lyrics: str) -> None:
        await self._requester.call(
            "POST",
            f"/api/gen/{quote(clip_id, safe='')}/aligned_lyrics/v3/",
            "timed lyrics",
            body={"lyrics": lyrics, "enable_augmentation": False},
            idempotent=False,
        )

    async def aligned_lyrics_state(self, clip_id: str) -> JobState:
        reply = _object(
            await self._requester.call(
                "GET", f"/api/gen/{quote(clip_id, safe='')}/aligned_lyrics/v3/", "timed lyrics status"
            ),
            "timed lyrics status",
        )
        status = str(reply.get("status") or ("complete" if "aligned_words" in reply else ""))
        return JobState(status, str(reply.get("error_message") or ""), reply)

    async def stems(self, clip_id: str) -> list[Clip]:
        """Every stem Suno lists for a clip: the number of pages first, then each page."""
        base = f"/api/clip/{quote(clip_id, safe='')}/stems"
        pages = _object(await self._requester.call("GET", f"{base}/pages", "stem pages"), "stem pages")
        count = pages.get("total_pages") or pages.get("pages") or 0
        clips: list[Clip] = []
        for page in range(int(count) if isinstance(count, int | float) else 0):
            clips += _clips(await self._requester.call("GET", f"{base}?page={page}", "stems"), "stems")
        return clips


def _object(reply: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(reply, Mapping):
        raise UpstreamProtocolError(f"Suno's {what} reply is not an object")
    return reply


def _clips(reply: Any, what: str) -> list[Clip]:
    """A reply's clips: `{"clips": [...]}`, a bare list, or one clip object."""
    items: Any = reply
    if isinstance(reply, Mapping):
        items = reply["clips"] if isinstance(reply.get("clips"), list) else [reply]
    if not isinstance(items, list):
        raise UpstreamProtocolError(f"Suno's {what} reply has no clips")
    clips = [Clip.from_upstream(item) for item in items if isinstance(item, Mapping) and item.get("id")]
    if not clips:
        raise UpstreamProtocolError(f"Suno's {what} reply has no clip with an id")
    return clips
