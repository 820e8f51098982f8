"""GraphQL inputs: the original request fields in camelCase; validation happens once, in suno.requests."""

from __future__ import annotations

import strawberry

from schema.enums import VocalGender
from suno.models import DEFAULT_MODEL, KNOWN_MODELS, MODEL_ALIASES

_MODEL_HELP = (
    f"Suno's model: {', '.join(KNOWN_MODELS)} (default {DEFAULT_MODEL}); the aliases "
    + ", ".join(f"{alias} → {name}" for alias, name in MODEL_ALIASES.items())
    + " are resolved; any other name is passed to Suno unchanged."
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
    model: str = strawberry.field(default=DEFAULT_MODEL, description=_MODEL_HELP)
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
    persona_id: strawberry.ID | None = strawberry.field(
        default=None, description="A persona (see personas) sings it; the song runs on the persona's account."
    )


@strawberry.input(description="A lyrics request.")
class GenerateLyricsInput:
    prompt: str = strawberry.field(description="What the lyrics should be about.")
