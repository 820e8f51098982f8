"""sunoapi.org's /api/v1/* door end to end on the simulator: a client written against its documentation
generates, polls record-info to SUCCESS, reads credits, makes lyrics and receives its signed callbacks;
bad parameters get the contract's codes (HTTP 200 always, never a 500)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from suno.config import Settings
from tests.support.app import running_app
from tests.support.eventually import eventually
from tests.support.webhook_receiver import TEST_WEBHOOK_SECRET, webhook_receiver

TOKEN = "door-secret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def webhook_settings(settings: Settings, **more: Any) -> Settings:
    values: dict[str, Any] = {
        "secret_token": TOKEN,
        "webhook_secret": TEST_WEBHOOK_SECRET,
        "webhook_allow_private": True,
        "webhook_retry_base": 0.05,
    }
    return settings.with_overrides(**(values | more))


class SunoapiClient:
    """What a client of sunoapi.org's docs does: POST, read data.taskId, poll record-info."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        headers = AUTH | kwargs.pop("headers", {})
        response = await self.http.request(method, f"/api/v1{path}", headers=headers, **kwargs)
        assert response.status_code == 200, response.text  # the contract: HTTP 200, the code in the body
        body: dict[str, Any] = response.json()
        assert set(body) == {"code", "msg", "data"}, body
        return body

    async def wait_for(self, path: str, task_id: str, done: set[str]) -> dict[str, Any]:
        async def finished() -> dict[str, Any]:
            body = await self.call("GET", path, params={"taskId": task_id})
            assert body["code"] == 200 and body["data"]["status"] in done, body
            data: dict[str, Any] = body["data"]
            return data

        return await eventually(finished, timeout=30, message=f"{path} reaches {done}")


async def test_a_documented_client_generates_polls_reads_credits_makes_lyrics_and_gets_callbacks(
    settings: Settings,
) -> None:
    async with (
        webhook_receiver() as receiver,
        running_app(webhook_settings(settings)) as app,
        httpx.AsyncClient(base_url=app.base_url, timeout=30) as http,
    ):
        client = SunoapiClient(http)
        body = {
            "customMode": True,
            "instrumental": False,
            "model": "V5",
            "prompt": "[Verse]\nNight city lights",
            "style": "synthwave",
            "title": "Night City",
            "vocalGender": "f",
            "styleWeight": 0.6,
            "callBackUrl": receiver.url,
        }
        submitted = await client.call("POST", "/generate", json=body)
        assert submitted["code"] == 200 and submitted["msg"] == "success"
        task_id = submitted["data"]["taskId"]
        record = await client.wait_for("/generate/record-info", task_id, {"SUCCESS"})
        assert record["taskId"] == task_id and record["type"] == "GENERATE"
        param = json.loads(record["param"])
        assert param["model"] == "V5" and param["style"] == "synthwave" and param["customMode"] is True
        assert param["vocalGender"] == "f" and param["callBackUrl"] == receiver.url
        songs = record["response"]["sunoData"]
        assert len(songs) == 2
        for song in songs:
            assert {
                "id",
                "audioUrl",
                "streamAudioUrl",
                "imageUrl",
                "prompt",
                "modelName",
                "title",
            } <= set(song)
            assert song["audioUrl"] and isinstance(song["createTime"], int) and song["createTime"] > 1e12
            assert song["title"] == "Night City"

        extend_body = {
            "defaultParamFlag": True,
            "audioId": songs[0]["id"],
            "model": "V5",
            "prompt": "[Bridge]\nlights fade",
            "style": "synthwave",
            "title": "Night City II",
            "continueAt": 10,
        }
        extended = await client.call("POST", "/generate/extend", json=extend_body)
        assert extended["code"] == 200, extended
        extension = await client.wait_for("/generate/record-info", extended["data"]["taskId"], {"SUCCESS"})
        assert extension["type"] == "EXTEND" and extension["parentMusicId"] == songs[0]["id"]
        assert json.loads(extension["param"])["continueAt"] == 10
        missing = await client.call("POST", "/generate/extend", json=extend_body | {"continueAt": None})
        assert missing["code"] == 400 and "continueAt" in missing["msg"]

        wav = await client.call("POST", "/wav/generate", json={"taskId": task_id, "audioId": songs[0]["id"]})
        assert wav["code"] == 200
        wav_id = wav["data"]["taskId"]

        async def wav_ready() -> dict[str, Any]:
            answer = await client.call("GET", "/wav/record-info", params={"taskId": wav_id})
            assert answer["code"] == 200 and answer["data"]["successFlag"] == "SUCCESS", answer
            data: dict[str, Any] = answer["data"]
            return data

        converted = await eventually(wav_ready, timeout=30)
        assert converted["musicId"] == songs[0]["id"]
        lossless = await http.get(converted["response"]["audioWavUrl"])
        assert lossless.status_code == 200 and lossless.content[:4] == b"RIFF"

        credit = await client.call("GET", "/generate/credit")
        assert credit["code"] == 200 and isinstance(credit["data"], int)

        lyrics = await client.call(
            "POST", "/lyrics", json={"prompt": "the sea at night", "callBackUrl": receiver.url}
        )
        lyrics_id = lyrics["data"]["taskId"]
        written = await client.wait_for("/lyrics/record-info", lyrics_id, {"SUCCESS"})
        assert written["response"]["data"] == written["response"]["lyricsData"]
        assert written["response"]["data"][0]["text"]

        def music_hits_of_every_stage() -> list[Any]:
            hits = [hit for hit in receiver.hits if hit.json["data"].get("task_id") == task_id]
            assert len(hits) >= 3, [hit.json for hit in hits]
            return hits

        music_hits = await eventually(music_hits_of_every_stage, timeout=15)
        assert [hit.json["data"]["callbackType"] for hit in music_hits] == ["text", "first", "complete"]
        complete = receiver.verify(music_hits[-1])
        assert complete["code"] == 200 and complete["msg"] == "All generated successfully."
        assert {"id", "audio_url", "stream_audio_url", "image_url", "model_name"} <= set(
            complete["data"]["data"][0]
        )
        lyric_hit = await eventually(
            lambda: [hit for hit in receiver.hits if hit.json["data"].get("taskId") == lyrics_id]
        )
        assert receiver.verify(lyric_hit[0])["data"]["callbackType"] == "complete"


BAD = [
    (
        "POST",
        "/generate",
        {"customMode": False, "instrumental": False, "model": "V9", "prompt": "x"},
        400,
        "model",
    ),
    (
        "POST",
        "/generate",
        {"customMode": True, "instrumental": False, "model": "V5", "prompt": "la"},
        400,
        "style",
    ),
    (
        "POST",
        "/generate",
        {"customMode": True, "instrumental": True, "model": "V5", "style": "a"},
        400,
        "title",
    ),
    (
        "POST",
        "/generate",
        {"customMode": False, "instrumental": False, "model": "V5", "prompt": ""},
        400,
        "prompt",
    ),
    (
        "POST",
        "/generate",
        {"customMode": False, "instrumental": False, "model": "V5", "prompt": "a" * 501},
        413,
        "500",
    ),
    (
        "POST",
        "/generate",
        {
            "customMode": True,
            "instrumental": False,
            "model": "V4",
            "prompt": "a",
            "style": "s" * 201,
            "title": "t",
        },
        413,
        "style",
    ),
    ("POST", "/generate", {"customMode": "yes", "instrumental": False, "model": "V5"}, 400, "customMode"),
    ("POST", "/generate", {"instrumental": False, "model": "V5"}, 400, "customMode"),
    (
        "POST",
        "/generate",
        {"customMode": False, "instrumental": False, "model": "V5", "prompt": "x", "vocalGender": "x"},
        400,
        "vocalGender",
    ),
    (
        "POST",
        "/generate",
        {"customMode": False, "instrumental": False, "model": "V5", "prompt": "x", "styleWeight": 2},
        400,
        "styleWeight",
    ),
    (
        "POST",
        "/generate",
        {"customMode": False, "instrumental": False, "model": "V5", "prompt": "x", "callBackUrl": "ftp://x"},
        400,
        "callBackUrl",
    ),
    ("POST", "/generate/extend", {"defaultParamFlag": False, "audioId": "nope", "model": "V5"}, 404, "nope"),
    ("GET", "/generate/record-info", None, 400, "taskId"),
    ("GET", "/generate/record-info?taskId=missing", None, 404, "missing"),
    ("GET", "/lyrics/record-info?taskId=missing", None, 404, "missing"),
    ("POST", "/lyrics", {"prompt": " "}, 400, "prompt"),
    ("POST", "/lyrics", {"prompt": "word " * 201}, 413, "200 words"),
    ("POST", "/wav/generate", {"taskId": "x", "audioId": "y"}, 404, "y"),
    ("GET", "/wav/record-info?taskId=wav-nope", None, 404, "wav-nope"),
    ("POST", "/vocal-removal/generate", {"taskId": "x", "audioId": "y"}, 501, "not available yet"),
    ("POST", "/mp4/generate", {}, 501, "not available yet"),
    ("POST", "/generate/upload-cover", {}, 501, "not available yet"),
]


async def test_bad_parameters_get_the_contracts_codes_never_a_500(settings: Settings) -> None:
    async with (
        running_app(webhook_settings(settings)) as app,
        httpx.AsyncClient(base_url=app.base_url) as http,
    ):
        client = SunoapiClient(http)
        for method, path, body, code, words in BAD:
            kwargs: dict[str, Any] = {"json": body} if body is not None else {}
            answer = await client.call(method, path, **kwargs)
            assert answer["code"] == code, (path, body, answer)
            assert words in answer["msg"], (path, body, answer)
            assert answer["data"] is None
        broken = await client.call(
            "POST", "/generate", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert broken["code"] == 400
        refused = await http.post("/api/v1/generate", json={}, headers={"Authorization": "Bearer wrong"})
        assert refused.status_code == 200 and refused.json()["code"] == 401


async def test_a_loopback_callback_is_refused_by_default_with_a_clear_message(settings: Settings) -> None:
    strict = webhook_settings(settings, webhook_allow_private=False)
    async with running_app(strict) as app, httpx.AsyncClient(base_url=app.base_url) as http:
        answer = await SunoapiClient(http).call(
            "POST",
            "/generate",
            json={
                "customMode": False,
                "instrumental": False,
                "model": "V5",
                "prompt": "x",
                "callBackUrl": "http://127.0.0.1:9/h",
            },
        )
        assert answer["code"] == 400
        assert "callBackUrl" in answer["msg"] and "WEBHOOK_ALLOW_PRIVATE=true" in answer["msg"]


async def test_without_a_webhook_secret_a_callback_url_is_ignored_and_the_song_made(
    settings: Settings,
) -> None:
    plain = settings.with_overrides(secret_token=TOKEN)
    async with running_app(plain) as app, httpx.AsyncClient(base_url=app.base_url) as http:
        client = SunoapiClient(http)
        body = {"customMode": False, "instrumental": False, "model": "V5", "prompt": "x"}
        answer = await client.call("POST", "/generate", json=body | {"callBackUrl": "https://example.com/h"})
        assert answer["code"] == 200
        task = await app.runtime.service.get_task(answer["data"]["taskId"])
        assert task.webhook_url is None
        assert await app.runtime.store.webhooks.for_task(task.id) == []
