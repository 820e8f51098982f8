"""The official MCP SDK's client (Streamable HTTP + ClientSession) against the served app and the simulator."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import httpx2
import mcp_types as types
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from suno.config import CaptchaSolver, Settings
from tests.support.app import RunningApp, running_app

TOKEN = "mcp-secret-token"
TOOLS = {
    "generate_music",
    "generate_lyrics",
    "get_task",
    "list_tasks",
    "wait_for_task",
    "account_status",
    "list_models",
    "extend_song",
    "cover_song",
    "whole_song",
    "separate_stems",
    "remaster_song",
    "add_vocals",
    "add_instrumental",
    "make_video",
    "create_persona",
    "list_personas",
    "timed_lyrics",
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # A simulated song takes 40 s; at 200x it is done in 0.2 s, still with every status on the way.
    return settings.with_overrides(simulator_speed=200.0, secret_token=TOKEN)


@contextlib.asynccontextmanager
async def mcp_session(
    served: RunningApp, token: str | None = TOKEN, statuses: list[int] | None = None
) -> AsyncIterator[ClientSession]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def record(response: httpx2.Response) -> None:
        if statuses is not None:
            statuses.append(response.status_code)

    async with (
        httpx2.AsyncClient(
            headers=headers, timeout=httpx2.Timeout(30.0), event_hooks={"response": [record]}
        ) as http,
        streamable_http_client(f"{served.base_url}/mcp", http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        yield session


def structured(result: types.CallToolResult) -> dict[str, Any]:
    assert not result.is_error, result.content
    assert isinstance(result.structured_content, dict)
    (text,) = result.content
    assert isinstance(text, types.TextContent) and json.loads(text.text) == result.structured_content
    return result.structured_content


def error_text(result: types.CallToolResult) -> str:
    assert result.is_error
    (text,) = result.content
    assert isinstance(text, types.TextContent)
    return text.text


async def test_lists_every_tool_with_a_schema_and_a_description(settings: Settings) -> None:
    async with running_app(settings) as served, mcp_session(served) as session:
        tools = (await session.list_tools()).tools
    assert {tool.name for tool in tools} == TOOLS
    for tool in tools:
        assert tool.description and len(tool.description) > 40
        assert tool.input_schema["type"] == "object"
    music = next(tool for tool in tools if tool.name == "generate_music")
    assert {"description", "lyrics", "title", "tags", "instrumental", "model", "vocal_gender"} <= set(
        music.input_schema["properties"]
    )


async def test_generate_music_then_wait_gives_progress_and_playable_links(settings: Settings) -> None:
    notifications: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        notifications.append((progress, total, message))

    async with running_app(settings) as served, mcp_session(served) as session:
        started = structured(
            await session.call_tool(
                "generate_music", {"description": "an upbeat song about tidy commits", "model": "chirp-v4"}
            )
        )
        task_id = started["task_id"]
        assert (
            started["action"] == "MUSIC"
            and started["done"] is False
            and "wait_for_task" in started["next_step"]
        )

        finished = structured(
            await session.call_tool(
                "wait_for_task", {"task_id": task_id, "timeout_seconds": 60}, progress_callback=on_progress
            )
        )
        assert finished["task_id"] == task_id and finished["status"] == "SUCCESS" and finished["done"]
        links = [clip["audio_url"] for clip in finished["clips"]]
        assert len(links) == 2 and all("/assets/clips/" in link for link in links)
        async with httpx.AsyncClient() as client:
            audio = await client.get(links[0])
        assert audio.status_code in (200, 202)

        # One notification per status on the way, the percentage growing, the last one at the end.
        assert notifications
        values = [value for value, _, _ in notifications]
        assert values == sorted(set(values)) and values[-1] == 100.0
        assert notifications[-1][2] == f"task {task_id}: SUCCESS"
        assert all(total == 100.0 for _, total, _ in notifications)

        again = structured(await session.call_tool("get_task", {"task_id": task_id}))
        assert [clip["audio_url"] for clip in again["clips"]] == links
        listed = structured(await session.call_tool("list_tasks", {"status": ["SUCCESS"], "first": 5}))
        assert [task["task_id"] for task in listed["tasks"]] == [task_id]


async def test_lyrics_account_and_models(settings: Settings) -> None:
    async with running_app(settings) as served, mcp_session(served) as session:
        started = structured(await session.call_tool("generate_lyrics", {"prompt": "a shanty about tests"}))
        lyrics = structured(await session.call_tool("wait_for_task", {"task_id": started["task_id"]}))
        assert lyrics["status"] == "SUCCESS" and lyrics["lyrics"]["text"]

        account = structured(await session.call_tool("account_status", {}))
        assert account["accounts"] and account["credits_left"] > 0
        assert "cookie" not in json.dumps(account).lower()
        models = structured(await session.call_tool("list_models", {}))
        assert models["default"] in {model["name"] for model in models["models"]}


async def test_bad_arguments_give_a_tool_error(settings: Settings) -> None:
    async with running_app(settings) as served, mcp_session(served) as session:
        both = error_text(
            await session.call_tool("generate_music", {"description": "a song", "lyrics": "la la la"})
        )
        assert "description" in both and "lyrics" in both and "gpt_description_prompt" not in both
        assert "must be a string" in error_text(await session.call_tool("generate_music", {"title": 3}))
        assert "no argument 'colour'" in error_text(
            await session.call_tool("get_task", {"task_id": "x", "colour": "blue"})
        )
        assert "does not exist" in error_text(await session.call_tool("get_task", {"task_id": "nope"}))
        assert "between 1 and" in error_text(
            await session.call_tool("wait_for_task", {"task_id": "nope", "timeout_seconds": 0})
        )
        assert "not one of" in error_text(await session.call_tool("list_tasks", {"status": ["DONE"]}))
        # Nothing was submitted by any of these.
        assert (await served.runtime.service.list_tasks()).tasks == ()


async def test_without_the_token_every_request_is_refused(settings: Settings) -> None:
    async with running_app(settings) as served:
        async with httpx.AsyncClient() as client:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
                reply = await client.post(
                    f"{served.base_url}/mcp",
                    json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                    headers={"Accept": "application/json, text/event-stream", **headers},
                )
                assert reply.status_code == 401
                assert reply.json()["error"] == "invalid_token"
                assert "Bearer <SECRET_TOKEN>" in reply.json()["error_description"]
        # The SDK's own client, without the token: initialize is refused, nothing else is sent.
        statuses: list[int] = []
        with pytest.raises(Exception, match="unhandled errors"):  # the SDK raises from its task group
            async with mcp_session(served, token=None, statuses=statuses) as session:
                await session.list_tools()
        assert statuses == [401]


async def test_wait_for_task_answers_with_the_running_task_at_its_timeout(settings: Settings) -> None:
    values: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        values.append(progress)

    # At normal speed a simulated song takes 40 s: still running when the one-second wait ends.
    async with (
        running_app(settings.with_overrides(simulator_speed=1.0)) as served,
        mcp_session(served) as session,
    ):
        started = structured(await session.call_tool("generate_music", {"description": "a slow ballad"}))
        waited = structured(
            await session.call_tool(
                "wait_for_task",
                {"task_id": started["task_id"], "timeout_seconds": 1},
                progress_callback=on_progress,
            )
        )
    assert waited["task_id"] == started["task_id"] and waited["done"] is False
    assert "call wait_for_task again" in waited["next_step"] and values and max(values) < 100.0


async def test_a_song_waiting_for_a_captcha_says_so_and_the_account_shows_its_state(
    settings: Settings,
) -> None:
    async with running_app(settings.with_overrides(captcha_solver=CaptchaSolver.RELAY)) as served:
        assert served.runtime.simulator is not None
        served.runtime.simulator.app.state.challenges.set("default", required=True, version=1)
        async with mcp_session(served) as session:
            task = structured(await session.call_tool("generate_music", {"description": "a song about rain"}))
            shown = structured(await session.call_tool("get_task", {"task_id": task["task_id"]}))
            account = structured(await session.call_tool("account_status", {}))
    assert shown["status"] == "NOT_START"
    assert shown["waiting_reason"] == "waiting for a captcha solution on account default"
    assert account["accounts"][0]["state"] == "CHALLENGE_REQUIRED"


async def test_song_operation_tools_extend_cover_and_time_a_song(settings: Settings) -> None:
    async with running_app(settings) as served, mcp_session(served) as session:
        started = structured(
            await session.call_tool("generate_music", {"lyrics": "[Verse]\nsun on the bay", "tags": "pop"})
        )
        song = structured(
            await session.call_tool("wait_for_task", {"task_id": started["task_id"], "timeout_seconds": 60})
        )
        clip_id = song["clips"][0]["clip_id"]

        extending = structured(
            await session.call_tool(
                "extend_song", {"clip_id": clip_id, "continue_at": 3, "lyrics": "[Verse]\nmore"}
            )
        )
        assert extending["action"] == "EXTEND" and "wait_for_task" in extending["next_step"]
        extended = structured(
            await session.call_tool("wait_for_task", {"task_id": extending["task_id"], "timeout_seconds": 60})
        )
        assert extended["status"] == "SUCCESS" and all(
            "/assets/clips/" in c["audio_url"] for c in extended["clips"]
        )

        cover = structured(await session.call_tool("cover_song", {"clip_id": clip_id, "tags": "jazz"}))
        covered = structured(
            await session.call_tool("wait_for_task", {"task_id": cover["task_id"], "timeout_seconds": 60})
        )
        assert covered["status"] == "SUCCESS" and covered["action"] == "COVER"

        persona = structured(await session.call_tool("create_persona", {"clip_id": clip_id, "name": "Bay"}))
        listed = structured(await session.call_tool("list_personas", {}))
        assert [p["persona_id"] for p in listed["personas"]] == [persona["persona_id"]]

        timed = structured(await session.call_tool("timed_lyrics", {"clip_id": clip_id}))
        assert (
            timed["done"]
            and timed["lines"][0]["text"] == "sun on the bay"
            and timed["lrc"].startswith("[00:00.00]")
        )

        refused = await session.call_tool("separate_stems", {"clip_id": clip_id, "group": "Kazoo"})
        assert refused.is_error
        wrong = await session.call_tool("add_vocals", {"clip_id": clip_id, "lyrics": "la"})
        assert "has vocals" in error_text(wrong)
