"""The account resolver: the pool's credits and health, never its secrets."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from schema.account import Account, AccountEvent, SunoAccount
from schema.context import Info


async def account(
    info: Info,
    refresh: Annotated[
        bool, strawberry.argument(description="Ask Suno's billing now instead of the cache.")
    ] = False,
) -> Account:
    return Account.from_domain(await info.context.service.account(refresh=refresh), time.time())


AccountName = Annotated[str, strawberry.argument(description="The account's name in sunoql's pool.")]


async def solve_challenge(
    info: Info,
    account: AccountName,
    token: Annotated[str, strawberry.argument(description="The solved challenge's token.")],
    provider: Annotated[
        int, strawberry.argument(description="1 hCaptcha, 2 Turnstile (Suno's captcha_version).")
    ],
) -> SunoAccount:
    status = await info.context.service.solve_challenge(account, token, provider)
    return SunoAccount.from_domain(status, time.time())


async def update_account(
    info: Info,
    name: AccountName,
    cookie: Annotated[
        str, strawberry.argument(description="The Cookie header of a logged-in suno.com request.")
    ],
    session_id: Annotated[
        str | None, strawberry.argument(description="Clerk's session id (sess_…); looked up when null.")
    ] = None,
) -> SunoAccount:
    status = await info.context.service.update_account(name, cookie, session_id)
    return SunoAccount.from_domain(status, time.time())


async def account_events(info: Info) -> AsyncGenerator[AccountEvent, None]:
    async for event in info.context.service.account_events():
        yield AccountEvent.from_domain(event)
