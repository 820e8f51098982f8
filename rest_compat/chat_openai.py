"""OpenAI's chat wire format: the request we accept, completion and chunk objects, and error objects."""

from __future__ import annotations

import json
import math
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from starlette.responses import JSONResponse

from rest_compat.chat_schema import ChatCompletionRequest
from rest_compat.openapi import explain_validation_error
from suno.errors import (
    InsufficientCredits,
    InvalidRequest,
    NoAccountAvailable,
    RateLimited,
    SunoError,
    TaskNotFound,
    UpstreamError,
    UpstreamUnavailable,
)
from suno.models import DEFAULT_MODEL, KNOWN_MODELS, MODEL_ALIASES


class ChatError(Exception):
    """An error the OpenAI door answers as {"error": {"message", "type", "param", "code"}}."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.extra = dict(extra or {})

    def body(self) -> dict[str, Any]:
        error = {"message": self.message, "type": self.type, "param": self.param, "code": self.code}
        return {"error": {**error, **self.extra}}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status)


def chat_error_from(error: SunoError) -> ChatError:
    """The one place where the core's errors become OpenAI error objects."""
    extra = {"task_id": error.task_id} if isinstance(error, UpstreamError) and error.task_id else None
    if isinstance(error, InvalidRequest):
        return ChatError(400, error.message, param=error.field, code="invalid_value")
    if isinstance(error, TaskNotFound):
        return ChatError(404, error.message, code="not_found")
    if isinstance(error, RateLimited | NoAccountAvailable):
        return ChatError(429, f"Suno is busy: {error.message}", type="rate_limit_error", code="rate_limited")
    if isinstance(error, InsufficientCredits):
        return ChatError(
            402, error.message, type="insufficient_quota", code="insufficient_credits", extra=extra
        )
    if isinstance(error, UpstreamUnavailable):
        return ChatError(
            503,
            f"Suno is unavailable: {error.message}",
            type="api_error",
            code="upstream_unavailable",
            extra=extra,
        )
    if isinstance(error, UpstreamError):
        return ChatError(
            502, f"Suno refused the song: {error.message}", type="api_error", code=error.reason, extra=extra
        )
    return ChatError(500, error.message, type="api_error", code="internal_error")


@dataclass(frozen=True, slots=True)
class ChatRequest:
    model: str
    # As the client sent them, so an LLM sees the whole conversation (content parts included).
    messages: list[dict[str, Any]] = field(default_factory=list)
    stream: bool = False
    include_usage: bool = False

    def last_user_text(self) -> str:
        for message in reversed(self.messages):
            if message.get("role") == "user":
                return message_text(message)
        return ""

    def conversation_text(self) -> str:
        return "\n".join(message_text(message) for message in self.messages)


def parse_chat_request(raw: bytes) -> ChatRequest:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ChatError(400, "the request body is not valid JSON", code="invalid_json") from None
    try:
        parsed = ChatCompletionRequest.model_validate(body)
    except ValidationError as error:
        location = error.errors(include_url=False)[0].get("loc", ())
        param = ".".join(str(part) for part in location) or None
        raise ChatError(400, explain_validation_error(error), param=param, code="invalid_value") from None
    include_usage = parsed.stream_options is not None and parsed.stream_options.include_usage
    return ChatRequest(
        model=parsed.model or DEFAULT_MODEL,
        messages=body["messages"],
        stream=parsed.stream,
        include_usage=include_usage,
    )


def message_text(message: Mapping[str, Any]) -> str:
    """A message's text: a plain string, or the text parts of a content-part array."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [
            part.get("text") for part in content if isinstance(part, dict) and part.get("type") == "text"
        ]
        return "\n".join(part for part in parts if isinstance(part, str))
    return ""


def new_completion_id() -> str:
    return f"chatcmpl-{secrets.token_hex(12)}"


def estimated_usage(prompt: str, completion: str) -> dict[str, int]:
    """Token counts estimated at four characters a token: no tokenizer stands behind a song."""
    prompt_tokens = math.ceil(len(prompt) / 4)
    completion_tokens = math.ceil(len(completion) / 4)
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def completion(completion_id: str, model: str, content: str, usage: Mapping[str, int]) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": dict(usage),
        "system_fingerprint": None,
    }


@dataclass(frozen=True, slots=True)
class ChunkWriter:
    """Server-sent events of one streamed completion, in OpenAI's chunk format."""

    completion_id: str
    model: str
    include_usage: bool
    created: int = field(default_factory=lambda: int(time.time()))

    def chunk(self, delta: Mapping[str, Any], finish_reason: str | None = None) -> str:
        choice = {"index": 0, "delta": dict(delta), "logprobs": None, "finish_reason": finish_reason}
        return self._event({"choices": [choice], **({"usage": None} if self.include_usage else {})})

    def role(self) -> str:
        return self.chunk({"role": "assistant", "content": ""})

    def content(self, text: str) -> str:
        return self.chunk({"content": text})

    def finish(self) -> str:
        return self.chunk({}, "stop")

    def usage(self, usage: Mapping[str, int]) -> str:
        return self._event({"choices": [], "usage": dict(usage)})

    @staticmethod
    def error(error: ChatError) -> str:
        return f"data: {json.dumps(error.body())}\n\n"

    @staticmethod
    def done() -> str:
        return "data: [DONE]\n\n"

    @staticmethod
    def heartbeat() -> str:
        # An SSE comment: clients ignore it, proxies see traffic and keep the stream open.
        return ": keep-alive\n\n"

    def _event(self, fields: Mapping[str, Any]) -> str:
        payload = {
            "id": self.completion_id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "system_fingerprint": None,
            **fields,
        }
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


def models_list() -> dict[str, Any]:
    return {"object": "list", "data": [model_object(name) for name in listed_models()]}


def listed_models() -> list[str]:
    return list(dict.fromkeys([*KNOWN_MODELS, *MODEL_ALIASES]))


def model_object(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": 0, "owned_by": "suno"}
