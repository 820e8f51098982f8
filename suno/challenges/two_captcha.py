"""A solver service speaking 2Captcha's JSON API (createTask / getTaskResult): 2Captcha, YesCaptcha, CapSolver…"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from suno.challenges.solvers import Deliver
from suno.challenges.tokens import CHALLENGE_PROVIDERS, HCAPTCHA, CaptchaToken
from suno.observer import NO_OBSERVER, Observer
from suno.redaction import Redactor

log = logging.getLogger("suno.challenges")

DEFAULT_URL = "https://api.2captcha.com"
# The page the web app shows the challenge on; solvers need it with the site key.
CHALLENGE_PAGE = "https://suno.com/create"
TASK_TYPES = {1: "HCaptchaTaskProxyless", 2: "TurnstileTaskProxyless"}


class SolveFailed(Exception):
    """The service refused or gave up; the message is safe to log (never the key)."""


@dataclass(frozen=True, slots=True)
class SolverOptions:
    url: str = DEFAULT_URL
    key: str = ""
    site_keys: dict[int, str] | None = None  # by captcha_version
    deadline: float = 180.0  # seconds one solve may take
    poll_interval: float = 5.0


class TwoCaptchaSolver:
    name = "2captcha"
    parks = True

    def __init__(
        self,
        options: SolverOptions,
        http: httpx.AsyncClient,
        *,
        observer: Observer = NO_OBSERVER,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._options = options
        self._http = http
        self._observer = observer
        self._sleep = sleep
        self._running: dict[str, asyncio.Task[None]] = {}
        self._redact = Redactor([options.key])

    def start(self, account: str, version: int, deliver: Deliver) -> None:
        running = self._running.get(account)
        if running is not None and not running.done():
            return
        self._running[account] = asyncio.create_task(
            self._solve_and_deliver(account, version, deliver), name=f"captcha-{account}"
        )

    async def aclose(self) -> None:
        for task in self._running.values():
            task.cancel()
        for task in self._running.values():
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._running.clear()
        await self._http.aclose()

    async def _solve_and_deliver(self, account: str, version: int, deliver: Deliver) -> None:
        started = time.perf_counter()
        try:
            token, cost = await asyncio.wait_for(self.solve(version), self._options.deadline)
        except (SolveFailed, TimeoutError, httpx.HTTPError) as exc:
            seconds = time.perf_counter() - started
            error = str(exc) if isinstance(exc, SolveFailed) else _describe(exc, self._options.deadline)
            self._observer.challenge_solved(self.name, seconds, None, error)
            log.warning("captcha solve for account %s failed after %.1f s: %s", account, seconds, error)
            return
        seconds = time.perf_counter() - started
        self._observer.challenge_solved(self.name, seconds, cost, None)
        log.info(
            "captcha (%s) for account %s solved in %.1f s, cost %s",
            CHALLENGE_PROVIDERS.get(version, version),
            account,
            seconds,
            "unknown" if cost is None else f"{cost:g}",
        )
        deliver(account, CaptchaToken(token, version))

    async def solve(self, version: int) -> tuple[str, float | None]:
        """One solve: the token and its cost."""
        site_key = (self._options.site_keys or {}).get(version, "")
        if not site_key:
            setting = "CAPTCHA_HCAPTCHA_SITEKEY" if version == HCAPTCHA else "CAPTCHA_TURNSTILE_SITEKEY"
            raise SolveFailed(f"{setting} is not set: the solver needs Suno's site key")
        task = {
            "type": TASK_TYPES.get(version, TASK_TYPES[HCAPTCHA]),
            "websiteURL": CHALLENGE_PAGE,
            "websiteKey": site_key,
        }
        created = await self._call("createTask", {"task": task})
        task_id = created.get("taskId")
        if task_id is None:
            raise SolveFailed("the solver returned no taskId")
        while True:
            await self._sleep(self._options.poll_interval)
            result = await self._call("getTaskResult", {"taskId": task_id})
            if result.get("status") != "ready":
                continue
            solution = result.get("solution")
            token = _token(solution)
            if token is None:
                raise SolveFailed("the solver's solution has no token")
            return token, _cost(result.get("cost"))

    async def _call(self, method: str, fields: dict[str, Any]) -> dict[str, Any]:
        url = f"{self._options.url.rstrip('/')}/{method}"
        response = await self._http.post(url, json={"clientKey": self._options.key, **fields})
        try:
            body = response.json()
        except ValueError:
            raise SolveFailed(f"{method}: HTTP {response.status_code}, not JSON") from None
        if not isinstance(body, dict):
            raise SolveFailed(f"{method}: the reply is not an object")
        if body.get("errorId") not in (0, None) or response.status_code >= 400:
            code = body.get("errorCode") or f"HTTP {response.status_code}"
            text = body.get("errorDescription") or ""
            raise SolveFailed(self._redact(f"{method}: {code} {text}".strip()))
        return body


def _token(solution: Any) -> str | None:
    # hCaptcha solutions carry gRecaptchaResponse, Turnstile's token; some services fill both.
    if not isinstance(solution, dict):
        return None
    for key in ("gRecaptchaResponse", "token"):
        value = solution.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _cost(raw: Any) -> float | None:
    try:
        return float(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def _describe(exc: BaseException, deadline: float) -> str:
    if isinstance(exc, TimeoutError):
        return f"no solution within the {deadline:g} s deadline"
    return f"cannot reach the solver ({type(exc).__name__})"
