"""Where mirrored files live, behind one small interface: a local directory by default, S3 as an extra."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol



@dataclass(frozen=True, slots=True)
class StoredFile:
    """How a front door sends a stored file: from a local path (with Range), or by a redirect."""

    path: Path | None = None
    redirect_url: str | None = None
    proxy_key: str | None = None  # S3 with ASSET_S3_PROXY: stream the object through sunoql


class AssetStorage(Protocol):
    def staging_dir(self) -> Path:
        """A directory for partial downloads (on the same filesystem as the files, for local storage)."""
        ...

    async def put(self, key: str, staged: Path, content_type: str) -> None:
        """Make the staged file available under `key`, atomically: readers see all of it or nothing."""
        ...

    async def locate(self, key: str, ttl: float) -> StoredFile | None:
        """How to send `key` (None when it is gone); `ttl` bounds a presigned URL's life."""
        ...

    async def delete(self, key: str) -> None: ...

    async def aclose(self) -> None: ...


class LocalStorage:
    """Files under ASSET_DIR, keyed by relative path; staged downloads under ASSET_DIR/.partial."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self._staging = self.root / ".partial"
        self._staging.mkdir(parents=True, exist_ok=True)
        # Partial files left by a crash are worthless: the download starts over.
        for leftover in self._staging.iterdir():
            with contextlib.suppress(OSError):
                leftover.unlink()

    def staging_dir(self) -> Path:
        return self._staging

    def path_for(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise ValueError(f"asset key {key!r} leaves the asset directory")
        return path

    async def put(self, key: str, staged: Path, content_type: str) -> None:
        target = self.path_for(key)

        def move() -> None:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)  # atomic within one filesystem

        await asyncio.to_thread(move)

    async def locate(self, key: str, ttl: float) -> StoredFile | None:
        path = self.path_for(key)
        return StoredFile(path=path) if await asyncio.to_thread(path.is_file) else None

    async def delete(self, key: str) -> None:
        path = self.path_for(key)
        await asyncio.to_thread(path.unlink, missing_ok=True)

    async def aclose(self) -> None:
        return None


def staged_file(storage: AssetStorage) -> Path:
    handle, name = tempfile.mkstemp(dir=storage.staging_dir(), suffix=".part")
    os.close(handle)
    return Path(name)
