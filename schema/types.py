"""GraphQL output types: Task, Clip, Lyrics, the request echo, and the page of tasks."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from schema.enums import TaskAction, TaskStatus, VocalGender


@strawberry.type(description="sunoql's playable copy of one kind of a clip's media.")
class ClipAsset:
    kind: str = strawberry.field(description="audio, image, video or wav.")
    state: str = strawberry.field(
        description="pending (being mirrored), ready, failed, unavailable (Suno will not give it) or expired."
    )
    reason: str | None = strawberry.field(
        description="Why it is not ready, e.g. not_unlocked: the clip needs unlocking on Suno (see the README, 'Playable audio')."
    )
    url: str = strawberry.field(
        description="A signed link that plays without an Authorization header until it expires."
    )
    content_type: str | None = strawberry.field(description="The real media type, once mirrored.")
    size: int | None = strawberry.field(description="Bytes, once mirrored.")


async def _clip_assets(root: Clip, info: strawberry.Info) -> list[ClipAsset]:
    # Imported here: the resolvers build these types, so they import this module.
    from resolvers.assets import clip_assets

    return await clip_assets(info, str(root.id), root.task_id)


@strawberry.type(description="One clip (a song variation) as Suno reports it.")
class Clip:
    id: strawberry.ID = strawberry.field(description="Suno's clip id.")
    title: str = strawberry.field(description="The title (empty until Suno writes one in inspiration mode).")
    status: str = strawberry.field(
        description="Suno's own clip status: submitted, queued, streaming, complete or error."
    )
    audio_url: str | None = strawberry.field(description="The audio (streams while IN_PROGRESS).")
    video_url: str | None = strawberry.field(description="The video, once Suno renders it.")
    image_url: str | None = strawberry.field(description="The cover image.")
    image_large_url: str | None = strawberry.field(description="The cover image, large.")
    duration: float | None = strawberry.field(description="Length in seconds, once known.")
    tags: str | None = strawberry.field(description="The style tags Suno used.")
    prompt: str | None = strawberry.field(
        description="The lyrics Suno sang (written by Suno in inspiration mode)."
    )
    model_name: str | None = strawberry.field(description="The model that made the clip, e.g. chirp-fenix.")
    major_model_version: str | None = strawberry.field(description="Suno's major model version, e.g. v5.")
    created_at: datetime | None = strawberry.field(description="When Suno created the clip.")
    error_type: str | None = strawberry.field(description="Suno's error kind when status is error.")
    error_message: str | None = strawberry.field(description="Suno's error message when status is error.")
    raw: JSON = strawberry.field(description="Suno's clip object as received, unknown fields included.")
    assets: list[ClipAsset] = strawberry.field(
        resolver=_clip_assets,
        description="Playable copies served by sunoql (audio, cover…) once the song is finished; "
        "use these instead of audioUrl, which Suno may answer with 403.",
    )
    # The task the clip belongs to: a finished song's assets show as pending before the mirror's rows exist.
    task_id: strawberry.Private[str | None] = None


@strawberry.type(description="Lyrics written by Suno.")
class Lyrics:
    title: str = strawberry.field(description="The suggested title.")
    text: str = strawberry.field(description="The lyrics, with [Verse]/[Chorus] sections.")
    status: str = strawberry.field(description="Suno's own lyrics status (running, complete, error).")


@strawberry.type(description="The music request as it was validated and stored.")
class MusicRequest:
    prompt: str = strawberry.field(description="The lyrics (custom mode); empty in inspiration mode.")
    gpt_description_prompt: str = strawberry.field(description="The description (inspiration mode).")
    title: str = strawberry.field(description="The title (custom mode).")
    tags: str = strawberry.field(description="The style tags as given (vocal gender is added when sent).")
    negative_tags: str = strawberry.field(description="Styles to avoid.")
    vocal_gender: VocalGender | None = strawberry.field(description="The requested voice, if any.")
    model: str = strawberry.field(description="Suno's model name, aliases resolved.")
    make_instrumental: bool = strawberry.field(description="True for a song without vocals.")
    continue_clip_id: strawberry.ID | None = strawberry.field(description="The clip this song extends.")
    continue_at: float | None = strawberry.field(
        description="Seconds into that clip where the extension starts."
    )
    continue_task_id: strawberry.ID | None = strawberry.field(description="The task that made that clip.")


@strawberry.type(description="The lyrics request as it was validated and stored.")
class LyricsRequest:
    prompt: str = strawberry.field(description="What the lyrics should be about.")


TaskRequest = Annotated[
    MusicRequest | LyricsRequest,
    strawberry.union("TaskRequest", description="What the task was asked to make."),
]


async def _continued_from(root: Task, info: strawberry.Info) -> Task | None:
    # Imported here: the resolvers build these types, so they import this module.
    from resolvers.tasks import task_by_id

    return await task_by_id(info, root.source_task_id) if root.source_task_id else None


@strawberry.type(description="A generation task: one request to Suno and everything it produced so far.")
class Task:
    id: strawberry.ID = strawberry.field(description="sunoql's task id (a UUID).")
    action: TaskAction = strawberry.field(description="Music or lyrics.")
    status: TaskStatus = strawberry.field(description="Where the task is; only moves forward.")
    fail_reason: str | None = strawberry.field(description="Why the task failed (null unless FAILURE).")
    progress: str = strawberry.field(description='A rough percentage as relays show it ("100%" once ended).')
    submitted_at: datetime = strawberry.field(description="When sunoql accepted the task.")
    started_at: datetime | None = strawberry.field(description="When Suno accepted it.")
    finished_at: datetime | None = strawberry.field(description="When it reached SUCCESS or FAILURE.")
    updated_at: datetime = strawberry.field(description="When the stored task last changed.")
    clips: list[Clip] = strawberry.field(description="The clips (music tasks): the latest data from Suno.")
    lyrics: Lyrics | None = strawberry.field(description="The lyrics (lyrics tasks), once Suno has them.")
    request: TaskRequest = strawberry.field(description="The request as stored.")
    continued_from: Task | None = strawberry.field(
        resolver=_continued_from,
        description="The task that made the clip this song extends (continuations only).",
    )
    source_task_id: strawberry.Private[str | None] = None


@strawberry.type(description="Where a page of tasks ends and whether more follow.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when older tasks follow.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` to get the next (older) page.")


@strawberry.type(description="A page of tasks, newest first.")
class TaskConnection:
    nodes: list[Task] = strawberry.field(description="The tasks of this page.")
    page_info: PageInfo = strawberry.field(description="How to get the next page.")


@strawberry.type(description="One Suno account of the pool (never its cookie, session id or JWT).")
class SunoAccount:
    name: str = strawberry.field(description="The account's name in sunoql's pool.")
    credits_left: int | None = strawberry.field(description="Credits left, as Suno's billing reports.")
    monthly_limit: int | None = strawberry.field(description="Credits granted per period.")
    monthly_usage: int | None = strawberry.field(description="Credits used this period.")
    period: str | None = strawberry.field(description="The billing period Suno reports.")
    active: bool | None = strawberry.field(description="Whether Suno reports the subscription active.")
    token_age_seconds: float | None = strawberry.field(
        description="Seconds since the JWT was last refreshed."
    )
    healthy: bool = strawberry.field(description="False while the account is failing or cooling down.")
    last_error: str | None = strawberry.field(description="The last upstream error, if any.")
    in_flight: int = strawberry.field(description="Tasks running on this account.")
    max_concurrency: int = strawberry.field(description="Tasks the account may run at once.")


@strawberry.type(description="The Suno account(s) behind this server: credits and health, never secrets.")
class Account:
    credits_left: int | None = strawberry.field(description="Credits left, summed over the pool.")
    monthly_limit: int | None = strawberry.field(description="Credits per period, summed over the pool.")
    monthly_usage: int | None = strawberry.field(
        description="Credits used this period, summed over the pool."
    )
    period: str | None = strawberry.field(description="The billing period of the first account.")
    active: bool = strawberry.field(description="True when at least one account is active and healthy.")
    token_age_seconds: float | None = strawberry.field(
        description="Seconds since the freshest JWT of the pool was refreshed."
    )
    accounts: list[SunoAccount] = strawberry.field(description="Each account of the pool.")
