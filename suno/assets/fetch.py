"""Fetcher: streams one media URL to a staged file with its size and sha256, and checks its first bytes."""

from __future__ import annotations

import asyncio
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from suno.assets.model import FILE_STEMS, AssetKind, AssetReason
from suno.assets.resolver import SourceFailed
from suno.assets.sniff import SNIFF_BYTES, MediaType, NotMedia, check_media
from suno.assets.storage import AssetStorage, staged_file

MAX_BYTES = 512 * 1024 * 1024  # far above any song Suno makes; stops a runaway body
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


@dataclass(frozen=True, slots=True)
class Fetched:
    path: Path
    size: int
    sha256: str
    media: MediaType


def storage_key(clip_id: str, kind: AssetKind, extension: str) -> str:
    # Clip ids are uuids; anything else is hashed so a key can never leave its directory.
    safe = clip_id if _SAFE_ID.match(clip_id) else hashlib.sha256(clip_id.encode()).hexdigest()
    return f"clips/{safe[:2]}/{safe}/{FILE_STEMS[kind]}.{extension}"


def shown_url(url: str) -> str:
    """A URL as it may appear in a message: host and path only (a presigned query is a credential)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


class Fetcher:
    def __init__(self, http: httpx.AsyncClient, storage: AssetStorage, max_bytes: int = MAX_BYTES) -> None:
        self._http = http
        self._storage = storage
        self._max_bytes = max_bytes

    async def fetch(self, url: str, kind: AssetKind) -> Fetched:
        """The body of `url` in a staged file, checked to be `kind` media; raises SourceFailed otherwise."""
        staged = await asyncio.to_thread(staged_file, self._storage)
        try:
            return await self._download(url, kind, staged)
        except BaseException:
            staged.unlink(missing_ok=True)
            raise

    async def _download(self, url: str, kind: AssetKind, staged: Path) -> Fetched:
        digest = hashlib.sha256()
        head = b""
        size = 0
        try:
            async with self._http.stream("GET", url) as response:
                if response.status_code != 200:
                    raise SourceFailed(
                        AssetReason.DOWNLOAD_FAILED, f"{shown_url(url)} answered HTTP {response.status_code}"
                    )
                with staged.open("wb") as out:
                    async for chunk in response.aiter_bytes(256 * 1024):
                        if len(head) < SNIFF_BYTES:
                            head += chunk[: SNIFF_BYTES - len(head)]
                            # Refuse an error page before reading all of it.
                            if len(head) >= SNIFF_BYTES:
                                self._check(head, MAX_BYTES, kind, url)
                        size += len(chunk)
                        if size > self._max_bytes:
                            raise SourceFailed(
                                AssetReason.BAD_CONTENT, f"{shown_url(url)} is over {self._max_bytes} bytes"
                            )
                        digest.update(chunk)
                        await asyncio.to_thread(out.write, chunk)
        except httpx.HTTPError as error:
            raise SourceFailed(
                AssetReason.DOWNLOAD_FAILED, f"{shown_url(url)} failed: {type(error).__name__}"
            ) from None
        media = self._check(head, size, kind, url)
        return Fetched(staged, size, digest.hexdigest(), media)

    @staticmethod
    def _check(head: bytes, size: int, kind: AssetKind, url: str) -> MediaType:
        try:
            return check_media(head, size, kind)
        except NotMedia as error:
            raise SourceFailed(AssetReason.BAD_CONTENT, f"{shown_url(url)}: {error}") from None
