"""What a chat template sees: a task under sunoql's names and under the original's Go names."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from suno.assets.links import clip_links
from suno.assets.views import AssetView
from suno.models import Clip, MusicRequest, Task, TaskAction, TaskStatus

STATUS_LABELS = {
    TaskStatus.NOT_START: "Waiting for a free Suno account",
    TaskStatus.SUBMITTED: "Sent to Suno",
    TaskStatus.QUEUED: "Queued at Suno",
    TaskStatus.IN_PROGRESS: "Generating",
    TaskStatus.SUCCESS: "Done",
    TaskStatus.FAILURE: "Failed",
}


@dataclass(frozen=True, slots=True)
class ChatOrder:
    """How the conversation became a song: the model asked for, and whether an LLM wrote the request."""

    model: str
    llm_used: bool


def task_context(
    task: Task,
    order: ChatOrder,
    previous: Task | None = None,
    views: Mapping[str, Sequence[AssetView]] | None = None,
) -> dict[str, Any]:
    """`views` (from suno.assets.links.asset_views) make the clips' links point at sunoql's playable copy."""
    clips = [clip_context(clip, (views or {}).get(clip.id, ())) for clip in task.clips]
    request = task.request if isinstance(task.request, MusicRequest) else MusicRequest()
    first = task.clips[0] if task.clips else None
    previous_status = previous.status if previous is not None else None
    waiting = task.waiting_reason or ""
    return {
        "task_id": task.id,
        "status": task.status.value,
        "status_label": f"Waiting: {waiting}" if waiting else STATUS_LABELS[task.status],
        # Why an unsent task waits (all slots busy, rate limited until T, a captcha…); shown as progress.
        "waiting_reason": waiting,
        "waiting_changed": previous is not None and (previous.waiting_reason or "") != waiting,
        "previous_status": previous_status.value if previous_status else "",
        "status_changed": previous_status is not None and previous_status != task.status,
        "progress": task.progress,
        "done": task.is_terminal,
        "succeeded": task.status is TaskStatus.SUCCESS,
        "failed": task.status is TaskStatus.FAILURE,
        "fail_reason": task.fail_reason,
        "action": task.action.value,
        "model": (first.model_name if first else None) or request.mv or order.model,
        "requested_model": order.model,
        "title": (first.title if first else "") or request.title,
        "lyrics": (first.prompt if first else None) or request.prompt,
        "tags": (first.tags if first else None) or request.effective_tags,
        "description": request.gpt_description_prompt,
        "instrumental": request.make_instrumental,
        "llm_used": order.llm_used,
        # Without an LLM the last user message went to Suno as an inspiration-mode description.
        "inspiration_mode": request.is_inspiration_mode,
        "clips": clips,
        "submit_time": task.submit_time,
        "start_time": task.start_time,
        "finish_time": task.finish_time,
        "fetch_path": f"/suno/fetch/{task.id}",
        # The original's names (TaskWithData[SunoSongs]): a migrated template needs only syntax changes.
        "TaskID": task.id,
        "Status": task.status.value,
        "FailReason": task.fail_reason,
        "Action": task.action.value,
        "SubmitTime": int(task.submit_time),
        "StartTime": int(task.start_time or 0),
        "FinishTime": int(task.finish_time or 0),
        "Data": clips,
    }


def clip_context(clip: Clip, views: Sequence[AssetView] = ()) -> dict[str, Any]:
    # Since 2026 Suno's audio_url may be a placeholder answering 403: the links every door shows.
    links = clip_links(clip, views)
    audio_url = links.audio_url or ""
    image_url = links.image_url or ""
    image_large_url = links.image_large_url or ""
    video_url = links.video_url or ""
    raw: Mapping[str, Any] = clip.raw
    metadata = raw.get("metadata")
    meta: Mapping[str, Any] = metadata if isinstance(metadata, Mapping) else {}
    video_pending = bool(raw.get("is_video_pending"))
    return {
        "id": clip.id,
        "title": clip.title,
        "status": clip.status,
        "audio_url": audio_url,
        "upstream_audio_url": clip.audio_url or "",
        "video_url": video_url,
        "upstream_video_url": clip.video_url or "",
        "image_url": image_url,
        "image_large_url": image_large_url,
        "tags": clip.tags or "",
        "lyrics": clip.prompt or "",
        "duration": clip.duration,
        "duration_text": duration_text(clip.duration),
        "model": clip.model_name or "",
        "major_model_version": clip.major_model_version or "",
        "created_at": clip.created_at or "",
        "error_message": clip.error_message or "",
        "video_pending": video_pending,
        "raw": raw,
        "ID": clip.id,
        "Title": clip.title,
        "Status": clip.status,
        "AudioURL": audio_url,
        "VideoURL": video_url,
        "ImageURL": image_url,
        "ImageLargeURL": image_large_url,
        "ModelName": clip.model_name or "",
        "MajorModelVersion": clip.major_model_version or "",
        "CreatedAt": clip.created_at or "",
        "IsVideoPending": video_pending,
        "Metadata": {
            "Tags": clip.tags or "",
            "Prompt": clip.prompt or "",
            "Duration": clip.duration if clip.duration is not None else "",
            "GPTDescriptionPrompt": meta.get("gpt_description_prompt") or "",
            "NegativeTags": meta.get("negative_tags") or "",
            "Type": meta.get("type") or "",
            "Stream": bool(meta.get("stream")),
            "ErrorType": clip.error_type or "",
            "ErrorMessage": clip.error_message or "",
        },
    }


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def sample_contexts() -> list[dict[str, Any]]:
    """Contexts for a trial render at start-up: a song in progress, a finished one and a failed one."""
    now = time.time()
    request = MusicRequest(prompt="[Verse]\nSample line", title="Sample", tags="pop", mv="chirp-fenix")

    def clip(status: str, index: int) -> Clip:
        done = status == "complete"
        return Clip.from_upstream(
            {
                "id": f"sample-clip-{index}",
                "status": status,
                "title": "Sample",
                "audio_url": (
                    f"https://cdn1.suno.ai/sample-clip-{index}.mp3"
                    if done
                    else f"https://audiopipe.suno.ai/?item_id=sample-clip-{index}"
                    if status == "streaming"
                    else ""
                ),
                "video_url": f"https://cdn1.suno.ai/sample-clip-{index}.mp4" if done else "",
                "image_url": f"https://cdn2.suno.ai/image_sample-clip-{index}.jpeg",
                "model_name": "chirp-fenix",
                "metadata": {
                    "tags": "pop",
                    "prompt": "[Verse]\nSample line",
                    "duration": 123.4 if done else None,
                    "error_message": "sample failure" if status == "error" else None,
                },
            }
        )

    def task(status: TaskStatus, clip_status: str, fail_reason: str = "") -> Task:
        return Task(
            id="sample-task",
            action=TaskAction.MUSIC,
            status=status,
            request=request,
            clips=(clip(clip_status, 0), clip(clip_status, 1)),
            fail_reason=fail_reason,
            submit_time=now,
        )

    running = task(TaskStatus.QUEUED, "queued")
    streaming = task(TaskStatus.IN_PROGRESS, "streaming")
    contexts = []
    for llm_used in (True, False):
        order = ChatOrder(model="chirp-fenix", llm_used=llm_used)
        contexts += [
            task_context(running, order),
            task_context(streaming, order, previous=running),
            task_context(task(TaskStatus.SUCCESS, "complete"), order, previous=streaming),
            task_context(task(TaskStatus.FAILURE, "error", "sample failure"), order, previous=streaming),
        ]
    return contexts
