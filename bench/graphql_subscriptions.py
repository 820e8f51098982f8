"""Many taskProgress subscriptions on one sunoql process: delay from a store change to the client, and RSS.

A child process serves sunoql on loopback (SQLite, an in-memory upstream that stands still until told to
advance); this process opens the subscriptions over graphql-transport-ws, then lets every task advance
and measures, for each `next` message, receipt time minus the task's `updatedAt` (written with the change).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import tempfile
import time
from datetime import datetime
from typing import Any

import httpx
import psutil  # type: ignore[import-untyped]
import websockets
from websockets.typing import Subprotocol

from bench.graphql_query import Served

SUBSCRIPTION = "subscription($id: ID!) { taskProgress(id: $id) { id status updatedAt } }"


def sunoql_with_controls() -> Any:
    """The app plus two bench-only routes: seed N tasks, and let the upstream advance."""
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from app import create_app
    from suno.config import Settings, UpstreamMode
    from suno.models import MusicRequest
    from tests.support.fake_upstream import FakeUpstream

    folder = tempfile.mkdtemp(prefix="sunoql-bench-")
    settings = Settings(
        sqlite_path=f"{folder}/bench.db",
        upstream_mode=UpstreamMode.SIMULATOR,
        poll_interval=0.5,
        task_timeout=3600.0,
    )
    upstream = FakeUpstream(advance=False, max_concurrency=10**9)
    app = create_app(settings, upstream=upstream)

    async def seed(request: Request) -> JSONResponse:
        service = request.app.state.runtime.service
        count = int(request.query_params["count"])
        ids = [(await service.submit_music(MusicRequest(prompt="[Verse]\nla"))).id for _ in range(count)]
        return JSONResponse(ids)

    async def advance(_request: Request) -> JSONResponse:
        upstream.advance = True
        return JSONResponse({"advancing": True})

    app.router.routes += [
        Route("/bench/seed", seed, methods=["POST"]),
        Route("/bench/advance", advance, methods=["POST"]),
    ]
    return app


class Connection:
    def __init__(self, url: str, task_ids: list[str]) -> None:
        self.url = url
        self.task_ids = task_ids
        self.first_seen = 0
        self.completed = 0
        self.completed_without_success = 0
        self.last_status: dict[str, str] = {}
        self.errors = 0
        self.delays: list[float] = []
        self.measuring = False
        self.ready = asyncio.Event()
        self.done = asyncio.Event()

    async def run(self) -> None:
        async with websockets.connect(
            self.url, subprotocols=[Subprotocol("graphql-transport-ws")], max_size=None, open_timeout=60
        ) as socket:
            await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
            assert json.loads(await socket.recv())["type"] == "connection_ack"
            for number, task_id in enumerate(self.task_ids):
                payload = {"query": SUBSCRIPTION, "variables": {"id": task_id}}
                await socket.send(json.dumps({"id": str(number), "type": "subscribe", "payload": payload}))
            seen: set[str] = set()
            async for raw in socket:
                received = time.time()
                message = json.loads(raw)
                if message["type"] == "next":
                    snapshot = (message["payload"].get("data") or {}).get("taskProgress") or {}
                    self.last_status[message["id"]] = str(snapshot.get("status"))
                    if message["id"] not in seen:
                        seen.add(message["id"])
                        self.first_seen += 1
                        if self.first_seen == len(self.task_ids):
                            self.ready.set()
                    elif self.measuring:
                        updated = datetime.fromisoformat(
                            message["payload"]["data"]["taskProgress"]["updatedAt"]
                        )
                        self.delays.append(received - updated.timestamp())
                elif message["type"] in ("complete", "error"):
                    self.errors += message["type"] == "error"
                    self.completed += message["type"] == "complete"
                    if self.last_status.get(message["id"]) != "SUCCESS":
                        self.completed_without_success += 1  # must never happen (issue 20)
                    if self.completed + self.errors == len(self.task_ids):
                        self.done.set()
                        return
                elif message["type"] == "ping":
                    await socket.send(json.dumps({"type": "pong"}))
                else:
                    raise RuntimeError(f"unexpected message: {message}")


def megabytes(value: int) -> str:
    return f"{value / 2**20:.0f} MB"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def run(subscriptions: int, tasks: int, per_connection: int, deadline: float) -> int:
    started = time.perf_counter()
    with Served(sunoql_with_controls) as base_url:
        server = psutil.Process(Served.last_pid)
        async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
            task_ids: list[str] = (await client.post("/bench/seed", params={"count": tasks})).json()
            rss_idle = server.memory_info().rss
            followed = [task_ids[n % len(task_ids)] for n in range(subscriptions)]
            connections = [
                Connection(f"{base_url.replace('http', 'ws', 1)}/graphql", followed[n : n + per_connection])
                for n in range(0, subscriptions, per_connection)
            ]
            runners = [asyncio.create_task(connection.run()) for connection in connections]
            opening = time.perf_counter()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    asyncio.gather(*(c.ready.wait() for c in connections)), deadline - (opening - started)
                )
            opened = sum(c.first_seen for c in connections)
            open_seconds = time.perf_counter() - opening
            rss_open = server.memory_info().rss
            for connection in connections:
                connection.measuring = True
            await client.post("/bench/advance")
            remaining = max(5.0, deadline - (time.perf_counter() - started))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*(c.done.wait() for c in connections)), remaining)
            rss_end = server.memory_info().rss
            for runner in runners:
                runner.cancel()
            await asyncio.gather(*runners, return_exceptions=True)
    delays = [delay for c in connections for delay in c.delays]
    completed = sum(c.completed for c in connections)
    print(
        f"{subscriptions} subscriptions asked on {tasks} tasks over {len(connections)} WebSocket connections"
    )
    print(f"opened (first snapshot received): {opened} in {open_seconds:.1f} s")
    lost = sum(c.completed_without_success for c in connections)
    print(
        f"completed: {completed}; without a SUCCESS snapshot first: {lost}; errors: {sum(c.errors for c in connections)}"
    )
    if delays:
        print(
            f"delay store change -> client over {len(delays)} updates: p50 {percentile(delays, 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(delays, 0.99) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms"
        )
    per_subscription = (rss_open - rss_idle) / max(opened, 1)
    per_connection = (rss_open - rss_idle) / max(len(connections), 1)
    print(
        f"server RSS per connection: ~{per_connection / 1024:.0f} KB (target <= 40 KB with one subscription each)"
    )
    print(
        f"server RSS: {megabytes(rss_idle)} with no subscription, {megabytes(rss_open)} with {opened} "
        f"(~{per_subscription / 1024:.0f} KB each), {megabytes(rss_end)} at the end"
    )
    print(f"total {time.perf_counter() - started:.1f} s")
    return 0 if opened == subscriptions and completed == subscriptions and not lost else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.graphql_subscriptions", description=__doc__)
    # As browsers connect: one subscription per WebSocket; small by default (the figure is 10,000).
    parser.add_argument("--subscriptions", type=int, default=300)
    parser.add_argument("--tasks", type=int, default=1)
    parser.add_argument("--per-connection", type=int, default=1)
    parser.add_argument("--deadline", type=float, default=50.0, help="seconds before giving up")
    args = parser.parse_args(argv)
    return asyncio.run(run(args.subscriptions, args.tasks, args.per_connection, args.deadline))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
