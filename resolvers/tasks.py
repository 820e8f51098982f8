"""Task resolvers: submit, read, list and follow tasks through SunoService."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from schema.context import Info
from schema.enums import TaskAction, TaskStatus
from schema.inputs import GenerateLyricsInput, GenerateMusicInput
from schema.types import Task, TaskConnection
from suno.models import TaskAction as DomainTaskAction
from suno.models import TaskFilter
from suno.models import TaskStatus as DomainTaskStatus
from suno.requests import MusicOrder, lyrics_request, music_request


async def generate_music(
    info: Info, input: Annotated[GenerateMusicInput, strawberry.argument(description="The song to make.")]
) -> Task:
    request = music_request(music_order(input))
    return Task.from_domain(await info.context.service.submit_music(request))


async def generate_lyrics(
    info: Info, input: Annotated[GenerateLyricsInput, strawberry.argument(description="The lyrics to write.")]
) -> Task:
    request = lyrics_request(input.prompt)
    return Task.from_domain(await info.context.service.submit_lyrics(request))


TaskId = Annotated[strawberry.ID, strawberry.argument(description="The task's id.")]


async def task(info: Info, id: TaskId) -> Task | None:
    return await Task.load(info, str(id))


async def tasks(
    info: Info,
    first: Annotated[int, strawberry.argument(description="Page size, 1 to 100.")] = 20,
    after: Annotated[
        str | None, strawberry.argument(description="pageInfo.endCursor of the previous page.")
    ] = None,
    status: Annotated[
        list[TaskStatus] | None, strawberry.argument(description="Only tasks in these statuses.")
    ] = None,
    action: Annotated[
        list[TaskAction] | None, strawberry.argument(description="Only tasks of these actions.")
    ] = None,
    ids: Annotated[list[strawberry.ID] | None, strawberry.argument(description="Only these tasks.")] = None,
) -> TaskConnection:
    task_filter = TaskFilter(
        statuses=[DomainTaskStatus[s.name] for s in status or ()],
        actions=[DomainTaskAction[a.name] for a in action or ()],
        ids=[str(i) for i in ids or ()],
    )
    page = await info.context.service.list_tasks(task_filter, cursor=after or None, limit=first)
    return TaskConnection.from_domain(page)


async def task_progress(info: Info, id: TaskId) -> AsyncGenerator[Task, None]:
    async for snapshot in info.context.service.watch(str(id)):
        yield Task.from_domain(snapshot)


async def tasks_progress(
    info: Info, ids: Annotated[list[strawberry.ID], strawberry.argument(description="The tasks' ids.")]
) -> AsyncGenerator[Task, None]:
    async for snapshot in info.context.service.watch_many([str(i) for i in ids]):
        yield Task.from_domain(snapshot)


# GraphQL input names → the original's field names, which suno.requests validates.
def music_order(input: GenerateMusicInput) -> MusicOrder:
    """The input as the core's order: both modes at once is refused there (BAD_USER_INPUT)."""
    return MusicOrder(
        prompt=input.prompt or "",
        gpt_description_prompt=input.gpt_description_prompt or "",
        title=input.title or "",
        tags=input.tags or "",
        negative_tags=input.negative_tags or "",
        vocal_gender=str(input.vocal_gender.value) if input.vocal_gender else None,
        model=input.model or "",
        make_instrumental=bool(input.make_instrumental),
        continue_clip_id=str(input.continue_clip_id or ""),
        continue_at=input.continue_at,
        continue_task_id=str(input.continue_task_id or ""),
        persona_id=str(input.persona_id or ""),
    )
