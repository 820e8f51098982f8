"""The MCP tools for operations on a song: extend, cover, whole song, stems, remaster, add vocals or an
instrumental, video, personas and timed lyrics. Each paid one returns a task to follow with wait_for_task."""

from __future__ import annotations

import re
from typing import Any

from rest_compat.mcp_door.arguments import Arguments, ToolInputError
from suno.errors import InvalidRequest
from suno.models import AlignedLyrics, Persona, TaskAction
from suno.operations.requests import REMASTER_VARIATIONS, STEM_GROUPS, OperationOrder, operation_request

_CLIP_ID = {
    "type": "string",
    "minLength": 1,
    "description": "The clip_id of a finished clip (from a task's clips); it must belong to one of sunoql's "
    "Suno accounts, and the operation runs on that account.",
}
_WORDS = {
    "lyrics": {"type": "string", "maxLength": 5000, "description": "The lyrics to sing, with [Verse] tags."},
    "tags": {"type": "string", "maxLength": 1000, "description": "The style, comma-separated."},
    "title": {"type": "string", "maxLength": 100, "description": "The title."},
}
_MODEL = {"type": "string", "maxLength": 64, "description": "Suno model (default: the clip's own)."}
_PERSONA = {"type": "string", "description": "A persona_id from list_personas: that voice sings it."}
_FOLLOW = (
    " Returns at once with the task_id: call wait_for_task with it for the result and its playable links."
)


# The core's field names in its messages → these tools' names.
_TOOL_NAMES = {"prompt": "lyrics", "stem_group": "group", "mv": "model"}
_CORE_NAME = re.compile(r"\b(" + "|".join(_TOOL_NAMES) + r")\b")


def _schema(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


# name → (title, description, properties, action or None for the short calls, read_only)
OPERATION_TOOLS: dict[str, tuple[str, str, dict[str, Any], TaskAction | None, bool]] = {
    "extend_song": (
        "Extend a song",
        "Continue a finished clip from a point in it with new lyrics (title and style default to the clip's)."
        + _FOLLOW,
        {
            "clip_id": _CLIP_ID,
            "continue_at": {
                "type": "number",
                "minimum": 0,
                "description": "Seconds into the clip to continue from.",
            },
            **_WORDS,
            "model": _MODEL,
            "persona_id": _PERSONA,
        },
        TaskAction.EXTEND,
        False,
    ),
    "cover_song": (
        "Cover a song",
        "A new version of a finished clip in another style (give tags), optionally with new lyrics."
        + _FOLLOW,
        {
            "clip_id": _CLIP_ID,
            **_WORDS,
            "model": _MODEL,
            "cover_start_s": {"type": "number", "minimum": 0, "description": "Cover from this second."},
            "cover_end_s": {"type": "number", "minimum": 0, "description": "Cover up to this second."},
            "persona_id": _PERSONA,
        },
        TaskAction.COVER,
        False,
    ),
    "whole_song": (
        "Make the whole song",
        "Join a clip and the extensions it continues into one full-length clip (give the last extension)."
        + _FOLLOW,
        {"clip_id": _CLIP_ID},
        TaskAction.CONCAT,
        False,
    ),
    "separate_stems": (
        "Separate stems",
        "Split a finished clip into its stems: all twelve, or one group such as Vocals or Drums." + _FOLLOW,
        {
            "clip_id": _CLIP_ID,
            "group": {"type": "string", "enum": list(STEM_GROUPS), "description": "One group only."},
        },
        TaskAction.STEMS,
        False,
    ),
    "remaster_song": (
        "Remaster a song",
        "A remaster of a finished clip with Suno's newest remaster model." + _FOLLOW,
        {
            "clip_id": _CLIP_ID,
            "variation": {
                "type": "string",
                "enum": list(REMASTER_VARIATIONS),
                "description": "How far it may change (default normal).",
            },
        },
        TaskAction.REMASTER,
        False,
    ),
    "add_vocals": (
        "Add vocals",
        "Sing new lyrics over a finished instrumental of yours." + _FOLLOW,
        {"clip_id": _CLIP_ID, **_WORDS},
        TaskAction.ADD_VOCALS,
        False,
    ),
    "add_instrumental": (
        "Add an instrumental",
        "Put a new accompaniment (give its style as tags) under a finished clip with vocals." + _FOLLOW,
        {"clip_id": _CLIP_ID, **_WORDS},
        TaskAction.ADD_INSTRUMENTAL,
        False,
    ),
    "make_video": (
        "Make a music video",
        "Suno's music video of a finished clip; the result's video_url plays it." + _FOLLOW,
        {"clip_id": _CLIP_ID},
        TaskAction.VIDEO,
        False,
    ),
    "create_persona": (
        "Create a persona",
        "Keep the voice and style of a finished clip as a persona (one per clip); its persona_id can then be "
        "given to extend_song or cover_song, or to generate_music through other doors.",
        {
            "clip_id": _CLIP_ID,
            "name": {
                "type": "string",
                "minLength": 1,
                "maxLength": 100,
                "description": "The persona's name.",
            },
            "description": {"type": "string", "maxLength": 3000, "description": "What it is, for you."},
        },
        None,
        False,
    ),
    "list_personas": (
        "List personas",
        "The personas made here, newest first, with their persona_id and the clip each was made from.",
        {},
        None,
        True,
    ),
    "timed_lyrics": (
        "Timed lyrics",
        "The lyrics of a finished clip with the second each word and line is sung, and LRC text for players. "
        "Waits up to a minute the first time; done=false means ask again shortly.",
        {"clip_id": _CLIP_ID},
        None,
        True,
    ),
}


def operation_schema(name: str) -> dict[str, Any]:
    properties = OPERATION_TOOLS[name][2]
    return _schema(
        properties,
        ["clip_id", "name"] if name == "create_persona" else (["clip_id"] if "clip_id" in properties else []),
    )


def operation_order(arguments: Arguments) -> OperationOrder:
    return OperationOrder(
        clip_id=arguments.text("clip_id"),
        prompt=arguments.text("lyrics") or None,
        tags=arguments.text("tags") or None,
        title=arguments.text("title") or None,
        model=arguments.text("model") or None,
        continue_at=arguments.number("continue_at", low=0, high=float("inf")),
        cover_start_s=arguments.number("cover_start_s", low=0, high=float("inf")),
        cover_end_s=arguments.number("cover_end_s", low=0, high=float("inf")),
        stem_group=arguments.text("group") or None,
        variation=arguments.text("variation") or None,
        persona_id=arguments.text("persona_id") or None,
    )


def checked_request(action: TaskAction, arguments: Arguments) -> Any:
    try:
        return operation_request(action, operation_order(arguments))
    except InvalidRequest as error:
        raise ToolInputError(
            _CORE_NAME.sub(lambda found: _TOOL_NAMES[found.group(1)], error.message)
        ) from None


def persona_view(persona: Persona) -> dict[str, Any]:
    return {
        "persona_id": persona.id,
        "name": persona.name,
        "description": persona.description,
        "clip_id": persona.root_clip_id,
        "account": persona.account,
    }


def timed_view(clip_id: str, found: AlignedLyrics | None) -> dict[str, Any]:
    if found is None:
        return {
            "clip_id": clip_id,
            "done": False,
            "next_step": "Suno is still timing them: call timed_lyrics again",
        }
    return {
        "clip_id": clip_id,
        "done": True,
        "lines": [{"text": line.text, "start": line.start, "end": line.end} for line in found.lines],
        "lrc": found.lrc,
    }
