"""Domain values → GraphQL objects; plain attribute copies, so no per-field resolver runs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from schema import types
from schema.enums import TaskAction, TaskStatus, VocalGender
from suno.models import AccountStatus, Clip, Lyrics, LyricsRequest, MusicRequest, Task, TaskPage


def task_to_graphql(task: Task) -> types.Task:
    return types.Task(
        id=strawberry.ID(task.id),
        action=TaskAction(task.action.value),
        status=TaskStatus(task.status.value),
        fail_reason=task.fail_reason or None,
        progress=task.progress,
        submitted_at=_time(task.submit_time),
        started_at=_optional_time(task.start_time),
        finished_at=_optional_time(task.finish_time),
        updated_at=_time(task.updated_at or task.submit_time),
        clips=[clip_to_graphql(clip, task.id) for clip in task.clips],
        lyrics=lyrics_to_graphql(task.lyrics) if task.lyrics else None,
        request=request_to_graphql(task.request),
        source_task_id=task.request.continue_task_id if isinstance(task.request, MusicRequest) else None,
    )


def clip_to_graphql(clip: Clip, task_id: str | None = None) -> types.Clip:
    return types.Clip(
        task_id=task_id,
        id=strawberry.ID(clip.id),
        title=clip.title,
        status=clip.status,
        audio_url=clip.audio_url,
        video_url=clip.video_url,
        image_url=clip.image_url,
        image_large_url=clip.image_large_url,
        duration=clip.duration,
        tags=clip.tags,
        prompt=clip.prompt,
        model_name=clip.model_name,
        major_model_version=clip.major_model_version,
        created_at=_suno_time(clip.created_at),
        error_type=clip.error_type,
        error_message=clip.error_message,
        raw=cast(JSON, clip.to_upstream()),
    )


def lyrics_to_graphql(lyrics: Lyrics) -> types.Lyrics:
    return types.Lyrics(title=lyrics.title, text=lyrics.text, status=lyrics.status)


def request_to_graphql(request: MusicRequest | LyricsRequest) -> types.MusicRequest | types.LyricsRequest:
    if isinstance(request, LyricsRequest):
        return types.LyricsRequest(prompt=request.prompt)
    return types.MusicRequest(
        prompt=request.prompt,
        gpt_description_prompt=request.gpt_description_prompt,
        title=request.title,
        tags=request.tags,
        negative_tags=request.negative_tags,
        vocal_gender=VocalGender(request.vocal_gender.value) if request.vocal_gender else None,
        model=request.mv,
        make_instrumental=request.make_instrumental,
        continue_clip_id=_optional_id(request.continue_clip_id),
        continue_at=request.continue_at,
        continue_task_id=_optional_id(request.continue_task_id),
    )


def page_to_graphql(page: TaskPage) -> types.TaskConnection:
    return types.TaskConnection(
        nodes=[task_to_graphql(task) for task in page.tasks],
        page_info=types.PageInfo(has_next_page=page.has_next, end_cursor=page.next_cursor),
    )


def account_to_graphql(accounts: list[AccountStatus], now: float) -> types.Account:
    members = [_member(account, now) for account in accounts]
    ages = [m.token_age_seconds for m in members if m.token_age_seconds is not None]
    return types.Account(
        credits_left=_total(a.credits_left for a in accounts),
        monthly_limit=_total(a.monthly_limit for a in accounts),
        monthly_usage=_total(a.monthly_usage for a in accounts),
        period=next((a.period for a in accounts if a.period), None),
        active=any(a.healthy and a.is_active is not False for a in accounts),
        token_age_seconds=min(ages) if ages else None,
        accounts=members,
    )


def _member(account: AccountStatus, now: float) -> types.SunoAccount:
    refreshed = account.last_token_refresh
    return types.SunoAccount(
        name=account.name,
        credits_left=account.credits_left,
        monthly_limit=account.monthly_limit,
        monthly_usage=account.monthly_usage,
        period=account.period,
        active=account.is_active,
        token_age_seconds=round(max(0.0, now - refreshed), 3) if refreshed else None,
        healthy=account.healthy,
        last_error=account.last_error,
        in_flight=account.in_flight,
        max_concurrency=account.max_concurrency,
    )


def _total(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _time(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _optional_time(epoch: float | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch else None


def _suno_time(value: str | None) -> datetime | None:
    """Suno writes ISO-8601 with a Z suffix; anything unparseable is left out rather than guessed."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _optional_id(value: str | None) -> strawberry.ID | None:
    return strawberry.ID(value) if value else None
