"""A PostgreSQL restart while songs are in flight, on a throwaway cluster this test starts in a temp dir.

sunoql keeps answering the reads it can (finished songs, from memory), answers the others with each door's
"unavailable" (503 and Retry-After, GraphQL's SERVICE_UNAVAILABLE), reports not-ready on /readyz while
the database is away, loses no task, and resumes on its own. initdb refuses root, so the cluster runs as
the `postgres` OS user (runuser) when the tests run as root.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from suno.config import Settings
from tests.support.app import running_app
from tests.support.eventually import eventually

SONGS = 6


def postgres_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def as_cluster_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    def __init__(self, binaries: Path, folder: Path, port: int) -> None:
        self.binaries, self.folder, self.port = binaries, folder, port
        self.data = folder / "data"

    def run(self, *arguments: str) -> None:
        subprocess.run(
            as_cluster_owner([str(self.binaries / arguments[0]), *arguments[1:]]),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    binaries = postgres_binaries()
    if binaries is None:
        pytest.skip("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) on this machine")
    folder = Path(tempfile.mkdtemp(prefix="sunoql-pg-", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    made = Cluster(binaries, folder, free_port())
    made.run("initdb", "-D", str(made.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    made.start()
    try:
        yield made
    finally:
        with contextlib.suppress(Exception):
            made.stop()
        shutil.rmtree(folder, ignore_errors=True)


async def test_a_database_restart_loses_nothing_and_sunoql_resumes_alone(
    settings: Settings, cluster: Cluster
) -> None:
    dsn = f"postgresql+asyncpg://postgres@127.0.0.1:{cluster.port}/postgres"
    slow = settings.with_overrides(sql_dsn=dsn, simulator_speed=8.0)
    async with running_app(slow) as app, httpx.AsyncClient(base_url=app.base_url, timeout=10) as client:
        first = (await client.post("/suno/submit/music", json={"prompt": "[Verse]\nfirst"})).json()["data"]

        async def status(task_id: str) -> str:
            return str(
                (await client.post("/suno/fetch", json={"ids": [task_id]})).json()["data"][0]["status"]
            )

        async def finished(task_id: str) -> None:
            assert await status(task_id) == "SUCCESS"

        await eventually(lambda: finished(first), timeout=30, interval=0.1)
        in_flight = [
            (await client.post("/suno/submit/music", json={"prompt": f"[Verse]\nsong {n}"})).json()["data"]
            for n in range(SONGS)
        ]
        assert (await client.get("/readyz")).status_code == 200
        await client.get(f"/suno/fetch/{first}")  # read once: its rows are now kept in memory

        await asyncio.to_thread(cluster.stop)
        try:
            assert (await client.get("/readyz")).status_code == 503
            # A finished song is still served, links and all, from memory.
            kept = await client.get(f"/suno/fetch/{first}")
            assert kept.status_code == 200 and kept.json()["data"][0]["audio_url"]
            # A read that needs the database answers each door's "unavailable", never a 500.
            unknown = await client.get("/suno/fetch/not-in-memory")
            assert unknown.status_code == 503 and unknown.json()["code"] == 503, unknown.text
            assert unknown.headers["retry-after"] == "5"
            listed = await client.post("/graphql", json={"query": "{ tasks(first: 5) { nodes { id } } }"})
            assert listed.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE", listed.text
            gcui = await client.get("/api/get")
            assert gcui.status_code == 503 and "unavailable" in gcui.json()["error"], gcui.text
            await asyncio.sleep(1.0)  # the worker, relay and mirror meet the outage
            assert (await client.get("/readyz")).status_code == 503
        finally:
            await asyncio.to_thread(cluster.start)

        async def ready() -> None:
            assert (await client.get("/readyz")).status_code == 200

        await eventually(ready, timeout=30, interval=0.2)

        async def all_finished() -> None:
            assert [await status(task_id) for task_id in in_flight] == ["SUCCESS"] * SONGS

        await eventually(all_finished, timeout=60, interval=0.2)
