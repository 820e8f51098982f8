"""Replies in OpenAI's chat format: completion and chunk objects, the usage estimate and the model list."""

from __future__ import annotations

import json
import math
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rest_compat.openai.errors import ChatError
from suno.models import AccountModel


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


def models_list(names: list[str]) -> dict[str, Any]:
    return {"object": "list", "data": [model_object(name) for name in names]}


def listed_models(models: Sequence[AccountModel]) -> list[str]:
    """The usable models' keys, then their aliases, each once."""
    usable = [model for model in models if model.usable]
    return list(dict.fromkeys([*(m.key for m in usable), *(alias for m in usable for alias in m.aliases)]))


def model_object(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": 0, "owned_by": "suno"}
