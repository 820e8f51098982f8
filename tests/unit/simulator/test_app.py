"""The simulator's HTTP surface as its clients see it: paths, methods, errors and JSON as Suno writes them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from simulator import SimulatorApp, SimulatorState

COOKIE = {"cookie": SimulatorState.cookie_for("alice")}


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=SimulatorApp(SimulatorState(speed=100)))
    async with httpx.AsyncClient(transport=transport, base_url="http://sim.test") as http:
        yield http


async def bearer(client: httpx.AsyncClient) -> dict[str, str]:
    reply = await client.post("/v1/client/sessions/sess_alice/tokens", headers=COOKIE)
    return {"authorization": f"Bearer {reply.json()['jwt']}"}


async def test_a_trailing_slash_is_answered_in_place_not_redirected(client: httpx.AsyncClient) -> None:
    bare = await client.get("/v1/client", headers=COOKIE)
    slashed = await client.get("/v1/client/", headers=COOKIE)
    assert bare.status_code == slashed.status_code == 200 and bare.content == slashed.content


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/nowhere"), ("PUT", "/v1/client"), ("HEAD", "/v1/client")]
)
async def test_unknown_paths_and_methods_get_suno_s_json_404(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    reply = await client.request(method, path)
    assert reply.status_code == 404 and reply.headers["content-type"] == "application/json"
    assert method == "HEAD" or reply.json() == {"detail": "Not Found"}


async def test_a_malformed_body_is_a_422_naming_the_error(client: httpx.AsyncClient) -> None:
    reply = await client.post("/api/generate/v2", headers=await bearer(client), content=b"{not json")
    assert reply.status_code == 422 and reply.json() == {"detail": "invalid request: JSONDecodeError"}


async def test_json_is_written_as_suno_s_fastapi_writes_it(client: httpx.AsyncClient) -> None:
    reply = await client.post("/_sim/accounts/zoë", json={"credits": 7})
    assert reply.content.startswith(b'{"name": "zo\\u00eb", "credits": 7, ')
    assert reply.headers["content-length"] == str(len(reply.content))


async def test_studio_routes_want_a_live_bearer_token(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/billing/info")).json() == {"detail": "Unauthorized"}
    billing = await client.get("/api/billing/info", headers=await bearer(client))
    assert billing.status_code == 200 and billing.json()["credits_left"] == 500
