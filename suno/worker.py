"""The polling worker: each tick fails overdue tasks, sends waiting ones, and polls Suno's feed in batches."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from suno.errors import UpstreamError
from suno.models import FEED_POLLED_ACTIONS, Clip, MusicRequest, TaskAction, TaskStatus
from suno.observer import timed_call
from suno.reconcile import CONFIRMING_REASON, matching_clips, outcome_unknown_message
from suno.service import SunoService
from suno.status import status_from_clips, status_from_lyrics
from suno.store import Claim, TaskChange
from suno.tick_report import TickReport

log = logging.getLogger("suno.worker")

TIMEOUT_REASON = "timeout"
INTERRUPTED_REASON = (
    "interrupted while being submitted to Suno; not resubmitted, since that could charge credits twice"
)


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    poll_interval: float = 5.0
    task_timeout: float = 600.0
    lease_seconds: float = 60.0
    claim_limit: int = 2000
    dispatch_limit: int = 50
    # How long after a submission starts before a crash is assumed to have interrupted it, when the
    # replica that started it is unknown (a mark set before heartbeats, or before its first beat).
    dispatch_grace: float = 120.0
    # A replica silent this long is dead: its submissions in progress were interrupted. It beats three
    # times per bound, apart from its ticks, so a long tick never makes a live replica look dead.
    heartbeat_timeout: float = 15.0
    # Replicas silent this long are forgotten.
    replica_retention: float = 86400.0
    # Polls of one account wait this long after it failed, doubling up to the cap.
    error_backoff: float = 5.0
    error_backoff_cap: float = 60.0
    lyrics_concurrency: int = 8
    # A clip the feed leaves out is read on its own; Suno's 404 there this long after the task was sent
    # (a restarted simulator, a deleted clip) fails the task at once instead of at the timeout.
    missing_clip_grace: float = 20.0
    # Clips read on their own per account per tick (feed/v3 leaves out clips in error).
    clip_reads_per_tick: int = 5
    # A submission whose answer was lost is looked for in the feed this long, then fails outcome_unknown.
    submit_confirm_timeout: float = 600.0
    # How many of an account's newest clips are searched for a lost submission.
    recent_clips_limit: int = 100


class Worker:
    def __init__(
        self,
        service: SunoService,
        options: WorkerOptions | None = None,
        *,
        owner: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.service = service
        self.store = service.store
        self.upstream = service.upstream
        self.observer = service.observer
        self.options = options or WorkerOptions()
        # The lease owner; by default the store's replica id, which the dispatch marks carry.
        self.owner = owner or self.store.replica_id
        self._clock = clock
        self._stopping = asyncio.Event()
        self._nudged = asyncio.Event()
        # A captcha token or a fixed login: send the waiting tasks now, not at the next tick.
        service.on_accounts_ready(self._nudged.set)
        self._task: asyncio.Task[None] | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._account_failures: dict[str, int] = defaultdict(int)
        self.last_report = TickReport()

    # Lifecycle

    async def recover(self) -> int:
        """At start-up: a song whose submission a crash interrupted is confirmed with Suno (it may have
        been charged, so it is never resent); lyrics are failed. In-flight tasks resume on the next tick."""
        # One process owns a SQLite file: whatever it was sending when it stopped was interrupted.
        single = self.store.engine.dialect.name == "sqlite"
        await self.store.replicas.prune(self._clock() - self.options.replica_retention)
        interrupted = await self._mark_interrupted(everything=single)
        if single:
            # One process owns a SQLite file: leases left by a previous run are ours to drop.
            await self.store.release_leases()
        return interrupted

    async def _mark_interrupted(self, *, everything: bool = False) -> int:
        """Submissions that never recorded an outcome because their replica died (its heartbeat went
        silent; a mark of an unknown replica after `dispatch_grace`), or all of them (`everything`, a
        SQLite start: no other process was sending): songs wait to be confirmed with Suno, lyrics fail."""
        now = self._clock()
        if everything:
            # Not this process's own marks: the doors may already be sending while recovery runs.
            ids = await self.store.interrupted_dispatches(now, others_only=True)
        else:
            ids = await self.store.interrupted_dispatches(
                now - self.options.dispatch_grace, owner_silent_before=now - self.options.heartbeat_timeout
            )
        count = 0
        for task in await self.store.get_many(ids):
            if task.action is TaskAction.MUSIC:
                if task.waiting_reason == CONFIRMING_REASON:
                    continue
                change = TaskChange(waiting_reason=CONFIRMING_REASON)
            else:
                change = TaskChange(status=TaskStatus.FAILURE, fail_reason=INTERRUPTED_REASON)
            await self._apply(task.id, change)
            count += 1
        return count

    def start(self) -> None:
        if self._task is None:
            self._stopping.clear()
            # Beats at once, then three times per heartbeat_timeout, however long a tick takes.
            self._heartbeat = asyncio.create_task(self._beat_forever(), name=f"{self.owner}-heartbeat")
            self._task = asyncio.create_task(self.run(), name=self.owner)

    async def beat(self) -> None:
        """Tell the other replicas this process is alive (and so are the submissions it is sending)."""
        await self.store.replicas.beat(self.store.replica_id)

    async def _beat_forever(self) -> None:
        interval = self.options.heartbeat_timeout / 3
        while not self._stopping.is_set():
            try:
                await self.beat()
            except Exception as error:  # the database is away: beat again when it is back
                log.warning("replica heartbeat failed (%s); retrying", type(error).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), interval)

    async def stop(self) -> None:
        """Stop between ticks; a tick in progress finishes, so no task is left half-written."""
        self._stopping.set()
        self._nudged.set()
        if self._task is not None:
            await self._task
            self._task = None
        if self._heartbeat is not None:
            # The row stays: a send left unfinished by this stop is known interrupted once it ages.
            await self._heartbeat
            self._heartbeat = None
        await self.store.release_leases(self.owner)

    async def run(self) -> None:
        await self.recover()
        while not self._stopping.is_set():
            await self.tick()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._nudged.wait(), self.options.poll_interval)
            self._nudged.clear()

    # One tick

    async def tick(self) -> TickReport:
        report = TickReport()
        started = time.perf_counter()
        for step in (
            self._fail_overdue,
            self._tend_accounts,
            self._confirm_lost_submits,
            self._dispatch_waiting,
            self._poll_in_flight,
        ):
            try:
                await step(report)
            except Exception:
                # One bad step never stops the worker: the next tick tries again.
                report.errors += 1
                log.exception("worker step %s failed", step.__name__)
        report.duration = time.perf_counter() - started
        self.last_report = report
        self.observer.tick_ended(report)
        return report

    async def _fail_overdue(self, report: TickReport) -> None:
        for task_id in await self.store.overdue(self._clock() - self.options.task_timeout):
            if await self._apply(task_id, TaskChange(status=TaskStatus.FAILURE, fail_reason=TIMEOUT_REASON)):
                report.timed_out += 1

    async def _tend_accounts(self, report: TickReport) -> None:
        # A resting account's challenge is re-checked (free of credits) before the waiting tasks go.
        await self.service.tend_accounts()

    async def _confirm_lost_submits(self, report: TickReport) -> None:
        """Look for the clips of submissions whose answer was lost: one feed read per account per tick."""
        await self._mark_interrupted()
        waiting = await self.store.awaiting_confirmation(CONFIRMING_REASON, self.options.dispatch_limit)
        if not waiting:
            return
        recent: dict[str, list[Clip] | None] = {}
        for task, started in waiting:
            accounts = [task.account] if task.account else self.upstream.account_names()
            found: tuple[Clip, ...] = ()
            for account in accounts:
                if account not in recent:
                    recent[account] = await self._recent_clips(account)
                clips = recent[account]
                if not clips or not isinstance(task.request, MusicRequest):
                    continue
                taken = await self.store.find_by_clips([clip.id for clip in clips])
                found = matching_clips(task.request, task.transaction_uuid, started, clips, taken)
                if found:
                    status, _ = status_from_clips(found)
                    change = TaskChange(
                        status=max(status, TaskStatus.SUBMITTED, key=lambda s: s.rank),
                        clips=found,
                        account=account,
                        upstream_ids=[clip.id for clip in found],
                        next_poll_at=self._clock(),
                    )
                    if await self._apply(task.id, change):
                        report.changed += 1
                        log.info("task %s: found its clips after a lost answer", task.id)
                    break
            if not found and self._clock() - started >= self.options.submit_confirm_timeout:
                message = outcome_unknown_message(self.options.submit_confirm_timeout / 60)
                if await self._apply(task.id, TaskChange(status=TaskStatus.FAILURE, fail_reason=message)):
                    report.changed += 1

    async def _recent_clips(self, account: str) -> list[Clip] | None:
        try:
            with timed_call(self.observer, "feed"):
                return await self.upstream.recent_clips(account, self.options.recent_clips_limit)
        except UpstreamError as error:
            log.info("reading account %s's recent clips failed (%s); asking again next tick", account, error)
            return None

    async def _dispatch_waiting(self, report: TickReport) -> None:
        for task in await self.store.pending_dispatch(self.options.dispatch_limit):
            try:
                sent = await self.service.dispatch(task)
            except UpstreamError:
                continue  # the task is now FAILURE with the reason; the next one may go
            if sent.status is TaskStatus.NOT_START:
                if task.account is not None:
                    continue  # its pinned account is busy; others may still have room
                break  # every account is busy: the rest wait for the next tick
            report.dispatched += 1

    async def _poll_in_flight(self, report: TickReport) -> None:
        claims = await self.store.claim_due(self.owner, self.options.lease_seconds, self.options.claim_limit)
        report.claimed = len(claims)
        music: dict[str, list[Claim]] = defaultdict(list)
        lyrics: list[Claim] = []
        jobs: list[Claim] = []
        for claim in claims:
            if claim.task.account is None:
                continue
            if claim.task.action in FEED_POLLED_ACTIONS:
                music[claim.task.account].append(claim)
            elif claim.task.action is TaskAction.LYRICS:
                lyrics.append(claim)
            else:
                jobs.append(claim)
        await asyncio.gather(
            *(self._poll_account(account, batch, report) for account, batch in music.items()),
            self._poll_lyrics(lyrics, report),
            self._poll_jobs(jobs, report),
        )

    async def _poll_jobs(self, claims: list[Claim], report: TickReport) -> None:
        """Operations with a status of their own (an upload being processed, a video, timed lyrics)."""
        limit = asyncio.Semaphore(self.options.lyrics_concurrency)

        async def poll(claim: Claim) -> None:
            async with limit:
                try:
                    with timed_call(self.observer, f"{claim.task.action.value.lower()}_status"):
                        change = await self.service.operations.poll(claim.task)
                except UpstreamError as error:
                    report.errors += 1
                    await self._back_off(claim.task.account or "", [claim], error)
                    return
                if await self._apply(claim.task.id, change, claim):
                    report.changed += 1

        await asyncio.gather(*(poll(claim) for claim in claims))

    async def _poll_account(self, account: str, claims: list[Claim], report: TickReport) -> None:
        clip_ids = [clip_id for claim in claims for clip_id in claim.task.upstream_ids]
        report.accounts_polled += 1
        try:
            with timed_call(self.observer, "feed"):
                clips = await self.upstream.feed(account, clip_ids)
        except UpstreamError as error:
            report.errors += 1
            await self._back_off(account, claims, error)
            return
        self._account_failures.pop(account, None)
        by_id = {clip.id: clip for clip in clips}
        next_poll = self._clock() + self.options.poll_interval
        reads_left = self.options.clip_reads_per_tick
        for claim in claims:
            missing = [clip_id for clip_id in claim.task.upstream_ids if clip_id not in by_id]
            if missing and reads_left > 0:
                # feed/v3 leaves out clips in error: read them on their own, a few per tick (the rest
                # wait for the next tick). Just after a submit an id may not exist yet: a 404 then waits.
                gone, reads = await self._read_missing_clips(account, missing[:reads_left], by_id)
                reads_left -= reads
                if gone and self._past_missing_clip_grace(claim):
                    reason = f"Suno says clip {gone} does not exist (HTTP 404 on its read)"
                    change = TaskChange(status=TaskStatus.FAILURE, fail_reason=reason)
                    if await self._apply(claim.task.id, change, claim):
                        report.changed += 1
                    continue
            task_clips = [by_id[clip_id] for clip_id in claim.task.upstream_ids if clip_id in by_id]
            if len(task_clips) < len(claim.task.upstream_ids):
                # Suno's newer feeds omit some clips (errors): keep what we have, ask again next tick.
                await self.store.update(claim.task.id, TaskChange(next_poll_at=next_poll), claim.lease)
                continue
            status, reason = status_from_clips(task_clips)
            change = TaskChange(
                status=status, clips=task_clips, fail_reason=reason or None, next_poll_at=next_poll
            )
            if await self._apply(claim.task.id, change, claim):
                report.changed += 1

    def _past_missing_clip_grace(self, claim: Claim) -> bool:
        sent_at = claim.task.start_time or claim.task.submit_time
        return self._clock() - sent_at >= self.options.missing_clip_grace

    async def _read_missing_clips(
        self, account: str, clip_ids: list[str], found: dict[str, Clip]
    ) -> tuple[str | None, int]:
        """Read each clip the feed left out into `found`: the id of the first one Suno says is gone
        (None if none), and how many reads were made."""
        for reads, clip_id in enumerate(clip_ids, start=1):
            try:
                with timed_call(self.observer, "clip"):
                    clip = await self.upstream.clip(account, clip_id)
            except UpstreamError as error:
                log.info("reading clip %s on its own failed (%s); the feed is asked again", clip_id, error)
                return None, reads
            if clip is None:
                return clip_id, reads
            found[clip_id] = clip
        return None, len(clip_ids)

    async def _poll_lyrics(self, claims: list[Claim], report: TickReport) -> None:
        limit = asyncio.Semaphore(self.options.lyrics_concurrency)

        async def poll(claim: Claim) -> None:
            async with limit:
                account = claim.task.account or ""
                try:
                    with timed_call(self.observer, "lyrics_result"):
                        lyrics = await self.upstream.lyrics_result(account, claim.task.upstream_ids[0])
                except UpstreamError as error:
                    report.errors += 1
                    await self._back_off(account, [claim], error)
                    return
                status, reason = status_from_lyrics(lyrics)
                change = TaskChange(
                    status=status,
                    lyrics=lyrics,
                    fail_reason=reason or None,
                    next_poll_at=self._clock() + min(self.options.poll_interval, 2.0),
                )
                if await self._apply(claim.task.id, change, claim):
                    report.changed += 1

        await asyncio.gather(*(poll(claim) for claim in claims if claim.task.upstream_ids))

    async def _back_off(self, account: str, claims: list[Claim], error: UpstreamError) -> None:
        failures = self._account_failures[account] = self._account_failures[account] + 1
        delay = min(self.options.error_backoff * 2 ** (failures - 1), self.options.error_backoff_cap)
        log.warning("polling account %s failed (%s); retrying in %.0f s", account, error, delay)
        for claim in claims:
            await self.store.update(
                claim.task.id, TaskChange(next_poll_at=self._clock() + delay), claim.lease
            )

    async def _apply(self, task_id: str, change: TaskChange, claim: Claim | None = None) -> bool:
        result = await self.store.update(task_id, change, claim.lease if claim else None)
        if result is None and claim is not None:
            log.info("task %s: lease lost to another worker; its write was refused", task_id)
        self.service.publish(result)
        return result is not None and result.event is not None
