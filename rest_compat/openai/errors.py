"""OpenAI's error object ({"error": {"message", "type", "param", "code"}}) and the one mapping of core errors to it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_compat.json_response import JSONResponse
from rest_compat.request_body import BodyProblem, UnreadableBody
from suno.errors import (
    InsufficientCredits,
    InvalidRequest,
    NoAccountAvailable,
    RateLimited,
    StoreUnavailable,
    SunoError,
    TaskNotFound,
    UpstreamError,
    UpstreamUnavailable,
)
from suno.requests import MAX_LENGTHS


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
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        error = {"message": self.message, "type": self.type, "param": self.param, "code": self.code}
        return {"error": {**error, **self.extra}}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers or None)


def unauthorized() -> ChatError:
    return ChatError(
        401,
        "invalid API key: give this server's SECRET_TOKEN as the API key",
        type="authentication_error",
        code="invalid_api_key",
    )


def unreadable_body(error: UnreadableBody) -> ChatError:
    """The /suno verdict on a body (same cap, same problems) in OpenAI's error object."""
    if error.problem in (BodyProblem.EMPTY, BodyProblem.NOT_JSON):
        return ChatError(400, "the request body is not valid JSON", code="invalid_json")
    if error.problem is BodyProblem.TOO_LARGE:
        return ChatError(error.status, error.message, code="request_too_large")
    return ChatError(error.status, error.message, code="invalid_value")


def song_refusal(error: InvalidRequest, *, llm_used: bool) -> ChatError:
    """A song rule the conversation broke, in the chat user's words (they typed a message, not fields)."""
    if error.field == "mv":
        return ChatError(
            400, f"model: {error.message.removeprefix('mv ')}", param="model", code="invalid_value"
        )
    if not llm_used and error.field == "gpt_description_prompt":
        limit = MAX_LENGTHS["gpt_description_prompt"]
        return ChatError(
            400,
            f"your message is too long to describe a song: at most {limit} characters; shorten it, or let "
            "the server's songwriting LLM (CHAT_OPENAI_KEY) turn long texts into a song",
            param="messages",
            code="invalid_value",
        )
    if llm_used:
        return ChatError(
            400,
            f"the songwriting assistant wrote a song Suno cannot take ({error.message}); try asking again",
            param=error.field,  # the field of the assistant's song tool call
            code="invalid_value",
        )
    return ChatError(
        400, f"this song cannot be made: {error.message}", param="messages", code="invalid_value"
    )


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
    if isinstance(error, StoreUnavailable):
        return ChatError(
            503,
            error.message,
            type="api_error",
            code="service_unavailable",
            headers={"Retry-After": str(error.retry_after)},
        )
    if isinstance(error, UpstreamError):
        return ChatError(
            502, f"Suno refused the song: {error.message}", type="api_error", code=error.reason, extra=extra
        )
    return ChatError(500, error.message, type="api_error", code="internal_error")
