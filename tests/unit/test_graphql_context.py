"""The per-request context: a task the service holds in memory skips the loader; nothing is built unasked."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from schema.build import build_schema
from schema.context import GraphQLContext
from suno.assets.model import AssetKind, AssetState
from suno.assets.views import AssetView
from suno.cache import TaskCache
from suno.config import Settings
from suno.models import Clip, MusicRequest, Task, TaskAction, TaskStatus

KNOWN = Task("t-known", TaskAction.MUSIC, TaskStatus.SUCCESS, MusicRequest(prompt="la"), submit_time=1.0)
STORED = Task("t-stored", TaskAction.MUSIC, TaskStatus.QUEUED, MusicRequest(prompt="la"), submit_time=2.0)


class CountingService:
    """The service's memory and its store read (`get_tasks`), counting the reads."""

    def __init__(self) -> None:
        self.cache = TaskCache()
        self.cache.remember([KNOWN])
        self.batches: list[list[str]] = []

    async def get_tasks(self, ids: list[str]) -> list[Task]:
        self.batches.append(list(ids))
        return [task for task in (KNOWN, STORED) if task.id in ids]


def context(service: CountingService, request: Any = None) -> GraphQLContext:
    return GraphQLContext(service, Settings(), None, request)  # type: ignore[arg-type]


async def test_a_task_in_memory_is_answered_without_the_loader() -> None:
    service = CountingService()
    found = await context(service).load_task("t-known")
    assert found is KNOWN
    assert service.batches == []


async def test_other_tasks_still_go_through_the_loader_in_one_batch() -> None:
    service = CountingService()
    query = '{ a: task(id: "t-stored") { id } b: task(id: "t-missing") { id } c: task(id: "t-known") { id } }'
    result = await build_schema().execute(query, context_value=context(service))
    assert result.errors is None
    assert result.data == {"a": {"id": "t-stored"}, "b": None, "c": {"id": "t-known"}}
    assert service.batches == [["t-stored", "t-missing"]]


def test_the_base_url_is_read_only_when_asked() -> None:
    reads: list[str] = []

    class Request:
        @property
        def base_url(self) -> str:
            reads.append("base_url")
            return "http://example.test/"

    made = context(CountingService(), Request())
    assert reads == []
    assert made.base_url == made.base_url == "http://example.test/"
    assert reads == ["base_url"]
    assert context(CountingService(), SimpleNamespace()).base_url == ""


class CountingLinks:
    """`AssetLinks.rowless_task_views` answering one pending audio copy per clip, counting the calls."""

    def __init__(self) -> None:
        self.calls = 0

    def rowless_task_views(self, tasks: list[Task], base_url: str = "") -> dict[str, list[AssetView]]:
        self.calls += 1
        return {
            clip.id: [
                AssetView(clip.id, AssetKind.AUDIO, AssetState.PENDING, "", f"{base_url}copy/{clip.id}.mp3")
            ]
            for task in tasks
            for clip in task.clips
        }


async def test_the_clips_of_a_task_sign_their_links_once_per_result() -> None:
    clips = tuple(Clip.from_upstream({"id": f"c{n}", "status": "complete"}) for n in (1, 2))
    service = CountingService()
    service.cache.remember([replace(KNOWN, clips=clips)])
    links = CountingLinks()
    made = GraphQLContext(service, Settings(), links)  # type: ignore[arg-type]
    query = '{ task(id: "t-known") { clips { audioUrl imageUrl imageLargeUrl } } }'
    result = await build_schema().execute(query, context_value=made)
    assert result.errors is None and result.data
    assert [clip["audioUrl"] for clip in result.data["task"]["clips"]] == ["copy/c1.mp3", "copy/c2.mp3"]
    assert links.calls == 1
