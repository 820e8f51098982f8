"""A small HTTP/1.1 keep-alive load generator (raw asyncio streams), fast enough not to be the bottleneck."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")

    def describe(self) -> str:
        return (
            f"{self.per_second:8.0f} req/s   p50 {self.percentile(0.5) * 1000:6.2f} ms   "
            f"p99 {self.percentile(0.99) * 1000:6.2f} ms   ({self.requests} requests)"
        )


def request_bytes(url: str, body: object | None = None, headers: dict[str, str] | None = None) -> bytes:
    parts = urlsplit(url)
    lines = [f"{'POST' if body is not None else 'GET'} {parts.path or '/'} HTTP/1.1", f"Host: {parts.netloc}"]
    payload = json.dumps(body).encode() if body is not None else b""
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status, await reader.readexactly(length)


async def one(
    url: str, body: object | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        writer.write(request_bytes(url, body, headers))
        return await read_response(reader)
    finally:
        writer.close()


async def load(
    url: str, body: object | None, *, connections: int, seconds: float, warmup: float = 1.0
) -> LoadResult:
    """Each connection sends the same request back to back; only answers after the warm-up count."""
    parts = urlsplit(url)
    raw = request_bytes(url, body)
    latencies: list[float] = []
    loop = asyncio.get_running_loop()
    start = loop.time() + warmup
    stop = start + seconds

    async def client() -> None:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while (now := loop.time()) < stop:
                sent = time.perf_counter()
                writer.write(raw)
                status, _ = await read_response(reader)
                if status != 200:
                    raise RuntimeError(f"{url} answered {status}")
                if now >= start:
                    latencies.append(time.perf_counter() - sent)
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(connections)))
    return LoadResult(len(latencies), seconds, latencies)


def median(values: list[float]) -> float:
    return statistics.median(values)
