"""The REST flow end to end: the served app with its built-in simulator, driven as a legacy client and as new-api."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from rest_compat.legacy.docs import NEW_API_MUSIC, README_CUSTOM_MODE, README_LYRICS
from suno.config import RestEnvelope, Settings
from tests.support.app import running_app
from tests.support.eventually import eventually


async def poll_until_done(
    client: httpx.AsyncClient, ids: list[str], *, every: float = 0.05
) -> list[dict[str, Any]]:
    """What a relay does: POST /suno/fetch with the unfinished ids until none is left."""
    done: dict[str, dict[str, Any]] = {}

    async def sweep() -> list[dict[str, Any]]:
        pending = [task_id for task_id in ids if task_id not in done]
        if pending:
            reply = await client.post("/suno/fetch", json={"ids": pending})
            if reply.status_code != 200:
                pytest.fail(reply.text)  # at once, not retried
            for item in reply.json()["data"]:
                if item["task_id"] not in pending:
                    pytest.fail(f"never an id that was not asked for: {item['task_id']}")
                if item["status"] in ("SUCCESS", "FAILURE"):
                    done[item["task_id"]] = item
        assert set(done) == set(ids), f"still unfinished: {sorted(set(ids) - set(done))}"
        return [done[task_id] for task_id in ids]

    return await eventually(sweep, timeout=20, interval=every)


async def test_a_song_goes_from_submit_to_playable_clips_over_rest(settings: Settings) -> None:
    async with (
        running_app(settings) as served,
        httpx.AsyncClient(base_url=served.base_url, timeout=30) as client,
    ):
        submitted = await client.post("/suno/submit/music", json=README_CUSTOM_MODE)
        task_id = submitted.json()["data"]
        [item] = await poll_until_done(client, [task_id])
        clips = (await client.get(f"/suno/fetch/{task_id}")).json()["data"]
        audio = await client.get(clips[0]["audio_url"])
    assert submitted.status_code == 200
    assert item["status"] == "SUCCESS" and item["progress"] == "100%"
    assert len(clips) == 2 and all(clip["audio_url"].startswith("http") for clip in clips)
    assert audio.status_code == 200 and audio.content[:4] in (
        b"RIFF",
        b"ID3\x03",
        b"ID3\x04",
        b"\xff\xfb\x90\x00",
    )


async def test_lyrics_submit_returns_after_the_lyrics_exist(settings: Settings) -> None:
    async with (
        running_app(settings) as served,
        httpx.AsyncClient(base_url=served.base_url, timeout=30) as client,
    ):
        reply = await client.post("/suno/submit/lyrics", json=README_LYRICS)
        # Nothing polled in between: the lyrics are there the moment the id comes back.
        lyrics = (await client.get(f"/suno/fetch/{reply.json()['data']}")).json()["data"]
    assert reply.status_code == 200
    assert lyrics["status"] == "complete" and lyrics["text"]


async def test_new_api_as_a_suno_channel_submits_and_sweeps_in_the_relay_envelope(settings: Settings) -> None:
    relay = settings.with_overrides(rest_envelope=RestEnvelope.RELAY, secret_token="channel-key")
    headers = {"Authorization": "Bearer channel-key"}
    async with (
        running_app(relay) as served,
        httpx.AsyncClient(base_url=served.base_url, headers=headers, timeout=30) as client,
    ):
        submits = [await client.post("/suno/submit/music", json=NEW_API_MUSIC) for _ in range(3)]
        lyrics = await client.post("/suno/submit/lyrics", json={"prompt": "rain on neon"})
        for reply in [*submits, lyrics]:
            assert (
                reply.status_code == 200
                and reply.json()["code"] == "success"
                and reply.json()["message"] == ""
            )
        ids = [reply.json()["data"] for reply in [*submits, lyrics]]
        items = await poll_until_done(client, ids)
    assert [item["status"] for item in items] == ["SUCCESS"] * 4
    assert [item["action"] for item in items] == ["MUSIC"] * 3 + ["LYRICS"]
    assert all(len(item["data"]) == 2 for item in items[:3]) and items[3]["data"]["text"]


async def test_a_lyrics_caller_who_leaves_releases_the_wait_and_the_lyrics_still_come(
    settings: Settings,
) -> None:
    # Lyrics take far longer than the caller waits: the legacy profile's submit + poll (cowrite answers at once).
    slow = settings.with_overrides(simulator_speed=0.2, suno_protocol="legacy")
    async with running_app(slow) as served:
        hub = served.runtime.service.hub
        async with httpx.AsyncClient(base_url=served.base_url, timeout=0.5) as impatient:
            with pytest.raises(httpx.ReadTimeout):
                await impatient.post("/suno/submit/lyrics", json={"prompt": "rain on the roof"})
        await eventually(lambda: hub.subscriber_count == 0)
        assert hub.subscriber_count == 0  # the server stopped waiting for nobody
        page = await served.runtime.service.list_tasks()
        [task] = page.tasks
        assert not task.is_terminal  # the lyrics task goes on


async def test_web2026_lyrics_are_written_at_once_through_cowrite(settings: Settings) -> None:
    slow = settings.with_overrides(simulator_speed=0.2, suno_protocol="web2026")  # no polling involved
    async with (
        running_app(slow) as served,
        httpx.AsyncClient(base_url=served.base_url, timeout=5) as client,
    ):
        reply = await client.post("/suno/submit/lyrics", json={"prompt": "rain on the roof"})
        assert reply.status_code == 200, reply.text
        [task] = (await served.runtime.service.list_tasks()).tasks
        assert (
            task.status.value == "SUCCESS"
            and task.lyrics is not None
            and "rain on the roof" in task.lyrics.text
        )


async def test_the_relay_routes_answer_in_sunos_own_shapes(settings: Settings) -> None:
    async with (
        running_app(settings) as served,
        httpx.AsyncClient(base_url=served.base_url, timeout=30) as client,
    ):
        generated = await client.post("/suno/generate", json=README_CUSTOM_MODE)
        reply = generated.json()
        ids = ",".join(clip["id"] for clip in reply["clips"])

        async def finished() -> list[dict[str, Any]]:
            feed = await client.get(f"/suno/feed/{ids}")
            assert feed.status_code == 200, feed.text
            clips: list[dict[str, Any]] = feed.json()
            assert [clip["status"] for clip in clips] == ["complete", "complete"], clips
            return clips

        clips = await eventually(finished, timeout=20, interval=0.05)
        task = (await client.get(f"/suno/fetch/{reply['id']}")).json()["data"]
        unknown = await client.get("/suno/feed/no-such-clip")
        too_many = await client.get("/suno/feed/" + ",".join(f"c{number}" for number in range(101)))
        not_json = await client.post("/suno/generate", content=b"nope")
    assert generated.status_code == 200 and set(reply) == {"id", "clips"} and len(reply["clips"]) == 2
    assert [clip["id"] for clip in clips] == ids.split(",")
    assert clips[0]["audio_url"] == task[0]["audio_url"] and clips[0]["title"] == README_CUSTOM_MODE["title"]
    assert unknown.json() == []
    assert too_many.status_code == 400 and too_many.json()["code"] == 400
    assert not_json.status_code == 400 and not_json.json()["data"] is None
