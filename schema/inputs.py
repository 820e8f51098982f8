"""GraphQL inputs: the original request fields in camelCase; validation happens once, in suno.requests."""

from __future__ import annotations

import strawberry

from schema.enums import VocalGender
from suno.models import DEFAULT_MODEL, KNOWN_MODELS, MODEL_ALIASES

_MODEL_HELP = (
    "Suno's model, a key or an alias (the `models` query lists what each account may use); null: the "
    f"account's default ({DEFAULT_MODEL} in 2026) unless DEFAULT_MODEL is set. Keys: {', '.join(KNOWN_MODELS)}; "
    f"aliases such as {', '.join(list(MODEL_ALIASES)[:8])}… are resolved. A model the account cannot use "
    "is a BAD_USER_INPUT on `model` naming the usable ones, before anything is spent."
)

WEBHOOK_HELP = (
    "Called at each stage (text, first, complete, error) with a signed POST (Standard Webhooks headers; "
    "needs WEBHOOK_SECRET). Loopback and private targets are refused unless WEBHOOK_ALLOW_PRIVATE=true."
)


@strawberry.input(
    description="A song request. Inspiration mode: gptDescriptionPrompt. Custom mode: prompt (lyrics), "
    "title and tags. An instrumental may give only tags. A continuation gives continueClipId and continueAt."
)
class GenerateMusicInput:
    gpt_description_prompt: str | None = strawberry.field(
        default=None, description="Inspiration mode: describe the song; Suno writes lyrics, title and style."
    )
    prompt: str | None = strawberry.field(
        default=None, description="Custom mode: the lyrics, with [Verse]/[Chorus] sections."
    )
    title: str | None = strawberry.field(default=None, description="Custom mode: the title.")
    tags: str | None = strawberry.field(
        default=None, description='Custom mode: style tags, e.g. "synthwave, cinematic".'
    )
    negative_tags: str | None = strawberry.field(default=None, description='Styles to avoid, e.g. "metal".')
    vocal_gender: VocalGender | None = strawberry.field(default=None, description="The voice to ask for.")
    model: str | None = strawberry.field(default=None, description=_MODEL_HELP)
    make_instrumental: bool = strawberry.field(default=False, description="True for a song without vocals.")
    continue_clip_id: strawberry.ID | None = strawberry.field(
        default=None, description="Extend this clip (needs continueAt)."
    )
    continue_at: float | None = strawberry.field(
        default=None, description="Seconds into continueClipId where the extension starts."
    )
    continue_task_id: strawberry.ID | None = strawberry.field(
        default=None, description="The task that made continueClipId (checked when given)."
    )
    webhook_url: str | None = strawberry.field(default=None, description=WEBHOOK_HELP)
    weirdness: float | None = strawberry.field(
        default=None, description="v6: how far from the expected the song may wander, 0–1."
    )
    style_weight: float | None = strawberry.field(
        default=None, description="v6: how closely the style tags are followed, 0–1."
    )
    audio_weight: float | None = strawberry.field(
        default=None, description="v6: how closely the source audio is followed, 0–1 (a continuation only)."
    )
    variety: int | None = strawberry.field(
        default=None, description="v6: variety between the two clips, a whole number 0–4 (Suno's default 1)."
    )
    max_mode: bool = strawberry.field(default=False, description="v6: max mode, when the model offers it.")
    mumble: bool = strawberry.field(
        default=False, description="v6: mumbled vocals, when the model offers it."
    )
    duration_seconds: int | None = strawberry.field(
        default=None, description="v6 custom mode: the length to aim for, 10–360 seconds (a hint)."
    )
    persona_id: strawberry.ID | None = strawberry.field(
        default=None, description="A persona (see personas) sings it; the song runs on the persona's account."
    )


@strawberry.input(description="A lyrics request.")
class GenerateLyricsInput:
    prompt: str = strawberry.field(description="What the lyrics should be about.")
    webhook_url: str | None = strawberry.field(default=None, description=WEBHOOK_HELP)
