"""Operation resolvers: each reads its input, asks the core, and returns the new task (or the persona)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import strawberry

from schema.context import Info
from schema.operations import (
    AddInstrumentalInput,
    AddVocalsInput,
    AlignedLyrics,
    ConcatMusicInput,
    CoverMusicInput,
    CreatePersonaInput,
    ExtendMusicInput,
    GenerateVideoInput,
    Persona,
    RemasterMusicInput,
    SeparateStemsInput,
    UploadAudioInput,
)
from schema.types import Task
from suno.errors import InvalidRequest
from suno.models import TaskAction
from suno.operations.audio_file import CHUNK
from suno.operations.requests import OperationOrder, operation_request
from suno.operations.uploads import upload_chunks, upload_url


async def _submit(info: Info, action: TaskAction, order: OperationOrder) -> Task:
    task = await info.context.service.submit_operation(action, operation_request(action, order))
    return Task.from_domain(task)


def _id(value: strawberry.ID | None) -> str | None:
    return str(value) if value else None


async def extend_music(
    info: Info, input: Annotated[ExtendMusicInput, strawberry.argument(description="The extension.")]
) -> Task:
    order = OperationOrder(
        clip_id=str(input.clip_id),
        continue_at=input.continue_at,
        prompt=input.prompt,
        tags=input.tags,
        title=input.title,
        model=input.model,
        persona_id=_id(input.persona_id),
    )
    return await _submit(info, TaskAction.EXTEND, order)


async def cover_music(
    info: Info, input: Annotated[CoverMusicInput, strawberry.argument(description="The cover.")]
) -> Task:
    order = OperationOrder(
        clip_id=str(input.clip_id),
        prompt=input.prompt,
        tags=input.tags,
        title=input.title,
        model=input.model,
        cover_start_s=input.cover_start_s,
        cover_end_s=input.cover_end_s,
        persona_id=_id(input.persona_id),
    )
    return await _submit(info, TaskAction.COVER, order)


async def concat_music(
    info: Info, input: Annotated[ConcatMusicInput, strawberry.argument(description="The song's last clip.")]
) -> Task:
    return await _submit(info, TaskAction.CONCAT, OperationOrder(clip_id=str(input.clip_id)))


async def separate_stems(
    info: Info, input: Annotated[SeparateStemsInput, strawberry.argument(description="The clip and group.")]
) -> Task:
    return await _submit(
        info, TaskAction.STEMS, OperationOrder(clip_id=str(input.clip_id), stem_group=input.group)
    )


async def remaster_music(
    info: Info, input: Annotated[RemasterMusicInput, strawberry.argument(description="The remaster.")]
) -> Task:
    order = OperationOrder(clip_id=str(input.clip_id), variation=input.variation, model=input.model)
    return await _submit(info, TaskAction.REMASTER, order)


async def add_vocals(
    info: Info,
    input: Annotated[AddVocalsInput, strawberry.argument(description="The instrumental and words.")],
) -> Task:
    order = OperationOrder(
        clip_id=str(input.clip_id), prompt=input.prompt, tags=input.tags, title=input.title
    )
    return await _submit(info, TaskAction.ADD_VOCALS, order)


async def add_instrumental(
    info: Info, input: Annotated[AddInstrumentalInput, strawberry.argument(description="The clip and style.")]
) -> Task:
    order = OperationOrder(
        clip_id=str(input.clip_id), prompt=input.prompt, tags=input.tags, title=input.title
    )
    return await _submit(info, TaskAction.ADD_INSTRUMENTAL, order)


async def generate_video(
    info: Info, input: Annotated[GenerateVideoInput, strawberry.argument(description="The clip.")]
) -> Task:
    return await _submit(info, TaskAction.VIDEO, OperationOrder(clip_id=str(input.clip_id)))


async def upload_audio(
    info: Info, input: Annotated[UploadAudioInput, strawberry.argument(description="The file or its URL.")]
) -> Task:
    service, limit = info.context.service, info.context.settings.upload_max_bytes
    if (input.file is None) == (input.url is None):
        raise InvalidRequest(
            "give either file (a multipart upload) or url, not both or neither", field="file"
        )
    if input.url is not None:
        return Task.from_domain(await upload_url(service, input.url, input.title, limit))
    file: Any = input.file
    name = str(getattr(file, "filename", "") or "")
    try:
        return Task.from_domain(await upload_chunks(service, name, input.title, _chunks(file), limit))
    finally:
        # Starlette spools the part to a temporary file; nobody else closes it.
        await file.close()


async def _chunks(file: Any) -> AsyncIterator[bytes]:
    while chunk := await file.read(CHUNK):
        yield chunk


async def create_persona(
    info: Info, input: Annotated[CreatePersonaInput, strawberry.argument(description="The persona.")]
) -> Persona:
    persona = await info.context.service.operations.create_persona(
        str(input.clip_id), input.name, input.description, bool(input.is_public)
    )
    return Persona.from_domain(persona)


async def personas(info: Info) -> list[Persona]:
    return [Persona.from_domain(p) for p in await info.context.service.operations.list_personas()]


async def aligned_lyrics(
    info: Info, clip_id: Annotated[strawberry.ID, strawberry.argument(description="The clip.")]
) -> AlignedLyrics | None:
    found = await info.context.service.aligned_lyrics(str(clip_id))
    if found is None:
        return None
    return AlignedLyrics.from_domain(
        found, info.context.links.lyrics_url(found.clip_id, info.context.base_url)
    )
