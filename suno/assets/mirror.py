"""AssetMirror: downloads each finished clip's media once, checks it is media, and stores it.

It follows the store's event log (the durable form of the hub's stream: it never overflows and never
shows up as a subscriber) and also scans for finished songs without asset rows, which is how missed
changes are caught and how pending mirrors resume after a restart. A failure marks the asset, never
the task: a song stays SUCCESS whatever happens to its copy.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from suno.assets.fetch import Fetcher, storage_key
from suno.assets.model import MIRRORED_KINDS, Asset, AssetKind, AssetReason, AssetState
from suno.assets.resolver import AssetUnavailable, DownloadResolver, SourceFailed
from suno.assets.retention import Retention
from suno.assets.sources import Source, SourceKind, encrypted_only, sources_for
from suno.assets.storage import AssetStorage
from suno.models import Task, TaskAction, TaskStatus
from suno.store import TaskStore
from suno.store.asset_store import AssetStore

log = logging.getLogger("suno.assets")


@dataclass(frozen=True, slots=True)
class MirrorOptions:
    concurrency: int = 2  # downloads at once per account
    attempts: int = 5
    tick_seconds: float = 1.0  # how often the event log is read
    scan_seconds: float = 60.0  # how often the store is scanned for songs without assets
    hold_seconds: float = 120.0  # how long a taken asset is kept from other replicas
    backoff_seconds: float = 5.0  # doubled after each failed attempt
    due_check_seconds: float = 1.0  # how often due retries are looked for when nothing else happened
    max_backoff_seconds: float = 600.0


class AssetMirror:
    def __init__(
        self,
        *,
        assets: AssetStore,
        tasks: TaskStore,
        storage: AssetStorage,
        fetcher: Fetcher,
        resolver: DownloadResolver | None,
        retention: Retention | None = None,
        options: MirrorOptions = MirrorOptions(),
        changes: Callable[[], int] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`changes` counts task changes seen in this process (the hub's publish count): while it stands
        still the event log is not read, so an idle mirror costs the database nothing."""
        self.assets = assets
        self.tasks = tasks
        self.storage = storage
        self.fetcher = fetcher
        self.resolver = resolver
        self.retention = retention
        self.options = options
        self._clock = clock
        self._wake = asyncio.Event()
        self._last_seq = 0
        self._last_scan = float("-inf")
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._running: set[asyncio.Task[None]] = set()
        self._jobs: dict[asyncio.Task[None], Asset] = {}
        self._loop: asyncio.Task[None] | None = None
        self._changes = changes
        self._seen_changes = -1
        self._dirty = True  # rows may be due: look at once
        self._next_due_check = float("-inf")

    async def start(self) -> None:
        self._last_seq = await self.tasks.last_event_seq()
        if self.resolver is not None and self.resolver.auto_unlock:
            # The operator turned ASSET_AUTO_UNLOCK on: songs refused as not unlocked get another try.
            retried = await self.assets.retry(
                AssetState.UNAVAILABLE, [AssetReason.NOT_UNLOCKED, AssetReason.ALLOWANCE_RESERVE]
            )
            if retried:
                log.info("auto-unlock is on: %d assets not unlocked before are tried again", retried)
        self._loop = asyncio.create_task(self._run(), name="asset-mirror")

    async def stop(self) -> None:
        if self._loop is not None:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop
            self._loop = None
        jobs = dict(self._jobs)
        for job in jobs:
            job.cancel()
        await asyncio.gather(*jobs, return_exceptions=True)
        # Interrupted downloads are due again at once, for the next start of this or another process.
        for job, asset in jobs.items():
            if job.cancelled():
                with contextlib.suppress(Exception):
                    await self.assets.release(asset.clip_id, asset.kind)

    def wake(self) -> None:
        self._dirty = True
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("the asset mirror's pass failed; it tries again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.options.tick_seconds)
            self._wake.clear()

    async def run_once(self) -> None:
        """One pass: note newly finished songs, then start the due downloads that have a free slot."""
        changes = self._changes() if self._changes is not None else None
        if changes is None or changes != self._seen_changes:
            self._seen_changes = changes if changes is not None else -1
            await self._follow_events()
        now = self._clock()
        if now - self._last_scan >= self.options.scan_seconds:
            self._last_scan = now
            await self.add_tasks(await self.assets.unmirrored_success_tasks(500))
            if self.retention is not None:
                await self.retention.enforce()
        free = self.options.concurrency * max(len(self._slots), 1) * 2 - len(self._running)
        if free <= 0 or not (self._dirty or now >= self._next_due_check):
            return
        self._dirty = False
        self._next_due_check = now + self.options.due_check_seconds
        taken = await self.assets.take_due(free, self.options.hold_seconds)
        self._dirty = len(taken) == free  # a full batch: more may be waiting
        for asset in taken:
            job = asyncio.create_task(self._mirror_in_slot(asset))
            self._running.add(job)
            self._jobs[job] = asset
            job.add_done_callback(self._forget)

    def _forget(self, job: asyncio.Task[None]) -> None:
        self._running.discard(job)
        self._jobs.pop(job, None)

    async def wait_idle(self) -> None:
        """Until every download started so far has ended (tests, shutdown)."""
        while self._running:
            await asyncio.gather(*list(self._running), return_exceptions=True)

    async def _follow_events(self) -> None:
        events = await self.tasks.events_after(self._last_seq)
        if not events:
            return
        self._last_seq = events[-1].seq
        finished = [event.task_id for event in events if event.status is TaskStatus.SUCCESS]
        await self.add_tasks(finished)

    async def add_tasks(self, task_ids: list[str]) -> int:
        """Pending rows for every clip of these finished music tasks (existing rows are kept)."""
        if not task_ids:
            return 0
        wanted = [
            Asset(clip_id=clip.id, kind=kind, task_id=task.id, account=task.account)
            for task in await self.tasks.get_many(task_ids)
            if _is_finished_song(task)
            for clip in task.clips
            for kind in _mirrored_kinds(task)
        ]
        added = await self.assets.add_missing(wanted)
        if added:
            self.wake()
        return added

    async def request(self, task: Task, clip_id: str, kind: AssetKind) -> None:
        """Ask for an asset not mirrored by default (WAV), or one whose row is missing."""
        await self.assets.add_missing(
            [Asset(clip_id=clip_id, kind=kind, task_id=task.id, account=task.account)]
        )
        self.wake()

    async def _mirror_in_slot(self, asset: Asset) -> None:
        slot = self._slots.setdefault(asset.account or "", asyncio.Semaphore(self.options.concurrency))
        async with slot:
            try:
                await self.mirror(asset)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # a bug must not kill the mirror; the asset retries later
                log.exception("mirroring %s of clip %s failed unexpectedly", asset.kind, asset.clip_id)
                await self._failed(asset, SourceFailed(AssetReason.DOWNLOAD_FAILED, type(error).__name__))

    async def mirror(self, asset: Asset) -> None:
        """Try each source in order; the first that gives real media wins and is recorded."""
        task = await self.tasks.get(asset.task_id)
        clip = next((c for c in task.clips if c.id == asset.clip_id), None) if task else None
        if task is None or clip is None:
            await self._give_up(asset, AssetReason.NO_SOURCE, "the clip is no longer in the store")
            return
        resolver_ok = self.resolver is not None and task.account is not None
        sources = sources_for(clip, asset.kind, resolver_available=resolver_ok)
        if not sources:
            detail = "Suno lists no source for it"
            if asset.kind is AssetKind.AUDIO and encrypted_only(clip):
                detail = "Suno lists only encrypted media for it, and sunoql never decrypts"
            await self._give_up(asset, AssetReason.NO_SOURCE, detail)
            return
        problem: SourceFailed | AssetUnavailable | None = None
        for source in sources:
            try:
                url = await self._url(source, asset, task)
                stored = await self.fetcher.fetch(url, asset.kind)
            except (SourceFailed, AssetUnavailable) as error:
                log.info("clip %s %s from %s: %s", asset.clip_id, asset.kind, source.kind, error.detail)
                problem = error
                continue
            key = storage_key(asset.clip_id, asset.kind, stored.media.extension)
            try:
                await self.storage.put(key, stored.path, stored.media.content_type)
            finally:
                stored.path.unlink(missing_ok=True)
            await self.assets.update(
                asset.clip_id,
                asset.kind,
                state=AssetState.READY,
                reason=AssetReason.NONE,
                detail="",
                source=source.kind.value,
                storage_key=key,
                content_type=stored.media.content_type,
                size=stored.size,
                sha256=stored.sha256,
                attempts=asset.attempts + 1,
                next_attempt_at=None,
            )
            log.info(
                "mirrored %s of clip %s from %s (%d bytes)",
                asset.kind,
                asset.clip_id,
                source.kind,
                stored.size,
            )
            return
        if isinstance(problem, AssetUnavailable):
            await self._give_up(asset, problem.reason, problem.detail)
        elif problem is not None:
            await self._failed(asset, problem)

    async def _url(self, source: Source, asset: Asset, task: Task) -> str:
        if source.url:
            return source.url
        assert self.resolver is not None and task.account is not None
        if source.kind is SourceKind.WAV:
            return await self.resolver.wav_url(task.account, asset.clip_id)
        # A stem is unlocked through its song: the allowance counts the song and its stems once.
        unlock_id = task.source_clip_id if task.action is TaskAction.STEMS else None
        return await self.resolver.download_url(task.account, asset.clip_id, "mp3", unlock_id)

    async def _give_up(self, asset: Asset, reason: AssetReason, detail: str) -> None:
        await self.assets.update(
            asset.clip_id,
            asset.kind,
            state=AssetState.UNAVAILABLE,
            reason=reason,
            detail=detail,
            attempts=asset.attempts + 1,
            next_attempt_at=None,
        )

    async def _failed(self, asset: Asset, error: SourceFailed) -> None:
        attempts = asset.attempts + 1
        if attempts >= self.options.attempts:
            state, next_at = AssetState.FAILED, None
        else:
            delay = min(self.options.backoff_seconds * 2 ** (attempts - 1), self.options.max_backoff_seconds)
            state, next_at = AssetState.PENDING, self._clock() + delay
        await self.assets.update(
            asset.clip_id,
            asset.kind,
            state=state,
            reason=error.reason,
            detail=error.detail,
            attempts=attempts,
            next_attempt_at=next_at,
        )


def _mirrored_kinds(task: Task) -> tuple[AssetKind, ...]:
    # A music video is what a VIDEO task made: its file is mirrored like a song's audio.
    return (*MIRRORED_KINDS, AssetKind.VIDEO) if task.action is TaskAction.VIDEO else tuple(MIRRORED_KINDS)


def _is_finished_song(task: Task) -> bool:
    return task.action.makes_clips and task.status is TaskStatus.SUCCESS
