"""GraphQL inputs and types of the song operations: extend, cover, whole song, stems, remaster, add vocals
or instrumental, video, upload, personas and timed lyrics."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from strawberry.file_uploads import Upload

from suno import models


@strawberry.input(description="Extend a finished clip of yours from a point in it.")
class ExtendMusicInput:
    clip_id: strawberry.ID = strawberry.field(description="The clip to extend (one of your accounts').")
    continue_at: float | None = strawberry.field(
        default=None, description="Seconds into the clip where the extension starts (default: its end)."
    )
    prompt: str | None = strawberry.field(default=None, description="The lyrics of the extension.")
    tags: str | None = strawberry.field(default=None, description="Style tags (default: the clip's).")
    title: str | None = strawberry.field(default=None, description="The title (default: the clip's).")
    model: str | None = strawberry.field(default=None, description="Suno's model (default: the clip's).")
    persona_id: strawberry.ID | None = strawberry.field(default=None, description="A persona to sing it.")


@strawberry.input(description="A cover: the clip's melody in a new style (and optionally new words).")
class CoverMusicInput:
    clip_id: strawberry.ID = strawberry.field(description="The clip to cover (one of your accounts').")
    prompt: str | None = strawberry.field(
        default=None, description="The lyrics (default: none, Suno keeps them)."
    )
    tags: str | None = strawberry.field(default=None, description="The new style.")
    title: str | None = strawberry.field(default=None, description="The title.")
    model: str | None = strawberry.field(default=None, description="Suno's model (default: the clip's).")
    cover_start_s: float | None = strawberry.field(default=None, description="Cover from this second.")
    cover_end_s: float | None = strawberry.field(default=None, description="Cover up to this second.")
    persona_id: strawberry.ID | None = strawberry.field(default=None, description="A persona to sing it.")


@strawberry.input(description="The whole song: a clip and the extensions it continues, as one clip.")
class ConcatMusicInput:
    clip_id: strawberry.ID = strawberry.field(description="The last extension of the song.")


@strawberry.input(description="Separate a clip into stems (model chirp-v3-0, forced by Suno).")
class SeparateStemsInput:
    clip_id: strawberry.ID = strawberry.field(description="The clip to separate.")
    group: str | None = strawberry.field(
        default=None,
        description="One group to extract (Vocals, Backing_Vocals, Drums, Bass, Guitar, Keyboard, Percussion, "
        "Strings, Synth, FX, Brass, Woodwinds, Instrumental); null: all twelve stems.",
    )


@strawberry.input(description="A remaster of a clip with a newer model.")
class RemasterMusicInput:
    clip_id: strawberry.ID = strawberry.field(description="The clip to remaster.")
    variation: str | None = strawberry.field(default=None, description="subtle, normal (default) or high.")
    model: str | None = strawberry.field(
        default=None,
        description="The remaster model (default: the one for the clip's model, e.g. chirp-halibut).",
    )


@strawberry.input(description="Add vocals to an instrumental of yours.")
class AddVocalsInput:
    clip_id: strawberry.ID = strawberry.field(description="An instrumental clip of yours.")
    prompt: str | None = strawberry.field(default=None, description="The lyrics to sing.")
    tags: str | None = strawberry.field(default=None, description="Style tags of the voice.")
    title: str | None = strawberry.field(default=None, description="The title.")


@strawberry.input(description="Add an instrumental to a clip of yours with vocals.")
class AddInstrumentalInput:
    clip_id: strawberry.ID = strawberry.field(description="A clip of yours with vocals.")
    prompt: str | None = strawberry.field(default=None, description="What the instrumental should be.")
    tags: str | None = strawberry.field(default=None, description="Style tags of the accompaniment.")
    title: str | None = strawberry.field(default=None, description="The title.")


@strawberry.input(description="A music video of a clip.")
class GenerateVideoInput:
    clip_id: strawberry.ID = strawberry.field(description="The clip.")


@strawberry.input(
    description="Your own audio as a clip (mp3, m4a, wav, flac, ogg or aac; at most UPLOAD_MAX_BYTES)."
)
class UploadAudioInput:
    file: Upload | None = strawberry.field(
        default=None, description="The file, sent as a GraphQL multipart request (give file or url)."
    )
    url: str | None = strawberry.field(
        default=None, description="An http(s) URL sunoql fetches the file from."
    )
    title: str | None = strawberry.field(
        default=None, description="The clip's title (default: the file name)."
    )


@strawberry.input(description="A persona (a voice and style) from a finished clip of yours.")
class CreatePersonaInput:
    clip_id: strawberry.ID = strawberry.field(description="The clip whose voice and style it keeps.")
    name: str = strawberry.field(description="Its name.")
    description: str | None = strawberry.field(default=None, description="What it is, for you.")
    is_public: bool | None = strawberry.field(default=False, description="Shown on Suno to others.")


@strawberry.type(description="A persona: a voice and style made from a clip; give its id as personaId.")
class Persona:
    id: strawberry.ID = strawberry.field(description="Suno's persona id.")
    name: str = strawberry.field(description="Its name.")
    description: str = strawberry.field(description="Its description.")
    clip_id: strawberry.ID = strawberry.field(description="The clip it was made from.")
    account: str = strawberry.field(description="The account it belongs to (its songs run there).")
    is_public: bool = strawberry.field(description="Shown on Suno to others.")
    created_at: datetime = strawberry.field(description="When sunoql made it.")

    @classmethod
    def from_domain(cls, persona: models.Persona) -> Persona:
        return cls(
            id=strawberry.ID(persona.id),
            name=persona.name,
            description=persona.description,
            clip_id=strawberry.ID(persona.root_clip_id),
            account=persona.account,
            is_public=persona.is_public,
            created_at=datetime.fromtimestamp(persona.created_at, UTC),
        )


@strawberry.type(description="A word or a line of timed lyrics.")
class TimedText:
    text: str = strawberry.field(description="The word or line.")
    start: float = strawberry.field(description="Seconds from the start of the song.")
    end: float = strawberry.field(description="Seconds from the start of the song.")


@strawberry.type(description="A song's lyrics with the time each word and line is sung.")
class AlignedLyrics:
    clip_id: strawberry.ID = strawberry.field(description="The clip.")
    words: list[TimedText] = strawberry.field(description="Every sung word.")
    lines: list[TimedText] = strawberry.field(description="The lines, each from its first word to its last.")
    lrc: str = strawberry.field(description="The lines as LRC ([mm:ss.xx]text), for players.")
    lrc_url: str = strawberry.field(
        description="A signed link to the same LRC (lyrics.lrc beside the clip's audio), for a player."
    )

    @classmethod
    def from_domain(cls, found: models.AlignedLyrics, lrc_url: str) -> AlignedLyrics:
        return cls(
            lrc_url=lrc_url,
            clip_id=strawberry.ID(found.clip_id),
            words=[TimedText(text=w.text, start=w.start, end=w.end) for w in found.words],
            lines=[TimedText(text=w.text, start=w.start, end=w.end) for w in found.lines],
            lrc=found.lrc,
        )


@strawberry.type(description="The operation's request as it was validated and stored.")
class OperationRequest:
    clip_id: strawberry.ID | None = strawberry.field(description="The source clip (null for an upload).")
    prompt: str = strawberry.field(description="The lyrics or description given.")
    tags: str = strawberry.field(description="The style tags given.")
    title: str | None = strawberry.field(description="The title given.")
    model: str = strawberry.field(description="The model it is sent with.")
    continue_at: float | None = strawberry.field(description="Extend: where the extension starts.")
    cover_start_s: float | None = strawberry.field(description="Cover: from this second.")
    cover_end_s: float | None = strawberry.field(description="Cover: up to this second.")
    stem_group: str | None = strawberry.field(description="Stems: the group extracted (null: all twelve).")
    variation: str | None = strawberry.field(description="Remaster: subtle, normal or high.")
    persona_id: strawberry.ID | None = strawberry.field(description="The persona that sings it.")
    upload_filename: str | None = strawberry.field(description="Upload: the file's name.")

    @classmethod
    def from_domain(cls, request: models.OperationRequest) -> OperationRequest:
        return cls(
            clip_id=strawberry.ID(request.clip_id) if request.clip_id else None,
            prompt=request.prompt,
            tags=request.tags,
            title=request.title,
            model=request.mv,
            continue_at=request.continue_at,
            cover_start_s=request.cover_start_s,
            cover_end_s=request.cover_end_s,
            stem_group=request.stem_group,
            variation=request.variation,
            persona_id=strawberry.ID(request.persona_id) if request.persona_id else None,
            upload_filename=request.upload_filename or None,
        )
