"""Paid calls exactly once, through the served doors: a lost answer is confirmed from Suno's feed (never
resent), an unusable model costs nothing, v6 controls reach Suno, and SIGKILL mid-submit is recovered."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from suno.config import Settings
from suno.reconcile import CONFIRMING_REASON
from suno.upstream import build_upstream
from tests.e2e.test_ops_shutdown import free_port, server_env, sunoql_process
from tests.support.app import RunningApp, running_app
from tests.support.eventually import eventually
from tests.support.simulator import RunningSimulator, running_simulator

GENERATE = """mutation($input: GenerateMusicInput!) {
  generateMusic(input: $input) { id status waitingReason request { ... on MusicRequest { model } } }
}"""
TASK = "query($id: ID!) { task(id: $id) { status clips { id } failReason } }"


@contextlib.asynccontextmanager
async def served(
    settings: Settings, **sim_options: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, RunningApp, RunningSimulator]]:
    async with running_simulator(speed=400, **sim_options) as sim:
        aimed = sim.settings(settings)
        async with (
            running_app(aimed, upstream=build_upstream(aimed)) as app,
            httpx.AsyncClient(base_url=app.base_url, timeout=30) as client,
        ):
            yield client, app, sim


async def graphql(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    reply = await client.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = reply.json()
    return body


def made_ids(sim: RunningSimulator) -> list[str]:
    return sorted(clip.id for clip in sim.state.clips.values() if clip.kind == "gen")


async def test_a_lost_answer_through_rest_ends_success_with_the_clips_after_one_generate(settings) -> None:
    async with served(settings) as (client, app, sim):
        sim.inject("lost-answer", "generate")
        reply = await client.post(
            "/suno/submit/music", json={"prompt": "[Verse]\nlost and found", "tags": "indie"}
        )
        assert reply.status_code == 200, reply.text
        task_id = reply.json()["data"]

        await eventually(lambda: _status(app, task_id, "SUCCESS"), timeout=20)
        task = await app.runtime.service.get_task(task_id)
        assert sorted(task.upstream_ids) == made_ids(sim) and len(task.upstream_ids) == 2
        assert sim.state.calls["generate"] == 1


async def test_a_lost_answer_through_graphql_waits_visibly_then_succeeds_with_the_clips(settings) -> None:
    async with served(settings) as (client, _app, sim):
        sim.inject("lost-answer", "generate")
        body = await graphql(
            client, GENERATE, {"input": {"prompt": "[Verse]\nwhere did it go", "tags": "pop"}}
        )
        task = body["data"]["generateMusic"]
        assert (task["status"], task["waitingReason"]) == ("NOT_START", CONFIRMING_REASON)
        assert task["request"]["model"] == "chirp-hawk"  # the account's default (billing)

        async def finished() -> dict[str, Any]:
            current: dict[str, Any] = (await graphql(client, TASK, {"id": task["id"]}))["data"]["task"]
            assert current["status"] == "SUCCESS", current
            return current

        done = await eventually(finished, timeout=20)
        assert sorted(clip["id"] for clip in done["clips"]) == made_ids(sim)
        assert sim.state.calls["generate"] == 1


async def test_an_unusable_model_is_refused_before_anything_is_spent_in_every_door(settings) -> None:
    async with served(settings) as (client, _app, sim):
        credits = sim.state.account("default").credits
        body = await graphql(client, GENERATE, {"input": {"prompt": "la", "model": "v4.5-all"}})
        [error] = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["field"] == "model"
        assert (
            "chirp-hawk" in error["message"] and "chirp-auk-turbo" not in error["message"].split("usable")[1]
        )
        rest = await client.post("/suno/submit/music", json={"prompt": "la", "mv": "chirp-auk-turbo"})
        assert rest.status_code == 400 and "usable models" in rest.json()["message"]
        chat = await client.post(
            "/v1/chat/completions",
            json={"model": "chirp-auk-turbo", "messages": [{"role": "user", "content": "a song"}]},
        )
        assert chat.status_code == 400 and "usable models" in chat.json()["error"]["message"]
        assert sim.state.calls["generate"] == 0 and sim.state.account("default").credits == credits


async def test_v6_controls_reach_suno_in_control_sliders_from_graphql_and_rest(settings) -> None:
    if settings.suno_protocol != "web2026":
        pytest.skip("the controls are the web2026 body's")
    async with served(settings) as (client, _app, sim):
        body = await graphql(
            client,
            GENERATE,
            {
                "input": {
                    "prompt": "la",
                    "weirdness": 0.8,
                    "styleWeight": 0.4,
                    "variety": 2,
                    "maxMode": True,
                    "durationSeconds": 60,
                }
            },
        )
        assert "errors" not in body, body
        rest = await client.post(
            "/suno/submit/music", json={"prompt": "la", "style_weight": 0.1, "mumble": True, "duration": 30}
        )
        assert rest.status_code == 200, rest.text
        [first, second] = [request["body"] for request in sim.state.generate_requests]
        assert first["metadata"]["control_sliders"] == {
            "weirdness_constraint": 0.8,
            "style_weight": 0.4,
            "aug_creativity": 2,
        }
        assert first["metadata"]["is_max_mode"] is True and first["duration"] == 60
        assert second["metadata"]["control_sliders"] == {"style_weight": 0.1}
        assert second["metadata"]["is_mumble"] is True and second["duration"] == 30
        refused = await graphql(client, GENERATE, {"input": {"prompt": "la", "weirdness": 1.5}})
        assert refused["errors"][0]["extensions"]["field"] == "weirdness"
        bad = await client.post("/suno/submit/music", json={"prompt": "la", "variety": 2.5})
        assert bad.status_code == 400 and "variety" in bad.json()["message"]
        assert len(sim.state.generate_requests) == 2


async def test_default_calls_are_v2_web_with_transaction_uuid_and_feed_v3(settings) -> None:
    async with served(settings) as (client, app, sim):
        reply = await client.post("/suno/submit/music", json={"gpt_description_prompt": "a song about tea"})
        task_id = reply.json()["data"]
        await eventually(lambda: _status(app, task_id, "SUCCESS"), timeout=20)
        [sent] = sim.state.generate_requests
        if settings.suno_protocol == "web2026":
            assert sent["path"] == "/api/generate/v2-web/"
            assert (
                sent["body"]["transaction_uuid"]
                == (await app.runtime.service.get_task(task_id)).transaction_uuid
            )
            assert sent["body"]["metadata"]["create_mode"] == "simple" and "browser-token" in sent["headers"]
            assert sent["body"]["mv"] == "chirp-hawk"
            assert (
                sim.state.route_calls["POST /api/feed/v3"] >= 1
                and not sim.state.route_calls["GET /api/feed/v2"]
            )
        else:
            assert sent["path"] == "/api/generate/v2/"
            assert (
                sim.state.route_calls["GET /api/feed/v2"] >= 1
                and not sim.state.route_calls["POST /api/feed/v3"]
            )


async def _status(app: RunningApp, task_id: str, status: str) -> None:
    task = await app.runtime.service.get_task(task_id)
    assert task.status.value == status, task


async def test_a_clip_in_error_is_seen_through_the_single_clip_read_and_fails_with_sunos_message(
    settings,
) -> None:
    async with served(settings) as (client, app, sim):
        reply = await client.post("/suno/submit/music", json={"prompt": "[Verse]\nla [sim:clip-error]"})
        task_id = reply.json()["data"]
        await eventually(lambda: _status(app, task_id, "FAILURE"), timeout=20)
        task = await app.runtime.service.get_task(task_id)
        assert "Simulated failure" in task.fail_reason
        if settings.suno_protocol == "web2026":
            assert sim.state.route_calls["GET /api/clip/{clip_id}"] >= 1  # feed/v3 left them out


@pytest.mark.slow
async def test_sigkill_during_a_submit_is_confirmed_after_restart_with_one_generate(
    settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    log = tmp_path / "sunoql.log"
    async with running_simulator(speed=1000.0, slow_seconds=2.0) as sim:
        sim.inject("slow", "generate")  # the request is in, the answer takes 2 s: time to kill
        env = server_env(sim, settings, port)
        async with (
            sunoql_process(env, log) as process,
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client,
        ):
            submit = asyncio.create_task(
                client.post("/suno/submit/music", json={"prompt": "[Verse]\nkilled mid-air", "tags": "punk"})
            )
            await eventually(lambda: _assert(sim.state.calls["generate"] == 1), timeout=10)
            process.kill()
            await process.wait()
            with contextlib.suppress(httpx.HTTPError):
                await submit
        await eventually(lambda: _assert(len(made_ids(sim)) == 2), timeout=10)  # Suno made them anyway
        async with (
            sunoql_process(env, log),
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client,
        ):

            async def finished() -> dict[str, Any]:
                page = (await graphql(client, "{ tasks { nodes { id status clips { id } } } }", {}))["data"]
                nodes: list[dict[str, Any]] = page["tasks"]["nodes"]
                [only] = nodes
                assert only["status"] == "SUCCESS", only
                return only

            task = await eventually(finished, timeout=30)
        assert sorted(clip["id"] for clip in task["clips"]) == made_ids(sim)
        assert sim.state.calls["generate"] == 1


def _assert(condition: bool) -> None:
    assert condition
