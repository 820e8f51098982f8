"""The simulator's song operations (suno-2026.md, "Operations on a song"), with their failure modes.

`generate_operation` answers v2-web bodies that carry a `task` (extend, cover, underpainting,
overpainting, gen_stem, upload_extend). The others have routes of their own here: whole song, remaster,
personas, uploads (a presigned form served under /_sim/s3), video and timed lyrics v3, stem pages.
Failure modes: a clip of another account (403), concat of a clip with no extension history ("Bad
history."), a model that does not support the combination (422), an upload that never finishes
processing (a file name containing `[sim:stuck]`).
"""

from __future__ import annotations

import hashlib
import math
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from simulator.media import CLIP_SECONDS
from simulator.operation_state import SimPersona, SimUpload
from simulator.render import clip_json, invented_lyrics
from simulator.state import (
    COMPLETE_AFTER,
    CREDITS_PER_GENERATION,
    DEFAULT_MODEL_KEY,
    SIM_MODELS,
    SimClip,
    SimulatorState,
)
from simulator.web import AccountRoute, detail, json_body, json_response, public_base_url, query_value

REMASTER_MODELS = ("chirp-halibut", "chirp-flounder", "chirp-carp", "chirp-bass")
STEM_GROUPS = (
    "Vocals",
    "Backing_Vocals",
    "Drums",
    "Bass",
    "Guitar",
    "Keyboard",
    "Percussion",
    "Strings",
    "Synth",
    "FX",
    "Brass",
    "Woodwinds",
)
UPLOAD_EXTENSIONS = ("mp3", "m4a", "wav", "flac", "ogg", "aac")
# Simulated seconds (times the speed) before each job is done.
UPLOAD_PROCESSING = 8.0
VIDEO_AFTER = 20.0
ALIGN_AFTER = 3.0
STEMS_PER_PAGE = 20
SOURCE_FIELDS = {
    "extend": "continue_clip_id",
    "upload_extend": "continue_clip_id",
    "cover": "cover_clip_id",
    "underpainting": "underpainting_clip_id",
    "overpainting": "overpainting_clip_id",
    "gen_stem": "continue_clip_id",
}


def _own(state: SimulatorState, clip_id: Any, account: str) -> SimClip | Response:
    clip = state.clips.get(str(clip_id or ""))
    if clip is None:
        return detail(404, "Clip not found.")
    if clip.account != account:
        return detail(403, "You do not own this clip.")
    return clip


def _charge(state: SimulatorState, account: str) -> Response | None:
    sim = state.account(account)
    if sim.credits < CREDITS_PER_GENERATION:
        return detail(402, "Insufficient credits.")
    sim.credits -= CREDITS_PER_GENERATION
    sim.monthly_usage += CREDITS_PER_GENERATION
    return None


def _supports(model: str, conditions: set[str]) -> bool:
    entry = next((m for m in SIM_MODELS if m["external_key"] == model), None)
    if entry is None:
        return False
    return any(conditions <= set(combo) for combo in entry["allowed_condition_combinations"])


async def generate_operation(
    state: SimulatorState, body: dict[str, Any], account: str, base_url: str
) -> Response:
    """A v2-web body with a `task`: checked as Suno does, charged, and answered with the new clips."""
    task = str(body.get("task") or "")
    if task not in SOURCE_FIELDS:
        return detail(422, f"Unknown task {task!r}.")
    if not isinstance(body.get("title"), str):
        return detail(422, "title must be a string.")
    source = _own(state, body.get(SOURCE_FIELDS[task]), account)
    if isinstance(source, Response):
        return source
    if state.clip_status(source) != "complete":
        return detail(422, "The source clip is not complete.")
    mv = str(body.get("mv") or DEFAULT_MODEL_KEY)
    conditions = {task} | ({"persona"} if body.get("persona_id") else set())
    if task == "gen_stem" and mv != "chirp-v3-0":
        return detail(422, "Stems need chirp-v3-0.")
    if not _supports(mv, conditions):
        return detail(422, f"Model {mv} does not support {' + '.join(sorted(conditions))}.")
    if task == "upload_extend" and source.kind != "upload":
        return detail(422, "upload_extend needs an uploaded clip.")
    if task == "overpainting" and not source.make_instrumental:
        return detail(422, "Add vocals needs an instrumental.")
    if task == "underpainting" and source.make_instrumental:
        return detail(422, "Add instrumental needs a clip with vocals.")
    persona_id = body.get("persona_id")
    personas = state.operations.personas
    if persona_id and (persona_id not in personas or personas[persona_id].account != account):
        return detail(404, "Persona not found.")
    if (refusal := _charge(state, account)) is not None:
        return refusal
    state.operations.bodies.append(dict(body))
    made_with = personas.get(str(persona_id)) if persona_id else None
    if task == "gen_stem":
        groups = [body.get("stem_type_group_name")] if body.get("stem_task") == "extract" else STEM_GROUPS
        clips = [
            state.new_clip(
                account,
                title=f"{source.title or 'Song'} ({group})",
                tags=source.tags,
                mv=mv,
                make_instrumental=group != "Vocals",
                kind="stem",
                stem_from_id=source.id,
            )
            for group in groups
        ]
    else:
        history = [{"id": source.id, "continue_at": body.get("continue_at"), "type": task, "infill": False}]
        clips = [
            state.new_clip(
                account,
                index=index,
                prompt=str(body.get("prompt") or ""),
                title=str(body.get("title") or ""),
                tags=str(body.get("tags") or ""),
                mv=mv,
                make_instrumental=task == "underpainting",
                kind=task,
                history=history if task in ("extend", "upload_extend") else [],
            )
            for index in range(2)
        ]
    if made_with is not None:
        made_with.clip_ids += [clip.id for clip in clips]
    return json_response(
        {
            "id": f"batch_{clips[0].id}",
            "clips": [clip_json(state, clip, base_url) for clip in clips],
            "status": "complete",
            "batch_size": 1,
        }
    )


def _timed_words(clip: SimClip) -> list[dict[str, Any]]:
    """v3's words: a word that ends a line carries the newline, section markers stay out."""
    lines = [line.split() for line in (clip.prompt or invented_lyrics(clip.description)).splitlines()]
    sung = [[w for w in line if not (w.startswith("[") and w.endswith("]"))] for line in lines]
    count = sum(len(line) for line in sung) or 1
    step = CLIP_SECONDS / count
    words: list[dict[str, Any]] = []
    for line in sung:
        for position, word in enumerate(line):
            text = word + ("\n" if position == len(line) - 1 else "")
            start = len(words) * step
            words.append(
                {"word": text, "start_s": round(start, 3), "end_s": round(start + step, 3), "success": True}
            )
    return words


class OperationsApi:
    def __init__(self, state: SimulatorState) -> None:
        self.state = state
        self.ops = state.operations

    def routes(self) -> list[AccountRoute]:
        return [
            ("POST", "/api/generate/concat/v2", "concat", self.concat),
            ("POST", "/api/generate/upsample", "remaster", self.upsample),
            ("POST", "/api/persona/create", "persona_create", self.persona_create),
            ("GET", "/api/persona/get-personas", "persona_list", self.persona_list),
            ("GET", "/api/persona/get-persona-paginated/{persona_id}", "persona_page", self.persona_page),
            ("POST", "/api/uploads/audio", "upload", self.upload_start),
            ("POST", "/api/uploads/audio/{upload_id}/upload-finish", "upload_finish", self.upload_finish),
            ("GET", "/api/uploads/audio/{upload_id}", "upload_status", self.upload_status),
            ("POST", "/api/uploads/audio/{upload_id}/initialize-clip", "upload_clip", self.upload_clip),
            ("POST", "/api/video/generate/{clip_id}", "video", self.video_start),
            ("GET", "/api/video/generate/{clip_id}/status", "video_status", self.video_status),
            ("POST", "/api/gen/{clip_id}/aligned_lyrics/v3", "aligned_lyrics_v3", self.align_start),
            ("GET", "/api/gen/{clip_id}/aligned_lyrics/v3", "aligned_lyrics_v3", self.align_status),
            ("GET", "/api/clip/{clip_id}/stems/pages", "stems_pages", self.stem_pages),
            ("GET", "/api/clip/{clip_id}/stems", "stems_page", self.stem_page),
        ]

    def public_routes(self) -> list[Route]:
        """The presigned upload form's target (S3 in real life): no JWT, the form's signature instead."""
        return [
            Route("/_sim/s3/{upload_id}", self.s3_upload, methods=["POST"]),
            Route("/_sim/video/{clip_id}.mp4", self.video_file, methods=["GET"]),
        ]

    async def concat(self, request: Request, account: str) -> Response:
        source = _own(self.state, (await json_body(request) or {}).get("clip_id"), account)
        if isinstance(source, Response):
            return source
        # A song and its extensions can be made whole; an edited clip (a cover, a stem…) cannot.
        if source.kind not in ("extend", "upload_extend", "gen", "concat"):
            return detail(400, "Bad history.")
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

    async def upsample(self, request: Request, account: str) -> Response:
        body = await json_body(request) or {}
        source = _own(self.state, body.get("clip_id"), account)
        if isinstance(source, Response):
            return source
        if body.get("model_name") not in REMASTER_MODELS:
            return detail(422, f"Unknown remaster model {body.get('model_name')!r}.")
        if body.get("variation_category") not in ("subtle", "normal", "high"):
            return detail(422, "variation_category must be subtle, normal or high.")
        if (refusal := _charge(self.state, account)) is not None:
            return refusal
        self.ops.bodies.append({"task": "upsample", **body})
        clip = self.state.new_clip(
            account,
            prompt=source.prompt,
            title=source.title,
            tags=source.tags,
            mv=str(body["model_name"]),
            make_instrumental=source.make_instrumental,
            kind="upsample",
        )
        return json_response({"clips": [clip_json(self.state, clip, public_base_url(request))]})

    async def persona_create(self, request: Request, account: str) -> Response:
        body = await json_body(request) or {}
        source = _own(self.state, body.get("root_clip_id"), account)
        if isinstance(source, Response):
            return source
        if any(p.root_clip_id == source.id for p in self.ops.personas.values()):
            return detail(409, "A persona already exists for this clip.")
        persona = SimPersona(
            str(uuid.uuid4()),
            account,
            source.id,
            str(body.get("name") or ""),
            str(body.get("description") or ""),
            bool(body.get("is_public")),
        )
        self.ops.personas[persona.id] = persona
        return json_response(_persona_json(persona))

    async def persona_list(self, request: Request, account: str) -> Response:
        mine = [_persona_json(p) for p in self.ops.personas.values() if p.account == account]
        return json_response({"personas": mine, "num_total_results": len(mine)})

    async def persona_page(self, request: Request, account: str) -> Response:
        persona = self.ops.personas.get(request.path_params["persona_id"])
        if persona is None or (persona.account != account and not persona.is_public):
            return detail(404, "Persona not found.")
        page = int(query_value(request, "page") or 1)
        made = [
            self.state.clips[c] for c in [persona.root_clip_id, *persona.clip_ids] if c in self.state.clips
        ]
        chosen = made[(page - 1) * STEMS_PER_PAGE : page * STEMS_PER_PAGE]
        base = public_base_url(request)
        return json_response(
            {
                "persona": {
                    **_persona_json(persona),
                    "persona_clips": [{"clip": clip_json(self.state, c, base)} for c in chosen],
                },
                "total_results": len(made),
                "current_page": page,
                "is_following": False,
            }
        )

    async def upload_start(self, request: Request, account: str) -> Response:
        extension = str((await json_body(request) or {}).get("extension") or "").lower()
        if extension not in UPLOAD_EXTENSIONS:
            return detail(422, f"Unsupported extension {extension!r}.")
        upload = SimUpload(str(uuid.uuid4()), account, extension, self.state.clock())
        self.ops.uploads[upload.id] = upload
        return json_response(
            {
                "id": upload.id,
                "url": f"{public_base_url(request)}/_sim/s3/{upload.id}",
                "fields": {"key": f"uploads/{upload.id}.{extension}", "signature": _signature(upload.id)},
            }
        )

    async def s3_upload(self, request: Request) -> Response:
        upload = self.ops.uploads.get(request.path_params["upload_id"])
        async with request.form() as form:
            if upload is None or form.get("signature") != _signature(upload.id):
                return Response("<Error><Code>AccessDenied</Code></Error>", 403, media_type="application/xml")
            file = form.get("file")
            if file is None or isinstance(file, str):
                return Response("<Error><Code>MissingFile</Code></Error>", 400, media_type="application/xml")
            digest = hashlib.sha256()
            size = 0
            while chunk := await file.read(65536):
                digest.update(chunk)
                size += len(chunk)
        upload.size, upload.sha256 = size, digest.hexdigest()
        return Response(status_code=204)

    async def upload_finish(self, request: Request, account: str) -> Response:
        upload = self.ops.uploads.get(request.path_params["upload_id"])
        if upload is None or upload.account != account:
            return detail(404, "Upload not found.")
        if upload.size is None:
            return detail(400, "No file was uploaded.")
        upload.filename = str((await json_body(request) or {}).get("upload_filename") or "")
        upload.finished_at = self.state.clock()
        return json_response({"id": upload.id, "status": "processing"})

    def _upload_status(self, upload: SimUpload) -> str:
        if upload.finished_at is None:
            return "uploading"
        if upload.size == 0:
            return "error"
        if "[sim:stuck]" in upload.filename:
            return "processing"  # never finishes
        return "complete" if self.state.elapsed(upload.finished_at) >= UPLOAD_PROCESSING else "processing"

    async def upload_status(self, request: Request, account: str) -> Response:
        upload = self.ops.uploads.get(request.path_params["upload_id"])
        if upload is None or upload.account != account:
            return detail(404, "Upload not found.")
        status = self._upload_status(upload)
        error = "The file is not audio we can read." if status == "error" else None
        return json_response({"id": upload.id, "status": status, "error_message": error})

    async def upload_clip(self, request: Request, account: str) -> Response:
        upload = self.ops.uploads.get(request.path_params["upload_id"])
        if upload is None or upload.account != account:
            return detail(404, "Upload not found.")
        if self._upload_status(upload) != "complete":
            return detail(400, "The upload is not processed yet.")
        title = upload.filename.rsplit(".", 1)[0] or "Upload"
        clip = self.state.new_clip(account, title=title, make_instrumental=True, kind="upload")
        # An uploaded clip is ready at once.
        clip.created_at -= COMPLETE_AFTER / self.state.speed + 1
        return json_response({"clip_id": clip.id})

    async def video_start(self, request: Request, account: str) -> Response:
        source = _own(self.state, request.path_params["clip_id"], account)
        if isinstance(source, Response):
            return source
        self.ops.videos[source.id] = self.state.clock()
        return json_response({"status": "queued"})

    async def video_status(self, request: Request, account: str) -> Response:
        source = _own(self.state, request.path_params["clip_id"], account)
        if isinstance(source, Response):
            return source
        started = self.ops.videos.get(source.id)
        if started is None:
            return detail(404, "No video was asked for.")
        if self.state.elapsed(started) < VIDEO_AFTER:
            return json_response({"status": "running"})
        url = f"{public_base_url(request)}/_sim/video/{source.id}.mp4"
        return json_response({"status": "complete", "video_url": url})

    async def video_file(self, request: Request) -> Response:
        clip_id = request.path_params["clip_id"]
        if clip_id not in self.ops.videos:
            return detail(404, "Not found.")
        # An ISO base media header, then filler: enough for a player to know what it is.
        return Response(b"\x00\x00\x00\x18ftypmp42" + bytes(2048), media_type="video/mp4")

    async def align_start(self, request: Request, account: str) -> Response:
        source = _own(self.state, request.path_params["clip_id"], account)
        if isinstance(source, Response):
            return source
        self.ops.alignments[source.id] = self.state.clock()
        return json_response({"status": "running"})

    async def align_status(self, request: Request, account: str) -> Response:
        source = _own(self.state, request.path_params["clip_id"], account)
        if isinstance(source, Response):
            return source
        started = self.ops.alignments.get(source.id)
        if started is None:
            return detail(404, "No alignment was asked for.")
        if self.state.elapsed(started) < ALIGN_AFTER:
            return json_response({"status": "running"})
        return json_response({"status": "complete", "aligned_words": _timed_words(source)})

    def _stems(self, clip_id: str) -> list[SimClip]:
        return sorted(
            (c for c in self.state.clips.values() if c.stem_from_id == clip_id), key=lambda c: c.created_at
        )

    async def stem_pages(self, request: Request, account: str) -> Response:
        source = _own(self.state, request.path_params["clip_id"], account)
        if isinstance(source, Response):
            return source
        return json_response({"total_pages": math.ceil(len(self._stems(source.id)) / STEMS_PER_PAGE)})

    async def stem_page(self, request: Request, account: str) -> Response:
        source = _own(self.state, request.path_params["clip_id"], account)
        if isinstance(source, Response):
            return source
        page = int(query_value(request, "page") or 0)
        chosen = self._stems(source.id)[page * STEMS_PER_PAGE : (page + 1) * STEMS_PER_PAGE]
        return json_response({"clips": [clip_json(self.state, c, public_base_url(request)) for c in chosen]})


def _persona_json(persona: SimPersona) -> dict[str, Any]:
    return {
        "id": persona.id,
        "name": persona.name,
        "description": persona.description,
        "is_public": persona.is_public,
        "root_clip_id": persona.root_clip_id,
        "user_display_name": persona.account,
    }


def _signature(upload_id: str) -> str:
    return hashlib.sha256(f"sim-upload:{upload_id}".encode()).hexdigest()[:32]
