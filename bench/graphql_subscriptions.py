"""Many taskProgress subscriptions on one sunoql process: delay from a store change to the client, and RSS.

A child process serves sunoql on loopback (SQLite, an in-memory upstream that stands still until told to
advance) with the options `sunoql serve` uses; `--client-processes` child processes open the subscriptions
over graphql-transport-ws (one each per connection by default, as browsers connect), then this process lets
every task advance and the clients measure, for each `next` message, receipt time minus the task's
`updatedAt` (written with the change). The open-file limit is raised to its hard limit first (every process
here inherits it), since each connection is a descriptor on both sides.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import re
import resource
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.queues import Queue
from typing import Any

import httpx
import psutil  # type: ignore[import-untyped]
import websockets
from websockets.typing import Subprotocol

from bench.graphql_query import Served

SUBSCRIPTION = "subscription($id: ID!) { taskProgress(id: $id) { id status updatedAt } }"


UPDATED_AT = re.compile(r'"updatedAt":\s*"([^"]+)"')


def write_delays(written: list[tuple[float, str]]) -> list[float]:
    """For each frame written after the advance: its write time minus the `updatedAt` it carries."""
    delays = []
    for at, text in written:
        found = UPDATED_AT.search(text)
        if found is not None:
            delays.append(at - datetime.fromisoformat(found.group(1)).timestamp())
    return delays


def sunoql_with_controls() -> Any:
    """The app plus bench-only routes: seed N tasks, let the upstream advance, and the server's own delays
    (each frame's write time on the server minus its change's `updatedAt`, without the clients' share)."""
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from app import create_app
    from ops.websocket_protocol import LeanWebSocketProtocol
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

    # Frames handed to the socket after the advance: (time, text), read only once the run is over.
    written: list[tuple[float, str]] = []
    # Frames a shared result wrote straight to the socket (`schema/direct_frames.py`), kept as bytes until read.
    written_at: list[tuple[float, bytes]] = []
    recording = False
    send = LeanWebSocketProtocol.send

    async def recorded_send(protocol: LeanWebSocketProtocol, message: Any) -> None:
        await send(protocol, message)
        if recording and message.get("type") == "websocket.send" and message.get("text"):
            written.append((time.time(), message["text"]))

    send_text_now = LeanWebSocketProtocol.send_text_now

    def recorded_send_text_now(protocol: LeanWebSocketProtocol, payload: bytes) -> bool:
        written = send_text_now(protocol, payload)
        if recording and written:
            written_at.append((time.time(), payload))
        return written

    LeanWebSocketProtocol.send = recorded_send  # type: ignore[method-assign, assignment]
    LeanWebSocketProtocol.send_text_now = recorded_send_text_now  # type: ignore[method-assign, assignment]

    async def advance(_request: Request) -> JSONResponse:
        nonlocal recording
        recording = True
        upstream.advance = True
        return JSONResponse({"advancing": True})

    async def server_delays(_request: Request) -> JSONResponse:
        return JSONResponse(write_delays(written + [(at, payload.decode()) for at, payload in written_at]))

    app.router.routes += [
        Route("/bench/seed", seed, methods=["POST"]),
        Route("/bench/advance", advance, methods=["POST"]),
        Route("/bench/server-delays", server_delays),
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
        self.ready = asyncio.Event()
        self.done = asyncio.Event()

    async def run(self, handshakes: asyncio.Semaphore) -> None:
        async with handshakes:
            socket = await websockets.connect(
                self.url, subprotocols=[Subprotocol("graphql-transport-ws")], max_size=None, open_timeout=120
            )
            await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
            assert json.loads(await socket.recv())["type"] == "connection_ack"
        async with socket:
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
                    else:  # the task stands still until the bench lets it advance
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


def raise_open_file_limit() -> int:
    """The soft limit on open descriptors up to the hard one (10,000 connections need more than 1,024)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        wanted = 1_048_576 if hard == resource.RLIM_INFINITY else hard
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


@dataclass
class ClientReport:
    """What one client process saw, sent back to this process."""

    connections: int = 0
    opened: int = 0
    completed: int = 0
    completed_without_success: int = 0
    errors: int = 0
    delays: list[float] = field(default_factory=list)


# Handshakes in flight per client process: enough to open thousands quickly, few enough not to time out.
HANDSHAKES_AT_ONCE = 200


def client_process(
    url: str, followed: list[list[str]], ends_at: float, reports: Queue[tuple[str, Any]], go: Any
) -> None:
    """One client process: open its connections, say so, wait for the go, then report what arrived."""
    asyncio.run(_clients(url, followed, ends_at, reports, go))


async def _clients(
    url: str, followed: list[list[str]], ends_at: float, reports: Queue[tuple[str, Any]], go: Any
) -> None:
    handshakes = asyncio.Semaphore(HANDSHAKES_AT_ONCE)
    connections = [Connection(url, task_ids) for task_ids in followed]
    runners = [asyncio.create_task(connection.run(handshakes)) for connection in connections]
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(max(1.0, ends_at - time.time())):
            await asyncio.gather(*(c.ready.wait() for c in connections))
    reports.put(("ready", sum(c.first_seen for c in connections)))
    await asyncio.get_running_loop().run_in_executor(None, go.wait, max(1.0, ends_at - time.time()))
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(max(5.0, ends_at - time.time())):
            await asyncio.gather(*(c.done.wait() for c in connections))
    for runner in runners:
        runner.cancel()
    failed = sum(
        1
        for result in await asyncio.gather(*runners, return_exceptions=True)
        if isinstance(result, Exception)
    )
    report = ClientReport(
        connections=len(connections),
        opened=sum(c.first_seen for c in connections),
        completed=sum(c.completed for c in connections),
        completed_without_success=sum(c.completed_without_success for c in connections),
        errors=sum(c.errors for c in connections) + failed,
        delays=[delay for c in connections for delay in c.delays],
    )
    reports.put(("report", report))


def spread(items: list[list[str]], parts: int) -> list[list[list[str]]]:
    """Round-robin: each client process gets every n-th connection."""
    return [items[n::parts] for n in range(parts)]


async def run(
    subscriptions: int, tasks: int, per_connection: int, deadline: float, client_processes: int
) -> int:
    started = time.perf_counter()
    ends_at = time.time() + deadline
    fd_limit = raise_open_file_limit()
    context = multiprocessing.get_context("spawn")
    reports: Queue[tuple[str, Any]] = context.Queue()
    go = context.Event()
    with Served(sunoql_with_controls) as base_url:
        server = psutil.Process(Served.last_pid)
        async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
            task_ids: list[str] = (await client.post("/bench/seed", params={"count": tasks})).json()
            rss_idle = server.memory_info().rss
            followed = [task_ids[n % len(task_ids)] for n in range(subscriptions)]
            per_socket = [followed[n : n + per_connection] for n in range(0, subscriptions, per_connection)]
            url = f"{base_url.replace('http', 'ws', 1)}/graphql"
            clients = [
                context.Process(target=client_process, args=(url, share, ends_at, reports, go), daemon=True)
                for share in spread(per_socket, max(1, client_processes))
            ]
            opening = time.perf_counter()
            for process in clients:
                process.start()
            loop = asyncio.get_running_loop()
            opened = 0
            with contextlib.suppress(Exception):
                for _ in clients:
                    kind, count = await loop.run_in_executor(None, reports.get, True, ends_at - time.time())
                    assert kind == "ready"
                    opened += count
            open_seconds = time.perf_counter() - opening
            rss_open = server.memory_info().rss
            await client.post("/bench/advance")
            go.set()
            found: list[ClientReport] = []
            with contextlib.suppress(Exception):
                for _ in clients:
                    wait = max(10.0, ends_at - time.time() + 10.0)
                    kind, report = await loop.run_in_executor(None, reports.get, True, wait)
                    found.append(report)
            rss_end = server.memory_info().rss
            server_side: list[float] = (await client.get("/bench/server-delays")).json()
            for process in clients:
                process.join(5)
                if process.is_alive():
                    process.terminate()
    delays = [delay for report in found for delay in report.delays]
    completed = sum(report.completed for report in found)
    lost = sum(report.completed_without_success for report in found)
    connections = len(per_socket)
    print(
        f"{subscriptions} subscriptions asked on {tasks} tasks over {connections} WebSocket connections "
        f"from {len(clients)} client process(es) (open-file limit {fd_limit})"
    )
    print(f"opened (first snapshot received): {opened} in {open_seconds:.1f} s")
    print(
        f"completed: {completed}; without a SUCCESS snapshot first: {lost}; "
        f"errors: {sum(report.errors for report in found)}; client reports: {len(found)} of {len(clients)}"
    )
    if delays:
        print(
            f"fan-out, store change (updatedAt) -> client over {len(delays)} updates: "
            f"p50 {percentile(delays, 0.5) * 1000:.0f} ms, p99 {percentile(delays, 0.99) * 1000:.0f} ms, "
            f"max {max(delays) * 1000:.0f} ms (target p99 <= 500 ms)"
        )
    if server_side:
        print(
            f"of which the server's share, store change -> frame written by the server, over "
            f"{len(server_side)} frames: p50 {percentile(server_side, 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(server_side, 0.99) * 1000:.0f} ms, max {max(server_side) * 1000:.0f} ms"
        )
    per_socket_bytes = (rss_open - rss_idle) / max(opened // max(per_connection, 1), 1)
    print(
        f"server RSS per connection: ~{per_socket_bytes / 1024:.0f} KB "
        f"(target <= 40 KB with one subscription each)"
    )
    print(
        f"server RSS: {megabytes(rss_idle)} with no subscription, {megabytes(rss_open)} with {opened} "
        f"(~{(rss_open - rss_idle) / max(opened, 1) / 1024:.0f} KB each), {megabytes(rss_end)} at the end"
    )
    print(f"total {time.perf_counter() - started:.1f} s")
    return 0 if opened == subscriptions and completed == subscriptions and not lost else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.graphql_subscriptions", description=__doc__)
    # As browsers connect: one subscription per WebSocket; small by default (the figure is 10,000
    # from three client processes: --subscriptions 10000 --client-processes 3 --deadline 300).
    parser.add_argument("--subscriptions", type=int, default=300)
    parser.add_argument("--tasks", type=int, default=1)
    parser.add_argument("--per-connection", type=int, default=1)
    parser.add_argument("--client-processes", type=int, default=1)
    parser.add_argument("--deadline", type=float, default=50.0, help="seconds before giving up")
    args = parser.parse_args(argv)
    return asyncio.run(
        run(args.subscriptions, args.tasks, args.per_connection, args.deadline, args.client_processes)
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
