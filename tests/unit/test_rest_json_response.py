"""The doors' orjson replies are byte for byte what Starlette's JSONResponse writes for the doors' values."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.responses import JSONResponse as StarletteJSONResponse

from rest_compat.json_response import JSONResponse

PAYLOADS: list[Any] = [
    {"code": 200, "message": "success", "data": None},
    {
        "code": "success",
        "message": "",
        "data": [
            {
                "id": "c1",
                "title": "Café «naïve» 夜 🎵",
                "duration": 187.36,
                "progress": 0.5,
                "tags": 'lo-fi, "quoted", back\\slash',
                "lyrics": "[Verse]\nline one\n\tline two\u2028",
                "metadata": {"tags": ["a", "b"], "is_instrumental": False, "nested": {"x": [1, 2.25, None]}},
                "created_at": "2026-12-02T10:00:00.123456+00:00",
                "count": 12345678901234,
            }
        ],
    },
    [],
    {},
    "plain",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_it_writes_what_starlette_writes(payload: Any) -> None:
    assert JSONResponse(payload).body == StarletteJSONResponse(payload).body


def test_non_string_keys_are_written_as_strings_as_the_standard_library_does() -> None:
    assert JSONResponse({1: "one"}).body == StarletteJSONResponse({1: "one"}).body == b'{"1":"one"}'
