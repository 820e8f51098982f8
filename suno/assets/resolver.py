"""Suno's download resolver and WAV conversion, with the account that made the clip.

Unlocking a clip spends the plan's monthly download allowance, so it happens only when the operator
enabled ASSET_AUTO_UNLOCK, never below ASSET_DOWNLOAD_RESERVE, and one account at a time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from suno.assets.model import AssetReason
from suno.errors import UpstreamError
from suno.upstream.client import DownloadReply, SunoClient

log = logging.getLogger("suno.assets")

Sleep = Callable[[float], Awaitable[Any]]
POLL_SECONDS = 2.5  # how often Suno's web app asks again while a download is "processing"
MAX_POLLS = 24  # a minute at the web app's pace


class AssetUnavailable(Exception):
    """Suno will not give this media (not unlocked, the allowance reserve reached): no retry helps."""

    def __init__(self, reason: AssetReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class SourceFailed(Exception):
    """This source did not give the media this time; another source or a later attempt may."""

    def __init__(self, reason: AssetReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class DownloadResolver:
    def __init__(
        self,
        clients: Callable[[str], SunoClient],
        *,
        auto_unlock: bool,
        reserve: int,
        poll_seconds: float = POLL_SECONDS,
        max_polls: int = MAX_POLLS,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._clients = clients
        self.auto_unlock = auto_unlock
        self.reserve = reserve
        self._poll_seconds = poll_seconds
        self._max_polls = max_polls
        self._sleep = sleep
        self._unlock_locks: dict[str, asyncio.Lock] = {}

    async def download_url(
        self, account: str, clip_id: str, media_format: str = "mp3", unlock_id: str | None = None
    ) -> str:
        """A presigned URL for the clip; unlocks it first when allowed and needed. `unlock_id`: the clip
        whose unlock covers this one (a stem's song), so a song and its stems spend one download."""
        client = self._client(account)
        reply = await self._poll(lambda: client.download_link(clip_id, media_format))
        if not reply.ok and reply.reason == "not_authorized":
            await self._unlock(account, client, unlock_id or clip_id)
            reply = await self._poll(lambda: client.download_link(clip_id, media_format))
        if reply.ok and reply.url:
            return reply.url
        if reply.reason == "not_authorized":
            raise AssetUnavailable(
                AssetReason.NOT_UNLOCKED, "Suno says the clip is not unlocked for download"
            )
        raise SourceFailed(
            AssetReason.DOWNLOAD_FAILED,
            f"the download resolver gave no URL ({reply.reason or reply.status or 'no reason'})",
        )

    async def wav_url(self, account: str, clip_id: str) -> str:
        client = self._client(account)
        try:
            await client.convert_wav(clip_id)
            for _ in range(self._max_polls):
                url = await client.wav_file_url(clip_id)
                if url:
                    return url
                await self._sleep(self._poll_seconds)
        except UpstreamError as error:
            raise SourceFailed(AssetReason.DOWNLOAD_FAILED, error.message) from None
        raise SourceFailed(AssetReason.DOWNLOAD_FAILED, "Suno's WAV conversion did not finish in time")

    def _client(self, account: str) -> SunoClient:
        try:
            return self._clients(account)
        except UpstreamError as error:
            raise SourceFailed(AssetReason.DOWNLOAD_FAILED, error.message) from None

    async def _poll(self, ask: Callable[[], Awaitable[DownloadReply]]) -> DownloadReply:
        try:
            for _ in range(self._max_polls):
                reply = await ask()
                if reply.status != "processing" or reply.url:
                    return reply
                await self._sleep(self._poll_seconds)
        except UpstreamError as error:
            raise SourceFailed(AssetReason.DOWNLOAD_FAILED, error.message) from None
        raise SourceFailed(AssetReason.DOWNLOAD_FAILED, "Suno kept preparing the download for too long")

    async def _unlock(self, account: str, client: SunoClient, clip_id: str) -> None:
        if not self.auto_unlock:
            raise AssetUnavailable(
                AssetReason.NOT_UNLOCKED,
                "the clip is not unlocked for download and ASSET_AUTO_UNLOCK is off",
            )
        # One unlock at a time per account: two at once could both pass the reserve check.
        async with self._unlock_locks.setdefault(account, asyncio.Lock()):
            try:
                billing = await client.billing()
                remaining = self._remaining(billing.raw)
                if remaining is None and self.reserve > 0:
                    raise AssetUnavailable(
                        AssetReason.ALLOWANCE_RESERVE,
                        "Suno did not say how many downloads are left, so the reserve cannot be kept",
                    )
                if remaining is not None and remaining <= self.reserve:
                    raise AssetUnavailable(
                        AssetReason.ALLOWANCE_RESERVE,
                        f"{remaining} downloads left, at or below the reserve of {self.reserve}",
                    )
                reply = await client.authorize_download(clip_id)
            except UpstreamError as error:
                raise SourceFailed(AssetReason.DOWNLOAD_FAILED, error.message) from None
            if not reply.ok:
                raise AssetUnavailable(
                    AssetReason.NOT_UNLOCKED,
                    f"Suno refused to unlock the clip ({reply.reason or 'no reason'})",
                )
            log.info("unlocked clip %s for download with account %s", clip_id, account)

    @staticmethod
    def _remaining(billing: Any) -> int | None:
        usage = _count(billing.get("download_usage"))
        limit = _count(billing.get("download_limit"))
        if usage is None or limit is None:
            return None
        return limit - usage
