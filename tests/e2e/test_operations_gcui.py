"""gcui-art's song-operation routes (/api/concat, /api/generate_stems, /api/get_aligned_lyrics, /api/persona)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from suno.config import Settings
from tests.support.eventually import eventually
from tests.support.operations import gql, song, two_account_app


async def complete(http: httpx.AsyncClient, ids: list[str]) -> list[dict[str, Any]]:
    async def check() -> list[dict[str, Any]] | bool:
        clips: list[dict[str, Any]] = (await http.get("/api/get", params={"ids": ",".join(ids)})).json()
        return clips if len(clips) == len(ids) and all(c["status"] == "complete" for c in clips) else False

    found = await eventually(check, timeout=30)
    assert isinstance(found, list)
    return found


async def test_gcui_operations_work_on_the_core(settings: Settings, tmp_path: Path) -> None:
    async with two_account_app(settings, tmp_path) as (sim, _served, http):
        made = await song(http)
        source = made["clips"][0]["id"]
        reply = await http.post(
            "/api/extend_audio", json={"audio_id": source, "continue_at": 3, "prompt": "[Verse]\nmore rain"}
        )
        assert reply.status_code == 200, reply.text
        extended = reply.json()
        done = await complete(http, [extended[0]["id"]])

        whole = await http.post("/api/concat", json={"clip_id": done[0]["id"]})
        assert whole.status_code == 200, whole.text
        assert set(whole.json()) >= {"id", "audio_url", "status", "title"}
        finished = await complete(http, [whole.json()["id"]])
        assert "/assets/clips/" in finished[0]["audio_url"]

        stems = await http.post("/api/generate_stems", json={"audio_id": source})
        assert stems.status_code == 200 and len(stems.json()) == 12
        assert sim.state.operations.bodies[-1]["task"] == "gen_stem"

        words = await http.get("/api/get_aligned_lyrics", params={"song_id": source})
        assert words.status_code == 200
        assert [w["word"] for w in words.json()][:4] == ["rain", "on", "the", "window"]
        assert set(words.json()[0]) == {"word", "start_s", "end_s", "success", "p_align"}

        body = await gql(
            http,
            "mutation($input: CreatePersonaInput!) { createPersona(input: $input) { id } }",
            input={"clipId": source, "name": "Rainy"},
        )
        persona_id = body["data"]["createPersona"]["id"]
        page = await http.get("/api/persona", params={"id": persona_id, "page": 1})
        assert page.status_code == 200, page.text
        reply = page.json()
        assert reply["persona"]["id"] == persona_id and reply["current_page"] == 1
        assert [item["clip"]["id"] for item in reply["persona"]["persona_clips"]] == [source]
        assert reply["total_results"] == 1 and reply["is_following"] is False

        refused = await http.post("/api/concat", json={"clip_id": "no-such-clip"})
        assert refused.status_code == 400 and set(refused.json()) == {"error"}
