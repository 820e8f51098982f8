"""One authorised call to studio-api: bearer JWT, one re-auth on 401, retried reads, typed errors."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Mapping
from typing import Any

import httpx

from suno.errors import (
    AuthExpired,
    CaptchaRequired,
    InsufficientCredits,
    RateLimited,
    UpstreamError,
    UpstreamProtocolError,
    UpstreamRejected,
    UpstreamUnavailable,
)
from suno.upstream.clerk import FRESH_COOKIE_HINT, ClerkAuth, Sleep
from suno.upstream.http import error_detail, retry_after_seconds

logger = logging.getLogger("suno.upstream")

CAPTCHA_DETAIL = "token validation failed"


class Requester:
    def __init__(
        self,
        *,
        auth: ClerkAuth,
        http: httpx.AsyncClient,
        base_url: str,
        headers: Mapping[str, str],
        read_attempts: int = 3,
        retry_backoff: float = 0.5,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.auth = auth
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._headers = dict(headers)
        self._read_attempts = max(read_attempts, 1)
        self._retry_backoff = retry_backoff
        self._sleep = sleep

    @property
    def account(self) -> str:
        return self.auth.account

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
    ) -> Any:
        """Send and decode; `idempotent=False` (generate) is sent once: a retry could charge twice."""
        attempts = self._read_attempts if idempotent else 1
        for attempt in range(1, attempts + 1):
            try:
                return await self._call_with_reauth(method, path, what, body)
            except UpstreamUnavailable:
                if attempt == attempts:
                    raise
                await self._sleep(self._retry_backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    async def _call_with_reauth(self, method: str, path: str, what: str, body: Any) -> Any:
        jwt = await self.auth.token()
        response = await self._send(method, path, what, body, jwt)
        if response.status_code == 401:
            jwt = await self.auth.refresh_rejected(jwt)
            response = await self._send(method, path, what, body, jwt)
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

    async def _send(self, method: str, path: str, what: str, body: Any, jwt: str) -> httpx.Response:
        headers = {**self._headers, "Authorization": f"Bearer {jwt}"}
        started = time.perf_counter()
        try:
            if body is None:
                response = await self._http.request(method, self._base_url + path, headers=headers)
            else:
                response = await self._http.request(method, self._base_url + path, headers=headers, json=body)
        except httpx.TimeoutException:
            logger.debug("suno %s for account %s timed out", what, self.account)
            raise UpstreamUnavailable(f"account {self.account!r}: Suno's {what} timed out") from None
        except httpx.TransportError as exc:
            logger.debug("suno %s for account %s failed: %s", what, self.account, type(exc).__name__)
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
