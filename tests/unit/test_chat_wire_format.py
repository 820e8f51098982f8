"""OpenAI wire details: request parsing, the LLM URL and answers, and the error mapping."""

from __future__ import annotations

import json

import pytest

from rest_compat.openai.errors import ChatError, chat_error_from
from rest_compat.openai.llm import llm_url, read_answer, song_fields
from rest_compat.openai.views import ChunkWriter
from rest_compat.openai.wire import parse_chat_request
from suno.errors import CaptchaRequired, InsufficientCredits, InvalidRequest, RateLimited


def test_request_accepts_content_parts_and_ignores_unknown_fields() -> None:
    chat = parse_chat_request(
        json.dumps(
            {
                "model": "suno-v3.5",
                "temperature": 0.2,
                "stream": True,
                "stream_options": {"include_usage": True},
                "messages": [
                    {"role": "system", "content": "be nice"},
                    {
                        "role": "user",
                        "content": [
                            {"type": "text", "text": "a song"},
                            {"type": "image_url", "image_url": {"url": "x"}},
                            {"type": "text", "text": "about rain"},
                        ],
                    },
                ],
            }
        ).encode()
    )
    assert chat.model == "suno-v3.5" and chat.stream and chat.include_usage
    assert chat.last_user_text() == "a song\nabout rain"
    assert chat.messages[1]["content"][1]["type"] == "image_url"  # the LLM gets the parts as sent


def test_request_defaults_to_chirp_hawk_v6_without_streaming() -> None:
    chat = parse_chat_request(b'{"messages": [{"role": "user", "content": "hi"}]}')
    assert (chat.model, chat.stream, chat.include_usage) == ("chirp-hawk", False, False)
    # No model named: the song takes the account's default (or DEFAULT_MODEL), not a fixed one.
    assert not chat.model_given
    assert parse_chat_request(
        b'{"model": "v5.5", "messages": [{"role": "user", "content": "hi"}]}'
    ).model_given


@pytest.mark.parametrize(
    ("body", "param"),
    [
        (b"{not json", None),
        (b'{"messages": []}', "messages"),
        (b'{"model": "chirp-v4"}', "messages"),
        (b'{"messages": [{"role": "robot", "content": "x"}]}', "messages.0.role"),
        (b'{"messages": [{"role": "user", "content": 5}]}', "messages.0.content"),
    ],
)
def test_bad_requests_are_openai_errors_naming_the_parameter(body: bytes, param: str | None) -> None:
    with pytest.raises(ChatError) as raised:
        parse_chat_request(body)
    error = raised.value.body()["error"]
    assert raised.value.status == 400 and error["type"] == "invalid_request_error"
    assert error["param"] == param or (param and error["param"].startswith(param))
    assert set(error) >= {"message", "type", "param", "code"}


@pytest.mark.parametrize(
    "base",
    [
        "https://api.openai.com",
        "https://api.openai.com/",
        "https://api.openai.com/v1",
        "https://api.openai.com/v1/",
    ],
)
def test_the_llm_url_works_with_or_without_a_trailing_v1(base: str) -> None:
    assert llm_url(base) == "https://api.openai.com/v1/chat/completions"


def test_song_fields_drop_placeholders_and_an_offset_without_a_clip() -> None:
    fields = song_fields(
        {
            "prompt": "[Verse]\nx",
            "title": "T",
            "tags": "pop",
            "vocal_gender": "",
            "continue_clip_id": "",
            "continue_at": 0,
            "task_id": "sneaky",
        }
    )
    assert fields == {"prompt": "[Verse]\nx", "title": "T", "tags": "pop"}


def test_song_fields_read_a_continuation_offset_sent_as_text() -> None:
    fields = song_fields({"prompt": "x", "continue_clip_id": "clip-1", "continue_at": "109.5"})
    assert fields["continue_at"] == 109.5


def test_an_answer_without_a_tool_call_is_the_llms_own_text() -> None:
    answer = read_answer({"choices": [{"message": {"role": "assistant", "content": "Which mood?"}}]})
    assert answer.song_fields is None and answer.text == "Which mood?"


def test_an_answer_with_neither_tool_call_nor_text_is_unreadable() -> None:
    with pytest.raises(ValueError):
        read_answer({"choices": [{"message": {"role": "assistant", "content": None}}]})


def test_core_errors_map_to_openai_statuses_and_types() -> None:
    invalid = chat_error_from(InvalidRequest("vocal_gender must be 'female' or 'male'", field="vocal_gender"))
    assert (invalid.status, invalid.param) == (400, "vocal_gender")
    assert chat_error_from(RateLimited("too many running jobs")).status == 429
    credits = InsufficientCredits("not enough credits", 402)
    credits.task_id = "task-9"
    assert (
        chat_error_from(credits).status == 402
        and chat_error_from(credits).body()["error"]["task_id"] == "task-9"
    )
    captcha = chat_error_from(CaptchaRequired("Suno wants a captcha", 422))
    assert captcha.status == 502 and captcha.body()["error"]["code"] == "captcha_required"


def test_stream_chunks_follow_openais_format() -> None:
    writer = ChunkWriter("chatcmpl-1", "chirp-fenix", include_usage=True)
    first = json.loads(writer.role().removeprefix("data: "))
    assert first["object"] == "chat.completion.chunk" and first["choices"][0]["delta"]["role"] == "assistant"
    assert first["usage"] is None
    finish = json.loads(writer.finish().removeprefix("data: "))
    assert finish["choices"][0]["finish_reason"] == "stop" and finish["choices"][0]["delta"] == {}
    usage = json.loads(
        writer.usage({"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}).removeprefix("data: ")
    )
    assert usage["choices"] == [] and usage["usage"]["total_tokens"] == 3
    assert writer.done() == "data: [DONE]\n\n" and writer.heartbeat().startswith(":")
