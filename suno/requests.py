"""Validation of music and lyrics requests, once for every front door, with messages a person understands.

A door hands the core a typed `MusicOrder` (or a lyrics prompt). Messages and `InvalidRequest.field` name
the fields as the original contract does (`mv`, `task_id`, `gpt_description_prompt`…): the REST doors
speak those names, and the others map them to their own (GraphQL: `model`, `continueTaskId`…).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class MusicOrder:
    """A song as a door received it, its values typed; `music_request` checks every rule on it."""

    prompt: str = ""  # the lyrics: custom mode
    gpt_description_prompt: str = ""  # a description: inspiration mode
    title: str = ""
    tags: str = ""
    negative_tags: str = ""
    vocal_gender: VocalGender | str | None = None
    model: str = ""
    make_instrumental: bool = False
    continue_clip_id: str = ""
    continue_at: float | None = None
    continue_task_id: str = ""  # the task that made continue_clip_id (optional)
    persona_id: str = ""  # a persona of this server's accounts sings it (the song runs on its account)


def music_request(order: MusicOrder) -> MusicRequest:
    """The validated request. Both modes at once is refused; a door that keeps the original's rule
    (the description wins) drops the lyrics before it asks."""
    text = {
        "prompt": order.prompt,
        "gpt_description_prompt": order.gpt_description_prompt,
        "title": order.title,
        "tags": order.tags,
        "negative_tags": order.negative_tags,
        "mv": order.model,
        "continue_clip_id": order.continue_clip_id,
        "task_id": order.continue_task_id,
    }
    for name, value in text.items():
        _within_limit(name, value, MAX_LENGTHS[name])
    continue_at = _seconds("continue_at", order.continue_at)
    vocal_gender = _vocal_gender(order.vocal_gender)

    description = text["gpt_description_prompt"].strip()
    lyrics = text["prompt"]
    if description and lyrics.strip():
        raise InvalidRequest(
            "give either gpt_description_prompt (a description: inspiration mode) or prompt (the lyrics: "
            "custom mode), not both",
            field="prompt",
        )
    if not description and not lyrics.strip() and not (order.make_instrumental and text["tags"].strip()):
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
        make_instrumental=order.make_instrumental,
        continue_clip_id=clip_id,
        continue_at=continue_at,
        continue_task_id=task_id if clip_id else None,
        persona_id=order.persona_id.strip()[:128] or None,
    )


def lyrics_request(prompt: str) -> LyricsRequest:
    _within_limit("prompt", prompt, LYRICS_PROMPT_MAX)
    if not prompt.strip():
        raise InvalidRequest("prompt is empty: describe the lyrics you want", field="prompt")
    return LyricsRequest(prompt=prompt.strip())


def _within_limit(name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise InvalidRequest(f"{name} is too long: {len(value)} characters, at most {limit}", field=name)


def _seconds(name: str, value: float | None) -> float | None:
    if value is None:
        return None
    if not math.isfinite(value):
        raise InvalidRequest(f"{name} must be a finite number of seconds, got {value}", field=name)
    if value < 0:
        raise InvalidRequest(f"{name} must be zero or more seconds, got {value:g}", field=name)
    return float(value)


def _vocal_gender(value: VocalGender | str | None) -> VocalGender | None:
    if value is None or value == "":
        return None
    if isinstance(value, VocalGender):
        return value
    if value.strip().lower() in {gender.value for gender in VocalGender}:
        return VocalGender(value.strip().lower())
    raise InvalidRequest(f"vocal_gender must be 'female' or 'male', got {value!r}", field="vocal_gender")
