"""The 2Captcha-compatible solver: task types, polling, its errors, the deadline; the key never shows."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
import respx

from suno.challenges.two_captcha import SolveFailed, SolverOptions, TwoCaptchaSolver
from suno.observer import Observer
from suno.upstream.types import HCAPTCHA, TURNSTILE, CaptchaToken

URL = "https://solver.test"
KEY = "solver-api-key-0123456789"
SITE_KEYS = {HCAPTCHA: "hcaptcha-site-key", TURNSTILE: "turnstile-site-key"}


class Recorder(Observer):
    def __init__(self) -> None:
        self.solves: list[tuple[str, float | None, str | None]] = []

    def challenge_solved(self, solver: str, seconds: float, cost: float | None, error: str | None) -> None:
        self.solves.append((solver, cost, error))


async def no_wait(_seconds: float) -> None:
    await asyncio.sleep(0)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def solver(
    http: httpx.AsyncClient, recorder: Recorder | None = None, deadline: float = 180.0
) -> TwoCaptchaSolver:
    settings = SolverOptions(url=URL, key=KEY, site_keys=SITE_KEYS, poll_interval=0.01, deadline=deadline)
    return TwoCaptchaSolver(settings, http, observer=recorder or Recorder(), sleep=no_wait)


async def test_an_hcaptcha_solve_creates_the_task_and_polls_until_ready(http) -> None:
    with respx.mock() as mocked:
        create = mocked.post(f"{URL}/createTask").mock(
            return_value=httpx.Response(200, json={"errorId": 0, "taskId": 7})
        )
        results = iter(
            [
                {"errorId": 0, "status": "processing"},
                {
                    "errorId": 0,
                    "status": "ready",
                    "solution": {"gRecaptchaResponse": "P1_solved"},
                    "cost": "0.003",
                },
            ]
        )
        result = mocked.post(f"{URL}/getTaskResult").mock(
            side_effect=lambda _r: httpx.Response(200, json=next(results))
        )
        token, cost = await solver(http).solve(HCAPTCHA)
    assert (token, cost) == ("P1_solved", 0.003)
    sent = httpx.Response(200, content=create.calls[0].request.read()).json()
    assert sent == {
        "clientKey": KEY,
        "task": {
            "type": "HCaptchaTaskProxyless",
            "websiteURL": "https://suno.com/create",
            "websiteKey": "hcaptcha-site-key",
        },
    }
    assert result.call_count == 2


async def test_a_solve_delivers_the_token_once_and_reports_its_cost(http) -> None:
    recorder = Recorder()
    delivered: list[tuple[str, CaptchaToken]] = []
    with respx.mock() as mocked:
        mocked.post(f"{URL}/createTask").mock(
            return_value=httpx.Response(200, json={"errorId": 0, "taskId": 8})
        )
        ready = {"errorId": 0, "status": "ready", "solution": {"token": "0.turnstile"}, "cost": 0.00145}
        mocked.post(f"{URL}/getTaskResult").mock(return_value=httpx.Response(200, json=ready))
        two = solver(http, recorder)
        two.start("acct", TURNSTILE, lambda account, token: delivered.append((account, token)))
        two.start("acct", TURNSTILE, lambda account, token: delivered.append((account, token)))
        await asyncio.wait_for(two._running["acct"], 5)
    assert delivered == [("acct", CaptchaToken("0.turnstile", TURNSTILE))]
    assert recorder.solves == [("2captcha", 0.00145, None)]


async def test_a_refusal_is_reported_without_the_key(http, caplog: pytest.LogCaptureFixture) -> None:
    recorder = Recorder()
    with respx.mock() as mocked, caplog.at_level(logging.INFO):
        reply = {"errorId": 1, "errorCode": "ERROR_ZERO_BALANCE", "errorDescription": f"no money on {KEY}"}
        mocked.post(f"{URL}/createTask").mock(return_value=httpx.Response(200, json=reply))
        two = solver(http, recorder)
        two.start("acct", HCAPTCHA, lambda *_: None)
        await asyncio.wait_for(two._running["acct"], 5)
    ((name, cost, error),) = recorder.solves
    assert name == "2captcha" and cost is None and error is not None and "ERROR_ZERO_BALANCE" in error
    assert KEY not in error and KEY not in caplog.text


async def test_a_solve_past_its_deadline_is_given_up(http) -> None:
    recorder = Recorder()
    with respx.mock() as mocked:
        mocked.post(f"{URL}/createTask").mock(
            return_value=httpx.Response(200, json={"errorId": 0, "taskId": 9})
        )
        processing = {"errorId": 0, "status": "processing"}
        mocked.post(f"{URL}/getTaskResult").mock(return_value=httpx.Response(200, json=processing))
        two = solver(http, recorder, deadline=0.2)
        two.start("acct", HCAPTCHA, lambda *_: pytest.fail("no token expected"))
        await asyncio.wait_for(two._running["acct"], 5)
    assert recorder.solves[0][2] == "no solution within the 0.2 s deadline"


async def test_a_missing_site_key_names_its_setting(http) -> None:
    two = TwoCaptchaSolver(SolverOptions(url=URL, key=KEY, site_keys={HCAPTCHA: "x"}), http, sleep=no_wait)
    with pytest.raises(SolveFailed, match="CAPTCHA_TURNSTILE_SITEKEY"):
        await two.solve(TURNSTILE)
