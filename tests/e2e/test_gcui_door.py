"""gcui-art/suno-api's /api/* door end to end: a client written against gcui's README flow, unchanged,
against the served app on the simulator; bad input on every route in gcui's error shape; auth."""

from __future__ import annotations

from typing import Any

import httpx

from rest_compat.gcui.docs import README_CUSTOM_GENERATE, README_GENERATE, README_LYRICS
from suno.config import Settings
from tests.support.app import running_app
from tests.support.eventually import eventually


class GcuiClient:
    """The functions of gcui's README Python example, on httpx (its `requests` calls, async)."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def custom_generate_audio(self, payload: dict[str, Any]) -> Any:
        response = await self.http.post("/api/custom_generate", json=payload)
        return response.json()

    async def extend_audio(self, payload: dict[str, Any]) -> Any:
        response = await self.http.post("/api/extend_audio", json=payload)
        return response.json()

    async def generate_audio_by_prompt(self, payload: dict[str, Any]) -> Any:
        response = await self.http.post("/api/generate", json=payload)
        return response.json()

    async def get_audio_information(self, audio_ids: str) -> Any:
        response = await self.http.get(f"/api/get?ids={audio_ids}")
        return response.json()

    async def get_quota_information(self) -> Any:
        response = await self.http.get("/api/get_limit")
        return response.json()

    async def get_clip(self, clip_id: str) -> Any:
        response = await self.http.get(f"/api/clip?id={clip_id}")
        return response.json()

    async def generate_lyrics(self, payload: dict[str, Any]) -> Any:
        response = await self.http.post("/api/generate_lyrics", json=payload)
        return response.json()


AUDIO_INFO_FIELDS = {
    "id",
    "title",
    "image_url",
    "lyric",
    "audio_url",
    "video_url",
    "created_at",
    "model_name",
    "status",
    "gpt_description_prompt",
    "prompt",
    "type",
    "tags",
    "negative_tags",
    "duration",
    "error_message",
}


async def test_gcui_readme_flow_runs_unchanged_against_sunoql(settings: Settings) -> None:
    async with (
        running_app(settings) as served,
        httpx.AsyncClient(base_url=served.base_url, timeout=120) as http,
    ):
        client = GcuiClient(http)
        data = await client.custom_generate_audio(README_CUSTOM_GENERATE)
        assert isinstance(data, list) and len(data) == 2, data
        assert all(set(clip) == AUDIO_INFO_FIELDS for clip in data)
        assert all(clip["status"] in ("streaming", "complete") for clip in data), data
        ids = f"{data[0]['id']},{data[1]['id']}"

        async def finished() -> list[dict[str, Any]]:
            clips = await client.get_audio_information(ids)
            assert [clip["status"] for clip in clips] == ["complete", "complete"], clips
            return list(clips)

        clips = await eventually(finished, timeout=30, interval=0.05)
        assert [clip["id"] for clip in clips] == ids.split(",")
        assert clips[0]["title"] == README_CUSTOM_GENERATE["title"]
        audio = await http.get(clips[0]["audio_url"])
        assert audio.status_code == 200 and audio.content

        quota = await client.get_quota_information()
        assert set(quota) == {"credits_left", "period", "monthly_limit", "monthly_usage"}
        assert isinstance(quota["credits_left"], int)

        lyrics = await client.generate_lyrics(README_LYRICS)
        assert lyrics["status"] == "complete" and lyrics["text"], lyrics

        extended = await client.extend_audio(
            {"audio_id": clips[0]["id"], "continue_at": 10, "prompt": "[Bridge]\nmore", "tags": "pop"}
        )
        assert isinstance(extended, list) and len(extended) == 2, extended
        assert not {clip["id"] for clip in extended} & set(ids.split(","))

        one = await client.get_clip(clips[0]["id"])
        assert one["id"] == clips[0]["id"] and one["audio_url"] == clips[0]["audio_url"]

        described = await client.generate_audio_by_prompt(README_GENERATE)
        assert isinstance(described, list) and len(described) == 2, described

        latest = (await http.get("/api/get")).json()
        latest_ids = [clip["id"] for clip in latest]
        assert {clip["id"] for clip in described} <= set(latest_ids)
        assert set(ids.split(",")) <= set(latest_ids)
        assert (await http.get("/api/get?page=5")).json() == []

        schema = (await http.get("/openapi.json")).json()
    for path in (
        "generate",
        "custom_generate",
        "extend_audio",
        "generate_lyrics",
        "get",
        "clip",
        "get_limit",
    ):
        assert f"/api/{path}" in schema["paths"], path


TOO_MANY_IDS = ",".join(f"clip-{number}" for number in range(101))
# (method, path, body: JSON value, raw bytes or None, expected status)
BAD_INPUT: list[tuple[str, str, Any, int]] = [
    ("POST", "/api/generate", {}, 400),
    ("POST", "/api/generate", {"prompt": ""}, 400),
    ("POST", "/api/generate", {"prompt": 5}, 400),
    ("POST", "/api/generate", {"prompt": "x" * 3001}, 400),
    ("POST", "/api/generate", {"prompt": "a song", "model": "no such model!"}, 400),
    ("POST", "/api/generate", {"prompt": "a song", "wait_audio": "yes"}, 400),
    ("POST", "/api/generate", b"not json", 400),
    ("POST", "/api/generate", b"[1, 2]", 400),
    ("POST", "/api/generate", b"", 400),
    ("POST", "/api/generate", b'{"prompt": "' + b"x" * (1024 * 1024) + b'"}', 413),
    ("POST", "/api/custom_generate", {"prompt": ""}, 400),
    ("POST", "/api/custom_generate", {"prompt": "la", "tags": 3}, 400),
    ("POST", "/api/custom_generate", {"prompt": "la", "title": "t" * 201}, 400),
    ("POST", "/api/custom_generate", b'{"prompt": "\\ud800"}', 400),
    ("POST", "/api/extend_audio", {}, 400),
    ("POST", "/api/extend_audio", {"audio_id": "clip-1"}, 400),
    ("POST", "/api/extend_audio", {"audio_id": " ", "continue_at": 1}, 400),
    ("POST", "/api/extend_audio", {"audio_id": "clip-1", "continue_at": -1}, 400),
    ("POST", "/api/extend_audio", {"audio_id": "clip-1", "continue_at": "10"}, 400),
    ("POST", "/api/generate_lyrics", {}, 400),
    ("POST", "/api/generate_lyrics", {"prompt": "  "}, 400),
    ("POST", "/api/generate_lyrics", {"prompt": ["a"]}, 400),
    ("GET", f"/api/get?ids={TOO_MANY_IDS}", None, 400),
    ("GET", f"/api/get?ids={'x' * 129}", None, 400),
    ("GET", "/api/get?page=x", None, 400),
    ("GET", "/api/get?page=-1", None, 400),
    ("GET", "/api/get?page=%C2%B2", None, 400),
    ("GET", "/api/get?page=101", None, 400),
    ("GET", "/api/clip", None, 400),
    ("GET", "/api/clip?id=", None, 400),
    ("GET", "/api/clip?id=no-such-clip", None, 404),
    ("GET", f"/api/clip?id={'x' * 129}", None, 400),
    ("POST", "/api/concat", {"clip_id": "clip-1"}, 400),
    ("POST", "/api/concat", {}, 400),
    ("POST", "/api/generate_stems", {"audio_id": 3}, 400),
    ("GET", "/api/get_aligned_lyrics", None, 400),
    ("GET", "/api/persona?id=nobody", None, 400),
    ("GET", "/api/persona?id=p&page=0", None, 400),
]


async def test_bad_input_gets_gcuis_error_shape_never_a_500(settings: Settings) -> None:
    async with (
        running_app(settings) as served,
        httpx.AsyncClient(base_url=served.base_url, timeout=30) as http,
    ):
        seen = []
        for method, path, body, _ in BAD_INPUT:
            if isinstance(body, bytes):
                reply = await http.request(method, path, content=body)
            else:
                reply = await http.request(method, path, json=body)
            seen.append((method, path[:60], str(body)[:60], reply.status_code, reply.json()))
        unknown = await http.get("/api/get?ids=no-such-clip")
    wrong = [entry for entry, (*_, status) in zip(seen, BAD_INPUT, strict=True) if entry[3] != status]
    assert not wrong, wrong
    for *_, answer in seen:
        assert set(answer) == {"error"} and isinstance(answer["error"], str) and answer["error"], answer
    assert unknown.status_code == 200 and unknown.json() == []
    # Messages name gcui's fields, not the core's.
    messages = {(entry[1], entry[2]): entry[4]["error"] for entry in seen}
    assert messages[("/api/generate", str({"prompt": "a song", "model": "no such model!"}))].startswith(
        "model "
    )
    assert "continue_at" in messages[("/api/extend_audio", str({"audio_id": "clip-1"}))]


SECURED_ROUTES = [
    ("POST", "/api/generate"),
    ("POST", "/api/custom_generate"),
    ("POST", "/api/extend_audio"),
    ("POST", "/api/generate_lyrics"),
    ("GET", "/api/get"),
    ("GET", "/api/clip?id=x"),
    ("GET", "/api/get_limit"),
    ("POST", "/api/concat"),
    ("POST", "/api/generate_stems"),
    ("GET", "/api/get_aligned_lyrics?song_id=x"),
    ("GET", "/api/persona?id=x"),
]


async def test_without_the_secret_token_every_route_answers_401(settings: Settings) -> None:
    secured = settings.with_overrides(secret_token="gcui-secret")
    async with (
        running_app(secured) as served,
        httpx.AsyncClient(base_url=served.base_url, timeout=30) as http,
    ):
        refused = [
            await http.request(method, path, json={"prompt": "a song"}) for method, path in SECURED_ROUTES
        ]
        wrong = [
            await http.request(method, path, headers={"Authorization": "Bearer nope"})
            for method, path in SECURED_ROUTES
        ]
        let_in = await http.get("/api/get_limit", headers={"Authorization": "Bearer gcui-secret"})
    for reply in refused + wrong:
        assert reply.status_code == 401 and set(reply.json()) == {"error"}, reply.request.url
        assert reply.headers["www-authenticate"] == "Bearer"
    assert let_in.status_code == 200
