"""Domain values as gcui's JSON: its AudioInfo clip objects (with sunoql's playable links), lyrics, the limit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from suno.assets.links import clip_links, with_playable_links
from suno.assets.views import AssetView
from suno.models import AccountStatus, Clip, Task
from suno.pool_credits import PoolCredits

Views = Mapping[str, Sequence[AssetView]]


def audio_info(clip: Clip, views: Sequence[AssetView] = ()) -> dict[str, Any]:
    """gcui's AudioInfo for one clip: Suno's fields flattened out of `metadata`, the media links
    pointing at sunoql's copy once the song is finished."""
    raw_metadata = clip.raw.get("metadata")
    metadata: Mapping[str, Any] = raw_metadata if isinstance(raw_metadata, Mapping) else {}
    links = clip_links(clip, views)
    return {
        "id": clip.id,
        "title": clip.title,
        "image_url": links.image_url,
        "lyric": clip.prompt or "",
        "audio_url": links.audio_url,
        "video_url": links.video_url,
        "created_at": clip.created_at,
        "model_name": clip.model_name,
        "status": clip.status,
        "gpt_description_prompt": metadata.get("gpt_description_prompt"),
        "prompt": clip.prompt,
        "type": metadata.get("type"),
        "tags": clip.tags,
        "negative_tags": metadata.get("negative_tags"),
        "duration": clip.duration,
        "error_message": clip.error_message,
    }


def task_audio(tasks: Sequence[Task], views: Views) -> list[dict[str, Any]]:
    """The clips of `tasks` as AudioInfo, in order."""
    return [audio_info(clip, views.get(clip.id, ())) for task in tasks for clip in task.clips]


def raw_clip(clip: Clip, views: Sequence[AssetView] = ()) -> dict[str, Any]:
    """/api/clip answers Suno's own clip object, as gcui does, with the playable links."""
    return with_playable_links(clip.to_upstream(), views)


def lyrics_reply(task: Task) -> dict[str, Any]:
    """Suno's lyrics object ({id, status, title, text}); before Suno has one, the task id, still running."""
    if task.lyrics is not None:
        return task.lyrics.to_dict()
    return {"id": task.id, "status": "running", "title": "", "text": ""}


def limit_reply(statuses: Sequence[AccountStatus]) -> dict[str, Any]:
    """gcui's {credits_left, period, monthly_limit, monthly_usage}, summed over every account."""
    credits = PoolCredits.of(statuses)  # gcui shows a number: an unknown figure is 0
    return {
        "credits_left": credits.credits_left or 0,
        "period": credits.period,
        "monthly_limit": credits.monthly_limit or 0,
        "monthly_usage": credits.monthly_usage or 0,
    }
