"""How Suno's clip and lyrics states map to a task's status (the original's readerStatus, made total)."""

from __future__ import annotations

from collections.abc import Sequence

from suno.models import Clip, Lyrics, TaskStatus

CLIP_STATUS = {
    "submitted": TaskStatus.SUBMITTED,
    "queued": TaskStatus.QUEUED,
    "queue": TaskStatus.QUEUED,
    "streaming": TaskStatus.IN_PROGRESS,
    "running": TaskStatus.IN_PROGRESS,
    "complete": TaskStatus.SUCCESS,
    "error": TaskStatus.FAILURE,
}


def status_from_clips(clips: Sequence[Clip]) -> tuple[TaskStatus, str]:
    """A batch succeeds when every clip is complete, fails when all ended and one is an error;
    until then it is as far along as its slowest unfinished clip."""
    if not clips:
        return TaskStatus.SUBMITTED, ""
    statuses = [CLIP_STATUS.get(clip.status.lower(), TaskStatus.SUBMITTED) for clip in clips]
    errors = [clip for clip, status in zip(clips, statuses, strict=True) if status is TaskStatus.FAILURE]
    unfinished = [status for status in statuses if not status.is_terminal]
    if unfinished:
        return min(unfinished, key=lambda s: s.rank), ""
    if errors:
        return TaskStatus.FAILURE, _error_reason(errors)
    return TaskStatus.SUCCESS, ""


def status_from_lyrics(lyrics: Lyrics) -> tuple[TaskStatus, str]:
    if lyrics.is_complete:
        return TaskStatus.SUCCESS, ""
    if lyrics.is_error:
        return TaskStatus.FAILURE, "Suno could not write these lyrics"
    return TaskStatus.IN_PROGRESS, ""


def _error_reason(errors: Sequence[Clip]) -> str:
    for clip in errors:
        if clip.error_message:
            return clip.error_message
    kind = next((clip.error_type for clip in errors if clip.error_type), None)
    return f"Suno reported an error ({kind})" if kind else "Suno reported an error for this song"
