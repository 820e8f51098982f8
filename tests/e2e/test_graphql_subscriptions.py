"""The served app against the Suno simulator: generateMusic, then taskProgress over both WebSocket protocols."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import websockets
from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXAsyncTransport
from gql.transport.websockets import WebsocketsTransport
from websockets.typing import Subprotocol

from suno.config import Settings
from suno.models import TaskStatus
from tests.support.app import RunningApp, running_app

GENERATE = gql("mutation($input: GenerateMusicInput!) { generateMusic(input: $input) { id status } }")
PROGRESS = gql(
    "subscription($id: ID!) { taskProgress(id: $id) { id status finishedAt clips { id status audioUrl duration } } }"
)
RANK = {status.value: status.rank for status in TaskStatus}
PROTOCOLS = [WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL, WebsocketsTransport.APOLLO_SUBPROTOCOL]
TOKEN = "e2e-secret"


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[RunningApp]:
    # Slow enough that each status lasts several worker ticks, so none is skipped.
    settings = settings.with_overrides(simulator_speed=20.0, secret_token=TOKEN)
    async with running_app(settings) as served:
        yield served


def http_client(app: RunningApp) -> Client:
    return Client(
        transport=HTTPXAsyncTransport(
            url=f"{app.base_url}/graphql", headers={"Authorization": f"Bearer {TOKEN}"}
        )
    )


def ws_client(app: RunningApp, protocol: str, payload: dict[str, Any] | None = None) -> Client:
    transport = WebsocketsTransport(
        url=f"{app.ws_url}/graphql",
        subprotocols=[protocol],
        init_payload={"Authorization": f"Bearer {TOKEN}"} if payload is None else payload,
    )
    return Client(transport=transport)


async def generate(app: RunningApp, **fields: Any) -> dict[str, Any]:
    async with http_client(app) as session:
        result = await session.execute(
            GENERATE, variable_values={"input": fields or {"gptDescriptionPrompt": "rain"}}
        )
    task: dict[str, Any] = result["generateMusic"]
    return task


def assert_progress_in_order_to_success(statuses: list[str]) -> None:
    assert statuses[0] in ("NOT_START", "SUBMITTED", "QUEUED")
    assert "IN_PROGRESS" in statuses
    assert statuses[-1] == "SUCCESS"
    # A change of the clips alone repeats the status; a status never goes back.
    ranks = [RANK[status] for status in statuses]
    assert ranks == sorted(ranks), f"went backwards: {statuses}"
    assert statuses.count("SUCCESS") == 1


# (protocol, the client's subscribe message type, the server's result message type), per socket
MIXED_SUBSCRIBERS = [("graphql-transport-ws", "subscribe", "next")] * 3 + [
    ("graphql-ws", "start", "data")
] * 3


def status_subscription(task_id: str) -> dict[str, Any]:
    return {
        "query": "subscription($id: ID!) { taskProgress(id: $id) { id status } }",
        "variables": {"id": task_id},
    }


async def subscribed_socket(
    app: RunningApp, protocol: str, subscribe: str, operation_id: str, payload: dict[str, Any]
) -> websockets.ClientConnection:
    """A raw WebSocket past connection_init, with one subscription asked under `operation_id`."""
    socket = await websockets.connect(f"{app.ws_url}/graphql", subprotocols=[Subprotocol(protocol)])
    await socket.send(json.dumps({"type": "connection_init", "payload": {"authToken": TOKEN}}))
    assert json.loads(await socket.recv())["type"] == "connection_ack"
    await socket.send(json.dumps({"id": operation_id, "type": subscribe, "payload": payload}))
    return socket


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_task_progress_streams_every_status_to_success_and_completes(
    app: RunningApp, protocol: str
) -> None:
    task = await generate(app)
    assert task["status"] == "SUBMITTED"
    snapshots = []
    async with ws_client(app, protocol) as session:
        async for result in session.subscribe(PROGRESS, variable_values={"id": task["id"]}):
            snapshots.append(result["taskProgress"])
    # The async for ended: the server completed the subscription after the terminal status.
    assert_progress_in_order_to_success([snapshot["status"] for snapshot in snapshots])
    final = snapshots[-1]
    assert final["id"] == task["id"] and final["finishedAt"]
    assert len(final["clips"]) == 2
    assert all(
        clip["status"] == "complete" and clip["audioUrl"] and clip["duration"] for clip in final["clips"]
    )


async def test_tasks_progress_follows_several_tasks_until_all_end(app: RunningApp) -> None:
    first, second = await generate(app), await generate(app, prompt="[Verse]\nla", tags="pop")
    lyrics = await http_client(app).execute_async(
        gql('mutation { generateLyrics(input: {prompt: "rain"}) { id } }')
    )
    ids = [first["id"], second["id"], lyrics["generateLyrics"]["id"]]
    seen: dict[str, list[str]] = {task_id: [] for task_id in ids}
    final_lyrics = None
    query = gql("subscription($ids: [ID!]!) { tasksProgress(ids: $ids) { id status lyrics { title text } } }")
    async with ws_client(app, WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL) as session:
        async for result in session.subscribe(query, variable_values={"ids": ids}):
            snapshot = result["tasksProgress"]
            seen[snapshot["id"]].append(snapshot["status"])
            if snapshot["id"] == ids[2]:
                final_lyrics = snapshot["lyrics"]
    assert_progress_in_order_to_success(seen[first["id"]])
    assert_progress_in_order_to_success(seen[second["id"]])
    assert seen[ids[2]][-1] == "SUCCESS"
    assert final_lyrics and final_lyrics["text"]


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_an_unknown_task_id_is_a_not_found_error_on_the_subscription(
    app: RunningApp, protocol: str
) -> None:
    async with ws_client(app, protocol) as session:
        with pytest.raises(TransportQueryError) as raised:
            async for _ in session.subscribe(PROGRESS, variable_values={"id": "no-such-task"}):
                pass
    assert raised.value.errors is not None
    assert raised.value.errors[0]["extensions"]["code"] == "NOT_FOUND"


async def test_graphql_transport_ws_without_the_token_closes_with_4403(app: RunningApp) -> None:
    for payload in ({}, None, {"Authorization": "Bearer wrong"}, {"authToken": "wrong"}):
        async with websockets.connect(
            f"{app.ws_url}/graphql", subprotocols=[Subprotocol("graphql-transport-ws")]
        ) as socket:
            await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await socket.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_graphql_ws_without_the_token_gets_connection_error_then_close(app: RunningApp) -> None:
    async with websockets.connect(
        f"{app.ws_url}/graphql", subprotocols=[Subprotocol("graphql-ws")]
    ) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {"authToken": "wrong"}}))
        message = json.loads(await socket.recv())
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await socket.recv()
    # 4403 as on graphql-transport-ws, not 1011 (a server error).
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
    assert message["type"] == "connection_error"
    assert message["payload"]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert TOKEN not in json.dumps(message)


async def test_a_subscription_before_connection_init_is_refused(app: RunningApp) -> None:
    async with websockets.connect(
        f"{app.ws_url}/graphql", subprotocols=[Subprotocol("graphql-transport-ws")]
    ) as socket:
        await socket.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": 'subscription { taskProgress(id: "x") { id } }'},
                }
            )
        )
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await socket.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_auth_token_in_the_payload_is_accepted_like_the_header(app: RunningApp) -> None:
    task = await generate(app)
    async with ws_client(app, WebsocketsTransport.APOLLO_SUBPROTOCOL, {"authToken": TOKEN}) as session:
        statuses = [
            r["taskProgress"]["status"]
            async for r in session.subscribe(PROGRESS, variable_values={"id": task["id"]})
        ]
    assert statuses[-1] == "SUCCESS"


async def test_http_without_the_token_is_refused_and_bad_input_is_readable(app: RunningApp) -> None:
    async with httpx.AsyncClient(base_url=app.base_url) as client:
        refused = await client.post("/graphql", json={"query": "{ knownModels }"})
    assert (
        refused.status_code == 401 and refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    )
    async with http_client(app) as session:
        with pytest.raises(TransportQueryError) as raised:
            await session.execute(GENERATE, variable_values={"input": {"prompt": "la", "continueAt": 3.0}})
        missing = await session.execute(gql('{ task(id: "no-such-task") { id } }'))
    assert raised.value.errors is not None
    error = raised.value.errors[0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "continueClipId"}
    assert "continue_at needs continue_clip_id" in error["message"]
    assert missing == {"task": None}


async def test_subscribers_of_one_task_share_one_watch_and_all_get_its_terminal_snapshot(
    settings: Settings,
) -> None:
    from suno.models import MusicRequest
    from tests.support.fake_upstream import FakeUpstream

    upstream = FakeUpstream(advance=False)
    async with running_app(settings.with_overrides(secret_token=TOKEN), upstream=upstream) as served:
        service = served.runtime.service
        task = await service.submit_music(MusicRequest(prompt="[Verse]\nla"))
        query = "subscription($id: ID!) { taskProgress(id: $id) { id status } }"
        sockets = []
        for _ in range(20):  # one after another, as browsers arrive: no coalescing of their reads by luck
            socket = await websockets.connect(
                f"{served.ws_url}/graphql", subprotocols=[Subprotocol("graphql-transport-ws")]
            )
            sockets.append(socket)
            await socket.send(json.dumps({"type": "connection_init", "payload": {"authToken": TOKEN}}))
            assert json.loads(await socket.recv())["type"] == "connection_ack"
            payload = {"query": query, "variables": {"id": task.id}}
            await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
            assert json.loads(await socket.recv())["type"] == "next"
        # One watch (one store read, one execution per change) serves all twenty.
        assert service.hub.subscriber_count == 1
        upstream.advance = True
        for socket in sockets:
            statuses = []
            while (message := json.loads(await socket.recv()))["type"] == "next":
                statuses.append(message["payload"]["data"]["taskProgress"]["status"])
            assert message["type"] == "complete" and statuses[-1] == "SUCCESS"
            await socket.close()


async def test_a_shared_result_is_encoded_once_for_every_subscriber_on_both_protocols(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from schema.transport import SunoGraphQL
    from suno.models import MusicRequest
    from tests.support.fake_upstream import FakeUpstream

    encodings: list[str] = []
    encode = SunoGraphQL.encode_json

    def counted(view: SunoGraphQL, data: object) -> str | bytes:
        text = encode(view, data)
        if "taskProgress" in str(text):
            encodings.append(str(text))
        return text

    monkeypatch.setattr(SunoGraphQL, "encode_json", counted)
    upstream = FakeUpstream(advance=False)
    async with running_app(settings.with_overrides(secret_token=TOKEN), upstream=upstream) as served:
        task = await served.runtime.service.submit_music(MusicRequest(prompt="[Verse]\nla"))
        kinds, payload = MIXED_SUBSCRIBERS, status_subscription(task.id)
        sockets = [
            await subscribed_socket(served, protocol, subscribe, f"sub-{number}", payload)
            for number, (protocol, subscribe, _result) in enumerate(kinds)
        ]
        upstream.advance = True
        seen: list[list[str]] = []
        for number, (socket, (_protocol, _subscribe, result)) in enumerate(zip(sockets, kinds, strict=True)):
            statuses = []
            while (message := json.loads(await socket.recv()))["type"] != "complete":
                if message["type"] == "ka":
                    continue  # graphql-ws keep-alive
                assert (message["type"], message["id"]) == (result, f"sub-{number}"), message
                statuses.append(message["payload"]["data"]["taskProgress"]["status"])
            assert message["id"] == f"sub-{number}" and statuses[-1] == "SUCCESS"
            seen.append(statuses)
            await socket.close()
    assert all(statuses == seen[0] for statuses in seen)
    # One encoding per result for all six subscribers, not one per subscriber's message.
    assert len(encodings) == len(seen[0]), encodings


@pytest.mark.parametrize("deflate", [False, True], ids=["plain", "permessage-deflate"])
async def test_a_shared_result_is_written_straight_to_each_waiting_subscribers_socket_on_both_protocols(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, deflate: bool
) -> None:
    from ops.websocket_protocol import LeanWebSocketProtocol
    from suno.models import MusicRequest
    from tests.support.fake_upstream import FakeUpstream

    direct: list[str] = []
    send_text_now = LeanWebSocketProtocol.send_text_now

    def counted(protocol: LeanWebSocketProtocol, payload: bytes) -> bool:
        written = send_text_now(protocol, payload)
        if written:
            direct.append(payload.decode())
        return written

    monkeypatch.setattr(LeanWebSocketProtocol, "send_text_now", counted)
    upstream = FakeUpstream(advance=False)
    # With WS_PER_MESSAGE_DEFLATE the frames go through the connection's compressor (the client offers it).
    overrides = {"secret_token": TOKEN, "ws_per_message_deflate": deflate}
    async with running_app(settings.with_overrides(**overrides), upstream=upstream) as served:
        task = await served.runtime.service.submit_music(MusicRequest(prompt="[Verse]\nla"))
        kinds, payload = MIXED_SUBSCRIBERS, status_subscription(task.id)
        sockets = []
        for number, (protocol, subscribe, result) in enumerate(kinds):
            socket = await subscribed_socket(served, protocol, subscribe, f"sub-{number}", payload)
            assert socket.response is not None
            negotiated = socket.response.headers.get("Sec-WebSocket-Extensions") or ""
            assert ("permessage-deflate" in negotiated) is deflate
            while (first := json.loads(await socket.recv()))["type"] == "ka":
                continue
            assert (first["type"], first["id"]) == (result, f"sub-{number}")  # the snapshot at subscribing
            sockets.append(socket)
        upstream.advance = True
        later: list[list[dict[str, Any]]] = []
        for number, (socket, (_protocol, _subscribe, result)) in enumerate(zip(sockets, kinds, strict=True)):
            messages = []
            while (message := json.loads(await socket.recv()))["type"] != "complete":
                if message["type"] != "ka":
                    assert (message["type"], message["id"]) == (result, f"sub-{number}"), message
                    messages.append(message)
            assert message["id"] == f"sub-{number}"  # `complete` after the terminal snapshot, never before it
            assert messages[-1]["payload"]["data"]["taskProgress"]["status"] == "SUCCESS"
            later.append(messages)
            await socket.close()
    # Every result after the snapshot at subscribing went to its socket in the shared execution's own step
    # (the snapshot too, when the subscriber was already waiting for it).
    written = Counter(json.loads(text)["id"] for text in direct)
    assert all(written[f"sub-{number}"] - len(messages) in (0, 1) for number, messages in enumerate(later)), (
        written
    )
