"""An in-memory Upstream for tests of the core: scripted clip progress, failure injection, call counts."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from suno.errors import InvalidRequest, NoAccountAvailable, UpstreamError
from suno.models import KNOWN_MODELS, AccountModel, AccountSecrets, AccountStatus, Clip, Lyrics, MusicRequest
from suno.upstream.operations import SunoOperations
from suno.upstream.port import DeviceIdSource, LyricsSubmission, MusicSubmission

CLIP_STEPS = ("submitted", "queued", "streaming", "complete")


@dataclass
class FakeUpstream:
    """Each feed call advances every clip one step along CLIP_STEPS (or to `error` when told)."""

    accounts_names: tuple[str, ...] = ("default",)
    max_concurrency: int = 10
    feed_batch_size: int = 200
    generate_error: UpstreamError | None = None
    feed_error: UpstreamError | None = None
    failing_clips: set[str] = field(default_factory=set)
    # When False, feed calls report clips without advancing them.
    advance: bool = True
    calls: Counter[str] = field(default_factory=Counter)
    feed_requests: int = 0
    sent_prompts: list[str] = field(default_factory=list)
    sent_models: list[str] = field(default_factory=list)
    transaction_uuids: list[str | None] = field(default_factory=list)
    device_ids: dict[str, str] = field(default_factory=dict)
    # The models every account may use; the first is the default.
    usable_models: tuple[str, ...] = KNOWN_MODELS
    _clips: dict[str, int] = field(default_factory=dict)
    _owner: dict[str, str] = field(default_factory=dict)
    _lyrics: dict[str, int] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    async def generate(
        self,
        request: MusicRequest,
        *,
        in_flight: Mapping[str, int],
        account: str | None = None,
        transaction_uuid: str | None = None,
    ) -> MusicSubmission:
        self.calls["generate"] += 1
        self.transaction_uuids.append(transaction_uuid)
        if self.generate_error is not None:
            raise self.generate_error
        chosen = account or self._free_account(in_flight)
        self.sent_models.append(request.mv)
        self.sent_prompts.append(request.prompt or request.gpt_description_prompt)
        clips = []
        for _ in range(2):
            clip_id = f"clip-{next(self._ids)}"
            self._clips[clip_id] = 0
            self._owner[clip_id] = chosen
            clips.append(self._clip(clip_id))
        return MusicSubmission(account=chosen, clips=tuple(clips))

    async def generate_lyrics(self, prompt: str, *, in_flight: Mapping[str, int]) -> LyricsSubmission:
        self.calls["generate_lyrics"] += 1
        if self.generate_error is not None:
            raise self.generate_error
        lyrics_id = f"lyrics-{next(self._ids)}"
        self._lyrics[lyrics_id] = 0
        return LyricsSubmission(account=self._free_account(in_flight), lyrics_id=lyrics_id)

    async def feed(self, account: str, clip_ids: Sequence[str]) -> list[Clip]:
        self.calls["feed"] += 1
        self.feed_requests += max(1, -(-len(clip_ids) // self.feed_batch_size))
        if self.feed_error is not None:
            raise self.feed_error
        clips = []
        for clip_id in clip_ids:
            if clip_id not in self._clips or self._owner[clip_id] != account:
                continue
            if self.advance and self._clips[clip_id] < len(CLIP_STEPS) - 1:
                self._clips[clip_id] += 1
            clips.append(self._clip(clip_id))
        return clips

    async def clip(self, account: str, clip_id: str) -> Clip | None:
        self.calls["clip"] += 1
        if clip_id not in self._clips or self._owner[clip_id] != account:
            return None
        return self._clip(clip_id)

    async def lyrics_result(self, account: str, lyrics_id: str) -> Lyrics:
        self.calls["lyrics_result"] += 1
        self._lyrics[lyrics_id] += 1
        if self._lyrics[lyrics_id] >= 2:
            return Lyrics(id=lyrics_id, status="complete", title="Rain", text="[Verse]\nrain on the roof")
        return Lyrics(id=lyrics_id, status="running")

    async def recent_clips(self, account: str, limit: int = 100) -> list[Clip]:
        self.calls["recent_clips"] += 1
        mine = [clip_id for clip_id in self._clips if self._owner[clip_id] == account]
        return [self._clip(clip_id) for clip_id in reversed(mine)][:limit]

    async def models(self, *, refresh: bool = False) -> list[AccountModel]:
        return [
            AccountModel(account=name, key=key, name=key, is_default=index == 0)
            for name in self.accounts_names
            for index, key in enumerate(self.usable_models)
        ]

    async def choose_model(self, model: str, *, account: str | None = None) -> AccountModel:
        key = model or self.usable_models[0]
        if key not in self.usable_models:
            raise InvalidRequest(
                f"model {model!r} is not available; usable: {', '.join(self.usable_models)}", "mv"
            )
        return AccountModel(account=account or self.accounts_names[0], key=key, name=key)

    async def accounts(self, *, refresh: bool = False) -> list[AccountStatus]:
        return [
            AccountStatus(name=name, credits_left=100, max_concurrency=self.max_concurrency)
            for name in self.accounts_names
        ]

    def account_secrets(self) -> list[AccountSecrets]:
        return [
            AccountSecrets(name, "sess_fake", "cookie=fake", "jwt.fake.token", None)
            for name in self.accounts_names
        ]

    def account_names(self) -> list[str]:
        return list(self.accounts_names)

    async def adopt_device_ids(self, source: DeviceIdSource) -> None:
        for name in self.accounts_names:
            self.device_ids[name] = await source.device_id(name)

    # Song operations: the fake knows no clips of its own beyond what it generated, and sends none.

    async def clip_owner(self, clip_id: str) -> tuple[str, Clip] | None:
        owner = self._owner.get(clip_id)
        return (owner, Clip(id=clip_id, status="complete")) if owner else None

    async def account_models(self, account: str) -> list[Mapping[str, Any]]:
        return []

    def record_refusal(self, account: str, error: UpstreamError) -> None:
        self.calls["record_refusal"] += 1

    def operations(self, account: str) -> SunoOperations:
        raise NoAccountAvailable("the fake upstream sends no song operations; use the simulator")

    async def aclose(self) -> None:
        return None

    def _free_account(self, in_flight: Mapping[str, int]) -> str:
        for name in self.accounts_names:
            if in_flight.get(name, 0) < self.max_concurrency:
                return name
        raise NoAccountAvailable("every account is busy")

    def _clip(self, clip_id: str) -> Clip:
        step = CLIP_STEPS[self._clips[clip_id]]
        if clip_id in self.failing_clips and step != "submitted":
            step = "error"
        raw = {
            "id": clip_id,
            "status": step,
            "title": "Fake song",
            "audio_url": f"https://cdn.example/{clip_id}.mp3" if step == "complete" else None,
            "model_name": "chirp-fenix",
            "metadata": {
                "tags": "pop",
                "prompt": "la la",
                "duration": 30.0 if step == "complete" else None,
                "error_message": "moderation: lyrics rejected" if step == "error" else None,
            },
        }
        return Clip.from_upstream(raw)
