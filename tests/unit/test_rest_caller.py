"""The remembered base URL is Starlette's own, for every shape of scope, and differs where the scope does."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.requests import HTTPConnection, Request

from rest_compat.caller import base_url


def scope(**changes: Any) -> dict[str, Any]:
    return {
        "type": "http",
        "scheme": "http",
        "server": ("10.0.0.5", 8000),
        "path": "/suno/fetch/x",
        "root_path": "",
        "query_string": b"a=1",
        "headers": [(b"host", b"music.example:8000")],
        **changes,
    }


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"headers": []},
        {"headers": [], "server": ("10.0.0.5", 80)},
        {"scheme": "https", "headers": [(b"host", b"music.example")]},
        {"root_path": "/sunoql"},
        {"type": "websocket", "scheme": "wss"},  # the MCP door's and GraphQL's WebSocket callers
        {"headers": [(b"host", b"other.example")]},
    ],
)
def test_it_is_starlettes_base_url(changes: dict[str, Any]) -> None:
    request = HTTPConnection(scope(**changes))
    assert base_url(request) == str(request.base_url)
    assert base_url(HTTPConnection(scope(**changes))) == str(request.base_url)  # the remembered one


def test_distinct_hosts_get_their_own() -> None:
    first = base_url(Request(scope(headers=[(b"host", b"a.example")])))
    second = base_url(Request(scope(headers=[(b"host", b"b.example")])))
    assert (first, second) == ("http://a.example/", "http://b.example/")
