"""SongOperations: the core of every operation on a song, called by SunoService and the worker.

`prepare` finds the source and its owning account and refuses what Suno would refuse, before anything
is paid; `send` makes the one paid call; `poll` follows the operations that are not clips in a feed
(an upload being processed, a video, timed lyrics).
"""

from __future__ import annotations

import dataclasses
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from suno.errors import InvalidRequest, NoAccountAvailable, UpstreamError
from suno.models import (
    DEFAULT_MODEL,
    AlignedLyrics,
    Clip,
    OperationRequest,
    Persona,
    Task,
    TaskAction,
    TaskStatus,
)
from suno.operations import rules
from suno.operations.requests import persona_fields
from suno.operations.timed_lyrics import aligned_lyrics
from suno.status import status_from_clips
from suno.store import TaskChange, TaskStore
from suno.store.persona_store import PersonaStore
from suno.upstream.operations import STEMS_MODEL, V2_WEB_TASKS, v2_web_body
from suno.upstream.port import Upstream

log = logging.getLogger("suno.operations")

# The remaster model of each generation (suno-2026.md); the v6 one for anything newer or unknown.
REMASTER_MODELS = {
    "chirp-fenix": "chirp-flounder",
    "chirp-crow": "chirp-carp",
    "chirp-bluejay": "chirp-bass",
}
DEFAULT_REMASTER_MODEL = "chirp-halibut"
# Suno's words for a job that ended, and for one that failed.
DONE_STATES = frozenset({"complete", "completed", "done", "succeeded", "success"})
FAILED_STATES = frozenset({"error", "failed", "failure"})
UPLOAD_POLL_SECONDS = 4.0


class SongOperations:
    def __init__(
        self,
        store: TaskStore,
        upstream: Upstream,
        *,
        poll_interval: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.upstream = upstream
        self._personas: PersonaStore | None = None
        self.poll_interval = poll_interval
        self._clock = clock

    @property
    def personas(self) -> PersonaStore:
        # Made on first use: the store's engine is the personas' too.
        if self._personas is None:
            self._personas = PersonaStore(self.store.engine)
        return self._personas

    # Before paying

    async def prepare(self, action: TaskAction, request: OperationRequest) -> Task:
        """The task to create: source and owner found, every rule checked. Raises InvalidRequest."""
        account, source, made_by = await self.source(request.clip_id)
        rules.check_source(action, request, source, made_by)
        from_upload = rules.is_upload(source, made_by)
        if action in V2_WEB_TASKS:
            model = (
                STEMS_MODEL
                if action is TaskAction.STEMS
                else request.mv or source.model_name or DEFAULT_MODEL
            )
            request = dataclasses.replace(request, mv=model)
            if request.persona_id:
                await self._check_persona(request.persona_id, account)
            wanted = rules.conditions(action, request, from_upload=from_upload)
            models = await self.upstream.account_models(account)
            known = any(model in (m.get("external_key"), m.get("name")) for m in models)
            # Stems force v3 whatever the account lists: check its combinations only when it is listed.
            if action is not TaskAction.STEMS or known:
                rules.check_model(model, wanted, models)
        if action is TaskAction.EXTEND and request.continue_at is None:
            # No point given: the extension starts where the clip ends.
            request = dataclasses.replace(request, continue_at=source.duration or 0.0)
        if action is TaskAction.REMASTER:
            model = request.mv or REMASTER_MODELS.get(source.model_name or "", DEFAULT_REMASTER_MODEL)
            request = dataclasses.replace(request, mv=model)
        return Task(
            id=str(uuid.uuid4()),
            action=action,
            status=TaskStatus.NOT_START,
            request=request,
            account=account,
            submit_time=self._clock(),
            transaction_uuid=str(uuid.uuid4()),
            source_clip_id=source.id,
            source_task_id=made_by.id if made_by else None,
        )

    async def source(self, clip_id: str) -> tuple[str, Clip, Task | None]:
        """The account that owns the clip, the clip as last seen, and the task that made it (if ours)."""
        made_by = await self.store.find_by_clip(clip_id)
        if made_by is not None and made_by.account:
            clip = next((c for c in made_by.clips if c.id == clip_id), None)
            if clip is None or clip.status != "complete":
                clip = await self.upstream.clip(made_by.account, clip_id) or clip
            if clip is not None:
                return made_by.account, clip, made_by
        found = await self.upstream.clip_owner(clip_id)
        if found is None:
            raise InvalidRequest(
                f"clip {clip_id!r} is not a clip of this server's Suno accounts: operations work on your own clips",
                field="clip_id",
            )
        return found[0], found[1], None

    async def _check_persona(self, persona_id: str, account: str) -> None:
        persona = await self.personas.get(persona_id)
        if persona is None:
            raise InvalidRequest(
                f"persona {persona_id!r} does not exist: list them with personas", field="persona_id"
            )
        if persona.account != account:
            raise InvalidRequest(
                f"persona {persona_id!r} belongs to another account than the clip: use them together on one account",
                field="persona_id",
            )

    async def persona_account(self, persona_id: str) -> str:
        """The account a new song with this persona must run on."""
        persona = await self.personas.get(persona_id)
        if persona is None:
            raise InvalidRequest(
                f"persona {persona_id!r} does not exist: list them with personas", field="persona_id"
            )
        return persona.account

    # The paid call

    async def send(self, task: Task) -> TaskChange:
        """Send the task's one call to Suno on its account; the change to record.

        A refusal about the account (captcha, login, credits, 429) also sends the account to rest."""
        try:
            return await self._send(task)
        except UpstreamError as error:
            if task.account is not None:
                self.upstream.record_refusal(task.account, error)
            raise

    async def _send(self, task: Task) -> TaskChange:
        request = task.request
        assert isinstance(request, OperationRequest) and task.account is not None
        if task.action is not TaskAction.ALIGNED_LYRICS:
            await self._account_can_take(task.account, task.id)
        calls = self.upstream.operations(task.account)
        action = task.action
        next_poll = self._clock() + self.poll_interval
        if action in V2_WEB_TASKS:
            _, source, made_by = await self.source(request.clip_id)
            body = v2_web_body(
                action,
                request,
                source=source,
                transaction_uuid=task.transaction_uuid or str(uuid.uuid4()),
                from_upload=rules.is_upload(source, made_by),
            )
            clips = await calls.generate(body)
        elif action is TaskAction.CONCAT:
            clips = await calls.concat(request.clip_id)
        elif action is TaskAction.REMASTER:
            clips = await calls.upsample(request.clip_id, request.mv, request.variation or "normal")
        elif action is TaskAction.VIDEO:
            await calls.video_start(request.clip_id)
            return TaskChange(status=TaskStatus.SUBMITTED, next_poll_at=next_poll)
        elif action is TaskAction.ALIGNED_LYRICS:
            _, source, _ = await self.source(request.clip_id)
            await calls.aligned_lyrics_start(request.clip_id, source.prompt or "")
            return TaskChange(
                status=TaskStatus.SUBMITTED, next_poll_at=self._clock() + min(self.poll_interval, 2.0)
            )
        else:
            raise InvalidRequest(f"{action.value} is not sent this way", field="action")
        status, _ = status_from_clips(clips)
        return TaskChange(
            status=max(status, TaskStatus.SUBMITTED, key=lambda s: s.rank),
            clips=clips,
            upstream_ids=[clip.id for clip in clips],
            next_poll_at=next_poll,
        )

    async def _account_can_take(self, account: str, task_id: str) -> None:
        """A paid call waits (NoAccountAvailable: the task stays NOT_START, the worker sends it later) while
        its account rests or has every slot taken, as a song does; the clip's owner is the only account."""
        status = next((s for s in await self.upstream.accounts() if s.name == account), None)
        if status is None:
            raise NoAccountAvailable(f"account {account!r}, which owns the clip, is not configured any more")
        in_flight = (await self.store.in_flight_by_account()).get(account, 0)
        # The task itself is counted once it left NOT_START; a task being sent is still NOT_START.
        if status.unusable_reason or (status.max_concurrency and in_flight >= status.max_concurrency):
            raise NoAccountAvailable(
                f"account {account!r} cannot take task {task_id} now: {status.unusable_reason or 'every slot is busy'}"
            )

    async def upload(self, task: Task, path: Path, content_type: str) -> TaskChange:
        """Suno's upload flow up to "processing": presigned form, the file streamed, finish."""
        request = task.request
        assert isinstance(request, OperationRequest) and task.account is not None
        calls = self.upstream.operations(task.account)
        form = await calls.upload_start(request.upload_extension)
        await calls.upload_file(form, path, request.upload_filename, content_type)
        await calls.upload_finish(form.upload_id, request.upload_filename)
        return TaskChange(
            status=TaskStatus.SUBMITTED,
            request=dataclasses.replace(request, upload_id=form.upload_id),
            next_poll_at=self._clock() + min(UPLOAD_POLL_SECONDS, self.poll_interval),
            waiting_reason="Suno is processing the uploaded audio",
        )

    # Following the jobs that are not clips

    async def poll(self, task: Task) -> TaskChange:
        request = task.request
        assert isinstance(request, OperationRequest) and task.account is not None
        calls = self.upstream.operations(task.account)
        next_poll = self._clock() + self.poll_interval
        if task.action is TaskAction.UPLOAD:
            return await self._poll_upload(task, request)
        if task.action is TaskAction.VIDEO:
            state = await calls.video_state(request.clip_id)
            video_url = (state.data or {}).get("video_url")
            if state.status in DONE_STATES and isinstance(video_url, str) and video_url:
                _, source, _ = await self.source(request.clip_id)
                clip = Clip.from_upstream({**source.to_upstream(), "video_url": video_url})
                return TaskChange(status=TaskStatus.SUCCESS, clips=[clip], result={"video_url": video_url})
            return self._running(state.status, state.error, next_poll, "Suno could not make the video")
        state = await calls.aligned_lyrics_state(request.clip_id)
        words = (state.data or {}).get("aligned_words")
        if state.status in DONE_STATES and isinstance(words, list):
            return TaskChange(status=TaskStatus.SUCCESS, result={"words": words})
        return self._running(state.status, state.error, next_poll, "Suno could not time these lyrics")

    async def _poll_upload(self, task: Task, request: OperationRequest) -> TaskChange:
        assert task.account is not None
        next_poll = self._clock() + min(UPLOAD_POLL_SECONDS, self.poll_interval)
        if not task.upstream_ids:
            calls = self.upstream.operations(task.account)
            if request.upload_id is None:
                return TaskChange(status=TaskStatus.FAILURE, fail_reason="the upload never reached Suno")
            state = await calls.upload_state(request.upload_id)
            if state.status not in DONE_STATES:
                return self._running(state.status, state.error, next_poll, "Suno could not process the audio")
            clip_id = await calls.upload_clip(request.upload_id)
        else:
            clip_id = task.upstream_ids[0]
        clip = await self.upstream.clip(task.account, clip_id)
        if clip is None:
            return TaskChange(upstream_ids=[clip_id], next_poll_at=next_poll)
        status, reason = status_from_clips([clip])
        return TaskChange(
            status=max(status, TaskStatus.IN_PROGRESS, key=lambda s: s.rank),
            clips=[clip],
            upstream_ids=[clip_id],
            fail_reason=reason or None,
            next_poll_at=next_poll,
        )

    @staticmethod
    def _running(status: str, error: str, next_poll: float, failure: str) -> TaskChange:
        if status in FAILED_STATES:
            return TaskChange(
                status=TaskStatus.FAILURE, fail_reason=f"{failure}: {error}" if error else failure
            )
        return TaskChange(status=TaskStatus.IN_PROGRESS, next_poll_at=next_poll)

    # Personas and timed lyrics

    async def create_persona(
        self, clip_id: str, name: str, description: str | None, is_public: bool
    ) -> Persona:
        name, text = persona_fields(name, description)
        account, source, _ = await self.source(clip_id)
        if source.status != "complete":
            raise InvalidRequest(
                f"clip {clip_id!r} is not finished: a persona needs a finished clip", field="clip_id"
            )
        existing = await self.personas.for_clip(clip_id)
        if existing is not None:
            return existing  # Suno makes one persona per clip (409 for a second)
        calls = self.upstream.operations(account)
        try:
            reply = await calls.create_persona(clip_id, name, text, is_public)
        except UpstreamError as error:
            if error.status_code != 409:
                raise
            # Made on Suno already (from suno.com, or before this store): adopt that one.
            found = [p for p in await calls.personas() if _root_clip(p) == clip_id]
            if not found:
                raise InvalidRequest(
                    f"clip {clip_id!r} already has a persona on Suno", field="clip_id"
                ) from None
            reply = found[0]
        persona = Persona(
            id=str(reply.get("id") or ""),
            account=account,
            root_clip_id=clip_id,
            name=str(reply.get("name") or name),
            description=str(reply.get("description") or text),
            is_public=bool(reply.get("is_public", is_public)),
            created_at=self._clock(),
        )
        if not persona.id:
            raise InvalidRequest("Suno made no persona (its reply has no id)", field="clip_id")
        await self.personas.save(persona)
        return persona

    async def list_personas(self) -> list[Persona]:
        return await self.personas.all()

    async def persona_page(self, persona_id: str, page: int) -> Mapping[str, Any]:
        """Suno's page of a persona of ours (its clips, a page at a time), read with its account."""
        persona = await self.personas.get(persona_id)
        if persona is None:
            raise InvalidRequest(f"persona {persona_id!r} is not one of this server's personas", field="id")
        return await self.upstream.operations(persona.account).persona_page(persona_id, page)

    def timed_lyrics(self, task: Task) -> AlignedLyrics | None:
        words = (task.result or {}).get("words")
        if task.status is not TaskStatus.SUCCESS or not isinstance(words, list):
            return None
        return aligned_lyrics(task.source_clip_id or "", words)


def _root_clip(raw: Mapping[str, Any]) -> str:
    """The clip a persona of Suno's list was made from (`root_clip_id`, or a `root_clip` object)."""
    root = raw.get("root_clip")
    if isinstance(root, Mapping) and root.get("id"):
        return str(root["id"])
    return str(raw.get("root_clip_id") or "")
