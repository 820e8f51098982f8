"""The account resolver: the pool's credits and health, never its secrets."""

from __future__ import annotations

import time
from typing import Annotated

import strawberry

from resolvers.mapping import account_to_graphql
from schema import types
from schema.context import Info


async def account(
    info: Info,
    refresh: Annotated[
        bool, strawberry.argument(description="Ask Suno's billing now instead of the cache.")
    ] = False,
) -> types.Account:
    return account_to_graphql(await info.context.service.account(refresh=refresh), time.time())
