"""DeviceIdStore: each account's persistent `device-id`, made once and kept, as a browser keeps its own."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from suno.store.outages import reports_outages
from suno.store.tables import account_devices


@reports_outages
class DeviceIdStore:
    def __init__(self, engine: AsyncEngine, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self._clock = clock

    async def device_id(self, account: str) -> str:
        """The account's device id; the first caller (of any replica) makes it, the others read it."""
        if (known := await self._read(account)) is not None:
            return known
        try:
            async with self.engine.begin() as conn:
                await conn.execute(
                    account_devices.insert().values(
                        account=account, device_id=str(uuid.uuid4()), created_at=self._clock()
                    )
                )
        except IntegrityError:
            pass  # another replica made it first: theirs is the one
        made = await self._read(account)
        assert made is not None
        return made

    async def _read(self, account: str) -> str | None:
        query = sa.select(account_devices.c.device_id).where(account_devices.c.account == account)
        async with self.engine.connect() as conn:
            value = (await conn.execute(query)).scalar_one_or_none()
        return str(value) if value is not None else None
