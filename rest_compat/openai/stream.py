"""A song's progress as a streamed chat completion: submit text, a tick per change, the reply, [DONE]."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping, Sequence
from typing import cast

from rest_compat.openai.context import ChatOrder, task_context
from rest_compat.openai.errors import ChatError
from rest_compat.openai.templates import ChatTemplates
from rest_compat.openai.views import ChunkWriter
from suno.assets.links import AssetLinks
from suno.assets.views import AssetView
from suno.models import Task
from suno.service import SunoService

log = logging.getLogger("sunoql.chat")

HEARTBEAT_SECONDS = 15.0


def timeout_text(task_id: str, seconds: float) -> str:
    return (
        f"\n\nThe song is still being made after {seconds:g} s. Task `{task_id}` keeps running: "
        f"fetch it later with GET /suno/fetch/{task_id}.\n"
    )


async def song_events(
    service: SunoService,
    task_id: str,
    templates: ChatTemplates,
    order: ChatOrder,
    writer: ChunkWriter,
    *,
    time_out: float,
    usage: Callable[[str], dict[str, int]],
    links: AssetLinks,
    heartbeat: float = HEARTBEAT_SECONDS,
    base_url: str = "",
) -> AsyncIterator[str]:
    """The SSE events of one song. Closing this generator (a client that left) stops watching, not the task."""
    snapshots: asyncio.Queue[Task | BaseException | None] = asyncio.Queue()
    follower = asyncio.create_task(_follow(service, task_id, snapshots))
    sent: list[str] = []
    try:
        yield writer.role()
        deadline = asyncio.get_running_loop().time() + time_out
        previous: Task | None = None
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                sent.append(timeout_text(task_id, time_out))
                yield writer.content(sent[-1])
                break
            try:
                item = await asyncio.wait_for(snapshots.get(), min(heartbeat, remaining))
            except TimeoutError:
                yield writer.heartbeat()
                continue
            if item is None:
                break
            if isinstance(item, BaseException):
                log.error("watching task %s failed: %s: %s", task_id, type(item).__name__, item)
                yield writer.error(ChatError(500, f"following task {task_id} failed", type="api_error"))
                yield writer.done()
                return
            views = await links.task_views([item], base_url) if item.is_terminal else None
            text = _progress_text(templates, order, item, previous, views)
            if text:
                sent.append(text)
                yield writer.content(text)
            previous = item
            if item.is_terminal:
                break
        yield writer.finish()
        if writer.include_usage:
            yield writer.usage(usage("".join(sent)))
        yield writer.done()
    finally:
        follower.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await follower


def _progress_text(
    templates: ChatTemplates,
    order: ChatOrder,
    task: Task,
    previous: Task | None,
    views: Mapping[str, Sequence[AssetView]] | None = None,
) -> str:
    context = task_context(task, order, previous, views)
    if previous is None:
        text = templates.render("chat_stream_submit", context)
    elif not task.is_terminal:
        text = templates.render("chat_stream_tick", context)
    else:
        text = ""
    if task.is_terminal:
        text += templates.render("chat_resp", context)
    return text


async def _follow(
    service: SunoService, task_id: str, out: asyncio.Queue[Task | BaseException | None]
) -> None:
    """Feed the watch's snapshots to the stream, which also has heartbeats and a deadline to mind."""
    try:
        async with watching(service, task_id) as snapshots:
            async for snapshot in snapshots:
                out.put_nowait(snapshot)
    except Exception as error:
        out.put_nowait(error)
        return
    out.put_nowait(None)


def watching(service: SunoService, task_id: str) -> contextlib.aclosing[AsyncGenerator[Task, None]]:
    """service.watch, closed on exit even when abandoned mid-way (its subscription is released at once)."""
    return contextlib.aclosing(cast("AsyncGenerator[Task, None]", service.watch(task_id)))
