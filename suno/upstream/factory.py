"""build_upstream: the account pool the composition root wires in, from Settings alone."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import httpx

from suno.challenges.alerts import WebhookAlerts, webhook_urls
from suno.challenges.desk import ChallengeDesk
from suno.challenges.health import AccountEvent, HealthBoard
from suno.challenges.solvers import ChallengeSolver, NoSolver, RelaySolver
from suno.challenges.two_captcha import SolverOptions, TwoCaptchaSolver
from suno.config import CaptchaSolver, Settings
from suno.observer import NO_OBSERVER, Observer
from suno.upstream.account_config import AccountConfig, load_account_configs
from suno.upstream.accounts_reload import AccountsFileReloader
from suno.upstream.clerk import ClerkAuth
from suno.upstream.client import SunoClient
from suno.upstream.http import build_http_client, web_app_headers
from suno.upstream.pool import AccountPool
from suno.upstream.pooled_account import PooledAccount
from suno.upstream.profiles import ProtocolChoice, protocol_choice
from suno.upstream.types import HCAPTCHA, TURNSTILE, CaptchaTokenProvider

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
    `observer` hears of every token refresh. Without `captcha`, the pool's ChallengeDesk (with the
    CAPTCHA_SOLVER) supplies the tokens."""
    solver = build_solver(settings, observer)
    desk = ChallengeDesk(solver, check_interval=settings.captcha_check_interval, clock=clock)
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
        client = build_client(settings, config, http, captcha or desk, clock, observer, protocol=protocol)
        accounts.append(PooledAccount(config, client))
    board = HealthBoard(clock)
    board.add_listener(lambda event: _report(observer, event))
    pool = AccountPool(
        accounts,
        clock=clock,
        owned_clients=owned,
        desk=desk,
        board=board,
        download_reserve=settings.asset_download_reserve,
        default_model=settings.default_model,
    )
    pool.closers.append(solver.aclose)
    urls = webhook_urls(settings.alert_webhook_url)
    if urls:
        alerts = WebhookAlerts(urls, httpx.AsyncClient(proxy=settings.proxy or None))
        board.add_listener(alerts)
        pool.closers.append(alerts.aclose)
    if settings.accounts_file:
        pool.reloader = AccountsFileReloader(settings, pool.apply_configs)
    return pool


def build_solver(settings: Settings, observer: Observer = NO_OBSERVER) -> ChallengeSolver:
    if settings.captcha_solver is CaptchaSolver.RELAY:
        return RelaySolver()
    if settings.captcha_solver is CaptchaSolver.TWO_CAPTCHA:
        options = SolverOptions(
            url=settings.captcha_solver_url,
            key=settings.captcha_solver_key,
            site_keys={
                HCAPTCHA: settings.captcha_hcaptcha_sitekey,
                TURNSTILE: settings.captcha_turnstile_sitekey,
            },
            deadline=settings.captcha_solve_timeout,
            poll_interval=settings.captcha_poll_interval,
        )
        http = httpx.AsyncClient(proxy=settings.proxy or None, timeout=httpx.Timeout(30.0))
        return TwoCaptchaSolver(options, http, observer=observer)
    return NoSolver()


def _report(observer: Observer, event: AccountEvent) -> None:
    previous = event.previous_state.value if event.previous_state else None
    observer.account_state_changed(event.account, event.state.value, previous)


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
