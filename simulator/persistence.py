"""The simulator's memory on disk: accounts, clips, lyrics and its signing key in one JSON file.

`make run` restarts would otherwise forget every clip, and sunoql's unfinished tasks would wait for
their timeout. The file is rewritten whole (a temporary file, then a rename), so a crash leaves the
old one or the new one, never half of each.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from simulator.operation_state import SimPersona, SimUpload
from simulator.state import SimAccount, SimClip, SimLyrics, SimulatorState

log = logging.getLogger("simulator")

FORMAT_VERSION = 1
# Accounts' call counts are per run; the rest of an account is what a restart must keep.
ACCOUNT_FIELDS = tuple(f.name for f in fields(SimAccount) if f.name != "calls")


@dataclass(frozen=True)
class DurableState:
    """What survives a restart, copied out of the state so it can be encoded off the event loop."""

    accounts: list[SimAccount]
    clips: list[SimClip]
    lyrics: list[SimLyrics]
    wav_requested: dict[str, int]
    # Song operations: personas and uploads are the account's; video and timed-lyrics jobs' start times.
    personas: list[SimPersona]
    uploads: list[SimUpload]
    jobs: dict[str, dict[str, float]]
    secret: bytes
    token_generation: int

    @classmethod
    def of(cls, state: SimulatorState) -> DurableState:
        return cls(
            accounts=list(state.accounts.values()),
            clips=list(state.clips.values()),
            lyrics=list(state.lyrics.values()),
            wav_requested=dict(state.wav_requested),
            personas=list(state.operations.personas.values()),
            uploads=list(state.operations.uploads.values()),
            jobs={"videos": dict(state.operations.videos), "alignments": dict(state.operations.alignments)},
            secret=state.signing_secret,
            token_generation=state.token_generation,
        )

    def encode(self) -> bytes:
        document = {
            "version": FORMAT_VERSION,
            "accounts": [{name: getattr(a, name) for name in ACCOUNT_FIELDS} for a in self.accounts],
            "clips": [asdict(clip) for clip in self.clips],
            "lyrics": [asdict(lyrics) for lyrics in self.lyrics],
            "wav_requested": self.wav_requested,
            "personas": [asdict(persona) for persona in self.personas],
            "uploads": [asdict(upload) for upload in self.uploads],
            "jobs": self.jobs,
            # Kept so the JWTs and signed media URLs handed out before a restart stay valid after it.
            "secret": base64.b64encode(self.secret).decode(),
            "token_generation": self.token_generation,
        }
        return json.dumps(document).encode()


def restore(state: SimulatorState, document: dict[str, Any]) -> None:
    """Put a decoded file's contents into `state`; fields this version does not know are ignored."""
    if document.get("version") != FORMAT_VERSION:
        raise ValueError(f"unknown simulator state format {document.get('version')!r}")
    for raw in document["accounts"]:
        account = SimAccount(**_known(SimAccount, raw))
        state.accounts[account.name] = account
    for raw in document["clips"]:
        clip = SimClip(**_known(SimClip, raw))
        state.clips[clip.id] = clip
    for raw in document["lyrics"]:
        lyrics = SimLyrics(**_known(SimLyrics, raw))
        state.lyrics[lyrics.id] = lyrics
    state.wav_requested.update(document["wav_requested"])
    # Files written before the song operations have none of these.
    for raw in document.get("personas", []):
        persona = SimPersona(**_known(SimPersona, raw))
        state.operations.personas[persona.id] = persona
    for raw in document.get("uploads", []):
        upload = SimUpload(**_known(SimUpload, raw))
        state.operations.uploads[upload.id] = upload
    jobs = document.get("jobs", {})
    state.operations.videos.update(jobs.get("videos", {}))
    state.operations.alignments.update(jobs.get("alignments", {}))
    state.restore_signing(base64.b64decode(document["secret"]), int(document["token_generation"]))


def _known(cls: type[Any], raw: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {key: value for key, value in raw.items() if key in names}


class StateFile:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def load_into(self, state: SimulatorState) -> bool:
        """Fill `state` from the file; False when there is none. An unreadable file is set aside."""
        try:
            document = json.loads(self.path.read_bytes())
            restore(state, document)
        except FileNotFoundError:
            return False
        except (ValueError, KeyError, TypeError) as exc:
            aside = self.path.with_name(self.path.name + ".unreadable")
            log.warning(
                "simulator: cannot read %s (%s); starting empty, old file kept as %s", self.path, exc, aside
            )
            self.path.replace(aside)
            return False
        return True

    def save(self, durable: DurableState) -> None:
        data = durable.encode()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as out:  # mkstemp's file is 0600: the signing key stays private
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise


class StateSaver:
    """Writes the state to its file within `interval` seconds of a change, and once more on stop."""

    def __init__(self, state: SimulatorState, file: StateFile, interval: float = 1.0) -> None:
        self.state = state
        self.file = file
        self.interval = interval
        self._changes = 0
        self._saved = 0
        self._lock = asyncio.Lock()

    def mark_changed(self) -> None:
        self._changes += 1

    async def load(self) -> None:
        if await asyncio.to_thread(self.file.load_into, self.state):
            log.info("simulator: %d clips restored from %s", len(self.state.clips), self.file.path)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.flush()
            except OSError as exc:  # a full disk must not stop the simulator; the next tick retries
                log.warning("simulator: cannot write %s: %s", self.file.path, exc)

    async def flush(self) -> None:
        async with self._lock:
            changes = self._changes
            if changes == self._saved:
                return
            await asyncio.to_thread(self.file.save, DurableState.of(self.state))
            self._saved = changes
