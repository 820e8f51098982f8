"""The served app: /ping, /healthz, and a song made end to end against the simulator over real HTTP."""

from __future__ import annotations

import httpx

from suno.config import Settings
from suno.models import MusicRequest, TaskStatus
from suno.upstream import build_upstream
from tests.support.app import running_app
from tests.support.simulator import running_simulator


async def test_app_answers_ping_and_health_against_the_simulator(settings: Settings) -> None:
    async with running_app(settings) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        assert (await client.get("/ping")).json() == {"message": "pong"}
        health = (await client.get("/healthz")).json()
        assert health["status"] == "ok"
        assert health["checks"]["store"] == "ok" and health["checks"]["migrations"] == "current"
        assert health["checks"]["upstream"] == "simulator"


async def test_a_song_runs_to_success_through_the_worker_and_the_simulator(settings: Settings) -> None:
    async with running_app(settings) as served:
        service = served.runtime.service
        task = await service.submit_music(MusicRequest(gpt_description_prompt="a song about rain"))
        assert task.status is TaskStatus.SUBMITTED and task.account
        statuses = [snapshot.status async for snapshot in service.watch(task.id)]
        done = await service.get_task(task.id)
    assert statuses[-1] is TaskStatus.SUCCESS
    assert statuses == sorted(statuses, key=lambda s: s.rank)
    assert len(done.clips) == 2 and all(clip.audio_url for clip in done.clips)


async def test_unfinished_tasks_survive_a_restart_of_the_whole_app(settings: Settings) -> None:
    async with running_simulator(speed=2.0) as sim:
        aimed = sim.settings(settings)
        async with running_app(settings, upstream=build_upstream(aimed)) as served:
            task = await served.runtime.service.submit_music(MusicRequest(prompt="[Verse]\nla"))
        # The first process is gone mid-song; a second one opens the same database.
        sim.state.speed = 200.0
        async with running_app(settings, upstream=build_upstream(aimed)) as served:
            service = served.runtime.service
            snapshots = [snapshot async for snapshot in service.watch(task.id)]
    assert snapshots[0].status is not TaskStatus.NOT_START
    assert snapshots[-1].status is TaskStatus.SUCCESS
    assert sim.state.calls["generate"] == 1  # resumed by polling, never submitted twice


async def test_browsers_may_call_the_api_and_every_reply_carries_its_request_id(settings: Settings) -> None:
    async with running_app(settings) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        preflight = await client.options(
            "/v1/chat/completions",
            headers={
                "Origin": "https://chat.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "*"
        pong = await client.get(
            "/ping", headers={"Origin": "https://chat.example", "X-Request-Id": "abc-123"}
        )
    assert pong.headers["access-control-allow-origin"] == "*"
    assert pong.headers["x-request-id"] == pong.headers["x-any2api-request-id"] == "abc-123"


async def test_the_favicon_is_an_empty_answer_not_a_404(settings: Settings) -> None:
    async with running_app(settings) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        icon = await client.get("/favicon.ico")
    assert icon.status_code == 204 and icon.content == b""
