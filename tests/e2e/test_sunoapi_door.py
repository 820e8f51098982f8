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


async def test_a_finished_song_gets_its_stems_and_video_by_record_info_and_callback(
    settings: Settings,
) -> None:
    async with (
        webhook_receiver() as receiver,
        running_app(webhook_settings(settings)) as app,
        httpx.AsyncClient(base_url=app.base_url, timeout=30) as http,
    ):
        client = SunoapiClient(http)
        body = {"customMode": False, "instrumental": False, "model": "V5", "prompt": "a calm piano song"}
        song_id = (await client.call("POST", "/generate", json=body))["data"]["taskId"]
        early = await client.call("POST", "/vocal-removal/generate", json={"taskId": song_id, "audioId": "z"})
        assert early["code"] == 404
        record = await client.wait_for("/generate/record-info", song_id, {"SUCCESS"})
        clip_id = record["response"]["sunoData"][0]["id"]
        wrong = await client.call("GET", "/mp4/record-info", params={"taskId": song_id})
        assert wrong["code"] == 404  # a music task is not a video

        async def flagged(path: str, task_id: str) -> dict[str, Any]:
            async def success() -> dict[str, Any]:
                answer = await client.call("GET", path, params={"taskId": task_id})
                assert answer["code"] == 200 and answer["data"]["successFlag"] == "SUCCESS", answer
                data: dict[str, Any] = answer["data"]
                return data

            return await eventually(success, timeout=30, message=f"{path} reaches SUCCESS")

        ask = {"taskId": song_id, "audioId": clip_id, "callBackUrl": receiver.url}
        stems = await client.call("POST", "/vocal-removal/generate", json=ask | {"type": "separate_vocal"})
        assert stems["code"] == 200, stems
        stems_id = stems["data"]["taskId"]
        separated = await flagged("/vocal-removal/record-info", stems_id)
        assert separated["musicId"] == clip_id and separated["musicTaskId"] == song_id
        assert separated["callbackUrl"] == receiver.url and separated["completeTime"]
        links = separated["response"]
        assert links["vocalUrl"] and links["drumsUrl"] and links["woodwindsUrl"]
        assert len(links["originData"]) == 12
        vocals = await http.get(links["vocalUrl"])
        assert vocals.status_code in (200, 202)  # sunoql's copy, or the note that it is on its way

        video = await client.call("POST", "/mp4/generate", json=ask)
        assert video["code"] == 200, video
        video_id = video["data"]["taskId"]
        made = await flagged("/mp4/record-info", video_id)
        assert made["musicId"] == clip_id and made["response"]["videoUrl"]

        def finished(task_id: str) -> list[Any]:
            return [hit for hit in receiver.hits if hit.json["data"].get("task_id") == task_id]

        stems_hits = await eventually(lambda: finished(stems_id), timeout=15)
        info = receiver.verify(stems_hits[-1])["data"]["vocal_removal_info"]
        # The same copy; a callback's links are relative unless PUBLIC_BASE_URL is set.
        assert info["vocal_url"] and links["vocalUrl"].endswith(info["vocal_url"])
        video_hits = await eventually(lambda: finished(video_id), timeout=15)
        assert receiver.verify(video_hits[-1])["data"]["video_url"]


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
    ("POST", "/vocal-removal/generate", {"taskId": "x", "audioId": "y"}, 404, "y"),
    ("POST", "/vocal-removal/generate", {"taskId": "x"}, 400, "audioId"),
    ("POST", "/vocal-removal/generate", {"taskId": " ", "audioId": " "}, 400, "taskId"),
    ("POST", "/vocal-removal/generate", {"taskId": "x", "audioId": "y", "type": "karaoke"}, 400, "type"),
    ("GET", "/vocal-removal/record-info", None, 400, "taskId"),
    ("GET", "/vocal-removal/record-info?taskId=missing", None, 404, "missing"),
    ("POST", "/mp4/generate", {}, 400, "taskId"),
    ("POST", "/mp4/generate", {"taskId": "x", "audioId": "y", "callBackUrl": "ftp://x"}, 400, "callBackUrl"),
    ("GET", "/mp4/record-info?taskId=missing", None, 404, "missing"),
    ("POST", "/generate/upload-cover", {}, 501, "not available yet"),
    ("POST", "/generate/add-vocals", {}, 501, "not available yet"),
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
