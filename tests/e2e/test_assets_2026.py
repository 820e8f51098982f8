"""The 2026 media change end to end: songs submitted through REST and GraphQL play through the link sunoql gives.

The served app runs its built-in simulator in the 2026 era: finished clips carry the placeholder
`audio_url` (403, XML) and `media_urls` with an encrypted item. The test downloads each song through
the returned link without any Authorization header and compares it, byte for byte, with the audio the
simulator generated.
"""

from __future__ import annotations

import html
import re
from typing import Any

import httpx

from simulator.media import clip_wav
from suno.config import Settings
from tests.support.app import running_app
from tests.support.eventually import eventually

TOKEN = "e2e-assets-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SONG = {"prompt": "[Verse]\nneon rain", "title": "Neon Rain", "tags": "synthwave", "mv": "chirp-fenix"}
GENERATE = """
mutation Generate($input: GenerateMusicInput!) { generateMusic(input: $input) { id status } }
"""
TASK = """
query Task($id: ID!) {
  task(id: $id) { status clips { id audioUrl upstreamAudioUrl assets { kind state reason url contentType size } } }
}
"""


async def rest_song(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    task_id = (await client.post("/suno/submit/music", json=SONG, headers=AUTH)).json()["data"]

    async def ended() -> dict[str, Any]:
        [item] = (await client.post("/suno/fetch", json={"ids": [task_id]}, headers=AUTH)).json()["data"]
        assert item["status"] in ("SUCCESS", "FAILURE"), item
        return dict(item)

    item = await eventually(ended, timeout=30, interval=0.05)
    assert item["status"] == "SUCCESS", item
    clips = (await client.get(f"/suno/fetch/{task_id}", headers=AUTH)).json()["data"]
    assert clips == item["data"]
    return list(clips)


async def graphql(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    reply = await client.post("/graphql", json={"query": query, "variables": variables}, headers=AUTH)
    body = reply.json()
    assert reply.status_code == 200 and "errors" not in body, body
    return dict(body["data"])


async def graphql_song(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    song = {"prompt": SONG["prompt"], "title": SONG["title"], "tags": SONG["tags"], "model": SONG["mv"]}
    task_id = (await graphql(client, GENERATE, input=song))["generateMusic"]["id"]

    async def playable() -> list[dict[str, Any]]:
        task = (await graphql(client, TASK, id=task_id))["task"]
        audio = [a for clip in task["clips"] for a in clip["assets"] if a["kind"] == "audio"]
        if task["status"] == "FAILURE":
            raise RuntimeError(f"the song failed: {task}")  # not an AssertionError: no retry
        assert (
            task["status"] == "SUCCESS" and len(audio) == 2 and all(a["state"] == "ready" for a in audio)
        ), f"the song did not become playable: {task}"
        return list(task["clips"])

    return await eventually(playable, timeout=30, interval=0.05)


async def test_songs_from_rest_and_graphql_play_through_the_returned_links_in_the_2026_era(
    settings: Settings,
) -> None:
    configured = settings.with_overrides(simulator_era="2026", secret_token=TOKEN)
    async with (
        running_app(configured) as served,
        httpx.AsyncClient(base_url=served.base_url, timeout=30) as client,
        httpx.AsyncClient(timeout=30) as player,  # an <audio> tag: no Authorization header
    ):
        rest_clips = await rest_song(client)
        graphql_clips = await graphql_song(client)
        rest_audio = [await player.get(clip["audio_url"]) for clip in rest_clips]
        rest_covers = [await player.get(clip["image_url"]) for clip in rest_clips]
        placeholder = await player.get(rest_clips[0]["upstream_audio_url"])
        graphql_audio = [
            await player.get(asset["url"])
            for clip in graphql_clips
            for asset in clip["assets"]
            if asset["kind"] == "audio"
        ]

    assert placeholder.status_code == 403 and placeholder.content.startswith(b"<?xml")
    for clip, audio in zip(rest_clips, rest_audio, strict=True):
        assert clip["upstream_audio_url"].endswith("/api/forbidden")
        assert any("encoding" in item for item in clip["media_urls"])  # Suno's fields kept
        assert audio.status_code == 200 and audio.content == clip_wav(clip["id"])
        assert TOKEN not in clip["audio_url"]
    assert all(cover.status_code == 200 and cover.content.startswith(b"\x89PNG") for cover in rest_covers)
    assert [a.content for a in graphql_audio] == [clip_wav(clip["id"]) for clip in graphql_clips]
    for clip in graphql_clips:
        assert clip["upstreamAudioUrl"].endswith("/api/forbidden")  # Suno's value, untouched
        assert clip["audioUrl"] == next(a["url"] for a in clip["assets"] if a["kind"] == "audio")
        assert sorted(a["kind"] for a in clip["assets"]) == ["audio", "image"]
        assert all(TOKEN not in a["url"] for a in clip["assets"])


async def test_the_chat_reply_links_the_playable_copy_in_the_2026_era(settings: Settings) -> None:
    configured = settings.with_overrides(simulator_era="2026", secret_token=TOKEN)
    chat = {"model": "chirp-fenix", "messages": [{"role": "user", "content": "a song about rain"}]}
    async with (
        running_app(configured) as served,
        httpx.AsyncClient(base_url=served.base_url, timeout=30) as client,
        httpx.AsyncClient(timeout=30) as player,
    ):
        reply = await client.post("/v1/chat/completions", json=chat, headers=AUTH)
        text = reply.json()["choices"][0]["message"]["content"]
        links = re.findall(r"\((http[^)\s]+/assets/clips/([^/]+)/audio\.mp3\?[^)\s]+)\)", text)
        songs = [(clip_id, await player.get(html.unescape(url))) for url, clip_id in links]
    assert reply.status_code == 200 and "/api/forbidden" not in text
    assert len(songs) == 2
    assert all(song.status_code == 200 and song.content == clip_wav(clip_id) for clip_id, song in songs)
