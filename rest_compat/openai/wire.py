"""OpenAI's chat bodies as pydantic models (they validate requests and document /v1), and the request as read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rest_compat.openai.errors import ChatError, unreadable_body
from rest_compat.request_body import UnreadableBody, parse_json_object
from rest_compat.validation import explain_validation_error
from suno.models import DEFAULT_MODEL

Role = Literal["system", "developer", "user", "assistant", "tool", "function"]


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str = Field(description="Only 'text' parts are read; others go to the LLM as sent.")
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Role
    content: str | list[ContentPart] | None = Field(default=None, description="A string or content parts.")


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")
    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    """OpenAI's chat request; fields not listed here (temperature, max_tokens, …) are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: str = Field(
        default=DEFAULT_MODEL,
        description=f"{DEFAULT_MODEL} (v6, default) or any model key or alias the account may use "
        "(GET /v1/models lists them, e.g. v5.5, chirp-v4, suno-v3.5); another is refused with a 400.",
    )
    messages: list[ChatMessage] = Field(
        min_length=1, description="Describe the song in the last user message."
    )
    stream: bool = Field(default=False, description="Server-sent events with live progress.")
    stream_options: StreamOptions | None = None


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str
    refusal: str | None = None


class Choice(BaseModel):
    index: int
    message: AssistantMessage
    logprobs: None = None
    finish_reason: Literal["stop"]


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    system_fingerprint: str | None = None


class ModelObject(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelObject]


class ErrorObject(BaseModel):
    model_config = ConfigDict(extra="allow")
    message: str
    type: str
    param: str | None = None
    code: str | None = None
    task_id: str | None = Field(default=None, description="Set when a song task exists (e.g. on 504).")


class ErrorReply(BaseModel):
    error: ErrorObject


@dataclass(frozen=True, slots=True)
class ChatRequest:
    model: str
    # As the client sent them, so an LLM sees the whole conversation (content parts included).
    messages: list[dict[str, Any]] = field(default_factory=list)
    stream: bool = False
    include_usage: bool = False
    # False when the client named no model: the song then uses the account's default (or DEFAULT_MODEL).
    model_given: bool = True

    def last_user_text(self) -> str:
        for message in reversed(self.messages):
            if message.get("role") == "user":
                return message_text(message)
        return ""

    def conversation_text(self) -> str:
        return "\n".join(message_text(message) for message in self.messages)


def parse_chat_request(raw: bytes) -> ChatRequest:
    try:
        body = parse_json_object(raw)
    except UnreadableBody as error:
        raise unreadable_body(error) from None
    try:
        parsed = ChatCompletionRequest.model_validate(body)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        param = ".".join(str(part) for part in first.get("loc", ())) or None
        message = explain_validation_error(error)
        if param == "messages" and first.get("type") == "too_short":
            message = "messages is empty: send at least one user message that describes the song"
        raise ChatError(400, message, param=param, code="invalid_value") from None
    include_usage = parsed.stream_options is not None and parsed.stream_options.include_usage
    return ChatRequest(
        model=parsed.model or DEFAULT_MODEL,
        model_given=bool(body.get("model")),
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
