"""Domain values as the original's JSON: task items, clip lists, lyrics and the account certificate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from suno.assets.links import with_playable_links
from suno.assets.views import AssetView
from suno.models import AccountSecrets, AccountStatus, Task, TaskAction

# Shown instead of a secret; enough to tell two accounts apart, never enough to use one.
_KEEP = 4


def unix(seconds: float | None) -> int:
    """Unix seconds as the original sends them: whole numbers, 0 for "not yet"."""
    return int(seconds) if seconds else 0


def task_data(
    task: Task, views: Mapping[str, Sequence[AssetView]] | None = None
) -> list[dict[str, Any]] | dict[str, Any] | None:
    """What `data` holds for a task: Suno's clips (every field kept, `audio_url` and the images pointing
    at sunoql's playable copy once the song is finished) or the lyrics object."""
    if task.action is TaskAction.LYRICS:
        return task.lyrics.to_dict() if task.lyrics is not None else None
    views = views or {}
    return [with_playable_links(clip.to_upstream(), views.get(clip.id, ())) for clip in task.clips]


def task_item(task: Task, views: Mapping[str, Sequence[AssetView]] | None = None) -> dict[str, Any]:
    return {
        "task_id": task.id,
        "action": task.action.value,
        "status": task.status.value,
        "fail_reason": task.fail_reason,
        "submit_time": unix(task.submit_time),
        "start_time": unix(task.start_time),
        "finish_time": unix(task.finish_time),
        "progress": task.progress,
        "data": task_data(task, views),
        # sunoql's addition: why a task waits (null when it does not); the original's fields are unchanged.
        "waiting_reason": task.waiting_reason,
    }


def mask(secret: str) -> str:
    if not secret:
        return ""
    if len(secret) < 4 * _KEEP:
        return "****"
    return f"{secret[:_KEEP]}****{secret[-_KEEP:]}"


def certificate(
    status: AccountStatus, secrets: AccountSecrets | None, *, show_secrets: bool
) -> dict[str, Any]:
    shown = (lambda value: value) if show_secrets else mask
    last_update = secrets.last_update if secrets and secrets.last_update else status.last_token_refresh
    return {
        "session_id": shown(secrets.session_id) if secrets else "",
        "cookie": shown(secrets.cookie) if secrets else "",
        "jwt": shown(secrets.jwt) if secrets else "",
        "last_update": unix(last_update),
        "credits_left": status.credits_left or 0,
        "monthly_limit": status.monthly_limit or 0,
        "monthly_usage": status.monthly_usage or 0,
        "period": status.period or "",
        "is_active": bool(status.is_active),
    }


def account_message(status: AccountStatus) -> str:
    if status.healthy and not status.last_error:
        return ""
    return status.last_error or "the account is resting after an error"


def health_fields(status: AccountStatus) -> dict[str, Any]:
    return {
        "state": status.state.value,
        "state_since": int(status.state_since) if status.state_since else None,
        "state_reason": status.state_reason or "",
    }


def account_entry(
    status: AccountStatus, secrets: Sequence[AccountSecrets], *, show_secrets: bool
) -> dict[str, Any]:
    """One account as `accounts` lists it (the reply of POST /suno/account/challenge)."""
    return account_data([status], secrets, show_secrets=show_secrets)["accounts"][0]  # type: ignore[no-any-return]


def account_data(
    statuses: Sequence[AccountStatus], secrets: Sequence[AccountSecrets], *, show_secrets: bool
) -> dict[str, Any]:
    """The original's {certificate, msg} for the first account, plus every account in `accounts`."""
    by_name = {entry.name: entry for entry in secrets}
    entries = [
        {
            "name": status.name,
            "healthy": status.healthy,
            "msg": account_message(status),
            # Why the account takes no new song, and until when its rest lasts (epoch seconds).
            "unusable_reason": status.unusable_reason or "",
            "resting_until": int(status.cooldown_until) if status.cooldown_until else None,
            **health_fields(status),
            **certificate(status, by_name.get(status.name), show_secrets=show_secrets),
        }
        for status in statuses
    ]
    if not statuses:
        return {"certificate": None, "msg": "no Suno account is configured", "accounts": []}
    first = statuses[0]
    return {
        "certificate": certificate(first, by_name.get(first.name), show_secrets=show_secrets),
        "msg": account_message(first),
        "accounts": entries,
    }
