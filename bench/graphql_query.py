"""A 25-field `task` query on the served sunoql app against a bare cached Strawberry schema answering the
same selection from memory (and its `{ ping }`, for scale), same machine, same run.

Each server runs alone in a child process on loopback (uvicorn, same options); this process sends the load.
Target (issue 20's for GraphQL): the task query at >= 70% of the bare schema's, same selection.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from multiprocessing.queues import Queue
from typing import Any

import strawberry

from bench.graphql_http_load import LoadResult, load, one

TARGET_RATIO = 0.70
TASK_QUERY = (
    "query($id: ID!) { task(id: $id) { id action status progress submittedAt updatedAt "
    "clips { id title status audioUrl imageUrl duration tags modelName } } }"
)


def _serve(app_factory: Callable[[], Any], ports: Queue[int]) -> None:
    import uvicorn

    from ops.server_options import server_options
    from suno.config import Settings

    async def run() -> None:
        # The options `sunoql serve` runs with (the bench's own settings are the defaults).
        options = {**server_options(Settings()), "log_level": "warning"}
        config = uvicorn.Config(app_factory(), host="127.0.0.1", port=0, **options)
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve())
        while not server.started:  # noqa: ASYNC110 (uvicorn offers no event for it)
            await asyncio.sleep(0.01)
        ports.put(server.servers[0].sockets[0].getsockname()[1])
        await task

    asyncio.run(run())


@strawberry.type
class BareClip:
    id: strawberry.ID
    title: str
    status: str
    audio_url: str | None
    image_url: str | None
    duration: float | None
    tags: str | None
    model_name: str | None


@strawberry.type
class BareTask:
    id: strawberry.ID
    action: str
    status: str
    progress: str
    submitted_at: datetime
    updated_at: datetime
    clips: list[BareClip]


def bare_task(task_id: str) -> BareTask:
    """What the ceiling answers: a task with two clips, every field of TASK_QUERY filled, from memory."""
    now = datetime.now(UTC)
    clips = [
        BareClip(
            id=strawberry.ID(f"c{n}"),
            title="Rain",
            status="complete",
            audio_url=f"https://cdn.example/c{n}.mp3",
            image_url=f"https://cdn.example/c{n}.jpeg",
            duration=31.5,
            tags="pop",
            model_name="chirp-v4",
        )
        for n in (1, 2)
    ]
    return BareTask(
        id=strawberry.ID(task_id),
        action="MUSIC",
        status="SUCCESS",
        progress="100%",
        submitted_at=now,
        updated_at=now,
        clips=clips,
    )


@strawberry.type
class BareQuery:
    @strawberry.field
    def ping(self) -> str:
        return "pong"

    @strawberry.field
    def task(self, id: strawberry.ID) -> BareTask:
        return bare_task(str(id))


def bare_strawberry_app() -> Any:
    from strawberry.asgi import GraphQL
    from strawberry.extensions import ParserCache, ValidationCache

    schema = strawberry.Schema(
        BareQuery, extensions=[lambda: ParserCache(maxsize=128), lambda: ValidationCache(maxsize=128)]
    )
    return GraphQL(schema)


def sunoql_app() -> Any:
    from app import create_app
    from suno.config import Settings, UpstreamMode
    from tests.support.fake_upstream import FakeUpstream

    folder = tempfile.mkdtemp(prefix="sunoql-bench-")
    settings = Settings(
        sqlite_path=f"{folder}/bench.db", upstream_mode=UpstreamMode.SIMULATOR, poll_interval=5.0
    )
    # The upstream stands still: the benchmark measures the GraphQL door and the store, not Suno.
    return create_app(settings, upstream=FakeUpstream(advance=False))


class Served:
    # The pid of the last server started, for benchmarks that watch its memory.
    last_pid = 0

    def __init__(self, factory: Callable[[], Any]) -> None:
        context = multiprocessing.get_context("spawn")
        self._ports: Queue[int] = context.Queue()
        self._process = context.Process(target=_serve, args=(factory, self._ports), daemon=True)

    def __enter__(self) -> str:
        self._process.start()
        Served.last_pid = self._process.pid or 0
        return f"http://127.0.0.1:{self._ports.get(timeout=60)}"

    def __exit__(self, *_: object) -> None:
        self._process.terminate()
        self._process.join(10)


async def measure(url: str, body: dict[str, Any], connections: int, seconds: float) -> LoadResult:
    status, answer = await one(url, body)
    if status != 200 or b'"errors"' in answer:
        raise RuntimeError(f"{url} answered {status}: {answer[:300]!r}")
    return await load(url, body, connections=connections, seconds=seconds)


async def in_process_ratio(iterations: int = 2000) -> tuple[float, float]:
    """Microseconds per execution, no HTTP and no store: our schema's task query vs the bare schema's.

    Separates the GraphQL layer's own cost from the store's: the task comes from memory.
    """
    from types import SimpleNamespace

    from schema.build import build_schema
    from schema.context import GraphQLContext
    from suno.cache import TaskCache
    from suno.config import Settings
    from suno.models import Clip, MusicRequest, Task, TaskAction, TaskStatus

    clips = tuple(
        Clip.from_upstream({"id": f"c{n}", "status": "complete", "audio_url": f"https://x/c{n}.mp3"})
        for n in (1, 2)
    )
    task = Task(
        "t1", TaskAction.MUSIC, TaskStatus.SUCCESS, MusicRequest(prompt="la"), clips=clips, submit_time=1.0
    )

    # The service's memory of tasks, as a finished song's reads find it; nothing else of a service.
    cache = TaskCache()
    cache.remember([task])
    service, settings = SimpleNamespace(cache=cache), Settings()

    bare = bare_strawberry_app().schema
    ours = build_schema()
    variables = {"id": "t1"}
    timings = []
    for schema, query, make_context in (
        (bare, TASK_QUERY, lambda: None),
        (
            ours,
            TASK_QUERY,
            # No store and no asset links: the query is answered from the service's memory alone.
            lambda: GraphQLContext(service, settings, None),  # type: ignore[arg-type]
        ),
    ):
        for _ in range(100):
            await schema.execute(query, variable_values=variables, context_value=make_context())
        started = time.perf_counter()
        for _ in range(iterations):
            result = await schema.execute(query, variable_values=variables, context_value=make_context())
        timings.append((time.perf_counter() - started) / iterations * 1e6)
        assert not result.errors, result.errors
    return timings[0], timings[1]


async def run(connections: int, seconds: float, rounds: int) -> int:
    bare_results: list[LoadResult] = []
    bare_ping_results: list[LoadResult] = []
    task_results: list[LoadResult] = []
    ping_results: list[LoadResult] = []
    with Served(bare_strawberry_app) as bare, Served(sunoql_app) as sunoql:
        _, created = await one(
            f"{sunoql}/graphql",
            {"query": 'mutation { generateMusic(input: {prompt: "[Verse]\\nla"}) { id } }'},
        )
        import json

        task_id = json.loads(created)["data"]["generateMusic"]["id"]
        task_body = {"query": TASK_QUERY, "variables": {"id": task_id}}
        # Alternate the two, so a slow moment of the machine does not land on one side only.
        bare_body = {"query": TASK_QUERY, "variables": {"id": task_id}}
        for _ in range(rounds):
            bare_results.append(await measure(f"{bare}/graphql", bare_body, connections, seconds))
            task_results.append(await measure(f"{sunoql}/graphql", task_body, connections, seconds))
        bare_ping_results.append(
            await measure(f"{bare}/graphql", {"query": "{ ping }"}, connections, seconds)
        )
        ping_results.append(await load(f"{sunoql}/ping", None, connections=connections, seconds=seconds))
    bare_best = max(bare_results, key=lambda r: r.per_second)
    task_best = max(task_results, key=lambda r: r.per_second)
    ratio = task_best.per_second / bare_best.per_second
    print(f"connections {connections}, {seconds:.0f} s per measure, best of {rounds}")
    print(f"bare Strawberry task(id), same selection, cached: {bare_best.describe()}")
    print(f"sunoql task(id) with 2 clips:                     {task_best.describe()}")
    print(f"bare Strawberry {{ ping }} (for scale):             {bare_ping_results[0].describe()}")
    print(f"sunoql GET /ping (for scale):                     {ping_results[0].describe()}")
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"ratio task / bare = {ratio:.2f} ({verdict} the {TARGET_RATIO:.0%} target)")
    bare_us, ours_us = await in_process_ratio()
    print(
        f"in process, no HTTP, both from memory: bare {bare_us:.0f} µs, sunoql {ours_us:.0f} µs "
        f"per execution: ratio {bare_us / ours_us:.2f} (the GraphQL layer's own share)"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.graphql_query", description=__doc__)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    return asyncio.run(run(args.connections, args.seconds, args.rounds))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
