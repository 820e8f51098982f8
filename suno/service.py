"""SunoService: the one API every front door calls (submit, read, list, account, watch)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from pathlib import Path

from suno.cache import TaskCache
from suno.challenges.health import AccountEvent
from suno.coalesced_reads import CoalescedReads
from suno.errors import (
    InvalidRequest,
    NoAccountAvailable,
    RateLimited,
    SubmitOutcomeUnknown,
    TaskNotFound,
    UpstreamError,
)
from suno.events import EventHub
from suno.models import (
    AccountModel,
    AccountSecrets,
    AccountStatus,
    AlignedLyrics,
    LyricsRequest,
    MusicRequest,
    OperationRequest,
    Task,
    TaskAction,
    TaskFilter,
    TaskPage,
    TaskStatus,
)
from suno.observer import INVALID_REQUEST, NO_OBSERVER, Observer, timed_call
from suno.operations.service import SongOperations
from suno.reconcile import CONFIRMING_REASON
from suno.requests import check_for_model
from suno.status import status_from_clips
from suno.store import TaskChange, TaskStore, UpdateResult
from suno.upstream.port import AccountCare, Upstream
from suno.webhooks.policy import WEBHOOKS_OFF, Webhook, WebhookPolicy

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
        webhooks: WebhookPolicy = WEBHOOKS_OFF,
    ) -> None:
        self.store = store
        self.webhooks = webhooks
        self.upstream = upstream
        self.hub = hub
        self.poll_interval = poll_interval
        self._clock = clock
        self.observer = observer
        self.cache = TaskCache()
        self._resync_reads = CoalescedReads(store.get_many)
        self.shutting_down = False
        self._stopped = asyncio.Event()
        # The pool's challenges, health and logins; None for an upstream without live accounts (tests).
        self.care = upstream if isinstance(upstream, AccountCare) else None
        self._ready_listeners: list[Callable[[], None]] = []
        if self.care is not None:
            self.care.on_token(lambda _account: self._accounts_ready())
        self.operations = SongOperations(store, upstream, poll_interval=poll_interval, clock=clock)

    # Submitting

    async def submit_music(self, request: MusicRequest, webhook: Webhook | None = None) -> Task:
        """Store the task, then send it to Suno at once when an account has a free slot.

        An upstream rejection fails the task with its reason and is raised (with `.task_id`);
        when every account is busy the task stays NOT_START and the worker sends it later.
        """
        with self._submission(TaskAction.MUSIC):
            hook = self._webhook(webhook)
            account = await self._continuation_account(request)
            # The model is settled (and refused if unusable) before anything is stored or spent.
            model = await self.upstream.choose_model(request.mv, account=account)
            request = check_for_model(request, model)
            task = Task(
                id=str(uuid.uuid4()),
                action=TaskAction.MUSIC,
                status=TaskStatus.NOT_START,
                request=request,
                account=account,
                submit_time=self._clock(),
                webhook_url=hook.url if hook else None,
                webhook_format=hook.format if hook else None,
                # Stored before the paid call, so a lost answer can be matched, never resent.
                transaction_uuid=str(uuid.uuid4()),
            )
            return await self._create_and_dispatch(task)

    async def submit_operation(
        self, action: TaskAction, request: OperationRequest, webhook: Webhook | None = None
    ) -> Task:
        """An operation on a song (suno/operations/): checked, then sent like a song on the clip's account."""
        with self._submission(action):
            hook = self._webhook(webhook)
            task = await self.operations.prepare(action, request)
            if hook is not None:
                task = dataclasses.replace(task, webhook_url=hook.url, webhook_format=hook.format)
            return await self._create_and_dispatch(task)

    async def upload_audio(self, request: OperationRequest, path: Path, content_type: str) -> Task:
        """Send an audio file (already on disk, size checked) to Suno; the task becomes its clip."""
        with self._submission(TaskAction.UPLOAD):
            account = await self._upload_account()
            task = Task(
                id=str(uuid.uuid4()),
                action=TaskAction.UPLOAD,
                status=TaskStatus.NOT_START,
                request=request,
                account=account,
                submit_time=self._clock(),
            )
            await self.store.create(task, dispatching=True)
            self.hub.publish(task)
            try:
                change = await self.operations.upload(task, path, content_type)
            except UpstreamError as error:
                await self._apply(task.id, TaskChange(status=TaskStatus.FAILURE, fail_reason=error.message))
                error.task_id = task.id
                raise
            return await self._apply(task.id, change) or await self.get_task(task.id)

    async def _upload_account(self) -> str:
        # Free of charge: any account that is not resting; the clip it makes is that account's.
        statuses = await self.upstream.accounts()
        usable = [status for status in statuses if status.healthy]
        if not usable:
            raise NoAccountAvailable("no Suno account can take an upload now (all are resting)")
        return usable[0].name

    async def aligned_lyrics(self, clip_id: str, wait_seconds: float = 60.0) -> AlignedLyrics | None:
        """Timed lyrics of a clip: the stored ones, or a new ALIGNED_LYRICS task followed up to `wait_seconds`
        (None when it is still running then; ask again)."""
        known = await self.store.by_source(clip_id, TaskAction.ALIGNED_LYRICS)
        done = next((task for task in known if task.status is TaskStatus.SUCCESS), None)
        if done is not None:
            return self.operations.timed_lyrics(done)
        running = next((task for task in known if not task.is_terminal), None)
        if running is None:
            running = await self.submit_operation(
                TaskAction.ALIGNED_LYRICS, OperationRequest(clip_id=clip_id)
            )
        try:
            async with asyncio.timeout(wait_seconds):
                async for snapshot in self.watch(running.id):
                    if snapshot.is_terminal:
                        if snapshot.status is TaskStatus.FAILURE:
                            failed = UpstreamError(snapshot.fail_reason or "Suno could not time these lyrics")
                            failed.task_id = snapshot.id
                            raise failed
                        return self.operations.timed_lyrics(snapshot)
        except TimeoutError:
            return None
        return None

    async def submit_lyrics(self, request: LyricsRequest, webhook: Webhook | None = None) -> Task:
        with self._submission(TaskAction.LYRICS):
            hook = self._webhook(webhook)
            task = Task(
                id=str(uuid.uuid4()),
                action=TaskAction.LYRICS,
                status=TaskStatus.NOT_START,
                request=request,
                submit_time=self._clock(),
                webhook_url=hook.url if hook else None,
                webhook_format=hook.format if hook else None,
            )
            return await self._create_and_dispatch(task)

    def _webhook(self, webhook: Webhook | None) -> Webhook | None:
        """The webhook checked against WEBHOOK_SECRET and the SSRF rule; None when none was asked for."""
        if webhook is None or not webhook.url.strip():
            return None
        return Webhook(self.webhooks.check(webhook.url, webhook.field), webhook.format)

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
                        task.request,
                        in_flight=in_flight,
                        account=task.account,
                        transaction_uuid=task.transaction_uuid,
                    )
                status, _ = status_from_clips(music.clips)
                change = TaskChange(
                    status=max(status, TaskStatus.SUBMITTED, key=lambda s: s.rank),
                    clips=music.clips,
                    account=music.account,
                    upstream_ids=[clip.id for clip in music.clips],
                    next_poll_at=self._clock() + self.poll_interval,
                )
            elif isinstance(task.request, OperationRequest):
                with timed_call(self.observer, task.action.value.lower()):
                    change = await self.operations.send(task)
            else:
                with timed_call(self.observer, "generate_lyrics"):
                    lyrics = await self.upstream.generate_lyrics(task.request.prompt, in_flight=in_flight)
                change = TaskChange(
                    status=TaskStatus.SUCCESS if lyrics.lyrics is not None else TaskStatus.SUBMITTED,
                    lyrics=lyrics.lyrics,
                    account=lyrics.account,
                    upstream_ids=[lyrics.lyrics_id],
                    next_poll_at=self._clock() + min(self.poll_interval, 2.0),
                )
        except SubmitOutcomeUnknown as lost:
            # It may have been charged: never resend. The worker looks for its clips in the feed;
            # the dispatch mark stays, so no tick sends it again.
            log.warning("task %s: %s; confirming with Suno", task.id, lost)
            change = TaskChange(account=lost.account, waiting_reason=CONFIRMING_REASON)
        except (NoAccountAvailable, RateLimited) as busy:
            # Suno did not take it: the task waits (for a slot, a pause, a captcha), nothing was charged.
            reason = waiting_reason(busy, self._clock())
            log.info("task %s waits: %s", task.id, reason)
            await self._apply(task.id, TaskChange(dispatch_started_at=None, waiting_reason=reason))
            return await self.get_task(task.id)
        except UpstreamError as error:
            self.observer.refused(task.action, error.reason)
            await self._apply(task.id, TaskChange(status=TaskStatus.FAILURE, fail_reason=error.message))
            error.task_id = task.id
            raise
        except InvalidRequest as error:
            # An operation's source went away between the check and the send: nothing was paid.
            await self._apply(task.id, TaskChange(status=TaskStatus.FAILURE, fail_reason=error.message))
            raise
        updated = await self._apply(task.id, change)
        return updated or await self.get_task(task.id)

    async def _continuation_account(self, request: MusicRequest) -> str | None:
        """A continuation must run on the account that owns the source clip, a persona's song on its own."""
        if request.continue_clip_id is None:
            return await self.operations.persona_account(request.persona_id) if request.persona_id else None
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

    # Account care: challenges, health, logins

    def on_accounts_ready(self, listener: Callable[[], None]) -> None:
        """`listener()` when waiting tasks may go now (a token came, a login was fixed): the worker."""
        self._ready_listeners.append(listener)

    def _accounts_ready(self) -> None:
        for listener in self._ready_listeners:
            listener()

    def _care(self) -> AccountCare:
        if self.care is None:
            raise InvalidRequest("this server's upstream has no Suno accounts to manage")
        return self.care

    async def tend_accounts(self) -> None:
        if self.care is not None:
            await self.care.tend_accounts()

    async def solve_challenge(self, account: str, token: str, provider: int) -> AccountStatus:
        status = await self._care().solve_challenge(account, token, provider)
        self._accounts_ready()
        return status

    async def update_account(self, name: str, cookie: str, session_id: str | None = None) -> AccountStatus:
        status = await self._care().update_account(name, cookie, session_id)
        self._accounts_ready()
        return status

    async def reload_accounts(self) -> list[str]:
        changed = await self._care().reload_accounts()
        if changed:
            self._accounts_ready()
        return changed

    async def account_events(self) -> AsyncIterator[AccountEvent]:
        """Every account's state now, then each change; ends at shutdown."""
        events = self._care().account_events()
        stop = asyncio.ensure_future(self._stopped.wait())
        following: asyncio.Future[AccountEvent] | None = None
        try:
            while not self.shutting_down:
                following = asyncio.ensure_future(anext(events))
                await asyncio.wait({following, stop}, return_when=asyncio.FIRST_COMPLETED)
                if not following.done():
                    return
                event, following = following.result(), None
                yield event
        finally:
            stop.cancel()
            if following is not None and not following.done():
                # The generator is still inside its read: end that read before closing it.
                following.cancel()
                with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                    await following
            await events.aclose()  # type: ignore[attr-defined]

    async def models(self, *, usable_only: bool = False, refresh: bool = False) -> list[AccountModel]:
        """Every account's models from its billing (cached with it); `usable_only` drops the others."""
        models = await self.upstream.models(refresh=refresh)
        return [model for model in models if model.usable or not usable_only]

    # Watching

    def begin_shutdown(self) -> None:
        """Every watch ends now (after the snapshot it is at), so subscriptions and streams close cleanly."""
        self.shutting_down = True
        self._stopped.set()
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


def waiting_reason(busy: NoAccountAvailable | RateLimited, now: float) -> str:
    if isinstance(busy, RateLimited):
        until = now + (busy.retry_after or 60.0)
        return f"rate limited until {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(until))}"
    return busy.waiting_reason
