"""sunoql's own webhook body (GraphQL's webhookUrl, the original REST's callback_url): the stage and the task."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from suno.assets.links import AssetLinks, clip_links
from suno.models import Task

# (task, stage) → the JSON body; one per format, given to the delivery loop by the composition root.
Renderer = Callable[[Task, str], Awaitable[dict[str, Any]]]


def sunoql_renderer(links: AssetLinks, base_url: str) -> Renderer:
    async def render(task: Task, stage: str) -> dict[str, Any]:
        views = await links.task_views([task], base_url)
        return {
            "type": f"task.{stage}",
            "timestamp": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
            "data": task_body(task, views),
        }

    return render


def task_body(task: Task, views: Any) -> dict[str, Any]:
    clips = []
    for clip in task.clips:
        links = clip_links(clip, views.get(clip.id, ()))
        clips.append(
            {
                "id": clip.id,
                "status": clip.status,
                "title": clip.title,
                "tags": clip.tags,
                "prompt": clip.prompt,
                "audio_url": links.audio_url,
                "image_url": links.image_url,
                "video_url": links.video_url,
                "duration": clip.duration,
                "model_name": clip.model_name,
                "created_at": clip.created_at,
                "error_message": clip.error_message,
            }
        )
    return {
        "task_id": task.id,
        "action": task.action.value,
        "status": task.status.value,
        "fail_reason": task.fail_reason or None,
        "submit_time": task.submit_time,
        "finish_time": task.finish_time,
        "clips": clips,
        "lyrics": task.lyrics.to_dict() if task.lyrics else None,
    }
