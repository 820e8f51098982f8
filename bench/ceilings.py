"""sunoql's hot paths against bare ceilings measured in the same run, same uvicorn options, on loopback.

- `GET /suno/fetch/{id}` of a finished song vs a bare Starlette route answering a JSON body;
- `GET /ping` vs a bare Starlette `/ping`;
- GraphQL `task(id) { id status }` vs a bare Strawberry schema answering the same selection from memory.

Targets (issue 20): fetch >= 40 %, /ping >= 80 %, GraphQL task >= 70 % of its ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from typing import Any

import strawberry

from bench.graphql_http_load import LoadResult, load, one
from bench.graphql_query import Served

TASK_SELECTION = "query($id: ID!) { task(id: $id) { id status } }"
TARGETS = {"REST fetch": 0.40, "/ping": 0.80, "GraphQL task": 0.70}


@strawberry.type
class BareTask:
    id: strawberry.ID
    status: str


@strawberry.type
class BareQuery:
    @strawberry.field
    def task(self, id: strawberry.ID) -> BareTask:
        return BareTask(id=id, status="SUCCESS")


def bare_app() -> Any:
    """The ceilings: Starlette with one route per shape, and Strawberry with the same `task` selection."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from strawberry.asgi import GraphQL
    from strawberry.extensions import ParserCache, ValidationCache

    schema = strawberry.Schema(
        BareQuery, extensions=[lambda: ParserCache(maxsize=128), lambda: ValidationCache(maxsize=128)]
    )
    fetched = {"code": 200, "message": "success", "data": [{"id": "c1", "status": "complete"}] * 2}

    async def ping(_request: Request) -> JSONResponse:
        return JSONResponse({"message": "pong"})

    async def fetch(_request: Request) -> JSONResponse:
        return JSONResponse(fetched)

    graphql = GraphQL(schema)
    return Starlette(
        routes=[
            Route("/ping", ping),
            Route("/suno/fetch/{id}", fetch),
            Route("/graphql", graphql, methods=["POST"]),
        ]
    )


def sunoql_app() -> Any:
    from app import create_app
    from suno.config import Settings, UpstreamMode
    from tests.support.fake_upstream import FakeUpstream

    folder = tempfile.mkdtemp(prefix="sunoql-bench-")
    # The worker ticks each second while measured (5 s is the default): its background work is counted,
    # and the song still finishes within seconds.
    settings = Settings(
        sqlite_path=f"{folder}/bench.db", upstream_mode=UpstreamMode.SIMULATOR, poll_interval=1.0
    )
    return create_app(settings, upstream=FakeUpstream())


async def finished_song(base: str) -> str:
    _, created = await one(f"{base}/suno/submit/music", {"prompt": "[Verse]\nla"})
    task_id = str(json.loads(created)["data"])
    for _ in range(300):
        _, body = await one(f"{base}/graphql", {"query": TASK_SELECTION, "variables": {"id": task_id}})
        if b"SUCCESS" in body:
            return task_id
        await asyncio.sleep(0.1)
    raise RuntimeError("the benchmark's song did not finish")


async def best(url: str, body: object | None, connections: int, seconds: float, rounds: int) -> LoadResult:
    results = [await load(url, body, connections=connections, seconds=seconds) for _ in range(rounds)]
    return max(results, key=lambda r: r.per_second)


async def run(connections: int, seconds: float, rounds: int) -> int:
    with Served(bare_app) as bare, Served(sunoql_app) as sunoql:
        task_id = await finished_song(sunoql)
        graphql_body = {"query": TASK_SELECTION, "variables": {"id": task_id}}
        pairs = {
            "REST fetch": (f"{sunoql}/suno/fetch/{task_id}", f"{bare}/suno/fetch/{task_id}", None),
            "/ping": (f"{sunoql}/ping", f"{bare}/ping", None),
            "GraphQL task": (f"{sunoql}/graphql", f"{bare}/graphql", graphql_body),
        }
        print(
            f"connections {connections}, {seconds:.0f} s per measure, best of {rounds}; same run, same options"
        )
        misses = 0
        for name, (ours_url, bare_url, body) in pairs.items():
            ceiling = await best(bare_url, body, connections, seconds, rounds)
            ours = await best(ours_url, body, connections, seconds, rounds)
            ratio = ours.per_second / ceiling.per_second
            verdict = "meets" if ratio >= TARGETS[name] else "MISSES"
            misses += verdict == "MISSES"
            print(f"{name:13} bare    {ceiling.describe()}")
            print(f"{name:13} sunoql  {ours.describe()}")
            print(f"{name:13} ratio {ratio:.2f} ({verdict} the {TARGETS[name]:.0%} target)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ceilings", description=__doc__)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    return asyncio.run(run(args.connections, args.seconds, args.rounds))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
