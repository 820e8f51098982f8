"""SIGTERM to a real `sunoql serve` process: a streaming chat and subscriptions end cleanly, a restart resumes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from suno.config import Settings
from suno.models import TaskStatus
from tests.support.eventually import eventually
from tests.support.http_streams import SSE_ACCEPT, SSEEvent, sse_events
from tests.support.simulator import RunningSimulator, running_simulator

ROOT = Path(__file__).resolve().parents[2]
PROGRESS = "subscription($id: ID!) { taskProgress(id: $id) { id status } }"
EXIT_SECONDS = 20.0

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def text_of(path: Path) -> str:
    return path.read_text()


def server_env(sim: RunningSimulator, settings: Settings, port: int) -> dict[str, str]:
    aimed = sim.settings(settings)
    return {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "SQLITE_PATH": settings.sqlite_path,
        "UPSTREAM_MODE": "suno",  # the test's simulator, over HTTP, as if it were Suno
        "COOKIE": aimed.cookie,
        "BASE_URL": aimed.base_url,
        "EXCHANGE_TOKEN_URL": aimed.exchange_token_url,
        "CLERK_CLIENT_URL": aimed.clerk_client_url,
        "POLL_INTERVAL": "0.1",
        "CHAT_TEMPLATE_DIR": settings.chat_template_dir,
        "SHUTDOWN_TIMEOUT": "6",
        "LOG_FORMAT": "json",
        "SUNO_PROTOCOL": settings.suno_protocol,
    }


@contextlib.asynccontextmanager
async def sunoql_process(env: dict[str, str], log: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "app.py"), "serve", cwd=ROOT, env=env, stdout=out, stderr=out
        )
    try:
        base = f"http://127.0.0.1:{env['PORT']}"
        async with httpx.AsyncClient(base_url=base) as client:

            async def ready() -> None:
                if process.returncode is not None:
                    pytest.fail(f"sunoql exited during start-up:\n{text_of(log)}")
                try:
                    status = (await client.get("/readyz")).status_code
                except httpx.TransportError as error:
                    raise AssertionError(f"not listening yet: {error!r}") from error
                assert status == 200, f"sunoql never became ready:\n{text_of(log)}"

            await eventually(ready, timeout=15, interval=0.05)
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def read_chat_stream(base: str, events: list[str], first: asyncio.Event) -> None:
    body = {"model": "chirp-v3-5", "stream": True, "messages": [{"role": "user", "content": "a slow song"}]}
    async with (
        httpx.AsyncClient(base_url=base, timeout=30) as client,
        client.stream("POST", "/v1/chat/completions", json=body) as response,
    ):
        assert response.status_code == 200
        async for line in response.aiter_lines():
            if line.startswith("data: "):
                events.append(line.removeprefix("data: "))
                if '"content"' in line:
                    first.set()


async def follow_subscription(
    ws_url: str, task_id: str, messages: list[dict[str, Any]], first: asyncio.Event
) -> int:
    """Returns the close code the server sent."""
    protocol = websockets.Subprotocol("graphql-transport-ws")
    async with websockets.connect(ws_url, subprotocols=[protocol]) as socket_:
        await socket_.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await socket_.recv())["type"] == "connection_ack"
        subscribe = {
            "id": "1",
            "type": "subscribe",
            "payload": {"query": PROGRESS, "variables": {"id": task_id}},
        }
        await socket_.send(json.dumps(subscribe))
        try:
            async for raw in socket_:
                messages.append(json.loads(raw))
                first.set()
        except websockets.ConnectionClosed:
            pass
        assert socket_.close_code is not None
        return socket_.close_code


async def follow_sse(base: str, task_id: str, events: list[SSEEvent], first: asyncio.Event) -> None:
    body = {"query": PROGRESS, "variables": {"id": task_id}}
    async with (
        httpx.AsyncClient(base_url=base, timeout=30) as client,
        client.stream("POST", "/graphql", json=body, headers={"Accept": SSE_ACCEPT}) as response,
    ):
        assert response.status_code == 200
        async for event in sse_events(response):
            events.append(event)
            first.set()


async def test_sigterm_ends_a_streaming_chat_and_subscriptions_cleanly_and_a_restart_resumes(
    settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "sunoql.log"
    async with running_simulator(speed=1.0) as sim:  # a song takes 35 s: still running at SIGTERM
        env = server_env(sim, settings, port)
        async with sunoql_process(env, log) as process:
            async with httpx.AsyncClient(base_url=base) as client:
                submitted = await client.post(
                    "/suno/submit/music", json={"gpt_description_prompt": "slow rain"}
                )
                task_id = submitted.json()["data"]
            chat_events: list[str] = []
            ws_messages: list[dict[str, Any]] = []
            sse: list[SSEEvent] = []
            chat_started, ws_started, sse_started = asyncio.Event(), asyncio.Event(), asyncio.Event()
            chat = asyncio.create_task(read_chat_stream(base, chat_events, chat_started))
            subscription = asyncio.create_task(
                follow_subscription(f"ws://127.0.0.1:{port}/graphql", task_id, ws_messages, ws_started)
            )
            over_sse = asyncio.create_task(follow_sse(base, task_id, sse, sse_started))
            await asyncio.wait_for(
                asyncio.gather(chat_started.wait(), ws_started.wait(), sse_started.wait()), 10
            )

            process.send_signal(signal.SIGTERM)
            close_code = await asyncio.wait_for(subscription, EXIT_SECONDS)
            await asyncio.wait_for(chat, EXIT_SECONDS)
            await asyncio.wait_for(over_sse, EXIT_SECONDS)
            exit_code = await asyncio.wait_for(process.wait(), EXIT_SECONDS)
        first_run = text_of(log)

        # Every front door ended its streams as they would at the end of a song, before the process left.
        assert chat_events[-1] == "[DONE]"
        assert json.loads(chat_events[-2])["choices"][0]["finish_reason"] == "stop"
        assert (
            ws_messages[0]["type"] == "next"
            and ws_messages[0]["payload"]["data"]["taskProgress"]["id"] == task_id
        )
        assert ws_messages[-1] == {"type": "complete", "id": "1"}
        assert close_code in (1000, 1001, 1012)
        assert sse[0].event == "next" and sse[0].data["data"]["taskProgress"]["id"] == task_id
        assert sse[-1] == SSEEvent("complete", None)
        assert exit_code in (0, -signal.SIGTERM)
        assert (
            "Finished server process" in first_run and "timeout graceful shutdown exceeded" not in first_run
        )
        assert sim.state.calls["generate"] == 2

        # The next start resumes both songs by polling: nothing is submitted twice.
        sim.state.speed = 1000.0
        async with sunoql_process(env, log) as process, httpx.AsyncClient(base_url=base) as client:
            statuses: list[str] = []

            async def both_done() -> None:
                nonlocal statuses
                page = await client.post(
                    "/graphql", json={"query": "{ tasks(first: 10) { nodes { id status } } }"}
                )
                statuses = [node["status"] for node in page.json()["data"]["tasks"]["nodes"]]
                assert statuses == [TaskStatus.SUCCESS.value] * 2, statuses

            await eventually(both_done, interval=0.05)
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), EXIT_SECONDS)
    assert statuses == [TaskStatus.SUCCESS.value] * 2
    assert sim.state.calls["generate"] == 2
