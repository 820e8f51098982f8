from __future__ import annotations

import asyncio
import itertools

import httpx
import pytest

from suno.errors import AuthExpired, CaptchaRequired, RateLimited, UpstreamUnavailable
from suno.observer import Observer

from .conftest import (
    CLERK,
    CLIENT_COOKIE,
    COOKIE,
    SESSION_ID,
    FakeClock,
    exchange_route,
    make_auth,
    make_jwt,
)

TOKENS = f"{CLERK}/v1/client/sessions/{SESSION_ID}/tokens"


def assert_no_secret(message: str) -> None:
    for secret in (COOKIE, CLIENT_COOKIE, SESSION_ID):
        assert secret not in message


async def test_exchange_sends_cookie_and_returns_jwt(http, clock, mocked):
    route = exchange_route(mocked, clock)
    auth = make_auth(http, clock)
    token = await auth.token()
    assert token.count(".") == 2
    request = route.calls.last.request
    assert request.headers["cookie"] == COOKIE
    assert request.headers["authorization"] == CLIENT_COOKIE
    assert auth.exchange_count == 1 and auth.last_exchange == clock()


async def test_set_cookie_from_clerk_is_merged_into_the_cookie(http, clock, mocked):
    mocked.post(url__startswith=TOKENS).mock(
        return_value=httpx.Response(
            200,
            json={"jwt": make_jwt(clock() + 60)},
            headers=[
                ("set-cookie", "__client_uat=1800000001; Path=/"),
                ("set-cookie", "__session=new; Secure"),
            ],
        )
    )
    auth = make_auth(http, clock)
    await auth.token()
    assert "__client_uat=1800000001" in auth.cookie
    assert "__session=new" in auth.cookie
    assert f"__client={CLIENT_COOKIE}" in auth.cookie


async def test_session_id_is_discovered_from_the_cookie_alone(http, clock, mocked):
    lookup = mocked.get(url__startswith=f"{CLERK}/v1/client").mock(
        return_value=httpx.Response(200, json={"response": {"last_active_session_id": SESSION_ID}})
    )
    exchange_route(mocked, clock)
    auth = make_auth(http, clock, session_id="")
    await auth.token()
    assert auth.session_id == SESSION_ID
    assert lookup.call_count == 1
    assert lookup.calls.last.request.headers["authorization"] == CLIENT_COOKIE


async def test_cookie_without_session_tells_operator_to_copy_a_fresh_cookie(http, clock, mocked):
    mocked.get(url__startswith=f"{CLERK}/v1/client").mock(
        return_value=httpx.Response(200, json={"response": None, "client": None})
    )
    auth = make_auth(http, clock, session_id="")
    with pytest.raises(AuthExpired) as caught:
        await auth.token()
    assert "fresh COOKIE" in str(caught.value)
    assert_no_secret(str(caught.value))


async def test_clerk_requires_captcha_becomes_captcha_required(http, clock, mocked):
    body = {
        "errors": [
            {
                "message": "CAPTCHA verification is required",
                "long_message": "CAPTCHA verification is required",
                "code": "requires_captcha",
            }
        ],
        "clerk_trace_id": "abc",
    }
    mocked.post(url__startswith=TOKENS).mock(return_value=httpx.Response(403, json=body))
    auth = make_auth(http, clock)
    with pytest.raises(CaptchaRequired) as caught:
        await auth.token()
    message = str(caught.value)
    assert "log in to suno.com" in message and "create one song" in message
    assert_no_secret(message)


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, AuthExpired), (404, AuthExpired), (429, RateLimited), (500, UpstreamUnavailable)],
)
async def test_clerk_http_errors_are_typed(http, clock, mocked, status, error):
    message = f"Session {SESSION_ID} not found"
    mocked.post(url__startswith=TOKENS).mock(
        return_value=httpx.Response(status, json={"errors": [{"long_message": message, "code": "x"}]})
    )
    with pytest.raises(error) as caught:
        await make_auth(http, clock).token()
    assert_no_secret(str(caught.value))


async def test_unreachable_clerk_is_upstream_unavailable(http, clock, mocked):
    mocked.post(url__startswith=TOKENS).mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(UpstreamUnavailable):
        await make_auth(http, clock).token()


async def test_hundred_concurrent_callers_with_expired_token_cause_one_exchange(http, clock, mocked):
    route = exchange_route(mocked, clock)
    auth = make_auth(http, clock)
    await auth.token()
    clock.advance(3600)  # the token is long expired
    tokens = await asyncio.gather(*(auth.token() for _ in range(100)))
    assert route.call_count == 2
    assert len(set(tokens)) == 1


async def test_a_failed_exchange_is_not_retried_in_a_tight_loop(http, clock, mocked):
    route = mocked.post(url__startswith=TOKENS).mock(return_value=httpx.Response(500))
    auth = make_auth(http, clock)
    results = await asyncio.gather(*(auth.token() for _ in range(50)), return_exceptions=True)
    assert all(isinstance(result, UpstreamUnavailable) for result in results)
    assert route.call_count == 1
    clock.advance(auth._min_interval)
    with pytest.raises(UpstreamUnavailable):
        await auth.token()
    assert route.call_count == 2


async def test_short_lived_tokens_over_an_hour_refresh_only_near_expiry(http, clock, mocked):
    exchanged_at: list[float] = []

    def issue(request: httpx.Request) -> httpx.Response:
        exchanged_at.append(clock())
        return httpx.Response(200, json={"jwt": make_jwt(clock() + 60)})

    mocked.post(url__startswith=TOKENS).mock(side_effect=issue)
    auth = make_auth(http, clock)
    start = clock()
    while clock() - start < 3600:
        await auth.token()  # a busy caller: one request every second
        clock.advance(1)
    gaps = [later - earlier for earlier, later in itertools.pairwise(exchanged_at)]
    # 60 s tokens renewed 15 s before expiry: every 45 s, never sooner than the minimum interval.
    assert len(exchanged_at) <= 3600 // 45 + 1
    assert min(gaps) >= 45


async def test_long_lived_tokens_over_an_hour_follow_the_thirty_minute_keepalive(http, clock, mocked):
    route = exchange_route(mocked, clock, ttl=24 * 3600)
    auth = make_auth(http, clock)
    for _ in range(360):  # one call every 10 s for an hour
        await auth.token()
        clock.advance(10)
    assert route.call_count == 2


async def test_opaque_token_without_exp_lives_until_keepalive(http, clock, mocked):
    route = mocked.post(url__startswith=TOKENS).mock(return_value=httpx.Response(200, json={"jwt": "opaque"}))
    auth = make_auth(http, clock)
    await auth.token()
    clock.advance(1799)
    await auth.token()
    assert route.call_count == 1
    clock.advance(1)
    await auth.token()
    assert route.call_count == 2


async def test_rejected_token_is_exchanged_once_for_many_callers(http, clock, mocked):
    route = exchange_route(mocked, clock)
    auth = make_auth(http, clock)
    old = await auth.token()
    clock.advance(20)  # past the minimum interval
    fresh = await asyncio.gather(*(auth.refresh_rejected(old) for _ in range(20)))
    assert route.call_count == 2
    assert set(fresh) == {auth.jwt} and auth.jwt != old


async def test_rejection_right_after_an_exchange_does_not_exchange_again(http, clock, mocked):
    route = exchange_route(mocked, clock)
    auth = make_auth(http, clock)
    token = await auth.token()
    with pytest.raises(AuthExpired) as caught:
        await auth.refresh_rejected(token)
    assert route.call_count == 1
    assert "fresh COOKIE" in str(caught.value)


async def test_expired_token_within_min_interval_waits_instead_of_hammering(http, clock: FakeClock, mocked):
    route = exchange_route(mocked, clock, ttl=2)  # a token shorter-lived than the minimum interval
    auth = make_auth(http, clock)
    await auth.token()
    clock.advance(3)
    await auth.token()
    assert route.call_count == 2
    assert clock.slept and sum(clock.slept) >= 10 - 3 - 0.001


async def test_each_exchange_is_reported_to_the_observer_by_account(http, clock, mocked):
    class Refreshes(Observer):
        def __init__(self) -> None:
            self.accounts: list[str] = []

        def token_refreshed(self, account: str) -> None:
            self.accounts.append(account)

    exchange_route(mocked, clock)
    observer = Refreshes()
    auth = make_auth(http, clock, account="alice", observer=observer)
    await auth.token()
    await auth.token()  # still fresh: no exchange
    clock.advance(3600)
    await auth.token()
    assert observer.accounts == ["alice", "alice"] == ["alice"] * auth.exchange_count
