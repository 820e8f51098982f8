"""Wire shapes of the legacy REST contract (pydantic): they type-check bodies and generate /openapi.json.

Only shapes and types live here; the task rules (modes, continuation, models) stay in
`suno.requests`, and the length limits are read from there, not restated.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel

from suno.models import TaskAction, TaskStatus
from suno.requests import LYRICS_PROMPT_MAX, MAX_LENGTHS

MAX_FETCH_IDS = 500
MAX_TASK_ID_LENGTH = 128


def _text(name: str, description: str) -> Any:
    return Field(default=None, max_length=MAX_LENGTHS[name], description=description)


CALLBACK_HELP = (
    "Called at each stage (text, first, complete, error) with a signed POST (Standard Webhooks; needs "
    "WEBHOOK_SECRET). Loopback and private targets are refused unless WEBHOOK_ALLOW_PRIVATE=true."
)


class MusicSubmission(BaseModel):
    """The original's music fields; unknown fields (new-api's callBackUrl, customMode…) are accepted."""

    model_config = ConfigDict(strict=True, extra="allow", title="MusicSubmission")

    prompt: str | None = _text("prompt", "Lyrics (custom mode). Ignored when gpt_description_prompt is set.")
    gpt_description_prompt: str | None = _text(
        "gpt_description_prompt", "A description of the song (inspiration mode): Suno writes the lyrics."
    )
    title: str | None = _text("title", "Song title (custom mode).")
    tags: str | None = _text("tags", "Style tags, e.g. 'synthwave, cinematic'.")
    negative_tags: str | None = _text("negative_tags", "Styles to avoid, e.g. 'metal, aggressive'.")
    vocal_gender: str | None = Field(
        default=None, description="'female' or 'male': appends 'female vocals'/'male vocals' to the tags."
    )
    mv: str | None = _text(
        "mv",
        "Model key or alias (GET /suno/models lists the usable ones); default: the account's (chirp-hawk).",
    )
    make_instrumental: bool | None = Field(default=None, description="true: no vocals.")
    instrumental: bool | None = Field(default=None, description="new-api's name for make_instrumental.")
    model: str | None = Field(
        default=None, max_length=MAX_LENGTHS["mv"], description="Used as mv when mv is not given (new-api)."
    )
    continue_clip_id: str | None = _text("continue_clip_id", "Clip to extend; needs continue_at and task_id.")
    continue_at: float | None = Field(
        default=None, ge=0, description="Seconds into continue_clip_id where the continuation starts."
    )
    task_id: str | None = _text("task_id", "The task that made continue_clip_id.")
    callback_url: str | None = Field(default=None, description=CALLBACK_HELP)
    # v6 controls: ranges are checked by suno.requests, so the refusal names the reason.
    weirdness: float | None = Field(default=None, description="v6: 0–1, how far from the expected.")
    style_weight: float | None = Field(
        default=None, description="v6: 0–1, how closely the tags are followed."
    )
    audio_weight: float | None = Field(default=None, description="v6: 0–1, a continuation only.")
    variety: int | None = Field(default=None, description="v6: a whole number 0–4 (Suno's default 1).")
    max_mode: bool | None = Field(default=None, description="v6: max mode, when the model offers it.")
    mumble: bool | None = Field(default=None, description="v6: mumbled vocals, when the model offers it.")
    duration: int | None = Field(default=None, description="v6 custom mode: seconds to aim for, 10–360.")
    persona_id: str | None = Field(default=None, max_length=128, description="A persona of the account.")


class LyricsSubmission(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow", title="LyricsSubmission")

    # The pattern is documentation only: suno.requests rejects a blank prompt with its own message.
    prompt: str = Field(
        max_length=LYRICS_PROMPT_MAX,
        description="What the lyrics are about.",
        json_schema_extra={"pattern": r"\S"},
    )
    callback_url: str | None = Field(default=None, description=CALLBACK_HELP)


class ChallengeSolution(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", title="ChallengeSolution")

    account: str = Field(min_length=1, max_length=200, description="The account's name in sunoql's pool.")
    token: str = Field(min_length=1, max_length=16384, description="The solved challenge's token.")
    provider: int = Field(description="1 hCaptcha, 2 Turnstile (Suno's captcha_version).")


class FetchMany(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow", title="FetchRequest")

    ids: list[str] = Field(max_length=MAX_FETCH_IDS, description=f"Task ids, at most {MAX_FETCH_IDS}.")
    action: str | None = Field(default=None, description="Ignored, as in the original (MUSIC or LYRICS).")


# Replies. Upstream objects keep every field Suno sends, so these models allow extras.


class ClipMetadata(BaseModel):
    model_config = ConfigDict(extra="allow")

    tags: str | None = None
    prompt: str | None = None
    gpt_description_prompt: str | None = None
    duration: float | None = None
    stream: bool | None = None
    error_type: str | None = None
    error_message: str | None = None


class Clip(BaseModel):
    """A clip as Suno describes it; fields Suno adds later are passed through."""

    model_config = ConfigDict(extra="allow")

    id: str
    status: str = Field(description="submitted, queued, streaming, complete or error")
    title: str | None = None
    audio_url: str | None = Field(
        default=None,
        description="Once the song is finished: sunoql's playable copy (a signed link; 202 while it is "
        "being mirrored, 409 when Suno has not unlocked it). Before: Suno's live stream.",
    )
    video_url: str | None = None
    image_url: str | None = Field(default=None, description="Once finished: sunoql's copy of the cover.")
    image_large_url: str | None = None
    upstream_audio_url: str | None = Field(
        default=None, description="Suno's own audio_url (since 2026 often a placeholder that answers 403)."
    )
    upstream_image_url: str | None = Field(default=None, description="Suno's own image_url.")
    upstream_image_large_url: str | None = Field(default=None, description="Suno's own image_large_url.")
    model_name: str | None = None
    major_model_version: str | None = None
    created_at: str | None = None
    metadata: ClipMetadata | None = None


class GenerateReply(BaseModel):
    """POST /suno/generate: Suno's own generate reply, without the envelope."""

    id: str = Field(description="The task id (GET /suno/fetch/{task_id})")
    clips: list[Clip] = Field(description="The clips Suno queued, empty while every account is busy")


class ClipList(RootModel[list[Clip]]):
    """GET /suno/feed/{ids}: Suno's feed, without the envelope."""


class LyricsData(BaseModel):
    id: str
    status: str
    title: str
    text: str


class TaskItem(BaseModel):
    task_id: str
    action: TaskAction
    status: TaskStatus
    fail_reason: str
    submit_time: int = Field(description="Unix seconds")
    start_time: int = Field(description="Unix seconds, 0 until generation starts")
    finish_time: int = Field(description="Unix seconds, 0 until the task ends")
    progress: str = Field(description="'0%' … '100%'")
    data: list[Clip] | LyricsData | None = Field(description="The clips (MUSIC) or the lyrics (LYRICS)")
    waiting_reason: str | None = Field(
        None,
        description="sunoql's addition: why the task waits (not sent yet, or being confirmed); null otherwise",
    )


class Certificate(BaseModel):
    session_id: str = Field(description="Masked unless ACCOUNT_SHOW_SECRETS=true")
    cookie: str = Field(description="Masked unless ACCOUNT_SHOW_SECRETS=true")
    jwt: str = Field(description="Masked unless ACCOUNT_SHOW_SECRETS=true")
    last_update: int = Field(description="Unix seconds of the last token exchange, 0 if none yet")
    credits_left: int
    monthly_limit: int
    monthly_usage: int
    period: str
    is_active: bool


class AccountEntry(Certificate):
    name: str
    healthy: bool
    msg: str
    unusable_reason: str = Field(
        description="Why no new song can go to this account now (resting, too few credits); empty when it can"
    )
    resting_until: int | None = Field(
        description="Epoch seconds when its rest ends by itself; null when none"
    )
    state: str = Field(
        description="HEALTHY, CHALLENGE_REQUIRED, REAUTH_REQUIRED, OUT_OF_CREDITS, RATE_LIMITED or DOWNLOADS_LOW"
    )
    state_since: int | None = Field(description="Epoch seconds since when it is in this state")
    state_reason: str = Field(description="Why it is in this state; empty when healthy")


class AccountData(BaseModel):
    certificate: Certificate | None
    msg: str = Field(description="Empty when the account is healthy, else why it is not")
    accounts: list[AccountEntry] = Field(description="Every account (sunoql may have several)")


_CODE = Field(description='200 by default; "success" with REST_ENVELOPE=relay (new-api/one-api)')
_MESSAGE = Field(description='"success" by default; "" with REST_ENVELOPE=relay')


class TaskIdReply(BaseModel):
    code: int | str = _CODE
    message: str = _MESSAGE
    data: str = Field(description="The task id")


class FetchOneReply(BaseModel):
    code: int | str = _CODE
    message: str = _MESSAGE
    data: list[Clip] | LyricsData | None


class FetchManyReply(BaseModel):
    code: int | str = _CODE
    message: str = _MESSAGE
    data: list[TaskItem]


class AccountReply(BaseModel):
    code: int | str = _CODE
    message: str = _MESSAGE
    data: AccountData


class ChallengeReply(BaseModel):
    code: int | str = _CODE
    message: str = _MESSAGE
    data: AccountEntry


class ModelItem(BaseModel):
    account: str = Field(description="The account whose billing lists the model")
    key: str = Field(description="Suno's internal key, e.g. chirp-hawk")
    name: str = Field(description="Suno's display name, e.g. v6")
    aliases: list[str] = Field(description="Other names accepted as mv")
    default: bool = Field(description="Used when mv is not given")
    usable: bool = Field(description="False for a model listed but not usable (retired)")
    max_lengths: dict[str, int] = Field(description="Character limits of its fields")
    features: list[str] = Field(description="What it offers (control_sliders, max_mode…)")


class ModelsReply(BaseModel):
    code: int | str = _CODE
    message: str = _MESSAGE
    data: list[ModelItem]


class ErrorReply(BaseModel):
    code: int | str = Field(
        description='The HTTP status by default; a word such as "invalid_request" with relay'
    )
    message: str = Field(description="What went wrong, for a person")
    data: None = None
