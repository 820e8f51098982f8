"""sunoapi.org's callback bodies (`callbackType` text, first, complete, error), rendered for the outbox.

The delivery loop signs and posts them (Standard Webhooks headers on top of the contract's body).
"""

from __future__ import annotations

import re
from typing import Any

from rest_compat.sunoapi.views import (
    Views,
    failure_status,
    lyrics_entries,
    stems_record,
    suno_data,
    video_url,
)
from suno.assets.links import AssetLinks
from suno.models import Task, TaskAction
from suno.store.webhook_outbox import ERROR
from suno.webhooks.bodies import Renderer

FORMAT = "sunoapi"
MESSAGES = {
    "text": "Text generation completed.",
    "first": "First track generation completed.",
    "complete": "All generated successfully.",
}


def sunoapi_callback_renderer(links: AssetLinks, base_url: str) -> Renderer:
    async def render(task: Task, stage: str) -> dict[str, Any]:
        if task.action is TaskAction.LYRICS:
            return lyrics_callback(task, stage)
        views = await links.task_views([task], base_url)
        if task.action in (TaskAction.STEMS, TaskAction.VIDEO):
            return operation_callback(task, stage, views)
        if stage == ERROR:
            code = 400 if failure_status(task, "") == "SENSITIVE_WORD_ERROR" else 501
            message = task.fail_reason or "Audio generation failed."
            return {
                "code": code,
                "msg": message,
                "data": {"callbackType": ERROR, "task_id": task.id, "data": None},
            }
        return {
            "code": 200,
            "msg": MESSAGES.get(stage, "success"),
            "data": {"callbackType": stage, "task_id": task.id, "data": suno_data(task, views, snake=True)},
        }

    return render


def lyrics_callback(task: Task, stage: str) -> dict[str, Any]:
    if stage == ERROR:
        return {
            "code": 500,
            "msg": task.fail_reason or "Lyrics generation failed.",
            "data": {"callbackType": ERROR, "taskId": task.id, "data": lyrics_entries(task)},
        }
    return {
        "code": 200,
        "msg": "All generated successfully.",
        "data": {"callbackType": stage, "taskId": task.id, "data": lyrics_entries(task)},
    }


def operation_callback(task: Task, stage: str, views: Views) -> dict[str, Any]:
    """The contract's vocal-removal and mp4 callbacks, snake_case under `data`; links are set once finished."""
    stems = task.action is TaskAction.STEMS
    if stage == ERROR:
        what = "Vocal separation" if stems else "MP4 generation"
        return {"code": 500, "msg": task.fail_reason or f"{what} failed.", "data": {"task_id": task.id}}
    data: dict[str, Any] = {"task_id": task.id}
    if stems:
        links = stems_record(task, views)["response"]
        data["vocal_removal_info"] = {
            re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower(): url
            for name, url in links.items()
            if name != "originData"
        }
        message = "vocal Removal generated successfully."
    else:
        data["video_url"] = video_url(task, views)
        message = "MP4 generated successfully."
    return {"code": 200, "msg": message, "data": data}
