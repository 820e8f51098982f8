"""A finished song is read from memory on every door (no SQL), and an asset change is still seen at once,
whether this replica's mirror made it or another replica did (through the event log)."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import event

from suno.assets.model import Asset, AssetKind, AssetReason, AssetState
from suno.config import Settings
from suno.store.asset_store import AssetStore
from tests.e2e.test_graphql_asset_links import finished_song
from tests.support.app import RunningApp, running_app
from tests.support.eventually import eventually

ASSETS = "query($id: ID!) { task(id: $id) { status clips { id audioUrl videoUrl assets { kind state } } } }"


async def read_every_door(client: httpx.AsyncClient, task_id: str, clip_id: str) -> list[Any]:
    """The finished song through each door that polls it, each answer checked to be a real one."""
    one = (await client.get(f"/suno/fetch/{task_id}")).json()
    many = (await client.post("/suno/fetch", json={"ids": [task_id]})).json()
    graphql = (await client.post("/graphql", json={"query": ASSETS, "variables": {"id": task_id}})).json()
    gcui = (await client.get("/api/get", params={"ids": clip_id})).json()
    assert one["data"][0]["id"] == clip_id and many["data"][0]["status"] == "SUCCESS"
    assert graphql["data"]["task"]["status"] == "SUCCESS" and gcui[0]["id"] == clip_id
    return [one, many, graphql, gcui]


async def quiet(app: RunningApp) -> None:
    """Stop what runs in the background, so every statement counted below comes from a request."""
    await app.runtime.worker.stop()
    await app.runtime.relay.stop()
    await app.runtime.assets.mirror.stop()


async def test_a_finished_song_is_served_on_every_door_without_sql(settings: Settings) -> None:
    async with running_app(settings) as app, httpx.AsyncClient(base_url=app.base_url) as client:
        task_id, task = await finished_song(client)
        clip_id = task["clips"][0]["id"]
        assets = app.runtime.assets.store

        async def mirrored() -> None:
            audio = await assets.get(clip_id, AssetKind.AUDIO)
            assert audio is not None and audio.state is AssetState.READY

        await eventually(mirrored, interval=0.05)
        await quiet(app)
        await read_every_door(client, task_id, clip_id)  # the first reads may miss
        statements: list[str] = []
        engine = app.runtime.store.engine.sync_engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            for _ in range(3):
                await read_every_door(client, task_id, clip_id)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert statements == []
        assert assets.cache.hits >= 12


async def test_an_asset_change_here_or_on_another_replica_is_seen_on_the_next_read(
    settings: Settings,
) -> None:
    async with running_app(settings) as app, httpx.AsyncClient(base_url=app.base_url) as client:
        task_id, task = await finished_song(client)
        clip_id = task["clips"][0]["id"]
        runtime = app.runtime
        await eventually(lambda: _state(client, task_id, "audio", "ready"), interval=0.05)
        await quiet(app)
        await read_every_door(client, task_id, clip_id)

        # This replica's mirror gives the copy up: the store forgets the rows at once.
        await runtime.assets.store.update(
            clip_id, AssetKind.AUDIO, state=AssetState.UNAVAILABLE, reason=AssetReason.RETENTION
        )
        await _state(client, task_id, "audio", "unavailable")

        # Another replica (its own AssetStore on the same database) adds a video copy: our relay reads
        # the event it wrote and forgets the rows, so every door shows the new link.
        other = AssetStore(runtime.store.engine)
        await other.add_missing([Asset(clip_id, AssetKind.VIDEO, task_id, None)])
        one = (await client.get(f"/suno/fetch/{task_id}")).json()
        assert "/assets/clips/" not in str(one["data"][0].get("video_url"))  # still the kept rows
        assert await runtime.relay.catch_up() >= 0
        one = (await client.get(f"/suno/fetch/{task_id}")).json()
        assert "/assets/clips/" in one["data"][0]["video_url"]
        await _state(client, task_id, "video", "pending")


async def _state(client: httpx.AsyncClient, task_id: str, kind: str, state: str) -> None:
    reply = (await client.post("/graphql", json={"query": ASSETS, "variables": {"id": task_id}})).json()
    kinds = {a["kind"]: a["state"] for a in reply["data"]["task"]["clips"][0]["assets"]}
    assert kinds.get(kind) == state, kinds
