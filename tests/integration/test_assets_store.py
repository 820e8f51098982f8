"""AssetStore on every backend (SQLite, PostgreSQL, MariaDB): rows, holds, the scan for unmirrored songs."""

from __future__ import annotations

import uuid

from suno.assets.model import Asset, AssetKind, AssetReason, AssetState
from suno.assets.signing import UrlSigner
from suno.assets.views import AssetCatalog
from suno.models import Clip, MusicRequest, Task, TaskAction, TaskStatus
from suno.store import TaskChange, TaskStore
from suno.store.asset_store import AssetStore


async def finished_task(store: TaskStore, clip_ids: list[str]) -> Task:
    task = Task(
        str(uuid.uuid4()), TaskAction.MUSIC, TaskStatus.NOT_START, MusicRequest(prompt="la"), account="a"
    )
    await store.create(task)
    clips = [Clip.from_upstream({"id": clip_id, "status": "complete"}) for clip_id in clip_ids]
    result = await store.update(
        task.id, TaskChange(status=TaskStatus.SUCCESS, clips=clips, upstream_ids=clip_ids, account="a")
    )
    assert result is not None
    return result.task


async def test_rows_are_added_once_and_held_by_one_taker(store: TaskStore) -> None:
    assets = AssetStore(store.engine)
    task = await finished_task(store, ["c1", "c2"])
    wanted = [Asset(c, AssetKind.AUDIO, task.id, "a") for c in ("c1", "c2")]
    assert await assets.add_missing(wanted) == 2
    assert await assets.add_missing([*wanted, Asset("c1", AssetKind.IMAGE, task.id, "a")]) == 1
    first = await assets.take_due(10, hold_seconds=60)
    second = await assets.take_due(10, hold_seconds=60)
    assert len(first) == 3 and second == []  # held rows are nobody else's
    await assets.release("c1", AssetKind.AUDIO)
    assert [a.clip_id for a in await assets.take_due(10, hold_seconds=60)] == ["c1"]


async def test_the_scan_finds_finished_songs_without_audio_rows(store: TaskStore) -> None:
    assets = AssetStore(store.engine)
    seen = await finished_task(store, ["s1", "s2"])
    unseen = await finished_task(store, ["u1", "u2"])
    await assets.add_missing([Asset(c, AssetKind.AUDIO, seen.id, "a") for c in ("s1", "s2")])
    assert await assets.unmirrored_success_tasks(10) == [unseen.id]


async def test_updates_retries_and_sizes(store: TaskStore) -> None:
    assets = AssetStore(store.engine)
    task = await finished_task(store, ["r1", "r2"])
    await assets.add_missing([Asset(c, AssetKind.AUDIO, task.id, "a") for c in ("r1", "r2")])
    await assets.update("r1", AssetKind.AUDIO, state=AssetState.READY, size=1000, sha256="ab" * 32)
    await assets.update(
        "r2", AssetKind.AUDIO, state=AssetState.UNAVAILABLE, reason=AssetReason.NOT_UNLOCKED, attempts=1
    )
    assert await assets.ready_bytes() == 1000
    assert [a.clip_id for a in await assets.ready_oldest_first()] == ["r1"]
    assert await assets.retry(AssetState.UNAVAILABLE, [AssetReason.NOT_UNLOCKED]) == 1
    row = await assets.get("r2", AssetKind.AUDIO)
    assert row is not None and (row.state, row.attempts) == (AssetState.PENDING, 0)


async def test_rows_are_kept_per_task_and_every_change_is_announced_in_the_event_log(
    store: TaskStore,
) -> None:
    assets, other_replica = AssetStore(store.engine), AssetStore(store.engine)
    task = await finished_task(store, ["k1", "k2"])
    clips_by_task = {task.id: ["k1", "k2"]}
    assert await assets.rows_for_tasks(clips_by_task) == []  # kept: this song has no rows yet
    since = await store.last_event_seq()
    await other_replica.add_missing([Asset("k1", AssetKind.AUDIO, task.id, "a")])
    assert await assets.rows_for_tasks(clips_by_task) == []  # another replica's change: not seen yet...
    events = await store.events_after(since)
    assert [(e.task_id, e.status, e.revision) for e in events] == [
        (task.id, TaskStatus.SUCCESS, task.revision)
    ]
    assets.cache.forget_task(events[0].task_id)  # ...until the relay reads its event
    assert [a.clip_id for a in await assets.rows_for_tasks(clips_by_task)] == ["k1"]
    await assets.update("k1", AssetKind.AUDIO, state=AssetState.READY)  # here: forgotten at once
    assert [a.state for a in await assets.rows_for_tasks(clips_by_task)] == [AssetState.READY]
    await assets.update("k1", AssetKind.AUDIO, state=AssetState.UNAVAILABLE, reason=AssetReason.RETENTION)
    assert await assets.retry(AssetState.UNAVAILABLE, [AssetReason.RETENTION]) == 1
    assert [a.state for a in await assets.rows_for_tasks(clips_by_task)] == [AssetState.PENDING]
    assert len(await store.events_after(since)) == 4  # add, two updates, the retry
    assert (await store.get(task.id)) == task  # the task itself did not change


async def test_views_made_from_kept_rows_are_reused_until_a_row_changes_or_the_window_moves(
    store: TaskStore,
) -> None:
    clock = [1_800_000_000.0]
    assets = AssetStore(store.engine)
    catalog = AssetCatalog(assets, UrlSigner(b"k" * 32, ttl=600, clock=lambda: clock[0]))
    task = await finished_task(store, ["m1"])
    await assets.add_missing([Asset("m1", AssetKind.AUDIO, task.id, "a")])
    first = await catalog.views([task], "http://host")
    again = await catalog.views([task], "http://host")
    assert again == first and again["m1"] is first["m1"]  # made once, while nothing changed
    assert (await catalog.views([task], "http://other"))["m1"][0].url.startswith("http://other/")

    await assets.update("m1", AssetKind.AUDIO, state=AssetState.READY)
    audio = next(v for v in (await catalog.views([task], "http://host"))["m1"] if v.kind is AssetKind.AUDIO)
    assert audio.state is AssetState.READY  # the row changed: made anew

    clock[0] += 300  # the links' next expiry window
    moved = next(v for v in (await catalog.views([task], "http://host"))["m1"] if v.kind is AssetKind.AUDIO)
    assert moved.url != audio.url and moved.state is AssetState.READY
