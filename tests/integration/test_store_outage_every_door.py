"""A store that does not answer: each door replies in its own protocol (503 + Retry-After where HTTP
allows), never a 500 and never the driver's words (host, port). The app is built on a database at a
closed port and called in-process, without the lifespan (which would fail at its migrations)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from app import create_app
from suno.config import Settings
from tests.support.fake_upstream import FakeUpstream

MESSAGE = "the database is unavailable right now; try again shortly"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens there once the probe is closed


# Both drivers fail differently (asyncpg: ConnectionRefusedError; asyncmy: OperationalError).
@pytest.fixture(params=["postgres", "mysql"], ids=["asyncpg-closed-port", "asyncmy-closed-port"])
async def client(request: pytest.FixtureRequest, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    port = closed_port()
    dsn = f"{request.param}://sunoql:secret@127.0.0.1:{port}/gone"
    app = create_app(settings.with_overrides(sql_dsn=dsn), upstream=FakeUpstream())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sunoql.test") as http:
        http.headers["x-test-port"] = str(port)
        yield http
    await app.state.runtime.store.close()


def assert_no_driver_words(client: httpx.AsyncClient, reply: httpx.Response) -> None:
    for word in ("127.0.0.1", client.headers["x-test-port"], "secret", "Traceback", "Errno"):
        assert word not in reply.text, reply.text


async def test_legacy_reads_answer_the_envelope_with_503(client: httpx.AsyncClient) -> None:
    for reply in (
        await client.get("/suno/fetch/not-cached"),
        await client.post("/suno/fetch", json={"ids": ["not-cached"]}),
        await client.post("/suno/submit/music", json={"prompt": "[Verse]\nla"}),
    ):
        assert reply.status_code == 503, reply.text
        assert reply.json() == {"code": 503, "message": MESSAGE, "data": None}
        assert reply.headers["retry-after"] == "5"
        assert_no_driver_words(client, reply)


async def test_graphql_answers_service_unavailable(client: httpx.AsyncClient) -> None:
    for query in ('{ task(id: "not-cached") { id } }', "{ tasks(first: 5) { nodes { id } } }"):
        reply = await client.post("/graphql", json={"query": query})
        body: dict[str, Any] = reply.json()
        assert reply.status_code == 200 and not any((body["data"] or {}).values()), body
        (error,) = body["errors"]
        assert error["message"] == MESSAGE
        assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE", "retryAfter": 5}
        assert_no_driver_words(client, reply)


async def test_openai_chat_answers_its_error_object_with_503(client: httpx.AsyncClient) -> None:
    body = {"model": "chirp-fenix", "messages": [{"role": "user", "content": "a song about rain"}]}
    reply = await client.post("/v1/chat/completions", json=body)
    assert reply.status_code == 503, reply.text
    assert reply.json() == {
        "error": {"message": MESSAGE, "type": "api_error", "param": None, "code": "service_unavailable"}
    }
    assert reply.headers["retry-after"] == "5"
    assert_no_driver_words(client, reply)


async def test_sunoapi_answers_its_maintenance_code(client: httpx.AsyncClient) -> None:
    reply = await client.get("/api/v1/generate/record-info", params={"taskId": "not-cached"})
    assert reply.status_code == 200  # the contract's errors are in the body
    assert reply.json() == {"code": 455, "msg": MESSAGE, "data": None}
    assert_no_driver_words(client, reply)


async def test_gcui_answers_its_error_shape_with_503(client: httpx.AsyncClient) -> None:
    for reply in (await client.get("/api/get", params={"ids": "not-cached"}), await client.get("/api/get")):
        assert reply.status_code == 503, reply.text
        assert reply.json() == {"error": MESSAGE}
        assert reply.headers["retry-after"] == "5"
        assert_no_driver_words(client, reply)
