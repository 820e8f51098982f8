"""The original contract's song fields (a JSON object: `prompt`, `mv`, `task_id`…) as the core's MusicOrder.

The REST doors and the chat door's song tool speak these names. Here each value's JSON type is checked
(with the field named); every rule about songs stays in suno.requests. As in the original,
`gpt_description_prompt` (inspiration mode) wins over `prompt`: when both are given, the lyrics go.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_compat.validation import json_kind
from suno.errors import InvalidRequest
from suno.requests import MusicOrder


def music_order(fields: Mapping[str, Any]) -> MusicOrder:
    """The order the fields describe (unknown names are ignored)."""
    description = _string(fields, "gpt_description_prompt")
    lyrics = _string(fields, "prompt")
    return MusicOrder(
        prompt="" if description.strip() else lyrics,
        gpt_description_prompt=description,
        title=_string(fields, "title"),
        tags=_string(fields, "tags"),
        negative_tags=_string(fields, "negative_tags"),
        vocal_gender=_optional_string(fields, "vocal_gender"),
        model=_string(fields, "mv"),
        make_instrumental=_boolean(fields, "make_instrumental"),
        continue_clip_id=_string(fields, "continue_clip_id"),
        continue_at=_number(fields, "continue_at"),
        continue_task_id=_string(fields, "task_id"),
        weirdness=_number(fields, "weirdness", "a number from 0 to 1"),
        style_weight=_number(fields, "style_weight", "a number from 0 to 1"),
        audio_weight=_number(fields, "audio_weight", "a number from 0 to 1"),
        variety=_number(fields, "variety", "a whole number from 0 to 4"),
        max_mode=_boolean(fields, "max_mode"),
        mumble=_boolean(fields, "mumble"),
        duration=_number(fields, "duration", "a number of seconds"),
        persona_id=_string(fields, "persona_id"),
    )


# The native `task` values relay clients pass through /suno/submit/music, and the operation each is.
NATIVE_TASKS = {"extend": "EXTEND", "cover": "COVER"}


def native_operation(fields: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """A native body asking for an operation (`task: "cover"` + `cover_clip_id`, `task: "extend"`):
    the action's name and the operation's fields; None for a plain song."""
    task = _optional_string(fields, "task")
    if not task:
        return None
    if task not in NATIVE_TASKS:
        raise InvalidRequest(
            f"task {task[:40]!r} is not supported here: use {' or '.join(NATIVE_TASKS)}, or /suno/submit/<operation>",
            field="task",
        )
    clip_field = "cover_clip_id" if task == "cover" else "continue_clip_id"
    clip_id = _string(fields, clip_field)
    if not clip_id:
        raise InvalidRequest(f"task {task!r} needs {clip_field}", field=clip_field)
    operation: dict[str, Any] = {
        "clip_id": clip_id,
        "prompt": _optional_string(fields, "prompt"),
        "tags": _optional_string(fields, "tags"),
        "title": _optional_string(fields, "title"),
        "model": _optional_string(fields, "mv"),
        "persona_id": _optional_string(fields, "persona_id"),
    }
    if task == "extend":
        operation["continue_at"] = _number(fields, "continue_at")
    else:
        operation["cover_start_s"] = _number(fields, "cover_start_s")
        operation["cover_end_s"] = _number(fields, "cover_end_s")
    return NATIVE_TASKS[task], operation


def lyrics_prompt(fields: Mapping[str, Any]) -> str:
    return _string(fields, "prompt")


def _string(fields: Mapping[str, Any], name: str) -> str:
    return _optional_string(fields, name) or ""


def _optional_string(fields: Mapping[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None or isinstance(value, str):
        return value
    raise InvalidRequest(f"{name} must be a string, got {json_kind(value)}", field=name)


def _boolean(fields: Mapping[str, Any], name: str) -> bool:
    value = fields.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InvalidRequest(f"{name} must be true or false, got {json_kind(value)}", field=name)
    return value


def _number(fields: Mapping[str, Any], name: str, kind: str = "a number of seconds") -> float | None:
    value = fields.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidRequest(f"{name} must be {kind}, got {json_kind(value)}", field=name)
    return float(value)
