"""The account resolver: the pool's credits and health, never its secrets."""

from __future__ import annotations

import time
from typing import Annotated

import strawberry

from schema.account import Account
from schema.context import Info


async def account(
    info: Info,
    refresh: Annotated[
        bool, strawberry.argument(description="Ask Suno's billing now instead of the cache.")
    ] = False,
) -> Account:
    return Account.from_domain(await info.context.service.account(refresh=refresh), time.time())
