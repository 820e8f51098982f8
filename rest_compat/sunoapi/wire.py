"""Wire shapes of sunoapi.org's /api/v1/* bodies (pydantic), their model names and length limits.

The contract's names are kept (`customMode`, `style`, `callBackUrl`); every rule about songs stays in
`suno.requests`, the door adds only the contract's own rules (modes, per-model limits).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from suno.webhooks.policy import MAX_URL_LENGTH

# The contract's model names → Suno's (suno-2026.md, "model keys").
MODELS: dict[str, str] = {
    "V3_5": "chirp-v3-5",
    "V4": "chirp-v4",
    "V4_5": "chirp-auk",
    "V4_5PLUS": "chirp-bluejay",
    "V4_5ALL": "chirp-auk-turbo",
    "V5": "chirp-crow",
    "V5_5": "chirp-fenix",
    "V6": "chirp-hawk",
    "V6_WILD": "chirp-hawk-wild",
    "V6_MINI": "chirp-goose",
}
SUNO_TO_MODEL = {suno: name for name, suno in MODELS.items()}


class Limits(BaseModel):
    prompt: int
    style: int
    title: int


# Per-model limits in custom mode, as the contract documents them; non-custom prompts are 500 at most.
NON_CUSTOM_PROMPT = 500
_OLD = Limits(prompt=3000, style=200, title=80)
_NEW = Limits(prompt=5000, style=1000, title=100)
LIMITS: dict[str, Limits] = {
    "V3_5": _OLD,
    "V4": _OLD,
    "V4_5ALL": Limits(prompt=5000, style=1000, title=80),
} | {name: _NEW for name in ("V4_5", "V4_5PLUS", "V5", "V5_5", "V6", "V6_WILD", "V6_MINI")}

CALLBACK = Field(
    default=None,
    max_length=MAX_URL_LENGTH,
    description="Called at each stage (text, first, complete, error), signed as Standard Webhooks. "
    "Required by sunoapi.org, optional here.",
)


def unit(description: str = "0 to 1.") -> Any:
    return Field(default=None, ge=0, le=1, description=description)


class _Body(BaseModel):
    # Unknown fields are ignored, as the hosted service does.
    model_config = ConfigDict(strict=True, extra="allow")


class GenerateBody(_Body):
    model_config = ConfigDict(title="SunoapiGenerate")

    customMode: bool = Field(description="true: prompt is the lyrics, style and title are given.")
    instrumental: bool = Field(description="true: no vocals.")
    model: str = Field(description="V4, V4_5, V4_5PLUS, V4_5ALL, V5, V5_5, V6, V6_WILD or V6_MINI.")
    prompt: str | None = Field(default=None, description="Custom mode: the lyrics. Otherwise: a description.")
    style: str | None = Field(default=None, description="Custom mode: style tags.")
    title: str | None = Field(default=None, description="Custom mode: the title.")
    negativeTags: str | None = Field(default=None, max_length=1000, description="Styles to avoid.")
    vocalGender: Literal["m", "f"] | None = Field(default=None, description="m or f.")
    styleWeight: float | None = unit()
    weirdnessConstraint: float | None = unit()
    audioWeight: float | None = unit()
    personaId: str | None = Field(default=None, max_length=128, description="A persona to sing it.")
    callBackUrl: str | None = CALLBACK


class ExtendBody(_Body):
    model_config = ConfigDict(title="SunoapiExtend")

    defaultParamFlag: bool = Field(description="true: prompt, style, title and continueAt are given.")
    audioId: str = Field(max_length=128, description="The clip to extend.")
    model: str = Field(description="The model of the source clip (V4 … V6).")
    prompt: str | None = None
    style: str | None = None
    title: str | None = None
    continueAt: float | None = Field(default=None, ge=0, description="Seconds into audioId to continue from.")
    negativeTags: str | None = Field(default=None, max_length=1000)
    vocalGender: Literal["m", "f"] | None = None
    styleWeight: float | None = unit()
    weirdnessConstraint: float | None = unit()
    audioWeight: float | None = unit()
    personaId: str | None = Field(default=None, max_length=128)
    callBackUrl: str | None = CALLBACK


class LyricsBody(_Body):
    model_config = ConfigDict(title="SunoapiLyrics")

    prompt: str = Field(description="What the lyrics are about (at most 200 words).")
    callBackUrl: str | None = CALLBACK


class WavBody(_Body):
    model_config = ConfigDict(title="SunoapiWav")

    taskId: str = Field(max_length=64, description="The music task that made audioId.")
    audioId: str = Field(max_length=128, description="The clip to convert to WAV.")
    callBackUrl: str | None = CALLBACK


class VocalRemovalBody(_Body):
    model_config = ConfigDict(title="SunoapiVocalRemoval")

    taskId: str = Field(max_length=64, description="The music task that made audioId.")
    audioId: str = Field(max_length=128, description="The clip to separate.")
    type: Literal["separate_vocal", "split_stem"] | None = Field(
        default=None,
        description="Accepted for the contract; sunoql always separates all twelve stems, "
        "so both types answer vocalUrl and the other stems' links.",
    )
    callBackUrl: str | None = CALLBACK


class Mp4Body(_Body):
    model_config = ConfigDict(title="SunoapiMp4")

    taskId: str = Field(max_length=64, description="The music task that made audioId.")
    audioId: str = Field(max_length=128, description="The clip to make a video of.")
    author: str | None = Field(default=None, max_length=50, description="Accepted, not used by Suno.")
    domainName: str | None = Field(default=None, max_length=200, description="Accepted, not used.")
    callBackUrl: str | None = CALLBACK


class Envelope(BaseModel):
    """Every answer: HTTP 200, the real outcome in `code` (200, 400, 401, 404, 413, 429, 430, 455, 500)."""

    model_config = ConfigDict(title="SunoapiEnvelope")

    code: int
    msg: str
    data: Any = None
