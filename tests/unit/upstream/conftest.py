"""Fixtures for the upstream unit tests: a fake clock, JWTs with a chosen expiry, a respx-mocked Suno."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import respx

from suno.upstream.clerk import ClerkAuth
from suno.upstream.client import SunoClient

BASE = "https://studio.test"
CLERK = "https://clerk.test"
EXCHANGE_URL = f"{CLERK}/v1/client/sessions/%s/tokens?_clerk_js_version=5.117.0"
CLIENT_URL = f"{CLERK}/v1/client?_clerk_js_version=5.117.0"
SESSION_ID = "sess_2abcdefghijklmnop"
CLIENT_COOKIE = "client_secret_value_123456"
COOKIE = f"__client={CLIENT_COOKIE}; __client_uat=1700000000; ajs_anonymous_id=abc"


class FakeClock:
    """Wall-clock stand-in: tests move time by hand; `sleep` advances it instead of waiting."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def make_jwt(exp: float | None, **claims: object) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    payload: dict[str, object] = {"sid": SESSION_ID, **claims}
    if exp is not None:
        payload["exp"] = exp
    return f"{part({'alg': 'RS256'})}.{part(payload)}.signature"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def mocked() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


def make_auth(http: httpx.AsyncClient, clock: FakeClock, **options: object) -> ClerkAuth:
    defaults: dict[str, object] = {
        "cookie": COOKIE,
        "session_id": SESSION_ID,
        "http": http,
        "exchange_token_url": EXCHANGE_URL,
        "clerk_client_url": CLIENT_URL,
        "clock": clock,
        "sleep": clock.sleep,
    }
    defaults.update(options)
    return ClerkAuth(**defaults)  # type: ignore[arg-type]


def exchange_route(router: respx.MockRouter, clock: FakeClock, ttl: float = 60.0) -> respx.Route:
    """Clerk's token endpoint, issuing a new JWT (valid `ttl` seconds) per call."""
    counter = {"n": 0}

    def issue(request: httpx.Request) -> httpx.Response:
        counter["n"] += 1
        return httpx.Response(200, json={"jwt": make_jwt(clock() + ttl, n=counter["n"])})

    return router.post(url__startswith=f"{CLERK}/v1/client/sessions/{SESSION_ID}/tokens").mock(
        side_effect=issue
    )


@pytest.fixture
def client(http: httpx.AsyncClient, clock: FakeClock, mocked: respx.MockRouter) -> SunoClient:
    exchange_route(mocked, clock)
    auth = make_auth(http, clock)
    return SunoClient(
        auth=auth,
        http=http,
        base_url=BASE,
        device_id="device-1234",
        feed_batch_size=2,
        protocol="legacy",
        sleep=clock.sleep,
    )
