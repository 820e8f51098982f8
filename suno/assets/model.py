"""Asset values: what a clip's playable copy is (kind), where it stands (state) and why (reason)."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class AssetKind(enum.StrEnum):
    AUDIO = "audio"
    IMAGE = "image"
    VIDEO = "video"
    WAV = "wav"  # made only on request: Suno converts, which takes a while


class AssetState(enum.StrEnum):
    PENDING = "pending"  # not mirrored yet (or waiting for another attempt)
    READY = "ready"
    FAILED = "failed"  # every attempt failed; `reason` says why
    UNAVAILABLE = "unavailable"  # Suno will not give it (not unlocked, no source at all)
    EXPIRED = "expired"  # removed by the retention limits


class AssetReason(enum.StrEnum):
    NONE = ""
    NOT_UNLOCKED = "not_unlocked"
    ALLOWANCE_RESERVE = "allowance_reserve"
    NO_SOURCE = "no_source"
    BAD_CONTENT = "bad_content"
    DOWNLOAD_FAILED = "download_failed"
    RETENTION = "retention"


# File names in asset URLs: the stem says the kind, the extension helps players.
FILE_STEMS = {
    AssetKind.AUDIO: "audio",
    AssetKind.IMAGE: "image",
    AssetKind.VIDEO: "video",
    AssetKind.WAV: "lossless",
}
DEFAULT_EXTENSIONS = {
    AssetKind.AUDIO: "mp3",
    AssetKind.IMAGE: "jpeg",
    AssetKind.VIDEO: "mp4",
    AssetKind.WAV: "wav",
}
# Mirrored for every finished clip; video is optional upstream and WAV only on request.
MIRRORED_KINDS = (AssetKind.AUDIO, AssetKind.IMAGE)


@dataclass(frozen=True, slots=True)
class Asset:
    clip_id: str
    kind: AssetKind
    task_id: str
    account: str | None
    state: AssetState = AssetState.PENDING
    reason: AssetReason = AssetReason.NONE
    detail: str = ""
    source: str = ""
    storage_key: str | None = None
    content_type: str | None = None
    size: int | None = None
    sha256: str | None = None
    attempts: int = 0
    next_attempt_at: float | None = None
    created_at: float = 0.0
    updated_at: float = 0.0

    @property
    def extension(self) -> str:
        if self.storage_key and "." in self.storage_key.rsplit("/", 1)[-1]:
            return self.storage_key.rsplit(".", 1)[-1]
        return DEFAULT_EXTENSIONS[self.kind]

    @property
    def file_name(self) -> str:
        return f"{FILE_STEMS[self.kind]}.{self.extension}"


def kind_from_file_name(name: str) -> AssetKind | None:
    stem = name.split(".", 1)[0]
    for kind, kind_stem in FILE_STEMS.items():
        if kind_stem == stem:
            return kind
    return None
