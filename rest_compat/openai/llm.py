"""The songwriting LLM: asks an OpenAI-compatible model to turn a conversation into one song tool call."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from rest_compat.openai.errors import ChatError
from suno.config import Settings

SONG_TOOL_NAME = "generate_song"
# Writing full lyrics takes a large model a while; a slower LLM is treated as failed.
LLM_TIMEOUT = httpx.Timeout(120.0, connect=10.0)
LLM_ERROR_TEXT_LIMIT = 300

SYSTEM_PROMPT = (
    "You are the songwriter of a music generation service backed by Suno. "
    f"When the user asks for a song, or to change, redo or continue one, call {SONG_TOOL_NAME} once with "
    "complete lyrics, a title and style tags in English. Continue a song only when the conversation shows "
    "the clip id of the version to continue; for a cover (the same song in another style) give cover_clip_id, "
    "with the new style as tags. If the user is not asking for a song, answer briefly yourself."
)

LYRICS_DESCRIPTION = (
    "The complete lyrics, in the user's language unless asked otherwise, structured with section tags on "
    "their own lines: [Intro] [Verse] [Pre-Chorus] [Chorus] [Bridge] [Outro]. About four lines per section, "
    "enough for a song of one to three minutes. Empty for an instrumental."
)
TAGS_DESCRIPTION = (
    "Style of the music in English, comma-separated: genre, mood, instruments, tempo, "
    "for example 'synthwave, dreamy, female vocals, 100 bpm'. At most about 120 characters."
)

SONG_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": SONG_TOOL_NAME,
        "description": "Generate a song with Suno from lyrics and a style.",
        "parameters": {
            "type": "object",
            "properties": {
                "prompt": {"type": "string", "description": LYRICS_DESCRIPTION},
                "title": {"type": "string", "description": "The song's title."},
                "tags": {"type": "string", "description": TAGS_DESCRIPTION},
                "negative_tags": {
                    "type": "string",
                    "description": "Styles or instruments to avoid, comma-separated; empty when none.",
                },
                "vocal_gender": {
                    "type": "string",
                    "enum": ["female", "male"],
                    "description": "The singer's voice, only when the user asks for one.",
                },
                "make_instrumental": {
                    "type": "boolean",
                    "description": "True only when the user explicitly asks for music without vocals.",
                },
                "continue_clip_id": {
                    "type": "string",
                    "description": "To extend an existing song: the clip id (version ID) shown in the conversation.",
                },
                "continue_at": {
                    "type": "number",
                    "description": "With continue_clip_id: seconds into that clip where the new part starts "
                    "(usually its full duration, as shown in the conversation).",
                },
                # v6 controls: only when the user asks for them (suno.requests checks the ranges).
                "weirdness": {
                    "type": "number",
                    "description": "0–1, how experimental the song may be; only when the user asks.",
                },
                "style_weight": {
                    "type": "number",
                    "description": "0–1, how strictly the style tags are followed; only when the user asks.",
                },
                "variety": {
                    "type": "integer",
                    "description": "0–4, how different the two versions are; only when the user asks.",
                },
                "max_mode": {"type": "boolean", "description": "True only when the user asks for max mode."},
                "mumble": {
                    "type": "boolean",
                    "description": "True only when the user asks for mumbled vocals.",
                },
                "duration": {
                    "type": "integer",
                    "description": "10–360 seconds, only when the user asks for a length.",
                },
                "cover_clip_id": {
                    "type": "string",
                    "description": "To cover an existing song (same melody, new style in tags, optionally new "
                    "lyrics): the clip id (version ID) shown in the conversation. Not with continue_clip_id.",
                },
            },
            "required": ["prompt", "title", "tags", "make_instrumental"],
        },
    },
}
SONG_FIELDS = tuple(SONG_TOOL["function"]["parameters"]["properties"])


@dataclass(frozen=True, slots=True)
class LlmAnswer:
    """Either the song fields of a tool call, or the LLM's own reply when it did not call the tool."""

    song_fields: dict[str, Any] | None
    text: str = ""


def llm_url(base: str) -> str:
    """CHAT_OPENAI_BASE may end in /v1 or not (the original appended /v1 itself)."""
    root = base.rstrip("/").removesuffix("/v1")
    return f"{root}/v1/chat/completions"


async def ask_llm(settings: Settings, messages: Sequence[Mapping[str, Any]]) -> LlmAnswer:
    body = {
        "model": settings.chat_openai_model,
        "messages": [{"role": "system", "content": SYSTEM_PROMPT}, *messages],
        "tools": [SONG_TOOL],
        "tool_choice": "auto",
        "stream": False,
    }
    headers = {"Authorization": f"Bearer {settings.chat_openai_key}", "Accept": "application/json"}
    host = urlsplit(settings.chat_openai_base).netloc
    try:
        async with httpx.AsyncClient(proxy=settings.proxy or None, timeout=LLM_TIMEOUT) as client:
            response = await client.post(llm_url(settings.chat_openai_base), json=body, headers=headers)
    except httpx.TimeoutException:
        raise _llm_error(
            504, f"the songwriting LLM at {host} did not answer in time", "llm_timeout"
        ) from None
    except httpx.HTTPError as error:
        raise _llm_error(
            502, f"the songwriting LLM at {host} cannot be reached: {type(error).__name__}"
        ) from None
    if response.status_code != 200:
        detail = _redacted(_error_text(response), settings.chat_openai_key)
        raise _llm_error(502, f"the songwriting LLM at {host} answered {response.status_code}: {detail}")
    try:
        return read_answer(response.json())
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise _llm_error(502, f"the songwriting LLM at {host} sent a reply we cannot read: {error}") from None


def read_answer(payload: Any) -> LlmAnswer:
    message = payload["choices"][0]["message"]
    for call in message.get("tool_calls") or []:
        function = call.get("function") or {}
        if function.get("name") != SONG_TOOL_NAME:
            continue
        arguments = function.get("arguments") or "{}"
        parsed = json.loads(arguments) if isinstance(arguments, str) else arguments
        if not isinstance(parsed, dict):
            raise ValueError("the tool call's arguments are not an object")
        return LlmAnswer(song_fields=song_fields(parsed))
    content = message.get("content")
    if not isinstance(content, str) or not content.strip():
        raise ValueError("it neither called the song tool nor wrote a reply")
    return LlmAnswer(song_fields=None, text=content)


def song_fields(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The tool's arguments as the original's field names; validation is suno.requests' job."""
    fields = {name: arguments[name] for name in SONG_FIELDS if arguments.get(name) not in (None, "")}
    # Models fill every property; an offset without a clip to continue means "not a continuation".
    if "continue_clip_id" not in fields:
        fields.pop("continue_at", None)
    if "cover_clip_id" in fields and "continue_clip_id" in fields:
        # Both at once is no request Suno takes: the extension wins, as the tool says.
        fields.pop("cover_clip_id")
    elif isinstance(fields.get("continue_at"), str):
        # Some models send numbers as strings (the original declared this one a string).
        with contextlib.suppress(ValueError):
            fields["continue_at"] = float(fields["continue_at"])
    return fields


def _error_text(response: httpx.Response) -> str:
    try:
        payload = response.json()
    except ValueError:
        text = response.text.strip()
    else:
        error = payload.get("error") if isinstance(payload, dict) else None
        message = error.get("message") if isinstance(error, dict) else error
        text = str(message) if message else json.dumps(payload)
    return text[:LLM_ERROR_TEXT_LIMIT] or response.reason_phrase


def _redacted(text: str, secret: str) -> str:
    return text.replace(secret, "[redacted]") if secret else text


def _llm_error(status: int, message: str, code: str = "llm_error") -> ChatError:
    return ChatError(status, message, type="api_error", code=code)
