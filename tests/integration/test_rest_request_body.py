"""/suno and /v1 read a body the same way (one size cap, one verdict), each answering in its own error shape."""

from __future__ import annotations

from typing import Any

import httpx

from rest_compat.request_body import MAX_BODY_BYTES
from suno.config import Settings
from tests.support.app import running_app

OVERSIZED = b'{"prompt": "' + b"x" * MAX_BODY_BYTES + b'"}'
# (body, status both doors answer, the OpenAI error code)
BAD_BODIES: list[tuple[bytes, int, str]] = [
    (OVERSIZED, 413, "request_too_large"),
    (b"not json", 400, "invalid_json"),
    (b"", 400, "invalid_json"),
    (b"[1, 2]", 400, "invalid_value"),
    (b'{"messages": [{"role": "user", "content": "\\ud800"}]}', 400, "invalid_value"),
]
JSON = {"Content-Type": "application/json"}


async def test_a_bad_body_gets_the_same_verdict_on_suno_and_v1(settings: Settings) -> None:
    async with (
        running_app(settings) as served,
        httpx.AsyncClient(base_url=served.base_url, timeout=30) as client,
    ):
        for body, status, openai_code in BAD_BODIES:
            legacy = await client.post("/suno/submit/music", content=body, headers=JSON)
            chat = await client.post("/v1/chat/completions", content=body, headers=JSON)
            case = (body[:40], legacy.text[:200], chat.text[:200])
            assert legacy.status_code == chat.status_code == status, case
            assert legacy.json() == {"code": status, "message": legacy.json()["message"], "data": None}, case
            error: dict[str, Any] = chat.json()["error"]
            assert error["type"] == "invalid_request_error" and error["code"] == openai_code, case
            assert set(error) == {"message", "type", "param", "code"}, case


async def test_an_oversized_chat_body_gets_openais_error_object_like_suno_gets_its_envelope(
    settings: Settings,
) -> None:
    async with (
        running_app(settings) as served,
        httpx.AsyncClient(base_url=served.base_url, timeout=30) as client,
    ):
        legacy = await client.post("/suno/submit/music", content=OVERSIZED, headers=JSON)
        chat = await client.post("/v1/chat/completions", content=OVERSIZED, headers=JSON)
    message = f"the body is larger than {MAX_BODY_BYTES} bytes"
    assert legacy.status_code == chat.status_code == 413
    assert legacy.json() == {"code": 413, "message": message, "data": None}
    assert chat.json() == {
        "error": {
            "message": message,
            "type": "invalid_request_error",
            "param": None,
            "code": "request_too_large",
        }
    }
