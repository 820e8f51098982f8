"""The challenge flow before a generate: check, refresh the JWT once, check again; tokens handed in."""

from __future__ import annotations

import httpx
import pytest
import respx

from suno.challenges.desk import ChallengeDesk
from suno.challenges.solvers import NoSolver, RelaySolver
from suno.errors import CaptchaRequired, ChallengePending, InvalidRequest
from suno.models import MusicRequest
from suno.upstream.client import SunoClient
from suno.upstream.types import HCAPTCHA, TURNSTILE, CaptchaToken

from .conftest import BASE, FakeClock, exchange_route, make_auth


def generate_reply() -> httpx.Response:
    clips = [{"id": f"clip-{i}", "status": "submitted"} for i in range(2)]
    return httpx.Response(200, json={"clips": clips})


def desk_and_client(
    http: httpx.AsyncClient, clock: FakeClock, solver: NoSolver | RelaySolver
) -> tuple[ChallengeDesk, SunoClient]:
    desk = ChallengeDesk(solver, check_interval=300.0, clock=clock)
    client = SunoClient(auth=make_auth(http, clock), http=http, base_url=BASE, captcha=desk)
    desk.attach("default", client)
    return desk, client


def checks(mocked: respx.MockRouter, clock: FakeClock, replies: list[dict[str, object]]) -> respx.Route:
    answers = iter(replies)

    def answer(request: httpx.Request) -> httpx.Response:
        clock.advance(30)  # past the exchange's minimum interval, so the refresh is a real one
        return httpx.Response(200, json=next(answers))

    return mocked.post(f"{BASE}/api/c/check").mock(side_effect=answer)


async def test_a_challenge_gone_after_the_jwt_refresh_needs_no_token(http, clock, mocked) -> None:
    exchanges = exchange_route(mocked, clock)
    check = checks(mocked, clock, [{"required": True, "captcha_version": 1}, {"required": False}])
    generate = mocked.post(f"{BASE}/api/generate/v2-web/").mock(return_value=generate_reply())
    desk, client = desk_and_client(http, clock, RelaySolver())
    await client.generate(MusicRequest(prompt="x"))
    assert check.call_count == 2 and exchanges.call_count == 2  # the first JWT, then the one refresh
    body = generate.calls[0].request.read()
    # The web app sends token and token_provider only when a challenge was required.
    assert b'"token"' not in body and b"token_provider" not in body
    assert desk.pending("default") is None


async def test_a_challenge_still_required_parks_the_generate_unsent(http, clock, mocked) -> None:
    exchange_route(mocked, clock)
    checks(mocked, clock, [{"required": True, "captcha_version": 2}] * 2)
    generate = mocked.post(f"{BASE}/api/generate/v2-web/").mock(return_value=generate_reply())
    desk, client = desk_and_client(http, clock, RelaySolver())
    with pytest.raises(ChallengePending, match="waiting for a captcha solution on account default"):
        await client.generate(MusicRequest(prompt="x"))
    assert generate.call_count == 0
    pending = desk.pending("default")
    assert pending is not None and pending.version == TURNSTILE


async def test_without_a_solver_a_challenge_is_a_captcha_refusal(http, clock, mocked) -> None:
    exchange_route(mocked, clock)
    checks(mocked, clock, [{"required": True, "captcha_version": 1}] * 2)
    _desk, client = desk_and_client(http, clock, NoSolver())
    with pytest.raises(CaptchaRequired, match="no CAPTCHA_SOLVER is set"):
        await client.generate(MusicRequest(prompt="x"))


async def test_a_handed_in_token_goes_with_the_next_generate_once(http, clock, mocked) -> None:
    exchange_route(mocked, clock)
    check = checks(mocked, clock, [{"required": False}] * 3)
    generate = mocked.post(f"{BASE}/api/generate/v2-web/").mock(return_value=generate_reply())
    desk, client = desk_and_client(http, clock, RelaySolver())
    heard: list[str] = []
    desk.on_token(heard.append)
    desk.require("default", HCAPTCHA)
    desk.hand_in("default", " P1_person-solved ", HCAPTCHA)
    assert heard == ["default"] and desk.pending("default") is None
    await client.generate(MusicRequest(prompt="x"))
    await client.generate(MusicRequest(prompt="y"))
    first, second = (call.request.read().replace(b" ", b"") for call in generate.calls)
    assert b'"token":"P1_person-solved","token_provider":1' in first
    assert b'"token"' not in second
    assert check.call_count == 1  # challenged recently: the second generate checked first


def test_a_token_for_an_unknown_account_or_provider_is_refused(http, clock) -> None:
    desk, _client = desk_and_client(http, clock, RelaySolver())
    with pytest.raises(InvalidRequest) as unknown:
        desk.hand_in("nobody", "P1_x", HCAPTCHA)
    assert unknown.value.field == "account"
    with pytest.raises(InvalidRequest) as provider:
        desk.hand_in("default", "P1_x", 3)
    assert provider.value.field == "provider"
    with pytest.raises(InvalidRequest):
        desk.hand_in("default", "two words", HCAPTCHA)


async def test_checks_run_every_interval_when_not_challenged(http, clock, mocked) -> None:
    exchange_route(mocked, clock)
    check = mocked.post(f"{BASE}/api/c/check").mock(
        return_value=httpx.Response(200, json={"required": False})
    )
    mocked.post(f"{BASE}/api/generate/v2-web/").mock(return_value=generate_reply())
    _desk, client = desk_and_client(http, clock, RelaySolver())
    await client.generate(MusicRequest(prompt="x"))
    clock.advance(100)
    await client.generate(MusicRequest(prompt="x"))
    assert check.call_count == 1
    clock.advance(250)
    await client.generate(MusicRequest(prompt="x"))
    assert check.call_count == 2


def test_a_captcha_token_never_shows_in_its_repr() -> None:
    assert "secret-token" not in repr(CaptchaToken("secret-token", HCAPTCHA))


async def test_a_lasting_challenge_refreshes_the_jwt_at_most_once_a_minute(http, clock, mocked) -> None:
    exchanges = exchange_route(mocked, clock)
    check = mocked.post(f"{BASE}/api/c/check").mock(
        return_value=httpx.Response(200, json={"required": True, "captcha_version": 1})
    )
    desk, _client = desk_and_client(http, clock, RelaySolver())
    # Two checks around the refresh; a JWT issued this instant is the refresh (Clerk is not asked twice).
    await desk.check("default")
    clock.advance(30)
    await desk.check("default")  # one check, no refresh
    assert (check.call_count, exchanges.call_count) == (3, 1)
    clock.advance(40)
    await desk.check("default")  # a minute on: refreshed again, checked twice
    assert (check.call_count, exchanges.call_count) == (5, 2)


def test_a_waiting_token_keeps_a_new_check_from_parking_the_account_again(http, clock) -> None:
    desk, _client = desk_and_client(http, clock, RelaySolver())
    desk.hand_in("default", "P1_waiting", HCAPTCHA)
    desk.require("default", HCAPTCHA)  # a check before the token was used: Suno still asks
    assert desk.pending("default") is None
