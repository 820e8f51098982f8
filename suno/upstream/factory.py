"""build_upstream: the account pool the composition root wires in, from Settings alone."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import httpx

from suno.config import Settings
from suno.observer import NO_OBSERVER, Observer
from suno.upstream.account_config import AccountConfig, load_account_configs
from suno.upstream.clerk import ClerkAuth
from suno.upstream.client import SunoClient
from suno.upstream.http import build_http_client, web_app_headers
from suno.upstream.pool import AccountPool
from suno.upstream.pooled_account import PooledAccount
from suno.upstream.profiles import ProtocolChoice, protocol_choice
from suno.upstream.types import CaptchaTokenProvider

logger = logging.getLogger("suno.upstream")
# Suno suspended this host: it answers 503 "Service Suspended" to everything.
SUSPENDED_HOST = "studio-api.suno.ai"


def build_upstream(
    settings: Settings,
    *,
    http_client: httpx.AsyncClient | None = None,
    captcha: CaptchaTokenProvider | None = None,
    clock: Callable[[], float] = time.time,
    observer: Observer = NO_OBSERVER,
) -> AccountPool:
    """One ClerkAuth + SunoClient per account. Without `http_client`, each account gets its own
    (separate cookie jars, so one account's cookies never travel with another's requests).
    `observer` hears of every token refresh."""
    warn_suspended_host(settings.base_url)
    owned: list[httpx.AsyncClient] = []
    accounts: list[PooledAccount] = []
    # One choice for the process: a fallback after a missing route applies to every account.
    protocol = protocol_choice(settings.suno_protocol)
    for config in load_account_configs(settings):
        http = http_client
        if http is None:
            http = build_http_client(settings)
            owned.append(http)
        client = build_client(settings, config, http, captcha, clock, observer, protocol=protocol)
        accounts.append(PooledAccount(config, client))
    return AccountPool(accounts, clock=clock, owned_clients=owned, default_model=settings.default_model)


def warn_suspended_host(base_url: str) -> bool:
    """Log a warning when BASE_URL names the suspended host; True when it did."""
    if SUSPENDED_HOST not in base_url.lower():
        return False
    logger.warning(
        "BASE_URL names %s, which Suno suspended (it answers 503 'Service Suspended'); "
        "use https://studio-api-prod.suno.com",
        SUSPENDED_HOST,
    )
    return True


def build_client(
    settings: Settings,
    config: AccountConfig,
    http: httpx.AsyncClient,
    captcha: CaptchaTokenProvider | None = None,
    clock: Callable[[], float] = time.time,
    observer: Observer = NO_OBSERVER,
    *,
    protocol: ProtocolChoice | None = None,
) -> SunoClient:
    device_id = config.device_id or settings.device_id
    auth = ClerkAuth(
        cookie=config.cookie,
        session_id=config.session_id,
        account=config.name,
        http=http,
        exchange_token_url=settings.exchange_token_url,
        clerk_client_url=settings.clerk_client_url,
        headers=web_app_headers(device_id),
        clock=clock,
        observer=observer,
    )
    return SunoClient(
        auth=auth,
        http=http,
        base_url=settings.base_url,
        device_id=device_id,
        feed_batch_size=settings.feed_batch_size,
        protocol=protocol or protocol_choice(settings.suno_protocol),
        captcha=captcha,
    )
