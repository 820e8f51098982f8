"""Small domain values for unit tests."""

from __future__ import annotations

from suno.models import MusicRequest, Task, TaskAction, TaskStatus


def music_task(task_id: str = "t1", revision: int = 1, status: TaskStatus = TaskStatus.SUBMITTED) -> Task:
    """A song task with the given id, revision and status (the lyrics "la")."""
    return Task(
        id=task_id,
        action=TaskAction.MUSIC,
        status=status,
        request=MusicRequest(prompt="la"),
        revision=revision,
    )
