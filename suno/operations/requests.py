"""The one validation of operation requests: what each door hands the core, checked before anything is spent."""

from __future__ import annotations

import math
from dataclasses import dataclass

from suno.errors import InvalidRequest
from suno.models import OperationRequest, TaskAction, resolve_model

# suno-2026.md's stem groups, as Suno spells them; None asks for all twelve stems.
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
    "Instrumental",
)
REMASTER_VARIATIONS = ("subtle", "normal", "high")
UPLOAD_EXTENSIONS = ("mp3", "m4a", "wav", "flac", "ogg", "aac")
# v6's limits (suno-2026.md), the strictest of the models.
MAX_TITLE = 100
MAX_PROMPT = 5000
MAX_TAGS = 1000
MAX_PERSONA_NAME = 100
MAX_PERSONA_DESCRIPTION = 3000
# Actions that take a new song's words and style.
TEXT_ACTIONS = frozenset(
    {TaskAction.EXTEND, TaskAction.COVER, TaskAction.ADD_VOCALS, TaskAction.ADD_INSTRUMENTAL}
)


@dataclass(frozen=True, slots=True)
class OperationOrder:
    """An operation as a door read it; `operation_request` checks it."""

    clip_id: str = ""
    prompt: str | None = None
    tags: str | None = None
    title: str | None = None
    model: str | None = None
    continue_at: float | None = None
    cover_start_s: float | None = None
    cover_end_s: float | None = None
    stem_group: str | None = None
    variation: str | None = None
    persona_id: str | None = None


def operation_request(action: TaskAction, order: OperationOrder) -> OperationRequest:
    clip_id = order.clip_id.strip()
    if not clip_id:
        raise InvalidRequest("clip_id is required: the clip to work on", field="clip_id")
    if len(clip_id) > 128:
        raise InvalidRequest("clip_id is too long (at most 128 characters)", field="clip_id")
    if action not in TEXT_ACTIONS and (order.prompt or order.tags or order.title):
        raise InvalidRequest(f"{action.value.lower()} takes no prompt, tags or title", field="prompt")
    _limit("title", order.title, MAX_TITLE)
    _limit("prompt", order.prompt, MAX_PROMPT)
    _limit("tags", order.tags, MAX_TAGS)
    _not_negative("continue_at", order.continue_at)
    _not_negative("cover_start_s", order.cover_start_s)
    _not_negative("cover_end_s", order.cover_end_s)
    if order.continue_at is not None and action is not TaskAction.EXTEND:
        raise InvalidRequest("continue_at is only for an extension", field="continue_at")
    if (order.cover_start_s is not None or order.cover_end_s is not None) and action is not TaskAction.COVER:
        raise InvalidRequest("cover_start_s and cover_end_s are only for a cover", field="cover_start_s")
    if (
        order.cover_start_s is not None
        and order.cover_end_s is not None
        and order.cover_end_s <= order.cover_start_s
    ):
        raise InvalidRequest("cover_end_s must be after cover_start_s", field="cover_end_s")
    stem_group = order.stem_group or None
    if stem_group is not None:
        if action is not TaskAction.STEMS:
            raise InvalidRequest("group is only for stems", field="group")
        stem_group = _choice("group", stem_group, STEM_GROUPS)
    variation = order.variation or None
    if variation is not None:
        if action is not TaskAction.REMASTER:
            raise InvalidRequest("variation is only for a remaster", field="variation")
        variation = _choice("variation", variation, REMASTER_VARIATIONS)
    if order.persona_id and action not in (TaskAction.EXTEND, TaskAction.COVER):
        raise InvalidRequest(f"a persona cannot be used by {action.value.lower()}", field="persona_id")
    return OperationRequest(
        clip_id=clip_id,
        prompt=order.prompt or "",
        tags=order.tags or "",
        title=order.title,
        mv=resolve_model(order.model) if order.model else "",
        continue_at=order.continue_at,
        cover_start_s=order.cover_start_s,
        cover_end_s=order.cover_end_s,
        stem_group=stem_group,
        variation=variation if action is not TaskAction.REMASTER else (variation or "normal"),
        persona_id=order.persona_id or None,
    )


def upload_request(filename: str, title: str | None) -> OperationRequest:
    """An upload's name and type, checked before a byte is read."""
    name = filename.strip().replace("\\", "/").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in UPLOAD_EXTENSIONS:
        raise InvalidRequest(
            f"audio files must be one of {', '.join(UPLOAD_EXTENSIONS)}; {name[:80]!r} is not", field="file"
        )
    _limit("title", title, MAX_TITLE)
    return OperationRequest(upload_filename=name[:255], upload_extension=extension, title=title)


def persona_fields(name: str, description: str | None) -> tuple[str, str]:
    name = name.strip()
    if not name:
        raise InvalidRequest("a persona needs a name", field="name")
    _limit("name", name, MAX_PERSONA_NAME)
    _limit("description", description, MAX_PERSONA_DESCRIPTION)
    return name, (description or "").strip()


def _limit(field: str, value: str | None, most: int) -> None:
    if value is not None and len(value) > most:
        raise InvalidRequest(f"{field} is too long ({len(value)} characters, at most {most})", field=field)


def _not_negative(field: str, value: float | None) -> None:
    if value is not None and not (math.isfinite(value) and value >= 0):
        raise InvalidRequest(f"{field} must be a number of seconds, 0 or more", field=field)


def _choice(field: str, value: str, allowed: tuple[str, ...]) -> str:
    by_lower = {choice.lower(): choice for choice in allowed}
    found = by_lower.get(value.strip().lower())
    if found is None:
        raise InvalidRequest(f"{field} must be one of {', '.join(allowed)}; got {value[:40]!r}", field=field)
    return found
