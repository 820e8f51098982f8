"""What the song-operation tests share: a two-account pool on the simulator, GraphQL calls, a real WAV file."""

from __future__ import annotations

import contextlib
import io
import json
import math
import struct
import wave
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from suno.config import Settings
from suno.upstream import build_upstream
from tests.support.app import RunningApp, running_app
from tests.support.eventually import eventually
from tests.support.simulator import RunningSimulator, running_simulator

ACCOUNTS = ("alice", "bob")
TASK_FIELDS = (
    "id action status failReason clips { id status title audioUrl videoUrl } source { clipId taskId }"
)


@contextlib.asynccontextmanager
async def two_account_app(
    settings: Settings, tmp_path: Path, sim_options: dict[str, Any] | None = None, **overrides: Any
) -> AsyncIterator[tuple[RunningSimulator, RunningApp, httpx.AsyncClient]]:
    async with running_simulator(speed=200, era="2026", **(sim_options or {})) as sim:
        accounts = tmp_path / "accounts.json"
        accounts.write_text(json.dumps([{"name": n, "cookie": sim.cookie_for(n)} for n in ACCOUNTS]))
        upstream = build_upstream(sim.settings(settings, accounts_file=str(accounts)))
        async with (
            running_app(settings.with_overrides(**overrides), upstream=upstream) as served,
            httpx.AsyncClient(base_url=served.base_url, timeout=30) as http,
        ):
            yield sim, served, http


async def gql(http: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    reply = await http.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = reply.json()
    return body


async def finished(http: httpx.AsyncClient, task_id: str) -> dict[str, Any]:
    """The task once it is SUCCESS or FAILURE."""

    async def check() -> dict[str, Any] | bool:
        body = await gql(http, f"query($id: ID!) {{ task(id: $id) {{ {TASK_FIELDS} }} }}", id=task_id)
        task: dict[str, Any] = body["data"]["task"]
        return task if task["status"] in ("SUCCESS", "FAILURE") else False

    task = await eventually(check, timeout=30, message=f"task {task_id} did not end")
    assert isinstance(task, dict)
    return task


async def song(http: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    """A finished song made through GraphQL."""
    body = await gql(
        http,
        "mutation($input: GenerateMusicInput!) { generateMusic(input: $input) { id } }",
        input={"prompt": "[Verse]\nrain on the window\nlight in the hall", "tags": "pop", **fields},
    )
    assert "errors" not in body, body
    return await finished(http, body["data"]["generateMusic"]["id"])


def wav_bytes(seconds: float = 8.0, rate: int = 8000) -> bytes:
    """A real WAV file: a 440 Hz tone."""
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        frames = (int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(seconds * rate)))
        writer.writeframes(b"".join(struct.pack("<h", f) for f in frames))
    return out.getvalue()


def paid_operations(sim: RunningSimulator) -> int:
    """v2-web operations the simulator took (charged)."""
    return sum(sim.state.account(name).calls["operation"] for name in ACCOUNTS)
