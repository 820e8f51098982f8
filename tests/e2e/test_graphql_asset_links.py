"""A finished song's GraphQL clips carry their playable links at once, even before the mirror wrote its rows."""

from __future__ import annotations

import httpx

from suno.assets.runtime import assets_of
from suno.config import Settings
from tests.support.app import running_app
from tests.support.eventually import eventually

TASK = "query($id: ID!) { task(id: $id) { status clips { id assets { kind state url } } } }"


async def test_a_finished_song_shows_pending_links_before_the_mirror_has_rows(settings: Settings) -> None:
    async with running_app(settings) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        assets = assets_of(served.runtime.service)
        assert assets is not None
        await assets.mirror.stop()  # the mirror is slow today: nothing is written
        created = await client.post(
            "/graphql", json={"query": 'mutation { generateMusic(input: {prompt: "[Verse]\\nla"}) { id } }'}
        )
        task_id = created.json()["data"]["generateMusic"]["id"]

        async def finished():
            task = (await client.post("/graphql", json={"query": TASK, "variables": {"id": task_id}})).json()
            assert task["data"]["task"]["status"] == "SUCCESS", task
            return task

        task = await eventually(finished, interval=0.05)
    clips = task["data"]["task"]["clips"]
    assert len(clips) == 2
    for clip in clips:
        kinds = {asset["kind"]: asset for asset in clip["assets"]}
        assert {"audio", "image"} <= set(kinds)
        assert kinds["audio"]["state"] == "pending"
        assert f"/assets/clips/{clip['id']}/audio" in kinds["audio"]["url"]
