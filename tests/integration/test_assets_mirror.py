"""The asset mirror against the simulator over real HTTP: every source path, unlocking, failures, restarts."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from simulator.media import clip_wav
from suno.assets.fetch import Fetcher
from suno.assets.mirror import AssetMirror, MirrorOptions
from suno.assets.model import Asset, AssetKind, AssetReason, AssetState
from suno.assets.resolver import DownloadResolver
from suno.assets.storage import LocalStorage
from suno.models import MusicRequest, Task, TaskAction, TaskStatus
from suno.store import TaskChange, TaskStore
from suno.store.asset_store import AssetStore
from suno.upstream import AccountPool, build_upstream
from tests.support.eventually import eventually
from tests.support.simulator import RunningSimulator, running_simulator

FAST = MirrorOptions(
    tick_seconds=0.02,
    scan_seconds=0.0,
    hold_seconds=30.0,
    backoff_seconds=0.01,
    attempts=3,
    due_check_seconds=0.0,
)


@dataclass
class Rig:
    sim: RunningSimulator
    pool: AccountPool
    tasks: TaskStore
    assets: AssetStore
    storage: LocalStorage
    http: httpx.AsyncClient

    def mirror(self, *, auto_unlock: bool = False, reserve: int = 0, resolver: bool = True) -> AssetMirror:
        download = DownloadResolver(
            self.pool.client, auto_unlock=auto_unlock, reserve=reserve, poll_seconds=0.01
        )
        return AssetMirror(
            assets=self.assets,
            tasks=self.tasks,
            storage=self.storage,
            fetcher=Fetcher(self.http, self.storage),
            resolver=download if resolver else None,
            options=FAST,
        )

    async def finished_song(self) -> Task:
        """A song made on the simulator and stored as SUCCESS, as the worker would leave it."""
        client = self.pool.client("default")
        clips = await client.generate(MusicRequest(prompt="[Verse] rain", title="Rain", tags="pop"))
        ids = [clip.id for clip in clips]

        async def complete():
            clips = await client.feed(ids)
            assert all(clip.status == "complete" for clip in clips), clips
            return clips

        clips = await eventually(complete)
        task = Task(
            id=str(uuid.uuid4()),
            action=TaskAction.MUSIC,
            status=TaskStatus.NOT_START,
            request=MusicRequest(prompt="[Verse] rain"),
            account="default",
        )
        await self.tasks.create(task)
        result = await self.tasks.update(
            task.id,
            TaskChange(status=TaskStatus.SUCCESS, clips=clips, upstream_ids=ids, account="default"),
        )
        assert result is not None
        return result.task

    async def settled(
        self, mirror: AssetMirror, task: Task, kind: AssetKind = AssetKind.AUDIO
    ) -> list[Asset]:
        """Run the mirror until every asset of `kind` of the task left `pending`."""

        async def left_pending() -> list[Asset]:
            await mirror.run_once()
            await mirror.wait_idle()
            rows = [a for a in await self.assets.for_clips([c.id for c in task.clips]) if a.kind is kind]
            assert rows and all(a.state is not AssetState.PENDING for a in rows), f"still pending: {rows}"
            return rows

        return await eventually(left_pending, interval=0.01)

    def stored_bytes(self, asset: Asset) -> bytes:
        assert asset.storage_key is not None
        return self.storage.path_for(asset.storage_key).read_bytes()


@contextlib.asynccontextmanager
async def rig(tmp_path: Path, sqlite_store: TaskStore, **sim_options: Any) -> AsyncIterator[Rig]:
    async with (
        running_simulator(speed=200, **sim_options) as sim,
        httpx.AsyncClient(follow_redirects=True) as http,
    ):
        pool = build_upstream(sim.settings())
        try:
            yield Rig(
                sim,
                pool,
                sqlite_store,
                AssetStore(sqlite_store.engine),
                LocalStorage(tmp_path / "assets"),
                http,
            )
        finally:
            await pool.aclose()


async def test_a_durable_audio_url_is_mirrored_byte_for_byte_in_the_2024_era(tmp_path, sqlite_store) -> None:
    async with rig(tmp_path, sqlite_store, era="2024") as r:
        task = await r.finished_song()
        rows = await r.settled(r.mirror(), task)
    for asset in rows:
        assert asset.state is AssetState.READY and asset.source == "audio_url"
        assert r.stored_bytes(asset) == clip_wav(asset.clip_id)
        assert asset.sha256 == hashlib.sha256(clip_wav(asset.clip_id)).hexdigest()
        assert asset.size == len(clip_wav(asset.clip_id)) and asset.content_type == "audio/wav"


async def test_the_2026_placeholder_is_skipped_and_the_plain_media_url_wins(tmp_path, sqlite_store) -> None:
    async with rig(tmp_path, sqlite_store, era="2026") as r:
        task = await r.finished_song()
        rows = await r.settled(r.mirror(), task)
        placeholder_hits = r.sim.state.calls["forbidden"]
        encrypted_hits = r.sim.state.calls["encrypted_media"]
    assert {a.source for a in rows} == {"media_url"}
    assert all(r.stored_bytes(a) == clip_wav(a.clip_id) for a in rows)
    assert placeholder_hits == 0 and encrypted_hits == 0  # never fetched, let alone served


async def test_without_plain_media_the_download_resolver_is_polled_through_processing(
    tmp_path, sqlite_store
) -> None:
    async with rig(tmp_path, sqlite_store, era="2026", plain_media=False, processing_polls=2) as r:
        task = await r.finished_song()
        rows = await r.settled(r.mirror(), task)
        resolver_calls = r.sim.state.calls["download"]
    assert {a.source for a in rows} == {"download"}
    assert all(r.stored_bytes(a) == clip_wav(a.clip_id) for a in rows)
    assert resolver_calls == 2 * 3  # two "processing" answers, then the URL, for each clip


async def test_only_encrypted_media_and_no_resolver_leaves_the_audio_unavailable(
    tmp_path, sqlite_store
) -> None:
    async with rig(tmp_path, sqlite_store, era="2026", plain_media=False) as r:
        task = await r.finished_song()
        rows = await r.settled(r.mirror(resolver=False), task)
        encrypted_hits = r.sim.state.calls["encrypted_media"]
    assert {(a.state, a.reason) for a in rows} == {(AssetState.UNAVAILABLE, AssetReason.NO_SOURCE)}
    assert "encrypted" in rows[0].detail and encrypted_hits == 0


async def test_a_clip_not_unlocked_stays_unavailable_when_auto_unlock_is_off(tmp_path, sqlite_store) -> None:
    async with rig(tmp_path, sqlite_store, era="2026", plain_media=False, unlocked=False) as r:
        task = await r.finished_song()
        rows = await r.settled(r.mirror(auto_unlock=False), task)
        account = r.sim.state.account("default")
        authorize_calls = r.sim.state.calls["download_authorize"]
    assert {(a.state, a.reason) for a in rows} == {(AssetState.UNAVAILABLE, AssetReason.NOT_UNLOCKED)}
    assert authorize_calls == 0 and account.download_usage == 0


async def test_auto_unlock_spends_the_allowance_but_never_below_the_reserve(tmp_path, sqlite_store) -> None:
    async with rig(tmp_path, sqlite_store, era="2026", plain_media=False, unlocked=False) as r:
        account = r.sim.state.account("default")
        account.download_limit, account.download_usage = 10, 8  # 2 left
        task = await r.finished_song()
        # Reserve 1: the first clip may take the second-to-last download, the other must not.
        rows = await r.settled(r.mirror(auto_unlock=True, reserve=1), task)
        usage = account.download_usage
    states = sorted((a.state.value, a.reason.value) for a in rows)
    assert states == [("ready", ""), ("unavailable", "allowance_reserve")]
    assert usage == 9
    ready = next(a for a in rows if a.state is AssetState.READY)
    assert ready.source == "download" and r.stored_bytes(ready) == clip_wav(ready.clip_id)


async def test_a_failing_source_backs_off_then_fails_and_the_task_stays_success(
    tmp_path, sqlite_store
) -> None:
    async with rig(tmp_path, sqlite_store, era="2026", plain_media=False) as r:
        task = await r.finished_song()
        r.sim.inject("400", "download", times=None)  # the resolver refuses for good
        rows = await r.settled(r.mirror(), task)
        stored = await r.tasks.get(task.id)
    assert {(a.state, a.reason, a.attempts) for a in rows} == {
        (AssetState.FAILED, AssetReason.DOWNLOAD_FAILED, FAST.attempts)
    }
    assert stored is not None and stored.status is TaskStatus.SUCCESS


async def test_pending_mirrors_resume_after_a_restart(tmp_path, sqlite_store) -> None:
    async with rig(tmp_path, sqlite_store, era="2026") as r:
        first = await r.finished_song()
        second = await r.finished_song()
        # Before the "crash": rows for the first song were written, the second song was never seen.
        await r.assets.add_missing([Asset(c.id, AssetKind.AUDIO, first.id, "default") for c in first.clips])
        mirror = r.mirror()
        await mirror.start()  # a fresh process: no event will ever announce these songs again
        clip_ids = [c.id for t in (first, second) for c in t.clips]

        async def all_ready() -> list[Asset]:
            rows = [a for a in await r.assets.for_clips(clip_ids) if a.kind is AssetKind.AUDIO]
            assert len(rows) == 4 and all(a.state is AssetState.READY for a in rows), rows
            return rows

        try:
            rows = await eventually(all_ready)
        finally:
            await mirror.stop()
    assert len(rows) == 4 and all(a.state is AssetState.READY for a in rows)


async def test_the_mirror_follows_the_event_log_for_songs_finished_after_it_started(
    tmp_path, sqlite_store
) -> None:
    async with rig(tmp_path, sqlite_store) as r:
        mirror = AssetMirror(
            assets=r.assets,
            tasks=r.tasks,
            storage=r.storage,
            fetcher=Fetcher(r.http, r.storage),
            resolver=None,
            options=MirrorOptions(tick_seconds=0.02, scan_seconds=3600.0),  # the scan will not help
        )
        scanned = asyncio.Event()
        scan = r.assets.unmirrored_success_tasks

        async def noted_scan(limit: int) -> list[str]:
            found = await scan(limit)
            scanned.set()
            return found

        r.assets.unmirrored_success_tasks = noted_scan  # type: ignore[method-assign]
        await mirror.start()
        try:
            await asyncio.wait_for(scanned.wait(), 10)  # the start-up scan is behind us
            task = await r.finished_song()

            async def all_ready() -> list[Asset]:
                rows = await r.assets.for_clips([c.id for c in task.clips])
                assert len(rows) == 4 and all(a.state is AssetState.READY for a in rows), rows
                return rows

            rows = await eventually(all_ready)
        finally:
            await mirror.stop()
    assert sorted(a.kind.value for a in rows) == ["audio", "audio", "image", "image"]


async def test_a_wav_on_request_goes_through_convert_wav_and_wav_file(tmp_path, sqlite_store) -> None:
    async with rig(tmp_path, sqlite_store, era="2026") as r:
        task = await r.finished_song()
        mirror = r.mirror()
        await mirror.request(task, task.clips[0].id, AssetKind.WAV)
        [wav] = await r.settled(mirror, task, AssetKind.WAV)
        conversions = r.sim.state.calls["convert_wav"]
    assert wav.state is AssetState.READY and wav.source == "wav" and conversions == 1
    assert r.stored_bytes(wav) == clip_wav(wav.clip_id)


@pytest.mark.parametrize("era", ["2024", "2026"])
async def test_covers_are_mirrored_with_their_image_type(tmp_path, sqlite_store, era) -> None:
    async with rig(tmp_path, sqlite_store, era=era) as r:
        task = await r.finished_song()
        rows = await r.settled(r.mirror(), task, AssetKind.IMAGE)
    assert {(a.state, a.content_type, a.source) for a in rows} == {
        (AssetState.READY, "image/png", "image_url")
    }


async def test_turning_auto_unlock_on_retries_songs_refused_before_at_the_next_start(
    tmp_path, sqlite_store
) -> None:
    async with rig(tmp_path, sqlite_store, era="2026", plain_media=False, unlocked=False) as r:
        task = await r.finished_song()
        before = await r.settled(r.mirror(auto_unlock=False), task)
        unlocking = r.mirror(auto_unlock=True)
        await unlocking.start()
        await unlocking.stop()
        after = await r.settled(unlocking, task)
        usage = r.sim.state.account("default").download_usage
    assert {a.reason for a in before} == {AssetReason.NOT_UNLOCKED}
    assert {(a.state, a.source) for a in after} == {(AssetState.READY, "download")} and usage == 2


async def test_a_download_interrupted_by_a_stop_is_due_again_at_once(tmp_path, sqlite_store) -> None:
    async with rig(tmp_path, sqlite_store, era="2026", plain_media=False, slow_seconds=1.0) as r:
        task = await r.finished_song()
        r.sim.inject("slow", "download", times=None)
        mirror = r.mirror()
        await mirror.add_tasks([task.id])
        await mirror.run_once()  # takes the rows (held for 30 s) and starts the slow downloads
        await eventually(lambda: r.sim.state.calls["download"] >= 2)  # both are in flight at Suno
        await mirror.stop()
        rows = [a for a in await r.assets.for_clips([c.id for c in task.clips]) if a.kind is AssetKind.AUDIO]
        r.sim.state.clear_faults()
    assert [(a.state, a.next_attempt_at) for a in rows] == [(AssetState.PENDING, None)] * 2
