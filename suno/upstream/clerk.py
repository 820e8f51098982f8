"""Clerk auth: turn the browser's cookie into the short-lived JWT Suno wants, refreshing it sparingly."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

from suno.errors import (
    AuthExpired,
    CaptchaRequired,
    RateLimited,
    UpstreamError,
    UpstreamProtocolError,
    UpstreamUnavailable,
)
from suno.observer import NO_OBSERVER, Observer
from suno.redaction import Redactor
from suno.upstream.cookies import clerk_client_value, merge_set_cookie
from suno.upstream.http import error_detail, retry_after_seconds
from suno.upstream.jwt import jwt_expiry

logger = logging.getLogger("suno.upstream")

FRESH_COOKIE_HINT = (
    "log in to suno.com in a browser, create one song there by hand, "
    "then copy a fresh COOKIE (and SESSION_ID) into sunoql's settings or accounts file"
)
# The original refreshes every 30 minutes: Clerk blocks generation for clients that refresh too often.
KEEPALIVE_SECONDS = 30 * 60
MIN_EXCHANGE_INTERVAL = 10.0
EXPIRY_MARGIN = 15.0

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class ClerkAuth:
    """One account's Clerk session. `token()` is cheap and safe to call before every request.

    An exchange happens only when the JWT is near its `exp`, when the 30-minute keep-alive is due,
    or once after Suno answered 401; never twice within `min_interval`, never two at a time.
    """

    def __init__(
        self,
        *,
        cookie: str,
        http: httpx.AsyncClient,
        exchange_token_url: str,
        clerk_client_url: str,
        session_id: str = "",
        account: str = "default",
        headers: Mapping[str, str] | None = None,
        clock: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
        min_interval: float = MIN_EXCHANGE_INTERVAL,
        keepalive: float = KEEPALIVE_SECONDS,
        expiry_margin: float = EXPIRY_MARGIN,
        observer: Observer = NO_OBSERVER,
    ) -> None:
        self.account = account
        self._cookie = cookie
        self._configured_session_id = session_id
        self._session_id = session_id
        self._http = http
        self._exchange_token_url = exchange_token_url
        self._clerk_client_url = clerk_client_url
        self._headers = dict(headers or {})
        self._clock = clock
        self._sleep = sleep
        self._min_interval = min_interval
        self._keepalive = keepalive
        self._expiry_margin = expiry_margin
        self._observer = observer
        self._lock = asyncio.Lock()
        self._jwt = ""
        self._expires_at: float | None = None
        self._last_attempt: float | None = None
        self._last_failure: UpstreamError | None = None
        self.last_exchange: float | None = None
        self.exchange_count = 0
        self.redact = Redactor([cookie, session_id])
        self.redact.add(clerk_client_value(cookie) or "")

    @property
    def cookie(self) -> str:
        return self._cookie

    @property
    def session_id(self) -> str:
        return self._session_id

    @property
    def jwt(self) -> str:
        return self._jwt

    async def token(self) -> str:
        if self._is_fresh(self._clock()):
            return self._jwt
        async with self._lock:
            now = self._clock()
            if self._is_fresh(now):
                return self._jwt
            if self._too_soon(now):
                if self._last_failure is not None:
                    raise self._last_failure
                if self._jwt and not self._is_expired(now):
                    return self._jwt  # near expiry but still valid: better than hammering Clerk
                await self._sleep(self._wait_time(now))
            return await self._exchange()

    async def refresh_rejected(self, rejected: str) -> str:
        """Suno answered 401 to `rejected`: re-exchange once, unless someone already has."""
        async with self._lock:
            if self._jwt and self._jwt != rejected:
                return self._jwt
            now = self._clock()
            if self._too_soon(now):
                if self._last_failure is not None:
                    raise self._last_failure
                raise AuthExpired(
                    f"account {self.account!r}: Suno refused a token Clerk issued moments ago (HTTP 401); "
                    f"{FRESH_COOKIE_HINT}",
                    status_code=401,
                )
            return await self._exchange()

    async def refresh(self) -> str:
        """A new JWT now (the challenge flow refreshes once before asking again); never within min_interval."""
        async with self._lock:
            if self._jwt and self._too_soon(self._clock()):
                return self._jwt
            return await self._exchange()

    async def replace_credentials(self, cookie: str, session_id: str = "") -> None:
        """A new login in place: the next call exchanges a JWT with it; requests in flight finish as they are."""
        async with self._lock:
            self._cookie = cookie
            self._configured_session_id = session_id
            self._session_id = session_id
            self._jwt = ""
            self._expires_at = None
            self._last_attempt = None
            self._last_failure = None
            self.redact.add(cookie, session_id, clerk_client_value(cookie) or "")

    def _is_fresh(self, now: float) -> bool:
        if not self._jwt or self.last_exchange is None:
            return False
        if now - self.last_exchange >= self._keepalive:
            return False
        return self._expires_at is None or now < self._expires_at - self._expiry_margin

    def _is_expired(self, now: float) -> bool:
        return self._expires_at is not None and now >= self._expires_at

    def _too_soon(self, now: float) -> bool:
        return self._last_attempt is not None and now - self._last_attempt < self._min_interval

    def _wait_time(self, now: float) -> float:
        assert self._last_attempt is not None
        return max(self._last_attempt + self._min_interval - now, 0.0)

    async def _exchange(self) -> str:
        self._last_attempt = self._clock()
        try:
            if not self._session_id:
                self._session_id = await self._discover_session_id()
                self.redact.add(self._session_id)
            jwt = await self._request_token()
        except UpstreamError as exc:
            self._last_failure = exc
            raise
        self._last_failure = None
        self._jwt = jwt
        self.redact.add(jwt)
        self._expires_at = jwt_expiry(jwt)
        self.last_exchange = self._clock()
        self.exchange_count += 1
        self._observer.token_refreshed(self.account)
        return jwt

    def set_header(self, name: str, value: str) -> None:
        self._headers[name] = value

    def _clerk_headers(self) -> dict[str, str]:
        headers = {**self._headers, "Cookie": self._cookie}
        client = clerk_client_value(self._cookie)
        if client:
            # Clerk's web SDK sends the raw __client value (no "Bearer") outside the browser.
            headers["Authorization"] = client
        return headers

    async def _discover_session_id(self) -> str:
        body = await self._call("GET", self._clerk_client_url, "session lookup")
        response = body.get("response") if isinstance(body, dict) else None
        session_id = response.get("last_active_session_id") if isinstance(response, dict) else None
        if not isinstance(session_id, str) or not session_id:
            raise AuthExpired(
                f"account {self.account!r}: Clerk knows no active session for this cookie; "
                f"{FRESH_COOKIE_HINT}"
            )
        return session_id

    async def _request_token(self) -> str:
        url = self._exchange_token_url.replace("%s", self._session_id, 1)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        body = await self._call("POST", url, "token exchange", extra_headers=headers)
        jwt = body.get("jwt") if isinstance(body, dict) else None
        if not isinstance(jwt, str) or not jwt:
            raise AuthExpired(f"account {self.account!r}: Clerk returned no token; {FRESH_COOKIE_HINT}")
        return jwt

    async def _call(
        self, method: str, url: str, what: str, *, extra_headers: Mapping[str, str] | None = None
    ) -> Any:
        headers = {**self._clerk_headers(), **(extra_headers or {})}
        started = time.perf_counter()
        try:
            response = await self._http.request(method, url, headers=headers, content=b"")
        except httpx.TimeoutException:
            raise UpstreamUnavailable(f"account {self.account!r}: Clerk {what} timed out") from None
        except httpx.TransportError as exc:
            raise UpstreamUnavailable(
                f"account {self.account!r}: cannot reach Clerk for the {what} ({type(exc).__name__})"
            ) from None
        logger.debug(
            "clerk %s for account %s: HTTP %s in %.0f ms",
            what,
            self.account,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        self._absorb_cookies(response)
        if response.status_code >= 400:
            raise self._clerk_error(response, what)
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
            raise UpstreamProtocolError(
                f"account {self.account!r}: Clerk's {what} reply is not JSON"
            ) from None

    def _absorb_cookies(self, response: httpx.Response) -> None:
        set_cookies = response.headers.get_list("set-cookie")
        if set_cookies:
            self._cookie = merge_set_cookie(self._cookie, set_cookies)
            client = clerk_client_value(self._cookie)
            if client:
                self.redact.add(client)

    def _clerk_error(self, response: httpx.Response, what: str) -> UpstreamError:
        status = response.status_code
        detail = error_detail(response, self.redact)
        prefix = f"account {self.account!r}: Clerk {what} failed (HTTP {status}: {detail})"
        if _clerk_error_code(response) == "requires_captcha":
            return CaptchaRequired(f"{prefix}; Clerk wants a CAPTCHA: {FRESH_COOKIE_HINT}", status)
        if status == 429:
            return RateLimited(f"{prefix}; wait before retrying", retry_after_seconds(response), status)
        if status >= 500:
            return UpstreamUnavailable(prefix, status)
        if status in (401, 403, 404) and not self._configured_session_id:
            self._session_id = ""  # a discovered session may have rotated: look it up again next time
        return AuthExpired(f"{prefix}; {FRESH_COOKIE_HINT}", status)


def _clerk_error_code(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return None
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list):
        for error in errors:
            if isinstance(error, dict) and isinstance(error.get("code"), str):
                return str(error["code"])
    return None
