"""How a chat song ends: failures, upstream refusals, timeouts, a client that leaves, a broken template."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import openai
import pytest
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletionMessageParam

from app import create_app, run_command
from rest_compat.openai.context import ChatOrder
from rest_compat.openai.stream import song_events
from rest_compat.openai.templates import load_chat_templates
from rest_compat.openai.views import ChunkWriter, estimated_usage
from suno.config import Settings
from suno.errors import SettingsError
from suno.models import MusicRequest, TaskStatus
from suno.upstream import build_upstream
from tests.support.app import RunningApp, running_app
from tests.support.eventually import eventually
from tests.support.fake_upstream import FakeUpstream
from tests.support.simulator import running_simulator

SONG: list[ChatCompletionMessageParam] = [{"role": "user", "content": "a song about rain"}]


def client_of(served: RunningApp) -> AsyncOpenAI:
    return AsyncOpenAI(base_url=f"{served.base_url}/v1", api_key="unused", max_retries=0)


@pytest.mark.parametrize("stream", [False, True])
async def test_a_song_that_fails_at_suno_gets_the_failure_reply(settings: Settings, stream: bool) -> None:
    async with running_simulator(speed=200) as sim:
        sim.inject("clip-error", "generate")
        async with (
            running_app(settings, upstream=build_upstream(sim.settings(settings))) as served,
            client_of(served) as client,
        ):
            if stream:
                chunks = await client.chat.completions.create(model="chirp-fenix", messages=SONG, stream=True)
                parts = [chunk async for chunk in chunks]
                content = "".join(chunk.choices[0].delta.content or "" for chunk in parts)
                assert parts[-1].choices[0].finish_reason == "stop"
            else:
                reply = await client.chat.completions.create(model="chirp-fenix", messages=SONG)
                content = reply.choices[0].message.content or ""
            (task,) = (await served.runtime.service.list_tasks()).tasks
    assert task.status is TaskStatus.FAILURE
    assert "could not be made" in content and task.id in content and "[listen]" not in content


async def test_a_song_suno_refuses_is_an_openai_error_or_the_failure_reply(settings: Settings) -> None:
    async with running_simulator(speed=200) as sim:
        sim.inject("402", "generate")
        async with (
            running_app(settings, upstream=build_upstream(sim.settings(settings))) as served,
            client_of(served) as client,
        ):
            content = ""
            try:
                stream = await client.chat.completions.create(model="chirp-fenix", messages=SONG, stream=True)
                content = "".join(
                    [chunk.choices[0].delta.content or "" async for chunk in stream if chunk.choices]
                )
            except openai.APIStatusError as refused:
                status, body = refused.status_code, refused.body
            else:
                status, body = 200, None
            (task,) = (await served.runtime.service.list_tasks()).tasks
    assert task.status is TaskStatus.FAILURE and "credits" in task.fail_reason
    if status == 200:
        # The worker, which also sends waiting tasks, got to it before the submit: the refusal
        # then arrives as the failure reply of the stream.
        assert "could not be made" in content and "credits" in content and task.id in content
    else:
        assert status == 402 and isinstance(body, dict) and body["task_id"] == task.id


async def test_a_song_not_done_in_time_answers_504_with_the_task_to_fetch_later(settings: Settings) -> None:
    stuck = FakeUpstream(advance=False)
    async with (
        running_app(settings.with_overrides(chat_time_out=0.3), upstream=stuck) as served,
        client_of(served) as client,
    ):
        with pytest.raises(openai.APIStatusError) as raised:
            await client.chat.completions.create(model="chirp-fenix", messages=SONG)
        (task,) = (await served.runtime.service.list_tasks()).tasks
        assert raised.value.status_code == 504
        error = raised.value.body
        assert isinstance(error, dict) and error["task_id"] == task.id and error["code"] == "task_timeout"
        assert f"/suno/fetch/{task.id}" in error["message"]
        assert not task.is_terminal  # the song goes on
        assert served.runtime.service.hub.subscriber_count == 0


async def test_a_stream_not_done_in_time_says_so_and_ends_cleanly(settings: Settings) -> None:
    stuck = FakeUpstream(advance=False)
    async with (
        running_app(settings.with_overrides(chat_time_out=0.3), upstream=stuck) as served,
        client_of(served) as client,
    ):
        stream = await client.chat.completions.create(model="chirp-fenix", messages=SONG, stream=True)
        chunks = [chunk async for chunk in stream]
    content = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert "still being made after 0.3 s" in content and "keeps running" in content
    assert chunks[-1].choices[0].finish_reason == "stop"


async def test_a_client_that_leaves_stops_the_stream_but_not_the_song(settings: Settings) -> None:
    async with running_app(settings) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        body = {"model": "chirp-fenix", "messages": SONG, "stream": True}
        async with client.stream("POST", "/v1/chat/completions", json=body) as response:
            async for line in response.aiter_lines():
                if "your song is being made" in line:
                    break
        service = served.runtime.service
        (task,) = (await service.list_tasks()).tasks
        snapshots = [snapshot async for snapshot in service.watch(task.id)]
        assert snapshots[-1].status is TaskStatus.SUCCESS
        # The abandoned stream released its subscription.
        await eventually(lambda: service.hub.subscriber_count == 0)
        assert service.hub.subscriber_count == 0


async def test_a_waiting_client_that_gives_up_releases_its_watch_but_not_the_song(settings: Settings) -> None:
    async with running_app(settings, upstream=FakeUpstream(advance=False)) as served:
        service = served.runtime.service
        async with httpx.AsyncClient(base_url=served.base_url) as client:
            body = {"model": "chirp-fenix", "messages": SONG}
            with pytest.raises(httpx.ReadTimeout):
                await client.post("/v1/chat/completions", json=body, timeout=httpx.Timeout(5.0, read=0.5))
        await eventually(lambda: service.hub.subscriber_count == 0)
        assert service.hub.subscriber_count == 0
        (task,) = (await service.list_tasks()).tasks
        assert task.status is TaskStatus.SUBMITTED  # still in flight, fetchable later


async def test_an_idle_stream_sends_heartbeat_comments(settings: Settings) -> None:
    async with running_app(settings, upstream=FakeUpstream(advance=False)) as served:
        service = served.runtime.service
        task = await service.submit_music(MusicRequest(gpt_description_prompt="slow song"))
        events = song_events(
            service,
            task.id,
            load_chat_templates(settings.chat_template_dir),
            ChatOrder(model="chirp-fenix", llm_used=False),
            ChunkWriter("chatcmpl-test", "chirp-fenix", include_usage=True),
            time_out=0.35,
            usage=lambda text: estimated_usage("slow song", text),
            links=served.runtime.assets.links,
            heartbeat=0.1,
        )
        sent = [event async for event in events]
    assert sum(event == ": keep-alive\n\n" for event in sent) >= 2
    assert sent[-1] == "data: [DONE]\n\n"
    assert json.loads(sent[-2].removeprefix("data: "))["usage"]["completion_tokens"] > 0


async def test_a_broken_template_fails_start_up_with_its_file_and_line(
    settings: Settings, tmp_path: Path
) -> None:
    broken = tmp_path / "my-templates"
    broken.mkdir()
    (broken / "chat_resp.j2").write_text("***\n{% if failed %}\nno end\n")
    # The routes are built with the app, before anything serves: `sunoql serve` says so and exits 2.
    with pytest.raises(SettingsError) as raised:
        create_app(settings.with_overrides(chat_template_dir=str(broken)))
    assert f"{broken / 'chat_resp.j2'} line 3 (chat_resp) does not compile" in str(raised.value)
    assert "endif" in str(raised.value)


def test_sunoql_serve_with_a_broken_template_says_why_and_exits_2(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "my-templates"
    broken.mkdir()
    (broken / "chat_resp.j2").write_text("{% if failed %}\n")
    assert run_command("serve", None, None, settings.with_overrides(chat_template_dir=str(broken))) == 2
    assert "chat_resp.j2 line" in capsys.readouterr().err
