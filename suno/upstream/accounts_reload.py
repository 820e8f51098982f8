"""Re-reading ACCOUNTS_FILE when it changes (or on SIGHUP): new logins reach the pool without a restart."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Sequence

from suno.config import Settings
from suno.errors import SettingsError
from suno.upstream.account_config import AccountConfig, load_account_configs

log = logging.getLogger("suno.upstream")

Apply = Callable[[Sequence[AccountConfig]], Awaitable[list[str]]]


class AccountsFileReloader:
    def __init__(self, settings: Settings, apply: Apply) -> None:
        self._settings = settings
        self._apply = apply
        self._stamp = self._current_stamp()

    async def reload_if_changed(self) -> list[str]:
        stamp = await asyncio.to_thread(self._current_stamp)
        if stamp == self._stamp:
            return []
        self._stamp = stamp
        return await self.reload()

    async def reload(self) -> list[str]:
        """Read the file now; a file that does not parse leaves every account as it was."""
        try:
            configs = await asyncio.to_thread(load_account_configs, self._settings)
        except SettingsError as exc:
            log.warning("ACCOUNTS_FILE changed but cannot be used; the accounts stay as they were: %s", exc)
            return []
        changed = await self._apply(configs)
        log.info(
            "ACCOUNTS_FILE re-read: %s",
            f"updated {', '.join(changed)}" if changed else "no account's login changed",
        )
        return changed

    def _current_stamp(self) -> tuple[float, int] | None:
        try:
            info = os.stat(self._settings.accounts_file)
        except OSError:
            return None
        return (info.st_mtime, info.st_size)
