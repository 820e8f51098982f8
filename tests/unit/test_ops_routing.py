"""The indexed router picks, for every path, the route Starlette's router would pick, on sunoql's own routes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.routing import BaseRoute, Match, Mount, Route, Router, WebSocketRoute

from app import create_app
from ops.routing import IndexedRouter, leading_segments, literal_prefix
from suno.config import Settings, UpstreamMode
from tests.support.fake_upstream import FakeUpstream


def scope(path: str, method: str = "GET", kind: str = "http") -> dict[str, Any]:
    return {"type": kind, "path": path, "root_path": "", "method": method, "headers": [], "query_string": b""}


def first_full(routes: list[BaseRoute], at: dict[str, Any]) -> BaseRoute | None:
    return next((route for route in routes if route.matches(at)[0] is Match.FULL), None)


def sample_paths(routes: list[BaseRoute]) -> list[str]:
    """A path each route matches (its parameters filled in), its neighbours, and paths nothing matches."""
    paths = ["/", "/nothing", "/suno", "/suno/", "/graphql/", "/v1", "/api/v1/x/y/z", "//", "/a%2Fb"]
    for route in routes:
        if isinstance(route, Route | WebSocketRoute | Mount):
            filled = re.sub(r"\{[^}]*\}", "x1", route.path) or "/"
            paths += [filled, filled + "/", filled + "/more", filled.rstrip("/") + "x"]
    return paths


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder: Path = tmp_path_factory.mktemp("routing")
    settings = Settings(sqlite_path=str(folder / "r.db"), upstream_mode=UpstreamMode.SIMULATOR)
    return create_app(settings, upstream=FakeUpstream())


def test_the_app_routes_with_the_indexed_router(app: Any) -> None:
    assert isinstance(app.router, IndexedRouter) and len(app.routes) > 50


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_every_path_gets_the_route_starlette_would_choose(app: Any, method: str) -> None:
    routes, router = list(app.routes), app.router
    checked = 0
    for path in sample_paths(routes):
        for kind in ("http", "websocket"):
            at = scope(path, method, kind)
            expected = first_full(routes, at)
            assert first_full(router.candidates(path), at) is expected, (path, method, kind)
            checked += expected is not None
    assert checked > len(routes)  # most routes were matched by some sample


def test_routes_are_indexed_by_their_literal_start_and_parameterised_ones_stay_everywhere() -> None:
    assert leading_segments("/suno/fetch/x") == ("suno", "fetch") and leading_segments("/") == ("",)
    assert literal_prefix(Route("/suno/fetch/{id}", lambda r: None)) == ("suno", "fetch")
    assert literal_prefix(Route("/suno/{path:path}", lambda r: None)) == ("suno",)
    assert literal_prefix(Route("/{anything}/x", lambda r: None)) == ()
    assert literal_prefix(Mount("", routes=[])) == ()
    assert literal_prefix(Mount("/mcp", routes=[])) == ("mcp",)


async def test_routes_added_later_are_found_and_misses_answer_as_starlette_does() -> None:
    async def hello(_request: Any) -> Any:
        from starlette.responses import PlainTextResponse

        return PlainTextResponse("hello")

    indexed, plain = IndexedRouter([Route("/a/b", hello, methods=["GET"])]), Router([Route("/a/b", hello)])
    indexed.routes.append(Route("/late/{x}", hello))
    plain.routes.append(Route("/late/{x}", hello))
    for router in (indexed, plain):
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=router), base_url="http://t")
        async with client:
            answers = [
                (r.status_code, r.text, r.headers.get("location"))
                for r in [
                    await client.get("/late/1"),
                    await client.post("/a/b"),  # 405
                    await client.get("/a/b/", follow_redirects=False),  # slash redirect
                    await client.get("/zzz"),  # 404
                ]
            ]
        if router is indexed:
            indexed_answers = answers
    assert indexed_answers == answers
    assert indexed_answers[0][:2] == (200, "hello") and indexed_answers[1][0] == 405
