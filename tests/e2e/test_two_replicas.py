"""Two real sunoql processes (`python -m app serve`, uvicorn) on one database, one shared simulator.

40 songs spread over both; one replica is SIGKILLed while its songs are in flight. Every song reaches
SUCCESS, each was sent to Suno once, no clip was polled by both replicas in the same tick, and a
`tasksProgress` subscriber on the survivor sees the dead replica's songs finish. The replicas reach the
simulator under different host names (127.0.0.1 and localhost), which is how its log tells them apart.
The replica that sends the next song once the test asks is killed in the middle of that send (Suno made
the clips, it never heard back): the survivor sees its heartbeat stop and confirms that song from Suno's
feed within seconds, without sending it again. Either replica may be the one (both send waiting songs from
the shared table). It runs under both protocol profiles.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import websockets
from websockets.typing import Subprotocol

from ops.background_server import serve_in_background
from simulator.app import SimulatorApp
from simulator.state import SimulatorState
from suno.store import create_engine, upgrade_to_head
from tests.support.databases import backend_params, fresh_database
from tests.support.eventually import eventually

SONGS = 40
POLL_INTERVAL = 0.3
LEASE_SECONDS = 2.0
HEARTBEAT_TIMEOUT = 2.0
# A song the dead replica was sending is confirmed within this (the fallback without heartbeats: 120 s).
CONFIRM_WINDOW = HEARTBEAT_TIMEOUT + 10.0
ROOT = Path(__file__).resolve().parents[2]


class FeedLog:
    """The simulator wrapped: every feed request's time, the Host it was sent to, and the clip ids.

    Once `holding` is set, the next generate call is carried out (Suno makes and charges the clips) but its
    answer is held back, so the replica that sent it can be killed in the middle of the send.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.polls: list[tuple[float, str, list[str]]] = []
        self.holding = False
        self.held_host = ""
        self.held_prompts: list[str] = []
        self.held = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        host = dict(scope.get("headers", [])).get(b"host", b"").decode().split(":")[0]
        if scope["type"] == "http" and scope["path"].startswith("/api/feed"):
            ids = parse_qs(scope["query_string"].decode()).get("ids", [""])[0]
            self.polls.append((time.monotonic(), host, [i for i in ids.split(",") if i]))
        if scope["type"] == "http" and scope["path"].startswith("/api/generate") and self.holding:
            self.holding = False  # one send only
            self.held_host = host
            await self._answer_late(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _answer_late(self, scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        replayed = [{"type": "http.request", "body": body, "more_body": False}]

        async def replay() -> Any:
            return replayed.pop() if replayed else await receive()

        answer: list[Any] = []

        async def keep(message: Any) -> None:
            answer.append(message)

        await self.app(scope, replay, keep)
        self.held_prompts.append(str(json.loads(body).get("prompt", "")))
        self.held.set()
        await self.release.wait()  # the replica is dead by then: nobody reads the answer
        for message in answer:
            with contextlib.suppress(Exception):
                await send(message)


@contextlib.contextmanager
def replica(dsn: str, simulator: str, port: int, folder: Path) -> Iterator[subprocess.Popen[bytes]]:
    base = simulator.rstrip("/")
    env = {
        **os.environ,
        "SQL_DSN": dsn,
        "UPSTREAM_MODE": "suno",
        "COOKIE": SimulatorState.cookie_for("sim"),
        "BASE_URL": base,
        "EXCHANGE_TOKEN_URL": f"{base}/v1/client/sessions/%s/tokens?_clerk_js_version=5.117.0",
        "CLERK_CLIENT_URL": f"{base}/v1/client?__clerk_api_version=2025-11-10&_clerk_js_version=5.117.0",
        "POLL_INTERVAL": str(POLL_INTERVAL),
        "LEASE_SECONDS": str(LEASE_SECONDS),
        "REPLICA_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT),
        "LOG_DIR": str(folder / f"logs-{port}"),
        "ASSET_DIR": str(folder / f"assets-{port}"),
        "SQLITE_PATH": str(folder / f"unused-{port}.db"),
    }
    log = (folder / f"replica-{port}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def simulator() -> AsyncIterator[tuple[str, FeedLog, SimulatorState]]:
    state = SimulatorState(speed=6.0)
    logged = FeedLog(SimulatorApp(state))
    async with serve_in_background(logged, ws="none", lifespan=True, announce=False) as base_url:
        yield base_url, logged, state


async def follow(url: str, task_ids: list[str]) -> dict[str, str]:
    """tasksProgress on `url` until it completes: each task's last status."""
    last: dict[str, str] = {}
    query = "subscription($ids: [ID!]!) { tasksProgress(ids: $ids) { id status } }"
    async with websockets.connect(url, subprotocols=[Subprotocol("graphql-transport-ws")]) as socket_:
        await socket_.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await socket_.recv())["type"] == "connection_ack"
        payload = {"query": query, "variables": {"ids": task_ids}}
        await socket_.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        async for raw in socket_:
            message = json.loads(raw)
            if message["type"] == "next":
                snapshot = message["payload"]["data"]["tasksProgress"]
                last[snapshot["id"]] = snapshot["status"]
            elif message["type"] in ("complete", "error"):
                assert message["type"] == "complete", message
                return last
    return last


# Two servers, forty songs and a kill mid-send: past the suite's 120 s limit on a loaded machine.
@pytest.mark.timeout(300)
@pytest.mark.parametrize("backend", [p for p in backend_params() if p.values != ("sqlite",)])  # type: ignore[attr-defined]
async def test_two_replicas_share_the_work_and_one_dying_loses_nothing(backend: str, tmp_path: Path) -> None:
    async with fresh_database(backend, tmp_path) as database, simulator() as (sim_url, feed, state):
        engine = create_engine(database)
        try:
            await upgrade_to_head(engine)  # once, before both start
        finally:
            await engine.dispose()
        dsn = database.url.render_as_string(hide_password=False)
        port_a, port_b = free_port(), free_port()
        sim_port = sim_url.rsplit(":", 1)[1]
        with (
            replica(dsn, f"http://127.0.0.1:{sim_port}", port_a, tmp_path) as a,
            replica(dsn, f"http://localhost:{sim_port}", port_b, tmp_path) as b,
        ):
            urls = [f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"]
            async with httpx.AsyncClient(timeout=20) as client:

                async def up() -> None:
                    for url in urls:
                        try:
                            ready = (await client.get(f"{url}/readyz")).status_code
                        except httpx.TransportError as error:
                            raise AssertionError(f"{url} is not up yet: {error}") from error
                        assert ready == 200

                await eventually(up, timeout=40, interval=0.2)
                ids: list[list[str]] = [[], []]
                for n in range(SONGS):
                    reply = await client.post(
                        f"{urls[n % 2]}/suno/submit/music", json={"prompt": f"[Verse]\nsong {n}"}
                    )
                    ids[n % 2].append(reply.json()["data"])
                # Songs wait for a free slot; the next one a worker sends is charged, then its replica dies.
                feed.holding = True
                await asyncio.wait_for(feed.held.wait(), 30)
                victim, gone, survivor, survivor_host = (
                    (a, 0, 1, "localhost") if feed.held_host == "127.0.0.1" else (b, 1, 0, "127.0.0.1")
                )
                survivor_url = urls[survivor]
                watcher = asyncio.create_task(
                    follow(survivor_url.replace("http", "ws", 1) + "/graphql", ids[gone])
                )
                before = (await client.post(f"{survivor_url}/suno/fetch", json={"ids": ids[gone]})).json()[
                    "data"
                ]
                assert any(task["status"] != "SUCCESS" for task in before), "its songs must be in flight"
                victim.send_signal(signal.SIGKILL)
                victim.wait(10)
                killed_at = time.monotonic()
                feed.release.set()
                (held_prompt,) = feed.held_prompts
                number = int(held_prompt.rsplit(" ", 1)[1])
                mid_send = ids[number % 2][number // 2]

                async def confirmed() -> None:
                    reply = await client.post(f"{survivor_url}/suno/fetch", json={"ids": [mid_send]})
                    assert reply.json()["data"][0]["status"] not in ("NOT_START", ""), reply.json()

                # The survivor knows its peer is dead from the silent heartbeat: its clips are found, not resent.
                await eventually(confirmed, timeout=CONFIRM_WINDOW, interval=0.2)

                async def all_finished() -> None:
                    reply = await client.post(f"{survivor_url}/suno/fetch", json={"ids": ids[0] + ids[1]})
                    statuses = [task["status"] for task in reply.json()["data"]]
                    assert statuses == ["SUCCESS"] * SONGS, statuses

                await eventually(all_finished, timeout=60, interval=0.5)
                seen = await asyncio.wait_for(watcher, 10)
        assert seen == {task_id: "SUCCESS" for task_id in ids[gone]}
        # Each song was sent to Suno once.
        assert state.calls["generate"] == SONGS
        # No clip polled by both replicas in the same tick.
        by_clip: dict[str, list[tuple[float, str]]] = {}
        for at, host, clip_ids in feed.polls:
            for clip_id in clip_ids:
                by_clip.setdefault(clip_id, []).append((at, host))
        overlaps = [
            clip_id
            for clip_id, polls in by_clip.items()
            for (t1, h1), (t2, h2) in zip(sorted(polls), sorted(polls)[1:], strict=False)
            if h1 != h2 and t2 - t1 < POLL_INTERVAL / 2
        ]
        assert overlaps == []
        assert {host for _, host, _ in feed.polls} == {"127.0.0.1", "localhost"}
        assert any(at > killed_at for at, host, _ in feed.polls if host == survivor_host)
