"""One SECRET_TOKEN rule at every door: an Authorization header gets the same verdict on all of them."""

from __future__ import annotations

import asyncio
import json

import httpx
import websockets
from websockets.typing import Subprotocol

from suno.config import Settings
from tests.support.app import RunningApp, running_app

TOKEN = "door-secret"
# (what the header is, its value or None for no header, whether it may pass) — RFC 7235: the scheme
# is case-insensitive and 1*SP separates it from the token.
HEADERS: list[tuple[str, str | None, bool]] = [
    ("missing", None, False),
    ("wrong token", "Bearer not-the-token", False),
    ("Bearer", f"Bearer {TOKEN}", True),
    ("bearer", f"bearer {TOKEN}", True),
    ("BEARER", f"BEARER {TOKEN}", True),
    ("two spaces", f"Bearer  {TOKEN}", True),
    ("Basic", f"Basic {TOKEN}", False),
    ("token alone", TOKEN, False),
]
# What each door answers once past auth, and when it refuses.
PAST_AUTH = {
    "POST /graphql": "200",
    "graphql-transport-ws": "connection_ack",
    "GET /suno/fetch/{id}": "404",
    "GET /v1/models": "200",
    "GET /api/clip": "404",
    "GET /assets/clips/{id}/audio": "404",
    # sunoapi.org's contract: HTTP 200 always, the outcome in the body's code.
    "GET /api/v1/generate/record-info": "code 404",
}
REFUSED = {door: "401" for door in PAST_AUTH} | {
    "graphql-transport-ws": "closed 4403",
    "GET /api/v1/generate/record-info": "code 401",
}


async def knock_on_every_door(
    served: RunningApp, client: httpx.AsyncClient, header: str | None
) -> dict[str, str]:
    """What each door answers a request carrying `header`: a status code, or the WebSocket's outcome."""
    headers = {} if header is None else {"Authorization": header}
    graphql = await client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
    legacy = await client.get("/suno/fetch/no-such-task", headers=headers)
    openai = await client.get("/v1/models", headers=headers)
    gcui = await client.get("/api/clip?id=no-such-clip", headers=headers)
    # Unsigned, so only the header can let it in; past auth, the unknown clip is a 404.
    asset = await client.get("/assets/clips/no-such-clip/audio.mp3", headers=headers)
    sunoapi = await client.get("/api/v1/generate/record-info?taskId=no-such-task", headers=headers)
    assert sunoapi.status_code == 200
    return {
        "POST /graphql": str(graphql.status_code),
        "graphql-transport-ws": await websocket_outcome(served, header),
        "GET /suno/fetch/{id}": str(legacy.status_code),
        "GET /v1/models": str(openai.status_code),
        "GET /api/clip": str(gcui.status_code),
        "GET /assets/clips/{id}/audio": str(asset.status_code),
        "GET /api/v1/generate/record-info": f"code {sunoapi.json()['code']}",
    }


async def websocket_outcome(served: RunningApp, header: str | None) -> str:
    payload = {} if header is None else {"Authorization": header}
    async with websockets.connect(
        f"{served.ws_url}/graphql", subprotocols=[Subprotocol("graphql-transport-ws")]
    ) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
        try:
            reply = json.loads(await asyncio.wait_for(socket.recv(), 10))
        except websockets.ConnectionClosed as closed:
            return f"closed {closed.rcvd.code if closed.rcvd else None}"
    return str(reply["type"])


async def test_every_door_gives_the_same_authorization_header_the_same_verdict(settings: Settings) -> None:
    async with (
        running_app(settings.with_overrides(secret_token=TOKEN)) as served,
        httpx.AsyncClient(base_url=served.base_url, timeout=30) as client,
    ):
        seen = {name: await knock_on_every_door(served, client, header) for name, header, _ in HEADERS}
    assert seen == {name: PAST_AUTH if allowed else REFUSED for name, _, allowed in HEADERS}
