"""One authorised call to studio-api: bearer JWT, one re-auth on 401, retried reads, typed errors."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from suno.errors import (
    AuthExpired,
    CaptchaRequired,
    InsufficientCredits,
    RateLimited,
    SubmitOutcomeUnknown,
    UpstreamError,
    UpstreamProtocolError,
    UpstreamRejected,
    UpstreamUnavailable,
)
from suno.upstream.clerk import FRESH_COOKIE_HINT, ClerkAuth, Sleep
from suno.upstream.http import error_detail, retry_after_seconds

logger = logging.getLogger("suno.upstream")

CAPTCHA_DETAIL = "token validation failed"
# A proxy's answers that say nothing about whether the request reached Suno.
LOST_ANSWER_STATUSES = frozenset({502, 503, 504})


class Requester:
    def __init__(
        self,
        *,
        auth: ClerkAuth,
        http: httpx.AsyncClient,
        base_url: str,
        headers: Mapping[str, str],
        fresh_headers: Callable[[], Mapping[str, str]] | None = None,
        read_attempts: int = 3,
        retry_backoff: float = 0.5,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.auth = auth
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._headers = dict(headers)
        self._fresh_headers = fresh_headers
        self._read_attempts = max(read_attempts, 1)
        self._retry_backoff = retry_backoff
        self._sleep = sleep

    @property
    def account(self) -> str:
        return self.auth.account

    def set_header(self, name: str, value: str) -> None:
        self._headers[name] = value

    @property
    def http(self) -> httpx.AsyncClient:
        return self._http

    async def call(
        self,
        method: str,
        path: str,
        what: str,
        *,
        body: Any = None,
        idempotent: bool = True,
        paid: bool = False,
    ) -> Any:
        """Send and decode; `idempotent=False` (generate) is sent once: a retry could charge twice.

        `paid=True`: an answer lost after the request went out (a read timeout, a reset, a proxy's
        502/503/504, a 200 that is not JSON) raises SubmitOutcomeUnknown: it may have been charged.
        """
        if paid:
            return await self._paid_call(method, path, what, body)
        attempts = self._read_attempts if idempotent else 1
        for attempt in range(1, attempts + 1):
            try:
                return await self._call_with_reauth(method, path, what, body)
            except UpstreamUnavailable:
                if attempt == attempts:
                    raise
                await self._sleep(self._retry_backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    async def _paid_call(self, method: str, path: str, what: str, body: Any) -> Any:
        lost = f"account {self.account!r}: the {what} was sent but its answer was lost"
        try:
            return await self._call_with_reauth(method, path, what, body, paid=True)
        except UpstreamProtocolError as exc:
            raise SubmitOutcomeUnknown(f"{lost} ({exc.message})", self.account, exc.status_code) from None
        except UpstreamUnavailable as exc:
            if exc.status_code in LOST_ANSWER_STATUSES:
                raise SubmitOutcomeUnknown(f"{lost} ({exc.message})", self.account, exc.status_code) from None
            raise

    async def _call_with_reauth(
        self, method: str, path: str, what: str, body: Any, *, paid: bool = False
    ) -> Any:
        jwt = await self.auth.token()
        response = await self._send(method, path, what, body, jwt, paid=paid)
        if response.status_code == 401:
            jwt = await self.auth.refresh_rejected(jwt)
            response = await self._send(method, path, what, body, jwt, paid=paid)
            if response.status_code == 401:
                raise AuthExpired(
                    f"account {self.account!r}: Suno refused the {what} with a fresh token (HTTP 401); "
                    f"{FRESH_COOKIE_HINT}",
                    status_code=401,
                )
        if response.status_code >= 400:
            raise self._error(response, what)
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
            raise UpstreamProtocolError(
                f"account {self.account!r}: Suno's {what} reply is not valid JSON "
                f"(HTTP {response.status_code}, {len(response.content)} bytes)",
                response.status_code,
            ) from None

    async def _send(
        self, method: str, path: str, what: str, body: Any, jwt: str, *, paid: bool = False
    ) -> httpx.Response:
        headers = {**self._headers, "Authorization": f"Bearer {jwt}"}
        if self._fresh_headers is not None:
            headers.update(self._fresh_headers())
        started = time.perf_counter()
        try:
            if body is None:
                response = await self._http.request(method, self._base_url + path, headers=headers)
            else:
                response = await self._http.request(method, self._base_url + path, headers=headers, json=body)
        except httpx.TransportError as exc:
            logger.debug("suno %s for account %s failed: %s", what, self.account, type(exc).__name__)
            # Connecting failed: nothing was sent, so even a paid call is merely unavailable.
            if paid and not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
                raise SubmitOutcomeUnknown(
                    f"account {self.account!r}: the {what} was sent but its answer was lost "
                    f"({type(exc).__name__})",
                    self.account,
                ) from None
            if isinstance(exc, httpx.TimeoutException):
                raise UpstreamUnavailable(f"account {self.account!r}: Suno's {what} timed out") from None
            raise UpstreamUnavailable(
                f"account {self.account!r}: cannot reach Suno for the {what} ({type(exc).__name__})"
            ) from None
        logger.debug(
            "suno %s %s for account %s: HTTP %s in %.0f ms",
            method,
            path.split("?", 1)[0],
            self.account,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response

    def _error(self, response: httpx.Response, what: str) -> UpstreamError:
        status = response.status_code
        detail = error_detail(response, self.auth.redact)
        prefix = f"account {self.account!r}: Suno refused the {what} (HTTP {status}: {detail})"
        if status == 402:
            return InsufficientCredits(f"{prefix}; the account has not enough credits left", status)
        if status == 422 and CAPTCHA_DETAIL in detail.lower():
            return CaptchaRequired(
                f"{prefix}; Suno wants a captcha before generating: {FRESH_COOKIE_HINT}", status
            )
        if status == 429:
            retry_after = retry_after_seconds(response)
            hint = f"retry after {retry_after:g} s" if retry_after is not None else "slow down"
            return RateLimited(f"{prefix}; too many requests or running jobs, {hint}", retry_after, status)
        if status >= 500:
            return UpstreamUnavailable(prefix, status)
        return UpstreamRejected(prefix, status)
