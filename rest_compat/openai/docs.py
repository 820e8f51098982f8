"""The OpenAPI operations of the /v1 routes, with examples in OpenAI's format."""

from __future__ import annotations

from typing import Any

from rest_compat.openai.wire import ChatCompletion, ChatCompletionRequest, ErrorReply, ModelList, ModelObject
from rest_compat.openapi import Body, Operation, Reply


def _error(description: str, example: dict[str, Any]) -> Reply:
    return Reply(description, ErrorReply, examples={description: {"error": example}})


_EXAMPLE_REPLY = (
    "***\n### 🎵 Summer Tide\n**Model:** chirp-fenix\n\n**Version 1** — ID: `6f1c…`\n"
    "- 🎧 Audio: [listen](https://cdn1.suno.ai/6f1c….mp3)\n"
)

CHAT_OPERATION = Operation(
    summary="Order a song by chatting (OpenAI-compatible)",
    description=(
        "Point an OpenAI client's base URL at sunoql (`http://host:8000/v1`) and describe a song. "
        "With CHAT_OPENAI_KEY set, an LLM writes lyrics, title and style through a tool call; "
        "without it, the last user message is Suno's inspiration-mode description. "
        "`stream: true` sends live progress as server-sent events (chat.completion.chunk, then `data: [DONE]`); "
        "otherwise the reply comes when the song is done (up to CHAT_TIME_OUT seconds). "
        "Needs SECRET_TOKEN as the API key when it is set, unless CHAT_PUBLIC=true."
    ),
    tags=("OpenAI",),
    secured=True,
    body=Body(
        ChatCompletionRequest,
        examples={
            "a song": {
                "model": "chirp-fenix",
                "messages": [{"role": "user", "content": "A summer beach pop song"}],
            },
            "streamed": {
                "model": "suno-v3.5",
                "stream": True,
                "stream_options": {"include_usage": True},
                "messages": [
                    {"role": "user", "content": [{"type": "text", "text": "Dark jazz about city rain"}]}
                ],
            },
        },
    ),
    replies={
        200: Reply(
            "The song's links, rendered by the chat_resp template (text/event-stream when streaming)",
            ChatCompletion,
            examples={
                "done": {
                    "id": "chatcmpl-5d0c2e",
                    "object": "chat.completion",
                    "created": 1767225600,
                    "model": "chirp-fenix",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": _EXAMPLE_REPLY, "refusal": None},
                            "logprobs": None,
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 7, "completion_tokens": 40, "total_tokens": 47},
                }
            },
        ),
        400: _error(
            "Invalid request",
            {
                "message": "messages must not be empty",
                "type": "invalid_request_error",
                "param": "messages",
                "code": "invalid_value",
            },
        ),
        401: _error(
            "Missing or wrong SECRET_TOKEN",
            {
                "message": "invalid API key: give SECRET_TOKEN as the API key",
                "type": "authentication_error",
                "param": None,
                "code": "invalid_api_key",
            },
        ),
        429: _error(
            "Suno is busy",
            {
                "message": "Suno is busy: too many running jobs",
                "type": "rate_limit_error",
                "param": None,
                "code": "rate_limited",
            },
        ),
        502: _error(
            "Suno or the LLM failed",
            {
                "message": "the songwriting LLM at api.openai.com answered 401: invalid key",
                "type": "api_error",
                "param": None,
                "code": "llm_error",
            },
        ),
        504: _error(
            "The song is not done within CHAT_TIME_OUT; the task keeps running",
            {
                "message": "the song is still being made after 600 s; fetch it later with GET /suno/fetch/3f2a…",
                "type": "timeout_error",
                "param": None,
                "code": "task_timeout",
                "task_id": "3f2a…",
            },
        ),
    },
)

MODELS_OPERATION = Operation(
    summary="List the song models (OpenAI-compatible)",
    tags=("OpenAI",),
    secured=True,
    replies={200: Reply("The known models and aliases", ModelList)},
)

MODEL_OPERATION = Operation(
    summary="One song model (OpenAI-compatible)",
    tags=("OpenAI",),
    secured=True,
    replies={
        200: Reply("The model", ModelObject),
        404: _error(
            "Not a known model",
            {
                "message": "model 'x' is not known",
                "type": "invalid_request_error",
                "param": "model",
                "code": "model_not_found",
            },
        ),
    },
)
