"""The official openai SDK (sync and async, streamed and not) orders songs from the served app and the simulator."""

from __future__ import annotations

import asyncio
import re

import httpx
import openai
import pytest
from openai import AsyncOpenAI, OpenAI

from suno.config import Settings
from suno.models import MusicRequest, TaskStatus
from tests.support.app import RunningApp, running_app

LISTEN_LINK = re.compile(r"\[listen\]\((\S+?)\)")
TASK_ID = re.compile(r"task `([0-9a-f-]{36})`")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # A simulated song takes 40 s; at 200x it is done in 0.2 s, still with every status on the way.
    return settings.with_overrides(simulator_speed=200.0)


def async_client(served: RunningApp, key: str = "unused") -> AsyncOpenAI:
    return AsyncOpenAI(base_url=f"{served.base_url}/v1", api_key=key, max_retries=0)


async def only_music_request(served: RunningApp) -> MusicRequest:
    (task,) = (await served.runtime.service.list_tasks()).tasks
    assert isinstance(task.request, MusicRequest)
    return task.request


async def assert_links_play(links: list[str]) -> None:
    assert len(links) == 2
    async with httpx.AsyncClient() as client:
        for link in links:
            audio = await client.get(link)
            assert audio.status_code == 200 and len(audio.content) > 1000


async def test_async_sdk_gets_a_finished_song_with_playable_links(settings: Settings) -> None:
    async with running_app(settings) as served:
        async with async_client(served) as client:
            reply = await client.chat.completions.create(
                model="chirp-fenix",
                messages=[{"role": "user", "content": "An upbeat pop song about summer at the beach"}],
            )
        content = reply.choices[0].message.content or ""
        assert reply.object == "chat.completion" and reply.choices[0].finish_reason == "stop"
        assert reply.model == "chirp-fenix" and reply.usage is not None and reply.usage.total_tokens > 0
        await assert_links_play(LISTEN_LINK.findall(content))
        # Without an LLM the user's words became an inspiration-mode description.
        request = await only_music_request(served)
        assert request.gpt_description_prompt == "An upbeat pop song about summer at the beach"


async def test_sync_sdk_gets_a_finished_song_too(settings: Settings) -> None:
    async with running_app(settings) as served:

        def ask() -> str:
            with OpenAI(base_url=f"{served.base_url}/v1", api_key="unused", max_retries=0) as client:
                reply = client.chat.completions.create(
                    model="suno-v3.5",
                    messages=[
                        {"role": "user", "content": [{"type": "text", "text": "Dark jazz about city rain"}]}
                    ],
                )
                return reply.choices[0].message.content or ""

        await assert_links_play(LISTEN_LINK.findall(await asyncio.to_thread(ask)))
        assert (await only_music_request(served)).mv == "chirp-v3-5"  # the alias was resolved


async def test_async_stream_sends_role_submit_ticks_reply_stop_usage_and_done(settings: Settings) -> None:
    # Slow enough (0.5 s of streaming) that a busy machine's worker still sees every status.
    async with running_app(settings.with_overrides(simulator_speed=50.0)) as served:
        async with async_client(served) as client:
            stream = await client.chat.completions.create(
                model="chirp-v4",
                messages=[{"role": "user", "content": "A sea shanty"}],
                stream=True,
                stream_options={"include_usage": True},
            )
            chunks = [chunk async for chunk in stream]
        texts = [chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices]
        assert chunks[0].choices[0].delta.role == "assistant"
        assert "No songwriting LLM" in texts[1] and "your song is being made" in texts[1]
        task_id = TASK_ID.search(texts[1]).group(1)  # type: ignore[union-attr]
        assert any("Generating" in text for text in texts[2:-1])  # a tick for a status change
        assert chunks[-2].choices[0].finish_reason == "stop"
        assert chunks[-1].choices == [] and chunks[-1].usage is not None
        assert chunks[-1].usage.completion_tokens > 0
        await assert_links_play(LISTEN_LINK.findall("".join(texts)))
        task = await served.runtime.service.get_task(task_id)
        assert task.status is TaskStatus.SUCCESS and (await only_music_request(served)).mv == "chirp-v4"


async def test_sync_stream_ends_with_the_song_links(settings: Settings) -> None:
    async with running_app(settings) as served:

        def read_stream() -> list[str]:
            with OpenAI(base_url=f"{served.base_url}/v1", api_key="unused", max_retries=0) as client:
                stream = client.chat.completions.create(
                    model="chirp-fenix", messages=[{"role": "user", "content": "lofi beats"}], stream=True
                )
                return [chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices]

        texts = await asyncio.to_thread(read_stream)
        await assert_links_play(LISTEN_LINK.findall("".join(texts)))


async def test_raw_stream_is_server_sent_events_ending_in_done(settings: Settings) -> None:
    async with running_app(settings) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        body = {"messages": [{"role": "user", "content": "a waltz"}], "stream": True}
        async with client.stream("POST", "/v1/chat/completions", json=body) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            assert response.headers["cache-control"] == "no-cache"
            raw = (await response.aread()).decode()
    events = [event for event in raw.split("\n\n") if event]
    assert all(event.startswith(("data: ", ":")) for event in events)
    assert events[-1] == "data: [DONE]"


async def test_models_are_listed_in_openais_format(settings: Settings) -> None:
    async with running_app(settings) as served, async_client(served) as client:
        models = [model.id for model in (await client.models.list()).data]
        # The account's usable models (its billing), keys first, then their aliases.
        assert models[0] == "chirp-hawk"
        assert {"chirp-v4", "v6", "V5_5", "suno-v3", "suno-v3.5"} <= set(models)
        assert "chirp-auk-turbo" not in models and "v4.5-all" not in models  # retired: can_use false
        assert (await client.models.retrieve("suno-v3")).owned_by == "suno"
        with pytest.raises(openai.NotFoundError):
            await client.models.retrieve("no-such-model")
        with pytest.raises(openai.NotFoundError):
            await client.models.retrieve("chirp-auk-turbo")


async def test_secret_token_is_the_api_key_when_set(settings: Settings) -> None:
    async with (
        running_app(settings.with_overrides(secret_token="s3cret-token")) as served,
        async_client(served, "wrong") as wrong,
        async_client(served, "s3cret-token") as right,
    ):
        with pytest.raises(openai.AuthenticationError) as raised:
            await wrong.chat.completions.create(
                model="chirp-fenix", messages=[{"role": "user", "content": "x"}]
            )
        assert raised.value.body["type"] == "authentication_error"  # type: ignore[index]
        with pytest.raises(openai.AuthenticationError):
            await wrong.models.list()
        assert (await right.models.list()).data
        assert not (await served.runtime.service.list_tasks()).tasks  # nothing was ordered


async def test_chat_public_opens_the_chat_route_despite_a_secret_token(settings: Settings) -> None:
    public = settings.with_overrides(secret_token="s3cret-token", chat_public=True)
    async with running_app(public) as served, async_client(served, "anything") as client:
        reply = await client.chat.completions.create(
            model="chirp-fenix", messages=[{"role": "user", "content": "a lullaby"}]
        )
        assert LISTEN_LINK.findall(reply.choices[0].message.content or "")


async def test_a_bad_request_is_an_openai_error_object(settings: Settings) -> None:
    async with running_app(settings) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        response = await client.post("/v1/chat/completions", json={"model": "chirp-fenix", "messages": []})
        assert response.status_code == 400
        error = response.json()["error"]
        assert set(error) == {"message", "type", "param", "code"} and error["param"] == "messages"
        response = await client.post(
            "/v1/chat/completions", json={"messages": [{"role": "assistant", "content": "hi"}]}
        )
        assert response.status_code == 400 and "user message" in response.json()["error"]["message"]


async def test_the_openapi_document_covers_the_v1_routes(settings: Settings) -> None:
    async with running_app(settings) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        document = (await client.get("/openapi.json")).json()
    chat = document["paths"]["/v1/chat/completions"]["post"]
    assert chat["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ChatCompletionRequest"
    )
    assert {"200", "400", "401", "504"} <= set(chat["responses"])
    assert "get" in document["paths"]["/v1/models"] and "get" in document["paths"]["/v1/models/{model}"]
