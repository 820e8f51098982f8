"""GraphQL clips carry the playable links REST shows, at once, over HTTP and WebSocket alike."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from gql import Client, gql
from gql.transport.websockets import WebsocketsTransport

from suno.config import Settings
from tests.support.app import RunningApp, running_app
from tests.support.eventually import eventually

TASK = "query($id: ID!) { task(id: $id) { status clips { id assets { kind state url } } } }"
LINKS = (
    "id audioUrl imageUrl imageLargeUrl videoUrl "
    "upstreamAudioUrl upstreamImageUrl upstreamImageLargeUrl upstreamVideoUrl assets { kind url }"
)
GENERATE = 'mutation { generateMusic(input: {prompt: "[Verse]\\nla"}) { id } }'


async def finished_song(client: httpx.AsyncClient, fields: str = LINKS) -> tuple[str, dict[str, Any]]:
    """A song made through GraphQL, once SUCCESS: its id and the `task` query's answer."""
    created = await client.post("/graphql", json={"query": GENERATE})
    task_id = str(created.json()["data"]["generateMusic"]["id"])
    query = f"query($id: ID!) {{ task(id: $id) {{ status clips {{ {fields} }} }} }}"

    async def finished() -> dict[str, Any]:
        reply = (await client.post("/graphql", json={"query": query, "variables": {"id": task_id}})).json()
        assert reply["data"]["task"]["status"] == "SUCCESS", f"the song did not finish: {reply}"
        return dict(reply["data"]["task"])

    return task_id, await eventually(finished, interval=0.05)


async def subscribed_clips(app: RunningApp, task_id: str) -> list[dict[str, Any]]:
    """The clips of the last taskProgress snapshot, over a real WebSocket."""
    follow = gql(f"subscription($id: ID!) {{ taskProgress(id: $id) {{ status clips {{ {LINKS} }} }} }}")
    snapshots = []
    async with Client(transport=WebsocketsTransport(url=f"{app.ws_url}/graphql")) as session:
        async for result in session.subscribe(follow, variable_values={"id": task_id}):
            snapshots.append(result["taskProgress"])
    assert snapshots[-1]["status"] == "SUCCESS"
    return list(snapshots[-1]["clips"])


def audio_asset_url(clip: dict[str, Any]) -> str:
    return str(next(asset["url"] for asset in clip["assets"] if asset["kind"] == "audio"))


async def test_a_finished_song_shows_pending_links_before_the_mirror_has_rows(settings: Settings) -> None:
    async with running_app(settings) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        assets = served.runtime.assets
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


async def test_graphql_and_rest_show_the_same_links_for_the_same_finished_song(settings: Settings) -> None:
    async with (
        running_app(settings.with_overrides(simulator_era="2026")) as served,
        httpx.AsyncClient(base_url=served.base_url) as client,
    ):
        task_id, task = await finished_song(client)
        rest = (await client.get(f"/suno/fetch/{task_id}")).json()["data"]
    by_id = {clip["id"]: clip for clip in rest}
    assert len(task["clips"]) == 2 and set(by_id) == {clip["id"] for clip in task["clips"]}
    for clip in task["clips"]:
        shown = by_id[clip["id"]]
        assert (clip["audioUrl"], clip["imageUrl"], clip["imageLargeUrl"], clip["videoUrl"]) == (
            shown["audio_url"],
            shown["image_url"],
            shown["image_large_url"],
            shown.get("video_url") or None,  # no video: Suno's "" is null in GraphQL, as it always was
        )
        assert clip["audioUrl"] == audio_asset_url(clip)
        assert f"/assets/clips/{clip['id']}/audio.mp3?" in clip["audioUrl"]
        # Suno's own values, as REST keeps them: the 2026 placeholder that answers 403.
        assert clip["upstreamAudioUrl"] == shown["upstream_audio_url"]
        assert clip["upstreamAudioUrl"].endswith("/api/forbidden")
        assert (clip["upstreamImageUrl"], clip["upstreamImageLargeUrl"]) == (
            shown["upstream_image_url"],
            shown["upstream_image_large_url"],
        )


async def test_links_in_a_subscription_are_http_links_like_over_http(settings: Settings) -> None:
    async with running_app(settings) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        task_id, task = await finished_song(client)
        over_websocket = await subscribed_clips(served, task_id)
    over_http = {clip["id"]: clip for clip in task["clips"]}
    for clip in over_websocket:
        links = [clip["audioUrl"], clip["imageUrl"], *(asset["url"] for asset in clip["assets"])]
        assert all(link.startswith(f"{served.base_url}/assets/clips/") for link in links), links
        assert served.base_url.startswith("http://")
        assert clip["audioUrl"] == over_http[clip["id"]]["audioUrl"]
        assert clip["assets"] == over_http[clip["id"]]["assets"]


@pytest.mark.parametrize("public_base_url", ["https://music.example.org", "https://music.example.org/"])
async def test_links_in_a_subscription_use_public_base_url_when_set(
    settings: Settings, public_base_url: str
) -> None:
    configured = settings.with_overrides(public_base_url=public_base_url)
    async with running_app(configured) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        task_id, _ = await finished_song(client, fields="id")
        over_websocket = await subscribed_clips(served, task_id)
    for clip in over_websocket:
        links = [clip["audioUrl"], clip["imageUrl"], *(asset["url"] for asset in clip["assets"])]
        assert all(link.startswith("https://music.example.org/assets/clips/") for link in links), links


async def test_the_links_of_a_page_of_finished_songs_take_one_asset_query_at_most(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_app(settings) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        assets = served.runtime.assets
        await assets.mirror.stop()  # only the query below reads asset rows
        ids = [(await finished_song(client, fields="id"))[0] for _ in range(3)]
        original = assets.store.for_clips
        queried: list[list[str]] = []

        async def counting_for_clips(clip_ids: list[str]) -> Any:
            queried.append(list(clip_ids))
            return await original(clip_ids)

        monkeypatch.setattr(assets.store, "for_clips", counting_for_clips)
        page = "query($ids: [ID!]) { tasks(ids: $ids) { nodes { clips { id audioUrl imageUrl assets { url } } } } }"
        body = (await client.post("/graphql", json={"query": page, "variables": {"ids": ids}})).json()
        with_rows = list(queried)
        queried.clear()
        links_only = page.replace(" assets { url }", "")
        plain = (await client.post("/graphql", json={"query": links_only, "variables": {"ids": ids}})).json()
    clips = [clip for node in body["data"]["tasks"]["nodes"] for clip in node["clips"]]
    assert len(clips) == 6 and all("/assets/clips/" in clip["audioUrl"] for clip in clips)
    assert len(with_rows) == 1 and sorted(with_rows[0]) == sorted(clip["id"] for clip in clips)
    # The audio and cover links are the same whatever the rows say: no query at all for them.
    assert [{k: clip[k] for k in ("id", "audioUrl", "imageUrl")} for clip in clips] == [
        clip for node in plain["data"]["tasks"]["nodes"] for clip in node["clips"]
    ]
    assert queried == []
