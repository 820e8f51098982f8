"""A fake OpenAI-compatible LLM on loopback: checks the song tool sunoql sends, answers as scripted.

async with running_fake_llm() as llm:
    settings = settings.with_overrides(**llm.settings())
    llm.reply_with_tool_call({"prompt": "[Verse]\\n…", "title": "Rain", "tags": "jazz"})
    llm.reply_with_text("Which mood would you like?")
    llm.fail(401, "Incorrect API key provided")
    llm.requests[-1]["tools"]            # what sunoql sent
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.server import serve

FAKE_KEY = "sk-fake-llm-key-0123456789"
# Every music field the tool must let the LLM fill.
SONG_TOOL_FIELDS = frozenset(
    {
        "prompt",
        "title",
        "tags",
        "negative_tags",
        "vocal_gender",
        "make_instrumental",
        "continue_clip_id",
        "continue_at",
        "cover_clip_id",
    }
)
DEFAULT_SONG = {
    "prompt": "[Verse]\nRain on the window, coffee in my hand\n\n[Chorus]\nCity rain, city rain",
    "title": "City Rain",
    "tags": "dark jazz, smoky, slow",
    "make_instrumental": False,
}


@dataclass
class Script:
    status: int = 200
    tool_arguments: Mapping[str, Any] | str | None = None
    text: str | None = None
    error: str = ""


@dataclass
class FakeLlm:
    key: str = FAKE_KEY
    scripts: list[Script] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    schema_problems: list[str] = field(default_factory=list)

    def reply_with_tool_call(self, arguments: Mapping[str, Any] | str) -> None:
        self.scripts.append(Script(tool_arguments=arguments))

    def reply_with_text(self, text: str) -> None:
        self.scripts.append(Script(text=text))

    def fail(self, status: int, message: str) -> None:
        self.scripts.append(Script(status=status, error=message))

    async def chat_completions(self, request: Request) -> Response:
        self.paths.append(request.url.path)
        self.headers.append(dict(request.headers))
        if request.headers.get("authorization") != f"Bearer {self.key}":
            return _error(401, "Incorrect API key provided: sk-fake***", "invalid_api_key")
        body = await request.json()
        self.requests.append(body)
        problems = tool_schema_problems(body)
        self.schema_problems.extend(problems)
        if problems:
            return _error(400, "; ".join(problems), "invalid_tools")
        script = self.scripts.pop(0) if self.scripts else Script(tool_arguments=DEFAULT_SONG)
        if script.status != 200:
            return _error(script.status, script.error, "scripted_failure")
        return JSONResponse(_completion(body["model"], script))


def tool_schema_problems(body: Mapping[str, Any]) -> list[str]:
    """What a strict OpenAI endpoint would reject, plus what the song tool must offer."""
    problems = []
    if not isinstance(body.get("model"), str):
        problems.append("model is missing")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        problems.append("messages must be a non-empty list")
    tools = body.get("tools")
    if not isinstance(tools, list) or len(tools) != 1:
        return [*problems, "exactly one tool expected"]
    tool = tools[0]
    function = tool.get("function") or {}
    if tool.get("type") != "function" or not function.get("name") or not function.get("description"):
        problems.append("the tool must be a named, described function")
    parameters = function.get("parameters") or {}
    properties = parameters.get("properties") or {}
    if parameters.get("type") != "object":
        problems.append("parameters must be an object schema")
    missing = SONG_TOOL_FIELDS - set(properties)
    if missing:
        problems.append(f"the tool lacks {sorted(missing)}")
    for name, schema in properties.items():
        if schema.get("type") not in ("string", "number", "integer", "boolean") or not schema.get(
            "description"
        ):
            problems.append(f"property {name} needs a JSON type and a description")
    if not set(parameters.get("required") or ()) <= set(properties):
        problems.append("required names a property that does not exist")
    if body.get("stream"):
        problems.append("sunoql must not ask the LLM to stream")
    return problems


def _completion(model: str, script: Script) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": script.text}
    if script.tool_arguments is not None:
        arguments = script.tool_arguments
        message["tool_calls"] = [
            {
                "id": "call_fake_1",
                "type": "function",
                "function": {
                    "name": "generate_song",
                    "arguments": arguments if isinstance(arguments, str) else json.dumps(arguments),
                },
            }
        ]
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if script.tool_arguments else "stop",
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


def _error(status: int, message: str, code: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}}, status
    )


@dataclass
class RunningFakeLlm:
    base_url: str
    llm: FakeLlm

    def settings(self, *, with_v1: bool = False, model: str = "gpt-4o") -> dict[str, Any]:
        """Overrides for Settings pointing the chat door at this fake."""
        base = f"{self.base_url}/v1" if with_v1 else self.base_url
        return {"chat_openai_base": base, "chat_openai_key": self.llm.key, "chat_openai_model": model}


@contextlib.asynccontextmanager
async def running_fake_llm() -> AsyncIterator[RunningFakeLlm]:
    llm = FakeLlm()
    app = Starlette(routes=[Route("/v1/chat/completions", llm.chat_completions, methods=["POST"])])
    async with serve(app) as base_url:
        yield RunningFakeLlm(base_url, llm)
