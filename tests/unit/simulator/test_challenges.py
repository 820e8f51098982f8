"""The simulator's challenges: per account, hCaptcha or Turnstile, on and off, tokens checked and spent."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from simulator import SimulatorApp, SimulatorState

COOKIE = {"cookie": SimulatorState.cookie_for("alice")}
SONG = {"prompt": "[Verse] la", "tags": "pop", "mv": "chirp-fenix"}


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=SimulatorApp(SimulatorState(speed=100)))
    async with httpx.AsyncClient(transport=transport, base_url="http://sim.test") as http:
        jwt = (await http.post("/v1/client/sessions/sess_alice/tokens", headers=COOKIE)).json()["jwt"]
        http.headers["authorization"] = f"Bearer {jwt}"
        yield http


async def test_a_turnstile_challenge_wants_a_turnstile_token_once(client: httpx.AsyncClient) -> None:
    turned_on = await client.post("/_sim/challenges/alice", json={"required": True, "version": 2})
    assert turned_on.json()["required"] is True
    assert (await client.post("/api/c/check", json={"ctype": "generation"})).json() == {
        "required": True,
        "captcha_version": 2,
    }
    for body in ({}, {"token": "0.x", "token_provider": 1}, {"token": "P1_x", "token_provider": 2}):
        refused = await client.post("/api/generate/v2/", json={**SONG, **body})
        assert refused.status_code == 422 and refused.json() == {"detail": "Token validation failed."}
    solved = await client.post("/api/generate/v2/", json={**SONG, "token": "0.good", "token_provider": 2})
    assert solved.status_code == 200
    # Solving ends the challenge, as a solve in the browser does.
    assert (await client.post("/api/c/check", json={})).json() == {"required": False}


async def test_a_challenge_that_outlasts_a_solve_refuses_a_reused_token(client: httpx.AsyncClient) -> None:
    await client.post(
        "/_sim/challenges/alice", json={"required": True, "version": 1, "ends_when_solved": False}
    )
    token = {"token": "P1_once", "token_provider": 1}
    assert (await client.post("/api/generate/v2/", json={**SONG, **token})).status_code == 200
    assert (await client.post("/api/generate/v2/", json={**SONG, **token})).status_code == 422
    await client.post("/_sim/challenges/alice", json={"required": False})
    assert (await client.post("/api/generate/v2/", json=SONG)).status_code == 200


async def test_a_challenge_is_per_account(client: httpx.AsyncClient) -> None:
    await client.post("/_sim/challenges/bob", json={"required": True})
    assert (await client.post("/api/c/check", json={})).json() == {"required": False}
    state = (await client.get("/_sim/state")).json()
    assert state["challenges"]["bob"]["required"] is True


async def test_an_unknown_version_is_refused(client: httpx.AsyncClient) -> None:
    reply = await client.post("/_sim/challenges/alice", json={"version": 3})
    assert reply.status_code == 422
