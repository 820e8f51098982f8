"""A REST-shaped door's JSON body: one size cap and one verdict on what is wrong with it, for every door.

Each door answers an `UnreadableBody` in its own error shape (the envelope on /suno, OpenAI's error
object on /v1) with `status`: 413 for a body past the cap, 400 for the rest.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from starlette.requests import Request

from rest_compat.validation import json_kind

MAX_BODY_BYTES = 1024 * 1024


class BodyProblem(Enum):
    TOO_LARGE = "too_large"
    EMPTY = "empty"
    NOT_JSON = "not_json"
    NOT_AN_OBJECT = "not_an_object"
    NOT_UNICODE = "not_unicode"
    TOO_DEEP = "too_deep"


class UnreadableBody(Exception):
    """A body no route can use: `problem` says which way, `message` says it to a person."""

    def __init__(self, problem: BodyProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem
        self.message = message

    @property
    def status(self) -> int:
        return 413 if self.problem is BodyProblem.TOO_LARGE else 400


async def read_body(request: Request, max_bytes: int = MAX_BODY_BYTES) -> bytes:
    """The raw body, refused as soon as it grows past `max_bytes` (the rest is never read)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise UnreadableBody(BodyProblem.TOO_LARGE, f"the body is larger than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json_object(raw: bytes, example: str = "") -> dict[str, Any]:
    """`raw` as a JSON object that can be used as text throughout; `example` is shown when it is not JSON."""
    if not raw.strip():
        raise UnreadableBody(BodyProblem.EMPTY, "the body is empty: send a JSON object")
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        hint = f" such as {example}" if example else ""
        raise UnreadableBody(
            BodyProblem.NOT_JSON, f"the body is not valid JSON: send a JSON object{hint}"
        ) from None
    if not isinstance(value, dict):
        raise UnreadableBody(
            BodyProblem.NOT_AN_OBJECT, f"the body must be a JSON object, got {json_kind(value)}"
        )
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise UnreadableBody(
            BodyProblem.NOT_UNICODE,
            "the body has text that is not valid Unicode (an unpaired \\ud800-\\udfff escape)",
        ) from None
    except (ValueError, RecursionError):
        raise UnreadableBody(
            BodyProblem.TOO_DEEP, "the body has a value that cannot be used (too deeply nested)"
        ) from None
    return value


async def read_json_object(
    request: Request, *, max_bytes: int = MAX_BODY_BYTES, example: str = ""
) -> dict[str, Any]:
    """The body as a JSON object, or `UnreadableBody` saying why not (too large, empty, not JSON…)."""
    return parse_json_object(await read_body(request, max_bytes), example)
