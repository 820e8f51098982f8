"""GraphQL output types of tasks: Task, Lyrics, the request echo, and the page of tasks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from schema.clip import Clip, RowlessViews
from schema.context import Info
from schema.enums import TASK_ACTION_OF, TASK_STATUS_OF, VOCAL_GENDER_OF, TaskAction, TaskStatus, VocalGender
from schema.operations import OperationRequest
from schema.webhooks import WebhookDelivery
from suno import models


@strawberry.type(description="Lyrics written by Suno.")
class Lyrics:
    title: str = strawberry.field(description="The suggested title.")
    text: str = strawberry.field(description="The lyrics, with [Verse]/[Chorus] sections.")
    status: str = strawberry.field(description="Suno's own lyrics status (running, complete, error).")

    @classmethod
    def from_domain(cls, lyrics: models.Lyrics) -> Lyrics:
        return cls(title=lyrics.title, text=lyrics.text, status=lyrics.status)


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
    persona_id: strawberry.ID | None = strawberry.field(description="The persona that sings it.")

    @classmethod
    def from_domain(cls, request: models.MusicRequest) -> MusicRequest:
        return cls(
            prompt=request.prompt,
            gpt_description_prompt=request.gpt_description_prompt,
            title=request.title,
            tags=request.tags,
            negative_tags=request.negative_tags,
            vocal_gender=VOCAL_GENDER_OF[request.vocal_gender] if request.vocal_gender else None,
            model=request.mv,
            make_instrumental=request.make_instrumental,
            continue_clip_id=_optional_id(request.continue_clip_id),
            continue_at=request.continue_at,
            continue_task_id=_optional_id(request.continue_task_id),
            persona_id=_optional_id(request.persona_id),
        )


@strawberry.type(description="The lyrics request as it was validated and stored.")
class LyricsRequest:
    prompt: str = strawberry.field(description="What the lyrics should be about.")

    @classmethod
    def from_domain(cls, request: models.LyricsRequest) -> LyricsRequest:
        return cls(prompt=request.prompt)


TaskRequest = Annotated[
    MusicRequest | LyricsRequest | OperationRequest,
    strawberry.union("TaskRequest", description="What the task was asked to make."),
]


@strawberry.type(description="A generation task: one request to Suno and everything it produced so far.")
class Task:
    id: strawberry.ID = strawberry.field(description="sunoql's task id (a UUID).")
    action: TaskAction = strawberry.field(description="Music or lyrics.")
    status: TaskStatus = strawberry.field(description="Where the task is; only moves forward.")
    fail_reason: str | None = strawberry.field(description="Why the task failed (null unless FAILURE).")
    waiting_reason: str | None = strawberry.field(
        description="Why the task waits (not sent yet, or being confirmed with Suno); null when it does not."
    )
    progress: str = strawberry.field(description='A rough percentage as relays show it ("100%" once ended).')
    submitted_at: datetime = strawberry.field(description="When sunoql accepted the task.")
    started_at: datetime | None = strawberry.field(description="When Suno accepted it.")
    finished_at: datetime | None = strawberry.field(description="When it reached SUCCESS or FAILURE.")
    updated_at: datetime = strawberry.field(description="When the stored task last changed.")
    clips: list[Clip] = strawberry.field(description="The clips (music tasks): the latest data from Suno.")
    lyrics: Lyrics | None = strawberry.field(description="The lyrics (lyrics tasks), once Suno has them.")
    request: TaskRequest = strawberry.field(description="The request as stored.")

    async def _continued_from(self, info: Info) -> Task | None:
        return await Task.load(info, self.source_task_id) if self.source_task_id else None

    continued_from: Task | None = strawberry.field(
        resolver=_continued_from,
        description="The task that made the clip this song extends (continuations only).",
    )
    source_task_id: strawberry.Private[str | None] = None
    webhook_url: str | None = strawberry.field(
        default=None, description="Where this task's changes are delivered (webhookUrl); null for none."
    )

    async def _webhook_deliveries(self, info: Info) -> list[WebhookDelivery]:
        if self.webhook_url is None:
            return []
        deliveries = await info.context.delivery_loader.load(str(self.id))
        return [WebhookDelivery.from_domain(delivery) for delivery in deliveries]

    webhook_deliveries: list[WebhookDelivery] = strawberry.field(
        resolver=_webhook_deliveries,
        description="The webhook events of this task (one per stage reached) and every attempt's outcome.",
    )

    async def _source(self, info: Info) -> TaskSource | None:
        if self.operation_clip_id is None:
            return None
        return TaskSource(
            clip_id=strawberry.ID(self.operation_clip_id),
            task_id=_optional_id(self.operation_task_id),
        )

    source: TaskSource | None = strawberry.field(
        resolver=_source,
        description="What an operation (extend, cover, stems…) worked on; null for a new song or lyrics.",
    )
    operation_clip_id: strawberry.Private[str | None] = None
    operation_task_id: strawberry.Private[str | None] = None

    @classmethod
    async def load(cls, info: Info, task_id: str) -> Task | None:
        # Through the loader: aliases and every continuedFrom of a page become one store query (at most).
        found = await info.context.load_task(task_id)
        return cls.from_domain(found) if found else None

    @classmethod
    def from_domain(cls, task: models.Task) -> Task:
        request = task.request
        return cls(
            id=strawberry.ID(task.id),
            action=TASK_ACTION_OF[task.action],
            status=TASK_STATUS_OF[task.status],
            fail_reason=task.fail_reason or None,
            waiting_reason=task.waiting_reason,
            progress=task.progress,
            submitted_at=_time(task.submit_time),
            started_at=_optional_time(task.start_time),
            finished_at=_optional_time(task.finish_time),
            updated_at=_time(task.updated_at or task.submit_time),
            clips=_clips(task),
            lyrics=Lyrics.from_domain(task.lyrics) if task.lyrics else None,
            request=_request(request),
            source_task_id=request.continue_task_id if isinstance(request, models.MusicRequest) else None,
            webhook_url=task.webhook_url,
            operation_clip_id=task.source_clip_id if task.action.is_operation else None,
            operation_task_id=task.source_task_id if task.action.is_operation else None,
        )


def _clips(task: models.Task) -> list[Clip]:
    rowless = RowlessViews(task)  # one signing of the task's links for all its clips
    return [Clip.from_domain(clip, task, rowless) for clip in task.clips]


def _request(request: models.TaskRequest) -> MusicRequest | LyricsRequest | OperationRequest:
    if isinstance(request, models.LyricsRequest):
        return LyricsRequest.from_domain(request)
    if isinstance(request, models.OperationRequest):
        return OperationRequest.from_domain(request)
    return MusicRequest.from_domain(request)


@strawberry.type(description="The clip an operation worked on, and the task that made that clip.")
class TaskSource:
    clip_id: strawberry.ID = strawberry.field(description="The source clip's id.")
    task_id: strawberry.ID | None = strawberry.field(
        description="The task that made it; null for a clip sunoql did not make."
    )

    async def _task(self, info: Info) -> Task | None:
        return await Task.load(info, str(self.task_id)) if self.task_id else None

    task: Task | None = strawberry.field(resolver=_task, description="That task, when sunoql made the clip.")

    async def _clip(self, info: Info) -> Clip | None:
        if not self.task_id:
            return None
        found = await info.context.load_task(str(self.task_id))
        clip = next((c for c in found.clips if c.id == self.clip_id), None) if found else None
        return Clip.from_domain(clip, found) if clip else None

    clip: Clip | None = strawberry.field(resolver=_clip, description="The source clip as sunoql last saw it.")


@strawberry.type(description="Where a page of tasks ends and whether more follow.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when older tasks follow.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` to get the next (older) page.")


@strawberry.type(description="A page of tasks, newest first.")
class TaskConnection:
    nodes: list[Task] = strawberry.field(description="The tasks of this page.")
    page_info: PageInfo = strawberry.field(description="How to get the next page.")

    @classmethod
    def from_domain(cls, page: models.TaskPage) -> TaskConnection:
        return cls(
            nodes=[Task.from_domain(task) for task in page.tasks],
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.next_cursor),
        )


def _time(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _optional_time(epoch: float | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch else None


def _optional_id(value: str | None) -> strawberry.ID | None:
    return strawberry.ID(value) if value else None
