"""Song operations end to end over the original REST door (/suno/*), on a two-account simulator pool."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import httpx

from rest_compat.legacy.operations import SUBMIT_ACTIONS
from suno.config import Settings
from tests.support.app import app_client
from tests.support.eventually import eventually
from tests.support.operations import paid_operations, song, two_account_app, wav_bytes


async def fetched(http: httpx.AsyncClient, task_id: str) -> dict[str, Any]:
    async def check() -> dict[str, Any] | bool:
        items = (await http.post("/suno/fetch", json={"ids": [task_id]})).json()["data"]
        return items[0] if items and items[0]["status"] in ("SUCCESS", "FAILURE") else False

    item = await eventually(check, timeout=30)
    assert isinstance(item, dict)
    return item


async def submit(http: httpx.AsyncClient, path: str, **body: Any) -> dict[str, Any]:
    reply = await http.post(f"/suno/submit/{path}", json=body)
    assert reply.status_code == 200, reply.text
    return await fetched(http, reply.json()["data"])


async def test_every_operation_runs_from_rest_and_ends_with_playable_files(
    settings: Settings, tmp_path: Path
) -> None:
    async with two_account_app(settings, tmp_path) as (sim, _served, http):
        made = await song(http)
        source = made["clips"][0]["id"]
        owner = sim.state.clips[source].account
        results = {
            "extend": await submit(http, "extend", clip_id=source, continue_at=3, prompt="[Verse]\nmore"),
            "cover": await submit(http, "cover", clip_id=source, tags="jazz"),
            "stems": await submit(http, "stems", clip_id=source, group="Drums"),
            "remaster": await submit(http, "remaster", clip_id=source, variation="subtle"),
            "add-instrumental": await submit(http, "add-instrumental", clip_id=source, tags="strings"),
            "video": await submit(http, "video", clip_id=source),
        }
        results["concat"] = await submit(http, "concat", clip_id=results["extend"]["data"][0]["id"])
        for path, item in results.items():
            assert item["status"] == "SUCCESS", (path, item)
            assert (
                item["action"] == path.upper().replace("-", "_")
                if path != "stems"
                else item["action"] == "STEMS"
            )
            clip = item["data"][0]
            link = clip["video_url"] if path == "video" else clip["audio_url"]
            assert "/assets/clips/" in link, (path, clip)
            assert await eventually(functools.partial(_playable, http, link), timeout=20)
        assert all(sim.state.clips[item["data"][0]["id"]].account == owner for item in results.values())


async def _playable(http: httpx.AsyncClient, link: str) -> bool:
    reply = await http.get(link)
    return reply.status_code == 200 and len(reply.content) > 0


async def test_rest_refuses_bad_operations_in_the_envelope_before_paying(
    settings: Settings, tmp_path: Path
) -> None:
    async with two_account_app(settings, tmp_path) as (sim, _served, http):
        made = await song(http)
        source = made["clips"][0]["id"]
        for path, body in [
            ("extend", {}),
            ("extend", {"clip_id": 5}),
            ("cover", {"clip_id": source, "model": "chirp-v3-5"}),
            ("add-vocals", {"clip_id": source}),
            ("stems", {"clip_id": source, "group": "Kazoo"}),
            ("concat", {"clip_id": source, "prompt": "no"}),
            ("video", {"clip_id": source, "unknown": 1}),
        ]:
            reply = await http.post(f"/suno/submit/{path}", json=body)
            assert reply.status_code == 400, (path, body, reply.text)
            envelope = reply.json()
            assert envelope["code"] == 400 and envelope["data"] is None and envelope["message"]
        bad = await http.post(
            "/suno/submit/extend", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert bad.status_code == 400
        assert paid_operations(sim) == 0


async def test_upload_persona_and_timed_lyrics_over_rest(settings: Settings, tmp_path: Path) -> None:
    async with two_account_app(settings, tmp_path) as (sim, _served, http):
        reply = await http.post(
            "/suno/upload", files={"file": ("take.wav", wav_bytes(), "audio/wav")}, data={"title": "Take"}
        )
        assert reply.status_code == 200, reply.text
        uploaded = await fetched(http, reply.json()["data"])
        assert uploaded["status"] == "SUCCESS" and uploaded["action"] == "UPLOAD"
        clip_id = uploaded["data"][0]["id"]
        extended = await submit(http, "extend", clip_id=clip_id, continue_at=2)
        assert extended["status"] == "SUCCESS" and sim.state.operations.bodies[-1]["task"] == "upload_extend"

        refused = await http.post(
            "/suno/upload", files={"file": ("x.exe", b"MZ", "application/octet-stream")}
        )
        assert refused.status_code == 400 and "must be one of" in refused.json()["message"]
        neither = await http.post("/suno/upload", json={"title": "no url"})
        assert neither.status_code == 400

        made = await song(http)
        source = made["clips"][0]["id"]
        persona = (await http.post("/suno/persona", json={"clip_id": source, "name": "Rainy"})).json()["data"]
        assert persona["clip_id"] == source and persona["id"]
        listed = (await http.get("/suno/personas")).json()["data"]
        assert [p["id"] for p in listed] == [persona["id"]]
        missing = await http.post("/suno/persona", json={"clip_id": "nope", "name": "X"})
        assert missing.status_code == 400

        timed = (await http.get(f"/suno/lyrics/aligned/{source}")).json()["data"]
        assert timed["lines"][0]["text"] == "rain on the window" and timed["words"][0]["start"] == 0
        assert timed["lrc"].startswith("[00:00.00]rain on the window\n")
        async with httpx.AsyncClient() as plain:  # the signed link needs no header
            linked = await plain.get(timed["lrc_url"])
        assert linked.status_code == 200 and linked.text == timed["lrc"]
        assert linked.headers["content-type"].startswith("application/x-lrc")
        unreadable = await http.post(
            "/suno/upload", content=b"{}", headers={"content-type": "multipart/form-data"}
        )
        assert unreadable.status_code == 400 and unreadable.json()["data"] is None


async def test_the_relay_native_cover_body_is_a_cover(settings: Settings, tmp_path: Path) -> None:
    async with two_account_app(settings, tmp_path) as (sim, _served, http):
        made = await song(http)
        source = made["clips"][0]["id"]
        reply = await http.post(
            "/suno/submit/music",
            json={"task": "cover", "cover_clip_id": source, "tags": "lofi", "mv": "chirp-v4"},
        )
        assert reply.status_code == 200, reply.text
        item = await fetched(http, reply.json()["data"])
        assert item["action"] == "COVER" and item["status"] == "SUCCESS"
        assert sim.state.operations.bodies[-1]["mv"] == "chirp-v4"
        bad = await http.post("/suno/submit/music", json={"task": "gen_stem", "continue_clip_id": source})
        assert bad.status_code == 400 and "not supported here" in bad.json()["message"]


async def test_a_song_and_its_stems_spend_one_download(settings: Settings, tmp_path: Path) -> None:
    options = {"unlocked": False, "plain_media": False}
    async with two_account_app(settings, tmp_path, options, asset_auto_unlock=True) as (sim, _s, http):
        # A song made on suno.com, never downloaded: its stems are unlocked through it, once.
        outside = sim.state.new_clip(
            "alice", prompt="[Verse]\nmade elsewhere", title="Elsewhere", unlocked=False
        )
        outside.created_at -= 60
        stems = await submit(http, "stems", clip_id=outside.id)
        assert len(stems["data"]) == 12
        for clip in stems["data"]:
            assert await eventually(functools.partial(_playable, http, clip["audio_url"]), timeout=30)
        assert sim.state.account("alice").download_usage == 1 and outside.unlocked


async def test_every_operation_route_needs_the_secret_token(settings: Settings) -> None:
    routes = [
        *(("POST", f"/suno/submit/{path}") for path in SUBMIT_ACTIONS),
        ("POST", "/suno/upload"),
        ("POST", "/suno/persona"),
        ("GET", "/suno/personas"),
        ("GET", "/suno/lyrics/aligned/x"),
    ]
    async with app_client(settings.with_overrides(secret_token="ops-secret")) as http:
        for method, path in routes:
            refused = await http.request(method, path, json={"clip_id": "x"})
            assert refused.status_code == 401, path
            assert refused.json()["data"] is None and refused.json()["code"] == 401
        allowed = await http.get("/suno/personas", headers={"Authorization": "Bearer ops-secret"})
        assert allowed.status_code == 200 and allowed.json()["data"] == []
