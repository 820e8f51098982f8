"""PROXY carries every outbound call (Suno, Clerk, the chat LLM) through an HTTP or SOCKS5 proxy on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import json
import struct
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from rest_compat.openai.llm import SONG_TOOL_NAME, ask_llm
from suno.config import Settings
from suno.models import MusicRequest, TaskStatus
from suno.upstream import build_upstream
from tests.support.app import running_app
from tests.support.server import serve
from tests.support.simulator import running_simulator


class LoopbackProxy:
    """A forward HTTP proxy (absolute-URI requests) or a SOCKS5 proxy; records each target it reached."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.targets: list[str] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            if self.kind == "http":
                await self._forward_http(reader, writer)
            else:
                await self._socks5(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def _forward_http(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        request_line, *header_lines = head.rstrip("\r\n").split("\r\n")
        method, target, version = request_line.split(" ")
        url = urlsplit(target)  # a proxy gets the absolute URI
        assert url.hostname and url.port, f"not a proxy request: {request_line}"
        self.targets.append(f"{url.hostname}:{url.port}")
        path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        # One request per connection keeps the relay trivial: the origin closes after its reply.
        kept = [h for h in header_lines if not h.lower().startswith(("proxy-", "connection:"))]
        up_reader, up_writer = await asyncio.open_connection(url.hostname, url.port)
        headers = "".join(line + "\r\n" for line in kept)
        up_writer.write(f"{method} {path} {version}\r\n{headers}Connection: close\r\n\r\n".encode())
        body = asyncio.create_task(_pipe(reader, up_writer))
        await _pipe(up_reader, writer)
        body.cancel()
        up_writer.close()

    async def _socks5(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        _version, methods = await reader.readexactly(2)
        await reader.readexactly(methods)
        writer.write(b"\x05\x00")  # no authentication
        _version, command, _reserved, address_type = await reader.readexactly(4)
        assert command == 1, "only CONNECT"
        if address_type == 1:
            host = ".".join(str(b) for b in await reader.readexactly(4))
        else:
            host = (await reader.readexactly((await reader.readexactly(1))[0])).decode()
        (port,) = struct.unpack("!H", await reader.readexactly(2))
        self.targets.append(f"{host}:{port}")
        up_reader, up_writer = await asyncio.open_connection(host, port)
        writer.write(b"\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00")
        upload = asyncio.create_task(_pipe(reader, up_writer))
        await _pipe(up_reader, writer)
        upload.cancel()
        up_writer.close()


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    while chunk := await source.read(65536):
        sink.write(chunk)
        await sink.drain()


@contextlib.asynccontextmanager
async def loopback_proxy(kind: str) -> AsyncIterator[tuple[str, LoopbackProxy]]:
    proxy = LoopbackProxy(kind)
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    scheme = "http" if kind == "http" else "socks5"
    try:
        yield f"{scheme}://127.0.0.1:{port}", proxy
    finally:
        server.close()
        await server.wait_closed()


@pytest.mark.parametrize("kind", ["http", "socks5"])
async def test_a_song_is_made_with_every_suno_and_clerk_call_through_the_proxy(
    settings: Settings, kind: str
) -> None:
    async with running_simulator(speed=200) as sim, loopback_proxy(kind) as (proxy_url, proxy):
        upstream = build_upstream(sim.settings(settings, proxy=proxy_url))
        async with running_app(settings, upstream=upstream) as served:
            service = served.runtime.service
            task = await service.submit_music(MusicRequest(gpt_description_prompt="rain through a proxy"))
            final = [snapshot async for snapshot in service.watch(task.id)][-1]
    assert final.status is TaskStatus.SUCCESS
    simulator = urlsplit(sim.base_url).netloc
    assert sim.state.calls["generate"] == 1
    assert proxy.targets and set(proxy.targets) == {simulator}
    if kind == "http":
        # One request per proxied connection: the token exchange, generate and the feed polls each crossed.
        assert len(proxy.targets) >= 3


@pytest.mark.parametrize("kind", ["http", "socks5"])
async def test_the_chat_llm_is_asked_through_the_proxy(settings: Settings, kind: str) -> None:
    seen: list[str] = []

    async def completions(request: Request) -> JSONResponse:
        seen.append(request.headers["authorization"])
        call = {
            "name": SONG_TOOL_NAME,
            "arguments": json.dumps({"prompt": "la", "title": "t", "tags": "pop"}),
        }
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"id": "1", "type": "function", "function": call}],
        }
        return JSONResponse({"choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}]})

    llm = Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])
    async with serve(llm) as llm_url, loopback_proxy(kind) as (proxy_url, proxy):
        aimed = settings.with_overrides(
            chat_openai_base=llm_url, chat_openai_key="sk-proxy-test-key", proxy=proxy_url
        )
        answer = await ask_llm(aimed, [{"role": "user", "content": "a song"}])
    assert answer.song_fields is not None and answer.song_fields["title"] == "t"
    assert seen == ["Bearer sk-proxy-test-key"]
    assert proxy.targets == [urlsplit(llm_url).netloc]
