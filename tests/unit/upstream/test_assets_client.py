"""The 2026 media calls of SunoClient: the download resolver, unlocking (sent once), WAV conversion."""

from __future__ import annotations

import httpx
import pytest

from suno.errors import UpstreamUnavailable
from suno.upstream.client import DownloadReply

from .conftest import BASE


async def test_the_download_resolver_reply_is_read_in_both_url_spellings(client, mocked):
    route = mocked.get(f"{BASE}/api/download/clip/c1").mock(
        side_effect=[
            httpx.Response(200, json={"ok": True, "status": "processing"}),
            httpx.Response(200, json={"ok": True, "status": "complete", "url": "https://cdn/x.mp3?sig"}),
        ]
    )
    processing = await client.download_link("c1", "mp3")
    ready = await client.download_link("c1", "mp3")
    assert processing == DownloadReply(ok=True, status="processing")
    assert ready.url == "https://cdn/x.mp3?sig" and route.calls.last.request.url.params["format"] == "mp3"
    assert DownloadReply.from_upstream({"download_url": "https://d"}).ok


async def test_not_authorized_comes_as_a_reply_or_as_http_403(client, mocked):
    mocked.get(f"{BASE}/api/download/clip/c1").mock(
        side_effect=[
            httpx.Response(200, json={"ok": False, "reason": "not_authorized", "message": "unlock first"}),
            httpx.Response(403, json={"detail": "Forbidden"}),
        ]
    )
    assert (await client.download_link("c1")).reason == "not_authorized"
    assert (await client.download_link("c1")).reason == "not_authorized"


async def test_unlocking_is_sent_once_even_when_it_fails(client, mocked):
    route = mocked.post(f"{BASE}/api/download/authorize").mock(return_value=httpx.Response(503))
    with pytest.raises(UpstreamUnavailable):
        await client.authorize_download("c1")
    assert route.call_count == 1  # every attempt could spend an allowance download


async def test_the_wav_url_appears_once_the_conversion_is_done(client, mocked):
    convert = mocked.post(f"{BASE}/api/gen/c1/convert_wav/").mock(return_value=httpx.Response(200, json={}))
    mocked.get(f"{BASE}/api/gen/c1/wav_file/").mock(
        side_effect=[
            httpx.Response(200, json={"wav_file_url": None}),
            httpx.Response(200, json={"wav_file_url": "https://cdn/c1.wav"}),
        ]
    )
    await client.convert_wav("c1")
    assert await client.wav_file_url("c1") is None
    assert await client.wav_file_url("c1") == "https://cdn/c1.wav" and convert.call_count == 1
