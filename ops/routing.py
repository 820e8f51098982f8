"""A Starlette router that tries only the routes that can match a path's first two segments.

Starlette's router matches every route in turn until one fits: with ~100 routes, the doors listed late
(/suno/fetch/{id} is the 24th) paid more for routing than for their own work. Each route is indexed by the
literal segments its path starts with (at most two: "/suno/fetch/{id}" → suno, fetch); a route whose first
segment holds a parameter (or a Host) stays a candidate everywhere. The candidates keep the routes' order,
so the first full match is the one Starlette would pick; everything else (405s, slash redirects, 404s) is
Starlette's own code.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match, Mount, Route, Router, WebSocketRoute
from starlette.types import Receive, Scope, Send

INDEXED_DEPTH = 2
Prefix = tuple[str, ...]


def leading_segments(path: str, depth: int = INDEXED_DEPTH) -> Prefix:
    """("suno", "fetch") for "/suno/fetch/x"; ("",) for "/"."""
    return tuple(path.removeprefix("/").split("/", depth)[:depth])


def literal_prefix(route: BaseRoute) -> Prefix:
    """The segments every path the route matches starts with: its leading segments up to the first one
    holding a parameter; () when even the first varies (or the route is a Host or a root Mount)."""
    if not isinstance(route, Route | WebSocketRoute | Mount) or (isinstance(route, Mount) and not route.path):
        return ()
    literal: list[str] = []
    for segment in leading_segments(route.path):
        if "{" in segment:
            break
        literal.append(segment)
    return tuple(literal)


class IndexedRouter(Router):
    def __init__(self, routes: Sequence[BaseRoute] | None = None, **kwargs: object) -> None:
        super().__init__(routes, **kwargs)  # type: ignore[arg-type]
        # (routes indexed, candidates by leading segments, candidates by exact path of a fixed route)
        self._indexed: tuple[int, dict[Prefix, list[BaseRoute]], dict[str, list[BaseRoute]]] = (-1, {}, {})

    def candidates(self, path: str) -> list[BaseRoute]:
        """The routes that could match `path`, in their order."""
        index, exact = self._index()
        found = exact.get(path)  # /ping, /graphql, …: no splitting
        if found is not None:
            return found
        return self._by_segments(index, path)

    @staticmethod
    def _by_segments(index: dict[Prefix, list[BaseRoute]], path: str) -> list[BaseRoute]:
        segments = leading_segments(path)
        for depth in range(len(segments), 0, -1):
            found = index.get(segments[:depth])
            if found is not None:
                return found
        return index[()]

    def _index(self) -> tuple[dict[Prefix, list[BaseRoute]], dict[str, list[BaseRoute]]]:
        # Rebuilt when routes are added after start (a test or a bench appending to app.routes).
        if self._indexed[0] != len(self.routes):
            prefixes = [literal_prefix(route) for route in self.routes]
            keys = {prefix[:depth] for prefix in prefixes for depth in range(len(prefix) + 1)}
            index = {
                key: [
                    route
                    for route, prefix in zip(self.routes, prefixes, strict=True)
                    if key[: len(prefix)] == prefix  # the route's literal start is part of the key
                ]
                for key in keys
            }
            fixed = {
                route.path
                for route in self.routes
                if isinstance(route, Route | WebSocketRoute) and "{" not in route.path
            }
            exact = {path: self._by_segments(index, path) for path in fixed}
            self._indexed = (len(self.routes), index, exact)
        return self._indexed[1], self._indexed[2]

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            for route in self.candidates(get_route_path(scope)):
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    scope.setdefault("router", self)
                    scope["route"] = route
                    scope.update(child_scope)
                    await route.handle(scope, receive, send)
                    return
                if match is Match.PARTIAL:
                    break  # a 405 and its kin: Starlette's own order decides which route answers
        await super().app(scope, receive, send)
