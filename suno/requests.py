"""Validation of music and lyrics requests, once for every front door, with messages a person understands.

A door hands the core a typed `MusicOrder` (or a lyrics prompt). Messages and `InvalidRequest.field` name
the fields as the original contract does (`mv`, `task_id`, `gpt_description_prompt`…): the REST doors
speak those names, and the others map them to their own (GraphQL: `model`, `continueTaskId`…).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from suno.errors import InvalidRequest
from suno.models import AccountModel, LyricsRequest, MusicRequest, VocalGender, resolve_model

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
# v6 controls' ranges (suno-2026.md).
VARIETY_RANGE = (0, 4)
DURATION_RANGE = (10, 360)
# Billing's max_lengths names → our field names.
LIMIT_NAMES: Mapping[str, str] = {
    "title": "title",
    "prompt": "prompt",
    "lyrics": "prompt",
    "tags": "tags",
    "negative_tags": "negative_tags",
    "gpt_description_prompt": "gpt_description_prompt",
    "description": "gpt_description_prompt",
}
# The feature a model's billing entry must list for a control to be sent.
CONTROL_FEATURES: Mapping[str, str] = {
    "weirdness": "control_sliders",
    "style_weight": "control_sliders",
    "audio_weight": "control_sliders",
    "variety": "control_sliders",
    "max_mode": "max_mode",
    "mumble": "mumble",
    "duration": "duration",
}
_MODEL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")  # "+": v4.5+


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
    # v6 controls: None/False leaves Suno's default.
    weirdness: float | None = None
    style_weight: float | None = None
    audio_weight: float | None = None
    variety: float | None = None  # an integer 0–4; a float is accepted only to be refused clearly
    max_mode: bool = False
    mumble: bool = False
    duration: float | None = None  # seconds, 10–360
    persona_id: str = ""


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
        raise InvalidRequest(f"mv {mv!r} is not a model name such as chirp-hawk or v6", field="mv")

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

    weirdness = _unit("weirdness", order.weirdness)
    style_weight = _unit("style_weight", order.style_weight)
    audio_weight = _unit("audio_weight", order.audio_weight)
    if audio_weight is not None and clip_id is None:
        raise InvalidRequest(
            "audio_weight needs an audio reference: it applies to a continuation (continue_clip_id)",
            field="audio_weight",
        )
    variety = _whole_in("variety", order.variety, VARIETY_RANGE)
    duration = _whole_in("duration", order.duration, DURATION_RANGE)
    if duration is not None and description:
        raise InvalidRequest(
            "duration applies to custom mode (prompt with the lyrics, or an instrumental with tags), "
            "not to gpt_description_prompt",
            field="duration",
        )
    persona_id = order.persona_id.strip() or None
    _within_limit("persona_id", order.persona_id, 128)

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
        weirdness=weirdness,
        style_weight=style_weight,
        audio_weight=audio_weight,
        variety=variety,
        max_mode=order.max_mode,
        mumble=order.mumble,
        duration_seconds=duration,
        persona_id=persona_id,
    )


def check_for_model(request: MusicRequest, model: AccountModel) -> MusicRequest:
    """The request on the model it will use: within that model's lengths, with only controls it supports."""
    for suno_name, limit in model.max_lengths.items():
        name = LIMIT_NAMES.get(suno_name)
        if name is not None:
            value = getattr(request, name)
            if len(value) > limit:
                raise InvalidRequest(
                    f"{name} is too long for {model.key}: {len(value)} characters, at most {limit}",
                    field=name,
                )
    if model.features:
        used = {
            "weirdness": request.weirdness is not None,
            "style_weight": request.style_weight is not None,
            "audio_weight": request.audio_weight is not None,
            "variety": request.variety is not None,
            "max_mode": request.max_mode,
            "mumble": request.mumble,
            "duration": request.duration_seconds is not None,
        }
        for control, on in used.items():
            if on and CONTROL_FEATURES[control] not in model.features:
                raise InvalidRequest(
                    f"{control} is not supported by {model.key} ({model.name}) on account {model.account!r}",
                    field=control,
                )
    return replace(request, mv=model.key)


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


def _unit(name: str, value: float | None) -> float | None:
    if value is None:
        return None
    if not math.isfinite(value) or not 0 <= value <= 1:
        raise InvalidRequest(f"{name} must be between 0 and 1, got {value:g}", field=name)
    return float(value)


def _whole_in(name: str, value: float | None, bounds: tuple[int, int]) -> int | None:
    if value is None:
        return None
    low, high = bounds
    if not math.isfinite(value) or value != int(value) or not low <= value <= high:
        raise InvalidRequest(f"{name} must be a whole number from {low} to {high}, got {value:g}", field=name)
    return int(value)


def _vocal_gender(value: VocalGender | str | None) -> VocalGender | None:
    if value is None or value == "":
        return None
    if isinstance(value, VocalGender):
        return value
    if value.strip().lower() in {gender.value for gender in VocalGender}:
        return VocalGender(value.strip().lower())
    raise InvalidRequest(f"vocal_gender must be 'female' or 'male', got {value!r}", field="vocal_gender")
