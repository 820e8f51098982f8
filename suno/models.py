"""Domain values shared by the core and every front door: statuses, tasks, clips, lyrics, accounts."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from suno.model_catalog import ALIASES, CATALOG, FALLBACK_DEFAULT_MODEL, canonical_model


class TaskStatus(enum.StrEnum):
    NOT_START = "NOT_START"
    SUBMITTED = "SUBMITTED"
    QUEUED = "QUEUED"
    IN_PROGRESS = "IN_PROGRESS"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"

    @property
    def is_terminal(self) -> bool:
        return self in (TaskStatus.SUCCESS, TaskStatus.FAILURE)

    @property
    def rank(self) -> int:
        return _STATUS_RANK[self]

    def can_move_to(self, new: TaskStatus) -> bool:
        """Forward-only: a terminal status never changes, others only advance."""
        return not self.is_terminal and new.rank > self.rank


_STATUS_RANK = {
    TaskStatus.NOT_START: 0,
    TaskStatus.SUBMITTED: 1,
    TaskStatus.QUEUED: 2,
    TaskStatus.IN_PROGRESS: 3,
    TaskStatus.SUCCESS: 4,
    TaskStatus.FAILURE: 4,
}

TERMINAL_STATUSES = frozenset({TaskStatus.SUCCESS, TaskStatus.FAILURE})
IN_FLIGHT_STATUSES = frozenset({TaskStatus.SUBMITTED, TaskStatus.QUEUED, TaskStatus.IN_PROGRESS})


class TaskAction(enum.StrEnum):
    MUSIC = "MUSIC"
    LYRICS = "LYRICS"
    # Operations on an existing song (suno/operations/); each is a task of its own.
    EXTEND = "EXTEND"
    COVER = "COVER"
    CONCAT = "CONCAT"
    STEMS = "STEMS"
    REMASTER = "REMASTER"
    ADD_VOCALS = "ADD_VOCALS"
    ADD_INSTRUMENTAL = "ADD_INSTRUMENTAL"
    UPLOAD = "UPLOAD"
    VIDEO = "VIDEO"
    ALIGNED_LYRICS = "ALIGNED_LYRICS"

    @property
    def makes_clips(self) -> bool:
        """Its result is clips (stored, mirrored and linked like a song's)."""
        return self not in (TaskAction.LYRICS, TaskAction.ALIGNED_LYRICS)

    @property
    def is_operation(self) -> bool:
        return self not in (TaskAction.MUSIC, TaskAction.LYRICS)


# Operations polled through the feed like songs; the others (upload, video, aligned lyrics) poll their own status.
FEED_POLLED_ACTIONS = frozenset(
    {
        TaskAction.MUSIC,
        TaskAction.EXTEND,
        TaskAction.COVER,
        TaskAction.CONCAT,
        TaskAction.STEMS,
        TaskAction.REMASTER,
        TaskAction.ADD_VOCALS,
        TaskAction.ADD_INSTRUMENTAL,
    }
)
CLIP_ACTIONS = frozenset(action for action in TaskAction if action.makes_clips)


class VocalGender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"


# What a song uses when neither the request, DEFAULT_MODEL nor the account's billing names a model.
DEFAULT_MODEL = FALLBACK_DEFAULT_MODEL
# Known model keys and every alias (data in suno.model_catalog); the account's billing says which it may use.
KNOWN_MODELS: tuple[str, ...] = tuple(model.key for model in CATALOG)
MODEL_ALIASES: Mapping[str, str] = ALIASES


def resolve_model(name: str | None) -> str:
    """Map an alias to Suno's model key; empty stays empty (the account's default is chosen later)."""
    if not name:
        return ""
    return canonical_model(name)


@dataclass(frozen=True, slots=True)
class MusicRequest:
    """A validated music request (build it with `suno.requests.music_request`)."""

    prompt: str = ""
    gpt_description_prompt: str = ""
    title: str = ""
    tags: str = ""
    negative_tags: str = ""
    vocal_gender: VocalGender | None = None
    mv: str = ""  # empty: the account's default model, chosen when the task is created
    make_instrumental: bool = False
    continue_clip_id: str | None = None
    continue_at: float | None = None
    continue_task_id: str | None = None
    # v6 controls (None/False: not sent; Suno's defaults apply) and a persona to sing it.
    weirdness: float | None = None
    style_weight: float | None = None
    audio_weight: float | None = None
    variety: int | None = None
    max_mode: bool = False
    mumble: bool = False
    duration_seconds: int | None = None
    persona_id: str | None = None

    @property
    def is_inspiration_mode(self) -> bool:
        return bool(self.gpt_description_prompt)

    @property
    def is_continuation(self) -> bool:
        return self.continue_clip_id is not None

    @property
    def effective_tags(self) -> str:
        """Tags as sent to Suno: vocal gender appends "female vocals"/"male vocals"."""
        if self.vocal_gender is None:
            return self.tags
        extra = f"{self.vocal_gender.value} vocals"
        return f"{self.tags}, {extra}" if self.tags else extra

    def to_dict(self) -> dict[str, Any]:
        return {
            "prompt": self.prompt,
            "gpt_description_prompt": self.gpt_description_prompt,
            "title": self.title,
            "tags": self.tags,
            "negative_tags": self.negative_tags,
            "vocal_gender": self.vocal_gender.value if self.vocal_gender else None,
            "mv": self.mv,
            "make_instrumental": self.make_instrumental,
            "continue_clip_id": self.continue_clip_id,
            "continue_at": self.continue_at,
            "task_id": self.continue_task_id,
            "weirdness": self.weirdness,
            "style_weight": self.style_weight,
            "audio_weight": self.audio_weight,
            "variety": self.variety,
            "max_mode": self.max_mode,
            "mumble": self.mumble,
            "duration_seconds": self.duration_seconds,
            "persona_id": self.persona_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MusicRequest:
        """Rebuild a stored request (already validated when it was stored)."""
        gender = data.get("vocal_gender")
        return cls(
            prompt=data.get("prompt") or "",
            gpt_description_prompt=data.get("gpt_description_prompt") or "",
            title=data.get("title") or "",
            tags=data.get("tags") or "",
            negative_tags=data.get("negative_tags") or "",
            vocal_gender=VocalGender(gender) if gender else None,
            mv=data.get("mv") or "",
            make_instrumental=bool(data.get("make_instrumental")),
            continue_clip_id=data.get("continue_clip_id"),
            continue_at=data.get("continue_at"),
            continue_task_id=data.get("task_id"),
            weirdness=_opt_float(data.get("weirdness")),
            style_weight=_opt_float(data.get("style_weight")),
            audio_weight=_opt_float(data.get("audio_weight")),
            variety=data.get("variety"),
            max_mode=bool(data.get("max_mode")),
            mumble=bool(data.get("mumble")),
            duration_seconds=data.get("duration_seconds"),
            persona_id=data.get("persona_id"),
        )


@dataclass(frozen=True, slots=True)
class LyricsRequest:
    prompt: str

    def to_dict(self) -> dict[str, Any]:
        return {"prompt": self.prompt}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LyricsRequest:
        return cls(prompt=data.get("prompt") or "")


@dataclass(frozen=True, slots=True)
class OperationRequest:
    """A validated operation on a song (build it with `suno.operations.requests`)."""

    clip_id: str = ""
    prompt: str = ""
    tags: str = ""
    # None: take the source clip's (extend) or send "" (cover: Suno wants a string).
    title: str | None = None
    mv: str = ""
    continue_at: float | None = None
    cover_start_s: float | None = None
    cover_end_s: float | None = None
    # Stems: one of STEM_GROUPS, or None for all twelve.
    stem_group: str | None = None
    # Remaster: subtle, normal or high.
    variation: str | None = None
    persona_id: str | None = None
    # Uploads: the file's name and extension as given, and Suno's upload id once it has one.
    upload_filename: str = ""
    upload_extension: str = ""
    upload_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "clip_id": self.clip_id,
            "prompt": self.prompt,
            "tags": self.tags,
            "title": self.title,
            "mv": self.mv,
            "continue_at": self.continue_at,
            "cover_start_s": self.cover_start_s,
            "cover_end_s": self.cover_end_s,
            "stem_group": self.stem_group,
            "variation": self.variation,
            "persona_id": self.persona_id,
            "upload_filename": self.upload_filename,
            "upload_extension": self.upload_extension,
            "upload_id": self.upload_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OperationRequest:
        title = data.get("title")
        return cls(
            clip_id=str(data.get("clip_id") or ""),
            prompt=str(data.get("prompt") or ""),
            tags=str(data.get("tags") or ""),
            title=title if isinstance(title, str) else None,
            mv=str(data.get("mv") or ""),
            continue_at=_opt_float(data.get("continue_at")),
            cover_start_s=_opt_float(data.get("cover_start_s")),
            cover_end_s=_opt_float(data.get("cover_end_s")),
            stem_group=_opt_str(data.get("stem_group")),
            variation=_opt_str(data.get("variation")),
            persona_id=_opt_str(data.get("persona_id")),
            upload_filename=str(data.get("upload_filename") or ""),
            upload_extension=str(data.get("upload_extension") or ""),
            upload_id=_opt_str(data.get("upload_id")),
        )


TaskRequest = MusicRequest | LyricsRequest | OperationRequest


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _opt_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    return float(value) if isinstance(value, int | float) else None


@dataclass(frozen=True, slots=True)
class Clip:
    """One upstream clip. `raw` is Suno's object as received, unknown fields included."""

    id: str
    status: str
    title: str = ""
    audio_url: str | None = None
    video_url: str | None = None
    image_url: str | None = None
    image_large_url: str | None = None
    model_name: str | None = None
    major_model_version: str | None = None
    created_at: str | None = None
    tags: str | None = None
    prompt: str | None = None
    duration: float | None = None
    error_type: str | None = None
    error_message: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_upstream(cls, raw: Mapping[str, Any]) -> Clip:
        metadata = raw.get("metadata")
        meta: Mapping[str, Any] = metadata if isinstance(metadata, Mapping) else {}
        return cls(
            id=str(raw.get("id", "")),
            status=str(raw.get("status") or ""),
            title=raw.get("title") or "",
            audio_url=_opt_str(raw.get("audio_url")),
            video_url=_opt_str(raw.get("video_url")),
            image_url=_opt_str(raw.get("image_url")),
            image_large_url=_opt_str(raw.get("image_large_url")),
            model_name=_opt_str(raw.get("model_name")),
            major_model_version=_opt_str(raw.get("major_model_version")),
            created_at=_opt_str(raw.get("created_at")),
            tags=_opt_str(meta.get("tags")),
            prompt=_opt_str(meta.get("prompt")),
            duration=_opt_float(meta.get("duration")),
            error_type=_opt_str(meta.get("error_type")),
            error_message=_opt_str(meta.get("error_message")),
            raw=dict(raw),
        )

    def to_upstream(self) -> dict[str, Any]:
        return dict(self.raw) if self.raw else {"id": self.id, "status": self.status}


@dataclass(frozen=True, slots=True)
class Lyrics:
    id: str
    status: str
    title: str = ""
    text: str = ""

    @property
    def is_complete(self) -> bool:
        # The original treats non-empty text as done even when status lags behind.
        return self.status == "complete" or bool(self.text)

    @property
    def is_error(self) -> bool:
        return self.status in ("error", "failed")

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "title": self.title, "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Lyrics:
        return cls(
            id=str(data.get("id", "")),
            status=str(data.get("status") or ""),
            title=data.get("title") or "",
            text=data.get("text") or "",
        )


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    action: TaskAction
    status: TaskStatus
    request: TaskRequest
    clips: tuple[Clip, ...] = ()
    lyrics: Lyrics | None = None
    upstream_ids: tuple[str, ...] = ()
    fail_reason: str = ""
    account: str | None = None
    submit_time: float = 0.0
    start_time: float | None = None
    finish_time: float | None = None
    updated_at: float = 0.0
    # Counts stored changes; a watcher uses it to drop stale or repeated snapshots.
    revision: int = 0
    # Why a task that has not reached Suno (or is being confirmed with Suno) waits; None when it does not.
    waiting_reason: str | None = None
    # The generation's idempotency id, stored before the paid call (see suno-2026.md, "paid calls once").
    transaction_uuid: str | None = None
    # The clip and task an operation (extend, cover, stems…) works on; None for a new song.
    source_clip_id: str | None = None
    source_task_id: str | None = None
    # Where this task's changes are delivered (an outbox row per stage) and in which door's body shape.
    webhook_url: str | None = None
    webhook_format: str | None = None
    # What an operation made besides clips (aligned lyrics: the words; video: its URL).
    result: Mapping[str, Any] | None = None

    @property
    def is_terminal(self) -> bool:
        return self.status.is_terminal

    @property
    def progress(self) -> str:
        """A rough percentage as the relays show it ("100%" once ended)."""
        return _PROGRESS[self.status]


_PROGRESS = {
    TaskStatus.NOT_START: "0%",
    TaskStatus.SUBMITTED: "10%",
    TaskStatus.QUEUED: "20%",
    TaskStatus.IN_PROGRESS: "60%",
    TaskStatus.SUCCESS: "100%",
    TaskStatus.FAILURE: "100%",
}


@dataclass(frozen=True, slots=True)
class TaskFilter:
    statuses: Sequence[TaskStatus] = ()
    actions: Sequence[TaskAction] = ()
    ids: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class TaskPage:
    tasks: tuple[Task, ...]
    # Opaque cursor for the next (older) page; None when this is the last page.
    next_cursor: str | None
    has_next: bool


class AccountState(enum.StrEnum):
    HEALTHY = "HEALTHY"
    CHALLENGE_REQUIRED = "CHALLENGE_REQUIRED"
    REAUTH_REQUIRED = "REAUTH_REQUIRED"
    OUT_OF_CREDITS = "OUT_OF_CREDITS"
    RATE_LIMITED = "RATE_LIMITED"
    DOWNLOADS_LOW = "DOWNLOADS_LOW"


@dataclass(frozen=True, slots=True)
class AccountStatus:
    """What may be shown about an account: never its cookie, session id or JWT."""

    name: str
    credits_left: int | None = None
    monthly_limit: int | None = None
    monthly_usage: int | None = None
    period: str | None = None
    is_active: bool | None = None
    last_token_refresh: float | None = None
    healthy: bool = True
    last_error: str | None = None
    cooldown_until: float | None = None
    in_flight: int = 0
    max_concurrency: int = 0
    # Why the account takes no new song now (resting after a refusal, or out of credits); None when it can.
    unusable_reason: str | None = None
    state: AccountState = AccountState.HEALTHY
    state_since: float | None = None
    state_reason: str | None = None
    # 1 hCaptcha, 2 Turnstile; only while CHALLENGE_REQUIRED.
    challenge_provider: int | None = None


@dataclass(frozen=True, slots=True)
class AccountModel:
    """A model as one account sees it (its billing's `models[]`, or the catalog when billing lists none)."""

    account: str
    key: str
    name: str
    aliases: tuple[str, ...] = ()
    is_default: bool = False
    usable: bool = True
    max_lengths: Mapping[str, int] = field(default_factory=dict)
    features: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AccountSecrets:
    """The certificate of an account, only for a caller who explicitly asks for it."""

    name: str
    session_id: str
    cookie: str
    jwt: str
    last_update: float | None


@dataclass(frozen=True, slots=True)
class Persona:
    """A voice and style made from a clip, usable by new songs (`persona_id`)."""

    id: str
    account: str
    root_clip_id: str
    name: str
    description: str = ""
    is_public: bool = False
    created_at: float = 0.0


@dataclass(frozen=True, slots=True)
class TimedText:
    """A word or a line of timed lyrics, in seconds from the start of the song."""

    text: str
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class AlignedLyrics:
    clip_id: str
    words: tuple[TimedText, ...]
    lines: tuple[TimedText, ...]
    lrc: str
