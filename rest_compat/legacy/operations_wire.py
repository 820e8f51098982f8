"""Wire shapes and OpenAPI operations of the song-operation routes of the original REST door."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rest_compat.legacy.docs import (
    ENVELOPE_NOTE,
    FETCH_LINKS,
    TAG,
    TASK_ID,
    UNAUTHORIZED_REPLY,
    UPSTREAM_REPLIES,
    _error,
    _ok,
)
from rest_compat.legacy.wire import ErrorReply, TaskIdReply
from rest_compat.openapi import Body, Operation, Parameter, Reply

# /suno/submit/<path> → what the route does, for its summary.
OPERATION_PATHS = {
    "extend": "Extend a clip",
    "cover": "Cover a clip",
    "concat": "The whole song of a clip and its extensions",
    "stems": "Separate a clip into stems",
    "remaster": "Remaster a clip",
    "add-vocals": "Add vocals to an instrumental",
    "add-instrumental": "Add an instrumental to a clip with vocals",
    "video": "Make a clip's music video",
}


class OperationSubmission(BaseModel):
    """An operation on one of your clips; each route takes the fields that apply to it."""

    model_config = ConfigDict(strict=True, extra="forbid", title="OperationSubmission")

    clip_id: str = Field(min_length=1, max_length=128, description="The clip to work on.")
    continue_at: float | int | None = Field(default=None, description="extend: seconds into the clip.")
    prompt: str | None = Field(
        default=None, description="extend, cover, add-vocals, add-instrumental: lyrics."
    )
    tags: str | None = Field(default=None, description="The style tags.")
    title: str | None = Field(default=None, description="The title.")
    mv: str | None = Field(default=None, max_length=64, description="The model (default: the clip's).")
    model: str | None = Field(default=None, max_length=64, description="Same as mv.")
    cover_start_s: float | int | None = Field(default=None, description="cover: from this second.")
    cover_end_s: float | int | None = Field(default=None, description="cover: up to this second.")
    group: str | None = Field(default=None, description="stems: one group (e.g. Vocals); null: all twelve.")
    variation: str | None = Field(default=None, description="remaster: subtle, normal or high.")
    persona_id: str | None = Field(default=None, max_length=128, description="extend, cover: a persona.")


class PersonaSubmission(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", title="PersonaSubmission")

    clip_id: str = Field(min_length=1, max_length=128, description="A finished clip of yours.")
    name: str = Field(min_length=1, max_length=100, description="The persona's name.")
    description: str | None = Field(default=None, max_length=3000, description="What it is, for you.")
    is_public: bool = Field(default=False, description="Shown on Suno to others.")


class UploadByUrl(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", title="UploadByUrl")

    url: str = Field(min_length=1, max_length=2048, description="An http(s) URL of the audio file.")
    title: str | None = Field(default=None, max_length=100, description="The clip's title.")


class PersonaData(BaseModel):
    id: str
    name: str
    description: str
    clip_id: str
    account: str
    is_public: bool
    created_at: int


class PersonaReply(BaseModel):
    code: int | str = 200
    message: str = "success"
    data: PersonaData


class PersonaListReply(BaseModel):
    code: int | str = 200
    message: str = "success"
    data: list[PersonaData]


class TimedTextData(BaseModel):
    text: str
    start: float
    end: float


class AlignedData(BaseModel):
    clip_id: str
    words: list[TimedTextData]
    lines: list[TimedTextData]
    lrc: str
    lrc_url: str = Field(description="A signed link to the same LRC (lyrics.lrc), for a player.")


class AlignedReply(BaseModel):
    code: int | str = 200
    message: str = "success"
    data: AlignedData | None


PERSONA_EXAMPLE: dict[str, Any] = {
    "id": "persona_7f1c",
    "name": "Rainy",
    "description": "soft voice",
    "clip_id": "clip_abc123",
    "account": "default",
    "is_public": False,
    "created_at": 1735689600,
}
_TASK_REPLIES: dict[int | str, Reply] = {
    200: Reply("The task id", TaskIdReply, examples={"README envelope": _ok(TASK_ID)}, links=FETCH_LINKS),
    400: _error(400, "a field is missing, has the wrong type, or Suno would refuse it (nothing was paid)"),
    401: UNAUTHORIZED_REPLY,
    **UPSTREAM_REPLIES,
}
OPERATION_EXAMPLES: dict[str, dict[str, Any]] = {
    "extend": {"clip_id": "clip_abc123", "continue_at": 60, "prompt": "[Verse]\nAnd then the sun"},
    "cover": {"clip_id": "clip_abc123", "tags": "jazz, piano", "title": "Midnight Drive (jazz)"},
    "concat": {"clip_id": "clip_abc123"},
    "stems": {"clip_id": "clip_abc123", "group": "Vocals"},
    "remaster": {"clip_id": "clip_abc123", "variation": "normal"},
    "add-vocals": {"clip_id": "clip_abc123", "prompt": "[Verse]\nNew words"},
    "add-instrumental": {"clip_id": "clip_abc123", "tags": "strings"},
    "video": {"clip_id": "clip_abc123"},
}


def submit_operation_doc(path: str) -> Operation:
    return Operation(
        summary=OPERATION_PATHS[path],
        description="A task of its own on the account that owns the clip; returns its id at once, the result "
        "comes through /suno/fetch like a song. Impossible requests are refused before anything is paid. "
        + ENVELOPE_NOTE,
        tags=(TAG,),
        body=Body(OperationSubmission, examples={path: OPERATION_EXAMPLES[path]}),
        replies=_TASK_REPLIES,
        secured=True,
    )


UPLOAD = Operation(
    summary="Upload your audio as a clip",
    description="multipart/form-data with a `file` part (mp3, m4a, wav, flac, ogg or aac, at most "
    "UPLOAD_MAX_BYTES) and an optional `title`, or JSON {url, title}. Returns the UPLOAD task's id; once it "
    "succeeds its clip can be extended or covered. " + ENVELOPE_NOTE,
    tags=(TAG,),
    body=Body(UploadByUrl, examples={"By URL": {"url": "https://example.com/demo.mp3", "title": "Demo"}}),
    replies=_TASK_REPLIES,
    secured=True,
)
CREATE_PERSONA = Operation(
    summary="Make a persona from a finished clip",
    description="One persona per clip (asking again returns it). Use its id as persona_id. " + ENVELOPE_NOTE,
    tags=(TAG,),
    body=Body(PersonaSubmission, examples={"Persona": {"clip_id": "clip_abc123", "name": "Rainy"}}),
    replies={
        200: Reply("The persona", PersonaReply, examples={"README envelope": _ok(PERSONA_EXAMPLE)}),
        400: _error(400, "a field is missing or the clip is not a finished clip of yours"),
        401: UNAUTHORIZED_REPLY,
        **UPSTREAM_REPLIES,
    },
    secured=True,
)
LIST_PERSONAS = Operation(
    summary="The personas made here",
    description="Newest first. " + ENVELOPE_NOTE,
    tags=(TAG,),
    replies={
        200: Reply("The personas", PersonaListReply, examples={"README envelope": _ok([PERSONA_EXAMPLE])}),
        401: UNAUTHORIZED_REPLY,
    },
    secured=True,
)
ALIGNED_LYRICS = Operation(
    summary="Timed lyrics of a finished clip",
    description="Words and lines with start and end seconds, and LRC. The first call asks Suno and waits up "
    "to a minute; data is null if Suno is still working (ask again). lrc_url is a signed link to the LRC "
    "text alone (lyrics.lrc), for a player. " + ENVELOPE_NOTE,
    tags=(TAG,),
    parameters=(Parameter("clip_id", "path", "The clip", required=True),),
    replies={
        200: Reply("The timed lyrics", AlignedReply),
        400: Reply("Not a finished clip of yours", ErrorReply),
        401: UNAUTHORIZED_REPLY,
        **UPSTREAM_REPLIES,
    },
    secured=True,
)
