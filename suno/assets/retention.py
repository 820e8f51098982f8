"""Retention: removes mirrored files past ASSET_MAX_AGE_DAYS, then the oldest past ASSET_MAX_BYTES."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from suno.assets.model import Asset, AssetReason, AssetState
from suno.assets.storage import AssetStorage
from suno.store.asset_store import AssetStore

log = logging.getLogger("suno.assets")
DAY = 86_400.0


class Retention:
    def __init__(
        self,
        store: AssetStore,
        storage: AssetStorage,
        *,
        max_bytes: int = 0,
        max_age_days: float = 0.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.storage = storage
        self.max_bytes = max_bytes
        self.max_age = max_age_days * DAY
        self._clock = clock

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0 or self.max_age > 0

    async def enforce(self) -> int:
        """Remove what the limits exclude; returns how many files went."""
        if not self.enabled:
            return 0
        removed = 0
        oldest = await self.store.ready_oldest_first()
        total = await self.store.ready_bytes() if self.max_bytes else 0
        cutoff = self._clock() - self.max_age if self.max_age else None
        for asset in oldest:
            too_old = cutoff is not None and asset.updated_at < cutoff
            too_big = self.max_bytes > 0 and total > self.max_bytes
            if not (too_old or too_big):
                break  # oldest first: nothing after this one is excluded either
            await self._remove(asset)
            total -= asset.size or 0
            removed += 1
        if removed:
            log.info("retention removed %d mirrored files", removed)
        return removed

    async def _remove(self, asset: Asset) -> None:
        if asset.storage_key:
            await self.storage.delete(asset.storage_key)
        await self.store.update(
            asset.clip_id,
            asset.kind,
            state=AssetState.EXPIRED,
            reason=AssetReason.RETENTION,
            detail="removed by the retention limits",
            storage_key=None,
        )
