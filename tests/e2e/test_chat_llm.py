"""The chat door with a songwriting LLM: a fake OpenAI-compatible server on loopback checks what we send."""

from __future__ import annotations

import re

import openai
import pytest
from openai import AsyncOpenAI

from rest_compat.openai.llm import SONG_TOOL_NAME
from suno.config import Settings
from suno.models import MusicRequest, OperationRequest, TaskAction, TaskStatus, VocalGender
from tests.support.app import RunningApp, running_app
from tests.support.fake_llm import FAKE_KEY, SONG_TOOL_FIELDS, RunningFakeLlm, running_fake_llm

LISTEN_LINK = re.compile(r"\[listen\]\((\S+?)\)")
CLIP_ID = re.compile(r"ID: `([0-9a-f-]{36})`")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # A simulated song takes 40 s; at 200x it is done in 0.2 s, still with every status on the way.
    return settings.with_overrides(simulator_speed=200.0)


def client_of(served: RunningApp) -> AsyncOpenAI:
    return AsyncOpenAI(base_url=f"{served.base_url}/v1", api_key="unused", max_retries=0)


def with_llm(settings: Settings, llm: RunningFakeLlm) -> Settings:
    return settings.with_overrides(**llm.settings())


async def only_request(served: RunningApp) -> MusicRequest:
    (task,) = (await served.runtime.service.list_tasks()).tasks
    assert isinstance(task.request, MusicRequest)
    return task.request


async def test_the_llms_tool_call_becomes_the_song(settings: Settings) -> None:
    async with running_fake_llm() as llm, running_app(with_llm(settings, llm)) as served:
        llm.llm.reply_with_tool_call(
            {
                "prompt": "[Verse]\nRain on the window\n\n[Chorus]\nCity rain",
                "title": "City Rain",
                "tags": "dark jazz, smoky",
                "negative_tags": "metal",
                "vocal_gender": "female",
                "make_instrumental": False,
            }
        )
        async with client_of(served) as client:
            reply = await client.chat.completions.create(
                model="suno-v3",
                messages=[{"role": "user", "content": "Dark jazz about city rain, sung by a woman"}],
            )
        content = reply.choices[0].message.content or ""
        assert "City Rain" in content and len(LISTEN_LINK.findall(content)) == 2
        request = await only_request(served)
    assert (request.title, request.tags, request.negative_tags) == ("City Rain", "dark jazz, smoky", "metal")
    assert request.vocal_gender is VocalGender.FEMALE and request.mv == "chirp-v3-0"
    assert request.prompt.startswith("[Verse]") and not request.is_inspiration_mode
    sent = llm.llm.requests[-1]
    assert sent["model"] == "gpt-4o" and sent["stream"] is False
    assert sent["messages"][0]["role"] == "system"
    assert sent["messages"][-1] == {"role": "user", "content": "Dark jazz about city rain, sung by a woman"}
    assert llm.llm.schema_problems == []
    tool = sent["tools"][0]["function"]
    assert tool["name"] == SONG_TOOL_NAME and set(tool["parameters"]["properties"]) >= SONG_TOOL_FIELDS
    assert llm.llm.headers[-1]["authorization"] == f"Bearer {FAKE_KEY}"


async def test_a_base_url_ending_in_v1_and_another_model_are_honoured(settings: Settings) -> None:
    async with running_fake_llm() as llm:
        aimed = settings.with_overrides(**llm.settings(with_v1=True, model="my-local-model"))
        async with running_app(aimed) as served, client_of(served) as client:
            await client.chat.completions.create(
                model="chirp-fenix", messages=[{"role": "user", "content": "a song"}]
            )
    assert llm.llm.paths == ["/v1/chat/completions"]
    assert llm.llm.requests[-1]["model"] == "my-local-model"


async def test_a_streamed_song_from_the_llm_says_no_word_about_a_missing_llm(settings: Settings) -> None:
    async with (
        running_fake_llm() as llm,
        running_app(with_llm(settings, llm)) as served,
        client_of(served) as client,
    ):
        stream = await client.chat.completions.create(
            model="chirp-fenix", messages=[{"role": "user", "content": "a song"}], stream=True
        )
        texts = [chunk.choices[0].delta.content or "" async for chunk in stream if chunk.choices]
    assert "No songwriting LLM" not in "".join(texts)
    assert "City Rain" in texts[-2] and len(LISTEN_LINK.findall(texts[-2])) == 2


async def test_a_continuation_uses_the_clip_the_conversation_mentions(settings: Settings) -> None:
    async with running_fake_llm() as llm, running_app(with_llm(settings, llm)) as served:
        async with client_of(served) as client:
            first = await client.chat.completions.create(
                model="chirp-fenix", messages=[{"role": "user", "content": "a song"}]
            )
            earlier = first.choices[0].message.content or ""
            clip_id = CLIP_ID.findall(earlier)[0]
            llm.llm.reply_with_tool_call(
                {
                    "prompt": "[Bridge]\nOne more time",
                    "title": "City Rain II",
                    "tags": "jazz",
                    "make_instrumental": False,
                    "continue_clip_id": clip_id,
                    "continue_at": "5.5",
                }
            )
            second = await client.chat.completions.create(
                model="chirp-fenix",
                messages=[
                    {"role": "user", "content": "a song"},
                    {"role": "assistant", "content": earlier},
                    {"role": "user", "content": "continue the first version"},
                ],
            )
        assert LISTEN_LINK.findall(second.choices[0].message.content or "")
        newest = (await served.runtime.service.list_tasks()).tasks[0]
    assert isinstance(newest.request, MusicRequest)
    assert (newest.request.continue_clip_id, newest.request.continue_at) == (clip_id, 5.5)
    assert clip_id in llm.llm.requests[-1]["messages"][-2]["content"]  # the LLM saw the earlier reply


async def test_a_cover_of_the_clip_the_conversation_mentions(settings: Settings) -> None:
    async with running_fake_llm() as llm, running_app(with_llm(settings, llm)) as served:
        async with client_of(served) as client:
            first = await client.chat.completions.create(
                model="chirp-fenix", messages=[{"role": "user", "content": "a song"}]
            )
            earlier = first.choices[0].message.content or ""
            clip_id = CLIP_ID.findall(earlier)[0]
            llm.llm.reply_with_tool_call(
                {
                    "prompt": "",
                    "title": "City Rain (bossa)",
                    "tags": "bossa nova",
                    "make_instrumental": False,
                    "cover_clip_id": clip_id,
                }
            )
            second = await client.chat.completions.create(
                model="chirp-fenix",
                messages=[
                    {"role": "user", "content": "a song"},
                    {"role": "assistant", "content": earlier},
                    {"role": "user", "content": "now as bossa nova"},
                ],
            )
        assert LISTEN_LINK.findall(second.choices[0].message.content or "")
        newest = (await served.runtime.service.list_tasks()).tasks[0]
    assert newest.action is TaskAction.COVER and newest.status is TaskStatus.SUCCESS
    assert newest.source_clip_id == clip_id
    assert isinstance(newest.request, OperationRequest) and newest.request.tags == "bossa nova"


async def test_when_the_llm_does_not_call_the_tool_its_reply_passes_through(settings: Settings) -> None:
    async with running_fake_llm() as llm, running_app(with_llm(settings, llm)) as served:
        llm.llm.reply_with_text("Happy to help! What mood should the song have?")
        llm.llm.reply_with_text("Tell me the genre, please.")
        async with client_of(served) as client:
            reply = await client.chat.completions.create(
                model="chirp-fenix", messages=[{"role": "user", "content": "hi"}]
            )
            stream = await client.chat.completions.create(
                model="chirp-fenix", messages=[{"role": "user", "content": "hi"}], stream=True
            )
            chunks = [chunk async for chunk in stream]
        assert not (await served.runtime.service.list_tasks()).tasks  # no song was ordered
    assert reply.choices[0].message.content == "Happy to help! What mood should the song have?"
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(chunk.choices[0].delta.content or "" for chunk in chunks) == "Tell me the genre, please."
    assert chunks[-1].choices[0].finish_reason == "stop"


@pytest.mark.parametrize("stream", [False, True])
async def test_an_llm_error_is_a_clear_openai_error_that_keeps_the_key_secret(
    settings: Settings, stream: bool
) -> None:
    async with running_fake_llm() as llm, running_app(with_llm(settings, llm)) as served:
        llm.llm.fail(500, f"model overloaded (key {FAKE_KEY})")
        async with client_of(served) as client:
            with pytest.raises(openai.APIStatusError) as raised:
                await client.chat.completions.create(
                    model="chirp-fenix", messages=[{"role": "user", "content": "a song"}], stream=stream
                )
        assert not (await served.runtime.service.list_tasks()).tasks
    assert raised.value.status_code == 502
    error = raised.value.body
    assert isinstance(error, dict) and error["code"] == "llm_error" and error["type"] == "api_error"
    assert "answered 500" in error["message"] and "model overloaded" in error["message"]
    assert FAKE_KEY not in error["message"]


async def test_a_wrong_llm_key_and_an_unreachable_llm_are_reported(settings: Settings) -> None:
    async with running_fake_llm() as llm:
        wrong_key = settings.with_overrides(**{**llm.settings(), "chat_openai_key": "sk-wrong"})
        async with running_app(wrong_key) as served, client_of(served) as client:
            with pytest.raises(openai.APIStatusError, match="answered 401: Incorrect API key"):
                await client.chat.completions.create(
                    model="chirp-fenix", messages=[{"role": "user", "content": "x"}]
                )
        gone = llm.base_url
    unreachable = settings.with_overrides(chat_openai_base=gone, chat_openai_key="sk-x")
    async with running_app(unreachable) as served, client_of(served) as client:
        with pytest.raises(openai.APIStatusError, match="cannot be reached") as raised:
            await client.chat.completions.create(
                model="chirp-fenix", messages=[{"role": "user", "content": "x"}]
            )
    assert raised.value.status_code == 502


async def test_a_tool_call_the_rules_reject_names_the_field(settings: Settings) -> None:
    async with running_fake_llm() as llm, running_app(with_llm(settings, llm)) as served:
        llm.llm.reply_with_tool_call({"prompt": "la", "title": "t", "tags": "pop", "vocal_gender": "robot"})
        llm.llm.reply_with_tool_call('{"prompt": "unterminated')
        async with client_of(served) as client:
            with pytest.raises(openai.BadRequestError) as raised:
                await client.chat.completions.create(
                    model="chirp-fenix", messages=[{"role": "user", "content": "x"}]
                )
            assert raised.value.body["param"] == "vocal_gender"  # type: ignore[index]
            with pytest.raises(openai.APIStatusError, match="cannot read") as unreadable:
                await client.chat.completions.create(
                    model="chirp-fenix", messages=[{"role": "user", "content": "x"}]
                )
            assert unreadable.value.status_code == 502
        assert not (await served.runtime.service.list_tasks()).tasks


async def test_without_an_llm_the_last_user_message_is_the_description(settings: Settings) -> None:
    async with running_app(settings) as served, client_of(served) as client:
        await client.chat.completions.create(
            model="chirp-fenix",
            messages=[
                {"role": "user", "content": "something sad"},
                {"role": "assistant", "content": "ok"},
                {"role": "user", "content": "no, a happy polka"},
            ],
        )
        request = await only_request(served)
        task = (await served.runtime.service.list_tasks()).tasks[0]
    assert request.gpt_description_prompt == "no, a happy polka" and request.is_inspiration_mode
    assert task.status is TaskStatus.SUCCESS
