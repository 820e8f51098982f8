"""The legacy REST contract: the original README's and new-api's exact bodies, every reply field, both envelopes."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from rest_compat.legacy.docs import (
    NEW_API_MUSIC,
    README_CUSTOM_MODE,
    README_INSPIRATION_MODE,
    README_INSTRUMENTAL,
    README_LYRICS,
)
from suno.config import RestEnvelope, Settings
from suno.models import MusicRequest, TaskStatus
from suno.upstream import build_upstream
from tests.support.app import RunningApp, running_app
from tests.support.eventually import eventually
from tests.support.fake_upstream import FakeUpstream
from tests.support.simulator import RunningSimulator, running_simulator

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
# The original's task fields; sunoql adds only `waiting_reason` (null unless the task waits).
ORIGINAL_TASK_FIELDS = {
    "task_id",
    "action",
    "status",
    "fail_reason",
    "submit_time",
    "start_time",
    "finish_time",
    "progress",
    "data",
}
TASK_FIELDS = ORIGINAL_TASK_FIELDS | {"waiting_reason"}
CERTIFICATE_FIELDS = {
    "session_id",
    "cookie",
    "jwt",
    "last_update",
    "credits_left",
    "monthly_limit",
    "monthly_usage",
    "period",
    "is_active",
}
MODES = [RestEnvelope.README, RestEnvelope.RELAY]


@contextlib.asynccontextmanager
async def rest_app(
    settings: Settings, **overrides: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, RunningApp, RunningSimulator]]:
    """The served app aimed at a simulator this test controls, and a client for it."""
    async with running_simulator(speed=400) as sim:
        aimed = sim.settings(settings, **overrides)
        async with (
            running_app(aimed, upstream=build_upstream(aimed)) as served,
            httpx.AsyncClient(base_url=served.base_url, timeout=30) as client,
        ):
            yield client, served, sim


def data_of(reply: httpx.Response, mode: RestEnvelope) -> Any:
    """The payload, after checking the envelope is exactly the contract's."""
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert set(body) == {"code", "message", "data"}
    if mode is RestEnvelope.RELAY:
        assert (body["code"], body["message"]) == ("success", "")
    else:
        assert (body["code"], body["message"]) == (200, "success")
    return body["data"]


async def until_done(client: httpx.AsyncClient, task_id: str, mode: RestEnvelope) -> dict[str, Any]:
    async def ended() -> dict[str, Any]:
        [item] = data_of(await client.post("/suno/fetch", json={"ids": [task_id]}), mode)
        assert item["status"] in ("SUCCESS", "FAILURE"), item
        return dict(item)

    return await eventually(ended, message=f"task {task_id} did not finish")


@pytest.mark.parametrize("mode", MODES)
async def test_the_readme_music_examples_return_a_task_id_at_once(
    settings: Settings, mode: RestEnvelope
) -> None:
    async with rest_app(settings, rest_envelope=mode) as (client, served, _):
        ids = []
        for body in (README_CUSTOM_MODE, README_INSPIRATION_MODE, README_INSTRUMENTAL):
            task_id = data_of(await client.post("/suno/submit/music", json=body), mode)
            assert isinstance(task_id, str) and UUID.match(task_id)
            ids.append(task_id)
        service = served.runtime.service
        custom, inspiration, instrumental = [(await service.get_task(i)).request for i in ids]
    assert isinstance(custom, MusicRequest) and isinstance(inspiration, MusicRequest)
    assert isinstance(instrumental, MusicRequest)
    assert custom.title == "Midnight Drive" and custom.prompt.startswith("[Verse]\nCity lights")
    assert custom.effective_tags == "synthwave, cinematic, atmospheric, female vocals"
    assert custom.negative_tags == "metal, aggressive" and custom.mv == "chirp-fenix"
    assert inspiration.is_inspiration_mode and not inspiration.make_instrumental
    assert (
        instrumental.make_instrumental
        and instrumental.gpt_description_prompt == "Epic orchestral battle theme"
    )


@pytest.mark.parametrize("mode", MODES)
async def test_the_body_new_api_sends_is_accepted_and_instrumental_means_make_instrumental(
    settings: Settings, mode: RestEnvelope
) -> None:
    async with rest_app(settings, rest_envelope=mode) as (client, served, _):
        plain = data_of(await client.post("/suno/submit/music", json=NEW_API_MUSIC), mode)
        flagged = data_of(
            await client.post("/suno/submit/music", json={**NEW_API_MUSIC, "instrumental": True}), mode
        )
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        raw = await client.post(
            "/suno/submit/music",
            content=httpx.Request("POST", "/", json=NEW_API_MUSIC).content,
            headers=headers,
        )
        data_of(raw, mode)
        plain_request = (await served.runtime.service.get_task(plain)).request
        flagged_request = (await served.runtime.service.get_task(flagged)).request
    assert isinstance(plain_request, MusicRequest) and isinstance(flagged_request, MusicRequest)
    assert plain_request.mv == "chirp-v3-0" and plain_request.title == "Neon"
    assert not plain_request.make_instrumental and flagged_request.make_instrumental


@pytest.mark.parametrize("mode", MODES)
async def test_a_song_is_fetched_as_task_objects_and_as_the_readme_clip_list(
    settings: Settings, mode: RestEnvelope
) -> None:
    async with rest_app(settings, rest_envelope=mode) as (client, _, _):
        task_id = data_of(await client.post("/suno/submit/music", json=README_CUSTOM_MODE), mode)
        item = await until_done(client, task_id, mode)
        clips = data_of(await client.get(f"/suno/fetch/{task_id}"), mode)
        many = data_of(
            await client.post(
                "/suno/fetch", json={"ids": [task_id, "not-a-task", task_id], "action": "MUSIC"}
            ),
            mode,
        )

    assert set(item) == TASK_FIELDS
    assert item["task_id"] == task_id and item["action"] == "MUSIC" and item["status"] == "SUCCESS"
    assert item["fail_reason"] == "" and item["progress"] == "100%"
    for name in ("submit_time", "start_time", "finish_time"):
        assert isinstance(item[name], int) and item[name] > 1_600_000_000, name
    assert item["submit_time"] <= item["start_time"] <= item["finish_time"]
    assert many == [item]  # unknown ids left out, a repeated id once

    assert clips == item["data"] and len(clips) == 2
    for clip in clips:
        for name in ("id", "title", "status", "audio_url", "video_url", "image_url", "image_large_url"):
            assert isinstance(clip[name], str), name
        for name in ("created_at", "major_model_version", "model_name"):
            assert isinstance(clip[name], str), name
        assert clip["status"] == "complete" and clip["audio_url"].startswith("http")
        assert clip["model_name"] == "chirp-fenix"
        metadata = clip["metadata"]
        assert "female vocals" in metadata["tags"] and metadata["prompt"].startswith("[Verse]")
        assert isinstance(metadata["duration"], float) and metadata["duration"] > 0


@pytest.mark.parametrize("mode", MODES)
async def test_lyrics_answer_once_written_and_fetch_as_the_lyrics_object(
    settings: Settings, mode: RestEnvelope
) -> None:
    async with rest_app(settings, rest_envelope=mode) as (client, served, _):
        task_id = data_of(await client.post("/suno/submit/lyrics", json=README_LYRICS), mode)
        stored = await served.runtime.service.get_task(task_id)
        lyrics = data_of(await client.get(f"/suno/fetch/{task_id}"), mode)
        [item] = data_of(await client.post("/suno/fetch", json={"ids": [task_id]}), mode)
    assert UUID.match(task_id)
    assert stored.status is TaskStatus.SUCCESS  # the reply came after the lyrics existed
    assert set(lyrics) == {"id", "status", "title", "text"}
    assert lyrics["status"] == "complete" and lyrics["text"].startswith("[Verse]") and lyrics["title"]
    assert item["action"] == "LYRICS" and item["status"] == "SUCCESS" and item["data"] == lyrics


@pytest.mark.parametrize("mode", MODES)
async def test_account_shows_the_certificate_with_secrets_masked(
    settings: Settings, mode: RestEnvelope
) -> None:
    async with rest_app(settings, rest_envelope=mode) as (client, _, sim):
        account = data_of(await client.get("/suno/account"), mode)
        refreshed = data_of(await client.get("/suno/account", params={"refresh": "true"}), mode)
        cookie = sim.cookie_for("default")
    assert set(account) == {"certificate", "msg", "accounts"}
    certificate = account["certificate"]
    assert set(certificate) == CERTIFICATE_FIELDS
    for name in ("last_update", "credits_left", "monthly_limit", "monthly_usage"):
        assert isinstance(certificate[name], int), name
    assert isinstance(certificate["period"], str) and certificate["is_active"] is True
    assert certificate["credits_left"] > 0 and certificate["last_update"] > 1_600_000_000
    assert account["msg"] == ""
    assert cookie not in str(account) and "__client=default" not in str(account)
    assert "****" in certificate["cookie"] and "****" in certificate["jwt"]
    assert [entry["name"] for entry in account["accounts"]] == ["default"]
    assert set(account["accounts"][0]) == CERTIFICATE_FIELDS | {
        "name",
        "healthy",
        "msg",
        "unusable_reason",
        "resting_until",
        "state",
        "state_since",
        "state_reason",
    }
    assert refreshed["certificate"]["credits_left"] == certificate["credits_left"]


async def test_account_shows_secrets_only_when_account_show_secrets_is_true(settings: Settings) -> None:
    async with rest_app(settings, account_show_secrets=True) as (client, _, _):
        certificate = data_of(await client.get("/suno/account"), RestEnvelope.README)["certificate"]
    # The whole cookie (Clerk's Set-Cookie refreshes __client_uat) and the JWT itself.
    assert certificate["cookie"].startswith("__client=default; __client_uat=")
    assert certificate["jwt"].count(".") == 2 and "****" not in certificate["jwt"]


async def test_several_accounts_appear_in_an_added_accounts_list(settings: Settings) -> None:
    upstream = FakeUpstream(accounts_names=("first", "second"))
    async with (
        running_app(settings, upstream=upstream) as served,
        httpx.AsyncClient(base_url=served.base_url) as client,
    ):
        account = data_of(await client.get("/suno/account"), RestEnvelope.README)
    assert [entry["name"] for entry in account["accounts"]] == ["first", "second"]
    assert account["certificate"]["credits_left"] == 100
    assert account["certificate"]["session_id"] == "****"  # short secrets are hidden whole
    assert "cookie=fake" not in str(account) and "jwt.fake.token" not in str(account)


@pytest.mark.parametrize("mode", MODES)
async def test_secret_token_guards_every_suno_route_but_not_ping_or_the_docs(
    settings: Settings, mode: RestEnvelope
) -> None:
    token = "Bearer-s3cret"  # starts with letters of "Bearer", which the original mangled
    calls: list[tuple[str, str, dict[str, Any] | None]] = [
        ("POST", "/suno/submit/music", README_INSPIRATION_MODE),
        ("POST", "/suno/submit/lyrics", README_LYRICS),
        ("POST", "/suno/submit/dance", {}),
        ("GET", "/suno/fetch/some-id", None),
        ("POST", "/suno/fetch", {"ids": []}),
        ("GET", "/suno/account", None),
    ]
    async with rest_app(settings, rest_envelope=mode, secret_token=token) as (client, _, _):
        for method, path, body in calls:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": token}):
                reply = await client.request(method, path, json=body, headers=headers)
                assert reply.status_code == 401, (method, path, headers)
                expected_code = "invalid_request" if mode is RestEnvelope.RELAY else 401
                assert reply.json() == {
                    "code": expected_code,
                    "message": "unauthorized: send the header 'Authorization: Bearer <SECRET_TOKEN>'",
                    "data": None,
                }
        authorized = {"Authorization": f"Bearer {token}"}
        assert data_of(await client.post("/suno/fetch", json={"ids": []}, headers=authorized), mode) == []
        assert (await client.get("/ping")).json() == {"message": "pong"}
        assert (await client.get("/openapi.json")).status_code == 200
        assert (await client.get("/swagger/index.html")).status_code == 200


async def test_submit_action_is_case_insensitive_as_in_the_original(settings: Settings) -> None:
    async with rest_app(settings) as (client, _, _):
        task_id = data_of(
            await client.post("/suno/submit/MUSIC", json=README_INSPIRATION_MODE), RestEnvelope.README
        )
    assert UUID.match(task_id)
