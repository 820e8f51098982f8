"""Conversion between task rows and domain Tasks, in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from suno.models import (
    Clip,
    Lyrics,
    LyricsRequest,
    MusicRequest,
    OperationRequest,
    Task,
    TaskAction,
    TaskRequest,
    TaskStatus,
)


def task_from_row(row: Mapping[Any, Any]) -> Task:
    action = TaskAction(row["action"])
    data = row["data"]
    request: TaskRequest
    clips: tuple[Clip, ...] = ()
    lyrics: Lyrics | None = None
    result: Mapping[str, Any] | None = None
    if action.is_operation:
        # An operation's data: {"clips": [...], "result": {...}}.
        request = OperationRequest.from_dict(row["request"] or {})
        if isinstance(data, Mapping):
            items = data.get("clips")
            if isinstance(items, list):
                clips = tuple(Clip.from_upstream(item) for item in items if isinstance(item, Mapping))
            found = data.get("result")
            result = dict(found) if isinstance(found, Mapping) else None
    elif action is TaskAction.MUSIC:
        request = MusicRequest.from_dict(row["request"] or {})
        if isinstance(data, list):
            clips = tuple(Clip.from_upstream(item) for item in data if isinstance(item, Mapping))
    else:
        request = LyricsRequest.from_dict(row["request"] or {})
        if isinstance(data, Mapping):
            lyrics = Lyrics.from_dict(data)
    return Task(
        id=row["id"],
        action=action,
        status=TaskStatus(row["status"]),
        request=request,
        clips=clips,
        lyrics=lyrics,
        upstream_ids=tuple(row["upstream_ids"] or ()),
        fail_reason=row["fail_reason"] or "",
        account=row["account"],
        submit_time=row["submit_time"],
        start_time=row["start_time"],
        finish_time=row["finish_time"],
        updated_at=row["updated_at"],
        revision=row["revision"],
        waiting_reason=row["waiting_reason"],
        transaction_uuid=row["transaction_uuid"],
        source_clip_id=row["source_clip_id"],
        source_task_id=row["source_task_id"],
        webhook_url=row["webhook_url"],
        webhook_format=row["webhook_format"],
        result=result,
    )


def task_data(task: Task) -> Any:
    if task.action.is_operation:
        if not task.clips and task.result is None:
            return None
        return {"clips": [clip.to_upstream() for clip in task.clips], "result": task.result}
    if task.action is TaskAction.MUSIC:
        return [clip.to_upstream() for clip in task.clips] if task.clips else None
    return task.lyrics.to_dict() if task.lyrics else None


def task_to_row(task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "action": task.action.value,
        "status": task.status.value,
        "request": task.request.to_dict(),
        "upstream_ids": list(task.upstream_ids),
        "data": task_data(task),
        "fail_reason": task.fail_reason,
        "account": task.account,
        "submit_time": task.submit_time,
        "start_time": task.start_time,
        "finish_time": task.finish_time,
        "updated_at": task.updated_at,
        "revision": task.revision,
        "waiting_reason": task.waiting_reason,
        "transaction_uuid": task.transaction_uuid,
        "source_clip_id": task.source_clip_id,
        "source_task_id": task.source_task_id,
        "webhook_url": task.webhook_url,
        "webhook_format": task.webhook_format,
    }
