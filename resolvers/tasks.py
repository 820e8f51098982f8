"""Task resolvers: submit, read, list and follow tasks through SunoService."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry

from resolvers.mapping import page_to_graphql, task_to_graphql
from schema import types
from schema.context import Info
from schema.enums import TaskAction, TaskStatus
from schema.inputs import GenerateLyricsInput, GenerateMusicInput
from suno.models import TaskAction as DomainTaskAction
from suno.models import TaskFilter
from suno.models import TaskStatus as DomainTaskStatus
from suno.requests import lyrics_request, music_request


async def generate_music(
    info: Info, input: Annotated[GenerateMusicInput, strawberry.argument(description="The song to make.")]
) -> types.Task:
    request = music_request(music_fields(input))
    return task_to_graphql(await info.context.service.submit_music(request))


async def generate_lyrics(
    info: Info, input: Annotated[GenerateLyricsInput, strawberry.argument(description="The lyrics to write.")]
) -> types.Task:
    request = lyrics_request({"prompt": input.prompt})
    return task_to_graphql(await info.context.service.submit_lyrics(request))


TaskId = Annotated[strawberry.ID, strawberry.argument(description="The task's id.")]


async def task(info: Info, id: TaskId) -> types.Task | None:
    return await task_by_id(info, str(id))


async def task_by_id(info: Info, task_id: str) -> types.Task | None:
    # Through the loader: aliases and every continuedFrom of a page become one store query.
    found = await info.context.task_loader.load(task_id)
    return task_to_graphql(found) if found else None


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
) -> types.TaskConnection:
    task_filter = TaskFilter(
        statuses=[DomainTaskStatus[s.name] for s in status or ()],
        actions=[DomainTaskAction[a.name] for a in action or ()],
        ids=[str(i) for i in ids or ()],
    )
    page = await info.context.service.list_tasks(task_filter, cursor=after or None, limit=first)
    return page_to_graphql(page)


async def task_progress(info: Info, id: TaskId) -> AsyncGenerator[types.Task, None]:
    async for snapshot in info.context.service.watch(str(id)):
        yield task_to_graphql(snapshot)


async def tasks_progress(
    info: Info, ids: Annotated[list[strawberry.ID], strawberry.argument(description="The tasks' ids.")]
) -> AsyncGenerator[types.Task, None]:
    async for snapshot in info.context.service.watch_many([str(i) for i in ids]):
        yield task_to_graphql(snapshot)


# GraphQL input names → the original's field names, which suno.requests validates.
MUSIC_FIELD_NAMES = {
    "gpt_description_prompt": "gpt_description_prompt",
    "prompt": "prompt",
    "title": "title",
    "tags": "tags",
    "negative_tags": "negative_tags",
    "model": "mv",
    "make_instrumental": "make_instrumental",
    "continue_clip_id": "continue_clip_id",
    "continue_at": "continue_at",
    "continue_task_id": "task_id",
}


def music_fields(input: GenerateMusicInput) -> dict[str, Any]:
    fields: dict[str, Any] = {original: getattr(input, name) for name, original in MUSIC_FIELD_NAMES.items()}
    fields["vocal_gender"] = input.vocal_gender.value if input.vocal_gender else None
    return fields
