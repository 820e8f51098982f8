"""Bad input and upstream refusals on the legacy REST routes: a clear 4xx/5xx in the envelope, never a 500."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from suno.config import RestEnvelope, Settings
from suno.upstream import build_upstream
from tests.support.app import RunningApp, running_app
from tests.support.eventually import eventually
from tests.support.simulator import RunningSimulator, running_simulator

# (method, path, body: JSON value or raw bytes, expected status, words the message must contain)
BAD_INPUT: list[tuple[str, str, Any, int, str]] = [
    ("POST", "/suno/submit/music", {"prompt": 5}, 400, "prompt must be a string, got a number"),
    (
        "POST",
        "/suno/submit/music",
        {"prompt": "la", "make_instrumental": "yes"},
        400,
        "make_instrumental must be true or false",
    ),
    (
        "POST",
        "/suno/submit/music",
        {"prompt": "la", "tags": ["pop"]},
        400,
        "tags must be a string, got a list",
    ),
    (
        "POST",
        "/suno/submit/music",
        {"prompt": "la", "continue_clip_id": "c1", "continue_at": "12"},
        400,
        "continue_at must be a number",
    ),
    ("POST", "/suno/submit/music", {"prompt": "la", "continue_at": -1}, 400, "continue_at must be 0 or more"),
    ("POST", "/suno/submit/music", {}, 400, "gpt_description_prompt"),
    ("POST", "/suno/submit/music", {"title": "only a title"}, 400, "prompt"),
    (
        "POST",
        "/suno/submit/music",
        {"prompt": "la", "continue_at": 10},
        400,
        "continue_at needs continue_clip_id",
    ),
    (
        "POST",
        "/suno/submit/music",
        {"prompt": "la", "continue_clip_id": "c1"},
        400,
        "continue_clip_id needs continue_at",
    ),
    (
        "POST",
        "/suno/submit/music",
        {"prompt": "la", "continue_clip_id": "c1", "continue_at": 5, "task_id": "no-such-task"},
        400,
        "task_id 'no-such-task' does not exist",
    ),
    (
        "POST",
        "/suno/submit/music",
        {"prompt": "la", "vocal_gender": "robot"},
        400,
        "vocal_gender must be 'female' or 'male'",
    ),
    (
        "POST",
        "/suno/submit/music",
        {"prompt": "la", "mv": "chirp v4!"},
        400,
        "mv 'chirp v4!' is not a model name",
    ),
    (
        "POST",
        "/suno/submit/music",
        {"title": "x" * 201, "prompt": "la"},
        400,
        "title is too long: 201 characters, at most 200",
    ),
    (
        "POST",
        "/suno/submit/music",
        {"prompt": "x" * 5001},
        400,
        "prompt is too long: 5001 characters, at most 5000",
    ),
    ("POST", "/suno/submit/music", b"not json", 400, "not valid JSON"),
    ("POST", "/suno/submit/music", b"", 400, "the body is empty"),
    ("POST", "/suno/submit/music", b"[1, 2]", 400, "must be a JSON object, got a list"),
    ("POST", "/suno/submit/music", b'{"prompt": "\\ud800"}', 400, "not valid Unicode"),
    ("POST", "/suno/submit/music", b"\xff\xfe\xfa", 400, "not valid JSON"),
    ("POST", "/suno/submit/music", b"[" * 100_000, 400, "not valid JSON"),
    ("POST", "/suno/submit/music", b'{"prompt": "' + b"x" * (1024 * 1024) + b'"}', 413, "larger than"),
    ("POST", "/suno/submit/lyrics", {"prompt": ""}, 400, "prompt is empty"),
    ("POST", "/suno/submit/lyrics", {"prompt": "   "}, 400, "prompt is empty"),
    ("POST", "/suno/submit/lyrics", {}, 400, "prompt is required"),
    ("POST", "/suno/submit/lyrics", {"prompt": 3}, 400, "prompt must be a string"),
    ("POST", "/suno/submit/dance", {"prompt": "la"}, 400, "invalid action 'dance'"),
    ("GET", "/suno/fetch/no-such-task", None, 404, "task not exist"),
    ("POST", "/suno/fetch", {}, 400, "ids is required"),
    ("POST", "/suno/fetch", {"ids": "abc"}, 400, "ids must be a list, got a string"),
    ("POST", "/suno/fetch", {"ids": [1]}, 400, "ids[0] must be a string, got a number"),
    (
        "POST",
        "/suno/fetch",
        {"ids": [f"id-{n}" for n in range(501)]},
        400,
        "ids has too many items: 501, at most 500",
    ),
    ("POST", "/suno/fetch", {"ids": [], "action": 7}, 400, "action must be a string"),
    ("GET", "/suno/submit/music", None, 405, "use POST"),
    ("DELETE", "/suno/account", None, 405, "use GET"),
    ("GET", "/suno/nothing/here", None, 404, "is not a route"),
]


@contextlib.asynccontextmanager
async def rest_client(
    settings: Settings, **overrides: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, RunningSimulator, RunningApp]]:
    async with running_simulator(speed=400) as sim:
        aimed = sim.settings(settings, **overrides)
        async with (
            running_app(aimed, upstream=build_upstream(aimed)) as served,
            httpx.AsyncClient(base_url=served.base_url, timeout=30) as client,
        ):
            yield client, sim, served


async def first_tick_done(served: RunningApp) -> None:
    await eventually(
        lambda: served.runtime.worker.last_report.duration > 0, message="the worker never ticked"
    )


async def send(client: httpx.AsyncClient, method: str, path: str, body: Any) -> httpx.Response:
    if isinstance(body, bytes):
        return await client.request(method, path, content=body, headers={"Content-Type": "application/json"})
    return await client.request(method, path, json=body)


@pytest.mark.parametrize("mode", [RestEnvelope.README, RestEnvelope.RELAY])
async def test_bad_input_gets_a_clear_4xx_in_the_envelope(settings: Settings, mode: RestEnvelope) -> None:
    async with rest_client(settings, rest_envelope=mode) as (client, sim, _):
        for method, path, body, status, words in BAD_INPUT:
            case = f"{method} {path} {str(body)[:60]}"
            reply = await send(client, method, path, body)
            assert reply.status_code == status, (case, reply.text)
            envelope = reply.json()
            assert set(envelope) == {"code", "message", "data"} and envelope["data"] is None, case
            assert words in envelope["message"], (case, envelope["message"])
            relay_code = "not_found" if words == "is not a route" else "invalid_request"
            assert envelope["code"] == (relay_code if mode is RestEnvelope.RELAY else status), (
                case,
                envelope,
            )
        assert sim.state.calls["generate"] == 0  # nothing bad reached Suno


@pytest.mark.parametrize(
    ("fault", "status", "relay_code", "words"),
    [
        ("402", 402, "insufficient_credits", "no credits left"),
        ("captcha", 502, "captcha_required", "captcha"),
        ("401", 502, "auth_expired", "COOKIE/SESSION_ID"),
        ("400", 422, "upstream_rejected", "Suno rejected the request"),
    ],
)
async def test_an_upstream_refusal_is_explained_and_the_task_is_stored_as_failed(
    settings: Settings, fault: str, status: int, relay_code: str, words: str
) -> None:
    # No worker tick during the submit: one running between the submit's insert and its own dispatch
    # takes the task, and the submit then answers the id while the worker records the refusal.
    async with rest_client(settings, rest_envelope=RestEnvelope.RELAY, poll_interval=30.0) as (
        client,
        sim,
        served,
    ):
        await first_tick_done(served)
        sim.inject(fault, "generate", times=None)
        reply = await client.post("/suno/submit/music", json={"gpt_description_prompt": "rain"})
    assert reply.status_code == status, reply.text
    envelope = reply.json()
    assert envelope["code"] == relay_code and envelope["data"] is None
    assert words in envelope["message"] and "is stored as FAILURE" in envelope["message"]


async def test_a_rate_limited_submit_waits_for_a_free_slot_instead_of_failing(settings: Settings) -> None:
    async with rest_client(settings) as (client, sim, _):
        sim.inject("429", "generate")
        reply = await client.post("/suno/submit/music", json={"gpt_description_prompt": "rain"})
        assert reply.status_code == 200, reply.text
        [item] = (await client.post("/suno/fetch", json={"ids": [reply.json()["data"]]})).json()["data"]
    assert item["status"] in ("NOT_START", "SUBMITTED", "QUEUED", "IN_PROGRESS", "SUCCESS")
