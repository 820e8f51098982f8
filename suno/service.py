"""SunoService: the one API every front door calls (submit, read, list, account, watch)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence

from suno.cache import TaskCache
from suno.coalesced_reads import CoalescedReads
from suno.errors import (
    InvalidRequest,
    NoAccountAvailable,
    RateLimited,
    TaskNotFound,
    UpstreamError,
)
from suno.events import EventHub
from suno.models import (
    AccountSecrets,
    AccountStatus,
    LyricsRequest,
    MusicRequest,
    Task,
    TaskAction,
    TaskFilter,
    TaskPage,
    TaskStatus,
)
from suno.observer import INVALID_REQUEST, NO_OBSERVER, Observer, timed_call
from suno.status import status_from_clips
from suno.store import TaskChange, TaskStore, UpdateResult
from suno.upstream.port import Upstream

log = logging.getLogger("suno.service")

MAX_PAGE_SIZE = 100
# How long a watcher waits for an event before re-reading the store anyway: a safety net only,
# since the relay delivers other replicas' changes; kept long so many idle watchers cost little.
WATCH_RESYNC_SECONDS = 120.0
# After a failed re-read (the database restarting), try again this soon rather than end the watch.
WATCH_RETRY_SECONDS = 2.0


class SunoService:
    def __init__(
        self,
        store: TaskStore,
        upstream: Upstream,
        hub: EventHub,
        *,
        poll_interval: float = 5.0,
        clock: Callable[[], float] = time.time,
        observer: Observer = NO_OBSERVER,
    ) -> None:
        self.store = store
        self.upstream = upstream
        self.hub = hub
        self.poll_interval = poll_interval
        self._clock = clock
        self.observer = observer
        self.cache = TaskCache()
        self._resync_reads = CoalescedReads(store.get_many)
        self.shutting_down = False

    # Submitting

    async def submit_music(self, request: MusicRequest) -> Task:
        """Store the task, then send it to Suno at once when an account has a free slot.

        An upstream rejection fails the task with its reason and is raised (with `.task_id`);
        when every account is busy the task stays NOT_START and the worker sends it later.
        """
        with self._submission(TaskAction.MUSIC):
            account = await self._continuation_account(request)
            task = Task(
                id=str(uuid.uuid4()),
                action=TaskAction.MUSIC,
                status=TaskStatus.NOT_START,
                request=request,
                account=account,
                submit_time=self._clock(),
            )
            return await self._create_and_dispatch(task)

    async def submit_lyrics(self, request: LyricsRequest) -> Task:
        with self._submission(TaskAction.LYRICS):
            task = Task(
                id=str(uuid.uuid4()),
                action=TaskAction.LYRICS,
                status=TaskStatus.NOT_START,
                request=request,
                submit_time=self._clock(),
            )
            return await self._create_and_dispatch(task)

    @contextlib.contextmanager
    def _submission(self, action: TaskAction) -> Iterator[None]:
        # Suno's refusals are reported where they are recorded (_send), for the worker's sends too.
        self.observer.submitted(action)
        try:
            yield
        except InvalidRequest:
            self.observer.refused(action, INVALID_REQUEST)
            raise

    async def _create_and_dispatch(self, task: Task) -> Task:
        # Created already marked as being sent, so a worker tick in between cannot send it too.
        await self.store.create(task, dispatching=True)
        stored = await self.store.get(task.id)
        assert stored is not None
        self.hub.publish(stored)
        # Shielded: a caller that goes away mid-submit must not leave the outcome unrecorded.
        return await asyncio.shield(self._send(stored))

    async def dispatch(self, task: Task) -> Task:
        """Send a waiting NOT_START task to Suno (the worker's way), unless someone else already is."""
        if not await self.store.mark_dispatching(task.id):
            return await self.get_task(task.id)
        return await self._send(task)

    async def _send(self, task: Task) -> Task:
        """Send a task whose dispatch mark the caller holds; record the outcome."""
        try:
            in_flight = await self.store.in_flight_by_account()
            if isinstance(task.request, MusicRequest):
                with timed_call(self.observer, "generate"):
                    music = await self.upstream.generate(
                        task.request, in_flight=in_flight, account=task.account
                    )
                status, _ = status_from_clips(music.clips)
                change = TaskChange(
                    status=max(status, TaskStatus.SUBMITTED, key=lambda s: s.rank),
                    clips=music.clips,
                    account=music.account,
                    upstream_ids=[clip.id for clip in music.clips],
                    next_poll_at=self._clock() + self.poll_interval,
                )
            else:
                with timed_call(self.observer, "generate_lyrics"):
                    lyrics = await self.upstream.generate_lyrics(task.request.prompt, in_flight=in_flight)
                change = TaskChange(
                    status=TaskStatus.SUBMITTED,
                    account=lyrics.account,
                    upstream_ids=[lyrics.lyrics_id],
                    next_poll_at=self._clock() + min(self.poll_interval, 2.0),
                )
        except (NoAccountAvailable, RateLimited) as busy:
            # Suno did not take it: the task waits for a free slot, nothing was charged.
            log.info("task %s waits for a free account: %s", task.id, busy)
            await self._apply(task.id, TaskChange(dispatch_started_at=None))
            return await self.get_task(task.id)
        except UpstreamError as error:
            self.observer.refused(task.action, error.reason)
            await self._apply(task.id, TaskChange(status=TaskStatus.FAILURE, fail_reason=error.message))
            error.task_id = task.id
            raise
        updated = await self._apply(task.id, change)
        return updated or await self.get_task(task.id)

    async def _continuation_account(self, request: MusicRequest) -> str | None:
        """A continuation must run on the account that owns the source clip."""
        if request.continue_clip_id is None:
            return None
        if request.continue_task_id:
            source = await self.store.get(request.continue_task_id)
            if source is None:
                raise InvalidRequest(
                    f"task_id {request.continue_task_id!r} does not exist: give the task that made the clip",
                    field="task_id",
                )
            if source.upstream_ids and request.continue_clip_id not in source.upstream_ids:
                raise InvalidRequest(
                    f"clip {request.continue_clip_id!r} does not belong to task {source.id!r}",
                    field="continue_clip_id",
                )
            return source.account
        source = await self.store.find_by_clip(request.continue_clip_id)
        return source.account if source else None

    async def _apply(self, task_id: str, change: TaskChange) -> Task | None:
        result = await self.store.update(task_id, change)
        return self.publish(result)

    def publish(self, result: UpdateResult | None) -> Task | None:
        if result is None:
            return None
        if result.event is not None:
            self.cache.remember([result.task])
            self.hub.publish(result.task)
            if result.task.is_terminal:
                self.observer.task_ended(result.task)
        return result.task

    # Reading

    async def get_task(self, task_id: str) -> Task:
        task = await self.find_task(task_id)
        if task is None:
            raise TaskNotFound(task_id)
        return task

    async def find_task(self, task_id: str) -> Task | None:
        task = self.cache.get(task_id)
        if task is None:
            task = await self.store.get(task_id)
            if task is not None:
                self.cache.remember([task])
        return task

    async def get_tasks(self, ids: Sequence[str]) -> list[Task]:
        """The tasks that exist among `ids`, in the order asked; never one that was not asked for."""
        known = {task_id: task for task_id in ids if (task := self.cache.get(task_id)) is not None}
        missing = [task_id for task_id in ids if task_id not in known]
        if missing:
            fetched = await self.store.get_many(missing)
            self.cache.remember(fetched)
            known.update((task.id, task) for task in fetched)
        return [known[task_id] for task_id in dict.fromkeys(ids) if task_id in known]

    async def tasks_for_clips(self, clip_ids: Sequence[str]) -> list[Task]:
        """The tasks that made the clips among `clip_ids`, each once, in the order of their first clip;
        a clip no task made is left out."""
        made = self.cache.tasks_for_clips(clip_ids) or await self.store.find_by_clips(clip_ids)
        found = {task.id: task for task in made.values()}
        current = {task.id: task for task in await self.get_tasks(list(found))}
        ordered = dict.fromkeys(made[clip_id].id for clip_id in dict.fromkeys(clip_ids) if clip_id in made)
        return [current.get(task_id, found[task_id]) for task_id in ordered]

    async def list_tasks(
        self, task_filter: TaskFilter | None = None, cursor: str | None = None, limit: int = 20
    ) -> TaskPage:
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise InvalidRequest(
                f"page size must be between 1 and {MAX_PAGE_SIZE}, got {limit}", field="first"
            )
        return await self.store.page(task_filter or TaskFilter(), cursor, limit)

    async def account(self, *, refresh: bool = False) -> list[AccountStatus]:
        if not refresh:
            return await self.upstream.accounts()
        with timed_call(self.observer, "billing"):
            return await self.upstream.accounts(refresh=True)

    def account_secrets(self) -> list[AccountSecrets]:
        return self.upstream.account_secrets()

    # Watching

    def begin_shutdown(self) -> None:
        """Every watch ends now (after the snapshot it is at), so subscriptions and streams close cleanly."""
        self.shutting_down = True
        self.hub.wake_all()

    async def watch(self, task_id: str) -> AsyncIterator[Task]:
        """The current snapshot, then every change, ending after the terminal one."""
        async for task in self.watch_many([task_id]):
            yield task

    async def watch_many(self, task_ids: Iterable[str]) -> AsyncIterator[Task]:
        """Snapshots of several tasks as they change; ends when all of them have ended.

        Raises TaskNotFound before yielding anything when one of the ids does not exist.
        """
        ids = list(dict.fromkeys(task_ids))
        with self.hub.subscribe(ids) as subscription:
            # Subscribe before reading, so no change between the read and the first event is lost.
            current = await self._resync_reads.get_many(ids)
            missing = set(ids) - {task.id for task in current}
            if missing:
                raise TaskNotFound(sorted(missing)[0])
            seen: dict[str, int] = {}
            pending = set(ids)
            for task in current:
                seen[task.id] = task.revision
                yield task
                if task.is_terminal:
                    pending.discard(task.id)
            wait = WATCH_RESYNC_SECONDS
            while pending and not self.shutting_down:
                event = await subscription.next(wait)
                if self.shutting_down:
                    return
                wait = WATCH_RESYNC_SECONDS
                if event is not None and not subscription.overflowed:
                    fresh = [event]
                else:
                    # Fell behind (or heard nothing for a while): the store has the truth. One query serves
                    # every watcher re-reading now; a failed read is retried, never ends the watch.
                    subscription.overflowed = False
                    fresh = [event, *subscription.drain()] if event is not None else subscription.drain()
                    try:
                        fresh += await self._resync_reads.get_many(sorted(pending))
                    except Exception as error:
                        log.warning("re-reading watched tasks failed (%s); retrying", type(error).__name__)
                        wait = WATCH_RETRY_SECONDS
                for snapshot in fresh:
                    if snapshot.id not in pending or snapshot.revision <= seen[snapshot.id]:
                        continue
                    seen[snapshot.id] = snapshot.revision
                    yield snapshot
                    if snapshot.is_terminal:
                        pending.discard(snapshot.id)
