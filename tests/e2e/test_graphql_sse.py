"""The served app: taskProgress and tasksProgress over HTTP streams (graphql-sse and multipart), as over a WebSocket."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from gql.transport.websockets import WebsocketsTransport

from suno.config import Settings
from tests.e2e.test_graphql_subscriptions import (
    PROGRESS,
    TOKEN,
    assert_progress_in_order_to_success,
    generate,
    ws_client,
)
from tests.support.app import RunningApp, running_app
from tests.support.http_streams import MULTIPART_ACCEPT, SSE_ACCEPT, multipart_payloads, sse_events

PROGRESS_QUERY = (
    "subscription($id: ID!) { taskProgress(id: $id) { id status finishedAt clips { id status } } }"
)
STREAM_SECONDS = 60.0
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[RunningApp]:
    # Slow enough that each status lasts several worker ticks, so no subscriber skips one.
    settings = settings.with_overrides(simulator_speed=20.0, secret_token=TOKEN)
    async with running_app(settings) as served:
        yield served


@pytest.fixture
async def client(app: RunningApp) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=app.base_url, headers=AUTH, timeout=STREAM_SECONDS) as http:
        yield http


async def sse_results(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any]
) -> list[dict[str, Any]]:
    """Every `next` payload, in order; returns only once the server sent `complete` and closed the stream."""
    results: list[dict[str, Any]] = []
    events = []
    async with (
        asyncio.timeout(STREAM_SECONDS),
        client.stream(
            "POST", "/graphql", json={"query": query, "variables": variables}, headers={"Accept": SSE_ACCEPT}
        ) as response,
    ):
        assert response.status_code == 200, await response.aread()
        assert response.headers["content-type"].startswith("text/event-stream")
        async for event in sse_events(response):
            events.append(event.event)
            if event.event == "next":
                results.append(event.data)
    assert events and events[-1] == "complete" and events.count("complete") == 1, events
    return results


async def multipart_results(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any]
) -> list[dict[str, Any]]:
    """Every part's payload, in order; returns only once the closing delimiter came."""
    results: list[dict[str, Any]] = []
    async with (
        asyncio.timeout(STREAM_SECONDS),
        client.stream(
            "POST",
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Accept": MULTIPART_ACCEPT},
        ) as response,
    ):
        assert response.status_code == 200, await response.aread()
        assert response.headers["content-type"].startswith("multipart/mixed")
        async for part in multipart_payloads(response):
            results.append(part["payload"])
    return results


STREAMS = {"sse": sse_results, "multipart": multipart_results}


async def ws_statuses(app: RunningApp, task_id: str) -> list[str]:
    async with ws_client(app, WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL) as session:
        return [
            result["taskProgress"]["status"]
            async for result in session.subscribe(PROGRESS, variable_values={"id": task_id})
        ]


def distinct(statuses: list[str]) -> list[str]:
    """The statuses one after the other (a change of the clips alone repeats one)."""
    return [status for status, _ in itertools.groupby(statuses)]


@pytest.mark.parametrize("transport", STREAMS)
async def test_task_progress_streams_the_same_statuses_as_the_websocket_then_completes(
    app: RunningApp, client: httpx.AsyncClient, transport: str
) -> None:
    task = await generate(app)
    # Both follow the same song at the same time, from its first status.
    over_http, over_ws = await asyncio.gather(
        STREAMS[transport](client, PROGRESS_QUERY, {"id": task["id"]}), ws_statuses(app, task["id"])
    )
    assert all("errors" not in result for result in over_http), over_http
    snapshots = [result["data"]["taskProgress"] for result in over_http]
    statuses = [snapshot["status"] for snapshot in snapshots]
    assert_progress_in_order_to_success(statuses)
    assert_progress_in_order_to_success(over_ws)
    assert distinct(statuses) == distinct(over_ws)
    final = snapshots[-1]
    assert final["id"] == task["id"] and final["finishedAt"]
    assert len(final["clips"]) == 2 and all(clip["status"] == "complete" for clip in final["clips"])


@pytest.mark.parametrize("transport", STREAMS)
async def test_tasks_progress_follows_several_tasks_until_all_end(
    app: RunningApp, client: httpx.AsyncClient, transport: str
) -> None:
    ids = [(await generate(app))["id"], (await generate(app, prompt="[Verse]\nla", tags="pop"))["id"]]
    query = "subscription($ids: [ID!]!) { tasksProgress(ids: $ids) { id status } }"
    results = await STREAMS[transport](client, query, {"ids": ids})
    seen: dict[str, list[str]] = {task_id: [] for task_id in ids}
    for result in results:
        snapshot = result["data"]["tasksProgress"]
        seen[snapshot["id"]].append(snapshot["status"])
    for task_id in ids:
        assert_progress_in_order_to_success(seen[task_id])


@pytest.mark.parametrize("transport", STREAMS)
async def test_an_unknown_task_id_is_not_found_in_the_stream(
    client: httpx.AsyncClient, transport: str
) -> None:
    results = await STREAMS[transport](client, PROGRESS_QUERY, {"id": "no-such-task"})
    assert len(results) == 1
    assert results[0]["data"] is None
    error = results[0]["errors"][0]
    assert error["extensions"] == {"code": "NOT_FOUND"} and "no-such-task" in error["message"]


async def test_sse_over_get_with_the_query_in_the_url(client: httpx.AsyncClient) -> None:
    # graphql-sse's distinct connections mode also allows GET (e.g. a browser's EventSource).
    params = {"query": PROGRESS_QUERY, "variables": '{"id": "no-such-task"}'}
    async with client.stream("GET", "/graphql", params=params, headers={"Accept": SSE_ACCEPT}) as response:
        events = [event async for event in sse_events(response)]
    assert [event.event for event in events] == ["next", "complete"]
    assert events[0].data["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_a_query_over_multipart_is_a_bad_request_in_the_stream_not_an_internal_error(
    client: httpx.AsyncClient,
) -> None:
    # The multipart subscription protocol carries subscriptions only; SSE carries any operation.
    refused = await multipart_results(client, "{ knownModels }", {})
    assert refused[0]["errors"][0]["extensions"] == {"code": "BAD_REQUEST"}
    assert "queries are not allowed" in refused[0]["errors"][0]["message"]
    answered = await sse_results(client, "{ knownModels }", {})
    assert answered[0]["data"]["knownModels"]


@pytest.mark.parametrize("accept", [SSE_ACCEPT, MULTIPART_ACCEPT])
@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {TOKEN}"])
async def test_a_stream_without_the_token_is_refused_with_401(
    app: RunningApp, accept: str, authorization: str | None
) -> None:
    headers = {"Accept": accept} | ({"Authorization": authorization} if authorization else {})
    async with httpx.AsyncClient(base_url=app.base_url, timeout=STREAM_SECONDS) as anonymous:
        refused = await anonymous.post(
            "/graphql", json={"query": PROGRESS_QUERY, "variables": {"id": "x"}}, headers=headers
        )
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Bearer")
    assert refused.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert TOKEN not in refused.text


async def test_a_subscription_in_a_plain_json_post_says_which_transports_stream(
    client: httpx.AsyncClient,
) -> None:
    refused = await client.post("/graphql", json={"query": PROGRESS_QUERY, "variables": {"id": "x"}})
    assert refused.status_code == 400
    error = refused.json()["errors"][0]
    assert error["extensions"] == {"code": "BAD_REQUEST"}
    assert all(word in error["message"] for word in ("WebSocket", "text/event-stream", "multipart/mixed"))
