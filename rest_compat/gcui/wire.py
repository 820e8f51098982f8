"""Wire shapes of gcui-art/suno-api's /api/* routes (pydantic): they type-check bodies and generate /openapi.json.

gcui's names are kept (`prompt`, `model`, `audio_id`, `wait_audio`); the length limits are read from
`suno.requests`, and every rule about songs stays there.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from suno.requests import LYRICS_PROMPT_MAX, MAX_LENGTHS

WAIT_AUDIO = Field(
    default=None,
    description="true: answer once the clips stream (status streaming) or finish, waiting at most 100 s.",
)
MODEL = Field(default=None, max_length=MAX_LENGTHS["mv"], description="Suno model, e.g. chirp-v4; optional.")


def _text(name: str, description: str) -> Any:
    return Field(default=None, max_length=MAX_LENGTHS[name], description=description)


class _Body(BaseModel):
    # Unknown fields are ignored, as gcui does.
    model_config = ConfigDict(strict=True, extra="allow")


class GenerateBody(_Body):
    model_config = ConfigDict(title="GcuiGenerate")

    prompt: str = Field(
        max_length=MAX_LENGTHS["gpt_description_prompt"],
        description="A description of the song: Suno writes the lyrics.",
    )
    make_instrumental: bool | None = Field(default=None, description="true: no vocals.")
    model: str | None = MODEL
    wait_audio: bool | None = WAIT_AUDIO


class CustomGenerateBody(_Body):
    model_config = ConfigDict(title="GcuiCustomGenerate")

    prompt: str | None = _text("prompt", "The lyrics (an instrumental may leave them out and give tags).")
    tags: str | None = _text("tags", "Style tags, e.g. 'pop metal male melancholic'.")
    negative_tags: str | None = _text("negative_tags", "Styles to avoid.")
    title: str | None = _text("title", "Song title.")
    make_instrumental: bool | None = Field(default=None, description="true: no vocals.")
    model: str | None = MODEL
    wait_audio: bool | None = WAIT_AUDIO


class ExtendAudioBody(_Body):
    model_config = ConfigDict(title="GcuiExtendAudio")

    audio_id: str = Field(max_length=MAX_LENGTHS["continue_clip_id"], description="The clip to extend.")
    continue_at: float = Field(ge=0, description="Seconds into audio_id where the extension starts.")
    prompt: str | None = _text("prompt", "Lyrics of the extension.")
    tags: str | None = _text("tags", "Style tags.")
    negative_tags: str | None = _text("negative_tags", "Styles to avoid.")
    title: str | None = _text("title", "Title of the extension.")
    model: str | None = MODEL
    wait_audio: bool | None = WAIT_AUDIO


class LyricsBody(_Body):
    model_config = ConfigDict(title="GcuiGenerateLyrics")

    prompt: str = Field(max_length=LYRICS_PROMPT_MAX, description="What the lyrics are about.")


# Replies


class AudioInfo(BaseModel):
    """gcui's clip object; `audio_url` (and the cover, the video) point at sunoql's playable copy once
    the song is finished."""

    model_config = ConfigDict(title="GcuiAudioInfo")

    id: str = Field(description="Suno's clip id: pass it to /api/get?ids= or /api/clip?id=")
    title: str | None = None
    image_url: str | None = None
    lyric: str | None = None
    audio_url: str | None = Field(
        default=None,
        description="Once finished: sunoql's playable copy (202 while it is being mirrored). Before: "
        "Suno's live stream.",
    )
    video_url: str | None = None
    created_at: str | None = None
    model_name: str | None = None
    status: str = Field(description="submitted, queued, streaming, complete or error")
    gpt_description_prompt: str | None = None
    prompt: str | None = None
    type: str | None = None
    tags: str | None = None
    negative_tags: str | None = None
    duration: float | str | None = None
    error_message: str | None = None


class LyricsReply(BaseModel):
    model_config = ConfigDict(title="GcuiLyrics", extra="allow")

    id: str
    status: str = Field(description="complete once the lyrics exist")
    title: str
    text: str


class LimitReply(BaseModel):
    model_config = ConfigDict(title="GcuiLimit")

    credits_left: int = Field(description="Credits left, summed over every account sunoql has")
    period: str | None = None
    monthly_limit: int
    monthly_usage: int


class ErrorReply(BaseModel):
    model_config = ConfigDict(title="GcuiError")

    error: str = Field(description="What went wrong, for a person")


class ConcatBody(_Body):
    model_config = ConfigDict(title="GcuiConcat")

    clip_id: str = Field(min_length=1, max_length=128, description="The last extension of the song.")


class StemsBody(_Body):
    model_config = ConfigDict(title="GcuiGenerateStems")

    audio_id: str = Field(min_length=1, max_length=128, description="The clip to separate into stems.")


class AlignedWord(BaseModel):
    word: str
    start_s: float
    end_s: float
    success: bool
    p_align: float


class PersonaPage(BaseModel):
    """Suno's persona page as gcui relays it: the persona with its clips, and the page."""

    model_config = ConfigDict(extra="allow")

    persona: dict[str, Any]
    total_results: int
    current_page: int
    is_following: bool
