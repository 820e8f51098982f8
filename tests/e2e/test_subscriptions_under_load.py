"""Many WebSocket connections, one taskProgress each, tiny mailboxes: every one ends with SUCCESS.

The issue-20 symptom seen from a client: `complete` without ever a SUCCESS snapshot. The cause (re-reads
timing out on a busy pool) is reproduced in tests/integration/test_watch_under_load.py, which fails on the
old hub; this test guards the whole path (hub, resolver, graphql-transport-ws) at a scale CI affords.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json

import httpx
import pytest
import websockets
from websockets.typing import Subprotocol

from suno.config import Settings
from suno.events import EventHub
from tests.support.app import running_app

CONNECTIONS = 40
FOLLOW = "subscription($id: ID!) { taskProgress(id: $id) { status } }"


async def follow(url: str, task_id: str, subscribed: asyncio.Event) -> list[str]:
    """Every message type and status this connection received, until `complete` or `error`."""
    seen: list[str] = []
    async with websockets.connect(url, subprotocols=[Subprotocol("graphql-transport-ws")]) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        payload = {"query": FOLLOW, "variables": {"id": task_id}}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        async for raw in socket:
            message = json.loads(raw)
            if message["type"] == "next":
                data = message["payload"].get("data") or {}
                seen.append((data.get("taskProgress") or {}).get("status") or f"errors {message['payload']}")
                subscribed.set()
            elif message["type"] in ("complete", "error"):
                seen.append(message["type"])
                return seen
    return seen


async def test_every_connection_sees_success_before_complete(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slow simulator: the song is still being made while the connections subscribe.
    async with (
        running_app(dataclasses.replace(settings, simulator_speed=10.0)) as app,
        httpx.AsyncClient(base_url=app.base_url) as client,
    ):
        hub = app.runtime.service.hub
        monkeypatch.setattr(hub, "subscribe", functools.partial(EventHub.subscribe, hub, maxsize=1))
        created = await client.post("/suno/submit/music", json={"prompt": "[Verse]\nla"})
        task_id = created.json()["data"]
        ready = [asyncio.Event() for _ in range(CONNECTIONS)]
        runs = [asyncio.create_task(follow(f"{app.ws_url}/graphql", task_id, r)) for r in ready]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready)), 20)
        ended = await asyncio.wait_for(asyncio.gather(*runs), 30)
    # They followed it while it changed (else the test would prove nothing)...
    assert all(seen[0] != "SUCCESS" for seen in ended)
    # ...and each ended with the terminal snapshot, then `complete`.
    assert all(seen[-2:] == ["SUCCESS", "complete"] for seen in ended), [
        s for s in ended if s[-2:] != ["SUCCESS", "complete"]
    ][:3]
