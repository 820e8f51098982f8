"""Operations in the store, on every backend: requests and results round-trip, tasks by source, personas."""

from __future__ import annotations

from suno.models import Clip, OperationRequest, Persona, Task, TaskAction, TaskStatus
from suno.store import TaskChange, TaskStore
from suno.store.persona_store import PersonaStore


def operation(task_id: str, action: TaskAction, source: str, submitted: float) -> Task:
    return Task(
        id=task_id,
        action=action,
        status=TaskStatus.NOT_START,
        request=OperationRequest(clip_id=source, tags="jazz", title=None, cover_start_s=1.5),
        account="alice",
        submit_time=submitted,
        source_clip_id=source,
        source_task_id="song-1",
        transaction_uuid="0b8e2c1a-1111-4222-8333-944455556666",
    )


async def test_an_operation_keeps_its_request_source_clips_and_result(store: TaskStore) -> None:
    await store.create(operation("op-1", TaskAction.COVER, "clip-a", 1.0))
    clip = Clip.from_upstream({"id": "new-1", "status": "complete", "title": "Cover"})
    await store.update("op-1", TaskChange(status=TaskStatus.SUCCESS, clips=[clip], upstream_ids=["new-1"]))
    found = await store.get("op-1")
    assert found is not None and found.action is TaskAction.COVER
    assert found.request == OperationRequest(clip_id="clip-a", tags="jazz", cover_start_s=1.5)
    assert (found.source_clip_id, found.source_task_id) == ("clip-a", "song-1")
    assert [c.id for c in found.clips] == ["new-1"]
    made_by = await store.find_by_clip("new-1")
    assert made_by is not None and made_by.id == "op-1"


async def test_results_and_an_uploads_id_are_stored_and_tasks_are_found_by_source(store: TaskStore) -> None:
    await store.create(operation("align-1", TaskAction.ALIGNED_LYRICS, "clip-a", 1.0))
    await store.create(operation("align-2", TaskAction.ALIGNED_LYRICS, "clip-a", 2.0))
    await store.create(operation("stems-1", TaskAction.STEMS, "clip-a", 3.0))
    words = [{"word": "rain\n", "start_s": 0.5, "end_s": 1.0}]
    await store.update("align-1", TaskChange(status=TaskStatus.SUCCESS, result={"words": words}))
    await store.update(
        "align-2",
        TaskChange(request=OperationRequest(clip_id="clip-a", upload_id="up-9"), status=TaskStatus.SUBMITTED),
    )
    aligned = await store.by_source("clip-a", TaskAction.ALIGNED_LYRICS)
    assert [t.id for t in aligned] == ["align-2", "align-1"]
    assert aligned[1].result == {"words": words} and aligned[1].status is TaskStatus.SUCCESS
    assert isinstance(aligned[0].request, OperationRequest) and aligned[0].request.upload_id == "up-9"
    assert [t.id for t in await store.by_source("clip-a", TaskAction.STEMS)] == ["stems-1"]
    assert await store.by_source("clip-b", TaskAction.STEMS) == []


async def test_personas_are_saved_listed_newest_first_and_found_by_clip(store: TaskStore) -> None:
    personas = PersonaStore(store.engine)
    first = Persona("p1", "alice", "clip-a", "Rainy", "soft", False, 10.0)
    second = Persona("p2", "bob", "clip-b", "Loud", "", True, 20.0)
    await personas.save(first)
    await personas.save(second)
    await personas.save(Persona("p1", "alice", "clip-a", "Rainy Day", "soft", False, 10.0))
    assert [p.id for p in await personas.all()] == ["p2", "p1"]
    assert (await personas.get("p1")) == Persona("p1", "alice", "clip-a", "Rainy Day", "soft", False, 10.0)
    assert (await personas.for_clip("clip-b")) == second
    assert await personas.get("nope") is None and await personas.for_clip("nope") is None
