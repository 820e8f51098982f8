"""Validation of music and lyrics requests, once for every front door, with messages a person understands."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from suno.errors import InvalidRequest
from suno.models import LyricsRequest, MusicRequest, VocalGender, resolve_model

MAX_LENGTHS = {
    "prompt": 5000,
    "gpt_description_prompt": 3000,
    "title": 200,
    "tags": 1000,
    "negative_tags": 1000,
    "mv": 64,
    "continue_clip_id": 128,
    "task_id": 128,
}
LYRICS_PROMPT_MAX = 3000
_MODEL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def music_request(fields: Mapping[str, Any]) -> MusicRequest:
    """Build a MusicRequest from the original's field names (unknown names are ignored).

    As in the original, `gpt_description_prompt` (inspiration mode) wins over `prompt`
    (custom mode): when both are given, the lyrics are ignored.
    """
    text = {name: _string(fields, name) for name in MAX_LENGTHS}
    make_instrumental = _boolean(fields, "make_instrumental")
    continue_at = _number(fields, "continue_at")
    vocal_gender = _vocal_gender(fields.get("vocal_gender"))

    description = text["gpt_description_prompt"].strip()
    lyrics = text["prompt"]
    if not description and not lyrics.strip() and not (make_instrumental and text["tags"].strip()):
        raise InvalidRequest(
            "a song needs either gpt_description_prompt (a description: inspiration mode) "
            "or prompt (the lyrics: custom mode); an instrumental may give only tags",
            field="prompt",
        )

    mv = text["mv"].strip()
    if mv and not _MODEL_NAME.match(mv):
        raise InvalidRequest(f"mv {mv!r} is not a model name such as chirp-fenix", field="mv")

    clip_id = text["continue_clip_id"].strip() or None
    task_id = text["task_id"].strip() or None
    if clip_id is None and continue_at is not None:
        raise InvalidRequest("continue_at needs continue_clip_id (the clip to extend)", "continue_clip_id")
    if clip_id is not None:
        if continue_at is None:
            raise InvalidRequest(
                "continue_clip_id needs continue_at (seconds into the clip to continue from)",
                field="continue_at",
            )
        if description:
            raise InvalidRequest(
                "a continuation is custom mode: give prompt/tags, not gpt_description_prompt",
                field="gpt_description_prompt",
            )

    return MusicRequest(
        prompt="" if description else lyrics,
        gpt_description_prompt=description,
        title="" if description else text["title"].strip(),
        tags="" if description else text["tags"].strip(),
        negative_tags=text["negative_tags"].strip(),
        vocal_gender=vocal_gender,
        mv=resolve_model(mv),
        make_instrumental=make_instrumental,
        continue_clip_id=clip_id,
        continue_at=continue_at,
        continue_task_id=task_id if clip_id else None,
    )


def lyrics_request(fields: Mapping[str, Any]) -> LyricsRequest:
    prompt = _string(fields, "prompt", LYRICS_PROMPT_MAX).strip()
    if not prompt:
        raise InvalidRequest("prompt is empty: describe the lyrics you want", field="prompt")
    return LyricsRequest(prompt=prompt)


def _string(fields: Mapping[str, Any], name: str, limit: int | None = None) -> str:
    value = fields.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidRequest(f"{name} must be a string, got {_kind(value)}", field=name)
    limit = limit or MAX_LENGTHS[name]
    if len(value) > limit:
        raise InvalidRequest(f"{name} is too long: {len(value)} characters, at most {limit}", field=name)
    return value


def _boolean(fields: Mapping[str, Any], name: str) -> bool:
    value = fields.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InvalidRequest(f"{name} must be true or false, got {_kind(value)}", field=name)
    return value


def _number(fields: Mapping[str, Any], name: str) -> float | None:
    value = fields.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidRequest(f"{name} must be a number of seconds, got {_kind(value)}", field=name)
    number = float(value)
    if not math.isfinite(number):
        raise InvalidRequest(f"{name} must be a finite number of seconds, got {value}", field=name)
    if number < 0:
        raise InvalidRequest(f"{name} must be zero or more seconds, got {value}", field=name)
    return number


def _vocal_gender(value: Any) -> VocalGender | None:
    if value is None or value == "":
        return None
    if isinstance(value, VocalGender):
        return value
    if isinstance(value, str) and value.strip().lower() in {gender.value for gender in VocalGender}:
        return VocalGender(value.strip().lower())
    raise InvalidRequest(f"vocal_gender must be 'female' or 'male', got {value!r}", field="vocal_gender")


def _kind(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )
