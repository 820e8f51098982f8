"""Domain values as the MCP tools return them: tasks with playable links, accounts without secrets, models."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from suno.assets.links import clip_links
from suno.assets.views import AssetView
from suno.models import DEFAULT_MODEL, AccountModel, AccountStatus, Clip, Task, TaskAction


def task_view(task: Task, views: Mapping[str, Sequence[AssetView]] | None = None) -> dict[str, Any]:
    """A task for a model: what it is, where it is, its songs' links (sunoql's playable copies once
    finished) or its lyrics, and why it failed."""
    views = views or {}
    shown: dict[str, Any] = {
        "task_id": task.id,
        "action": task.action.value,
        "status": task.status.value,
        "done": task.is_terminal,
        "progress": task.progress,
        "fail_reason": task.fail_reason or None,
        # Why a task not yet at Suno waits: all slots busy, rate limited until T, a captcha…
        "waiting_reason": task.waiting_reason,
    }
    if task.action.makes_clips:
        shown["clips"] = [clip_view(clip, views.get(clip.id, ())) for clip in task.clips]
    elif task.action is TaskAction.LYRICS:
        lyrics = task.lyrics
        shown["lyrics"] = {"title": lyrics.title, "text": lyrics.text} if lyrics and lyrics.text else None
    return shown


def clip_view(clip: Clip, views: Sequence[AssetView]) -> dict[str, Any]:
    links = clip_links(clip, views)
    return {
        "clip_id": clip.id,
        "title": clip.title,
        "status": clip.status,
        "audio_url": links.audio_url,
        "image_url": links.image_url,
        "video_url": links.video_url,
        "duration_seconds": clip.duration,
        "tags": clip.tags,
        "model": clip.model_name,
    }


def account_view(status: AccountStatus) -> dict[str, Any]:
    """What may be shown about an account: never its cookie, session id or token."""
    return {
        "name": status.name,
        "healthy": status.healthy,
        "usable": status.unusable_reason is None,
        "unusable_reason": status.unusable_reason,
        "resting_until": int(status.cooldown_until) if status.cooldown_until else None,
        "last_error": status.last_error,
        "state": status.state.value,
        "state_reason": status.state_reason,
        "credits_left": status.credits_left,
        "monthly_limit": status.monthly_limit,
        "monthly_usage": status.monthly_usage,
        "period": status.period,
        "songs_in_progress": status.in_flight,
        "max_concurrent_songs": status.max_concurrency,
    }


def models_view(models: Sequence[AccountModel]) -> dict[str, Any]:
    """The usable models of the accounts' billing, each once, with their aliases."""
    usable = list({model.key: model for model in models if model.usable}.values())
    default = next((model.key for model in usable if model.is_default), DEFAULT_MODEL)
    return {
        "default": default,
        "models": [
            {
                "name": model.key,
                "title": model.name,
                "default": model.key == default,
                "aliases": list(model.aliases),
            }
            for model in usable
        ],
        "note": "A model an account cannot use is refused before anything is spent.",
    }
