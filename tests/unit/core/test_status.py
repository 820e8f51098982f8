"""Task statuses: forward-only transitions and the mapping from Suno's clip states."""

from __future__ import annotations

import pytest

from suno.models import Clip, Lyrics, TaskStatus
from suno.status import status_from_clips, status_from_lyrics


def clips(*states: str, message: str | None = None) -> list[Clip]:
    return [
        Clip.from_upstream(
            {"id": str(i), "status": s, "metadata": {"error_message": message if s == "error" else None}}
        )
        for i, s in enumerate(states)
    ]


def test_statuses_only_move_forward_and_terminal_ones_never_move() -> None:
    assert TaskStatus.NOT_START.can_move_to(TaskStatus.SUBMITTED)
    assert TaskStatus.SUBMITTED.can_move_to(TaskStatus.IN_PROGRESS)
    assert not TaskStatus.IN_PROGRESS.can_move_to(TaskStatus.QUEUED)
    assert not TaskStatus.QUEUED.can_move_to(TaskStatus.QUEUED)
    assert not TaskStatus.SUCCESS.can_move_to(TaskStatus.FAILURE)
    assert not TaskStatus.FAILURE.can_move_to(TaskStatus.SUCCESS)


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        (("submitted", "submitted"), TaskStatus.SUBMITTED),
        (("queued", "submitted"), TaskStatus.SUBMITTED),
        (("streaming", "queued"), TaskStatus.QUEUED),
        (("streaming", "streaming"), TaskStatus.IN_PROGRESS),
        (("complete", "streaming"), TaskStatus.IN_PROGRESS),
        (("complete", "complete"), TaskStatus.SUCCESS),
        (("complete",), TaskStatus.SUCCESS),
        (("complete", "error"), TaskStatus.FAILURE),
        (("error", "error"), TaskStatus.FAILURE),
        (("error", "streaming"), TaskStatus.IN_PROGRESS),
    ],
)
def test_batch_status_follows_the_slowest_unfinished_clip(
    states: tuple[str, ...], expected: TaskStatus
) -> None:
    assert status_from_clips(clips(*states))[0] is expected


def test_failed_batch_carries_the_clip_error_message() -> None:
    assert status_from_clips(clips("complete", "error", message="lyrics rejected")) == (
        TaskStatus.FAILURE,
        "lyrics rejected",
    )
    assert "error" in status_from_clips(clips("error"))[1]


def test_lyrics_are_done_when_complete_or_text_arrived() -> None:
    assert status_from_lyrics(Lyrics("l", "running"))[0] is TaskStatus.IN_PROGRESS
    assert status_from_lyrics(Lyrics("l", "running", text="la"))[0] is TaskStatus.SUCCESS
    assert status_from_lyrics(Lyrics("l", "complete"))[0] is TaskStatus.SUCCESS
    assert status_from_lyrics(Lyrics("l", "error"))[0] is TaskStatus.FAILURE
