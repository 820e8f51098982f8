"""The asset route on the served app: Range (206, 416, If-Range), 202 while pending, 409, 404, auth, signed URLs."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest

from rest_compat.legacy.docs import README_CUSTOM_MODE
from simulator.media import clip_wav
from suno.assets.model import AssetKind, AssetReason, AssetState
from suno.assets.runtime import Assets
from suno.assets.views import AssetView
from suno.config import Settings
from suno.models import Task
from tests.support.app import RunningApp, running_app
from tests.support.eventually import eventually

TOKEN = "route-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@dataclass
class Song:
    served: RunningApp
    assets: Assets
    task: Task
    client: httpx.AsyncClient  # no Authorization header: only signed URLs get through

    async def views(self) -> list[AssetView]:
        found = await self.assets.catalog.views([self.task], self.served.base_url)
        return [view for clip in self.task.clips for view in found[clip.id]]

    async def audio(self) -> AssetView:
        return next(v for v in await self.views() if v.kind is AssetKind.AUDIO)


@contextlib.asynccontextmanager
async def finished_song(settings: Settings) -> AsyncIterator[Song]:
    # A fast simulator: a song is done in a fifth of a second instead of almost one.
    configured = settings.with_overrides(secret_token=TOKEN, simulator_era="2026", simulator_speed=200.0)
    async with (
        running_app(configured) as served,
        httpx.AsyncClient(base_url=served.base_url, timeout=30) as client,
    ):
        reply = await client.post("/suno/submit/music", json=README_CUSTOM_MODE, headers=AUTH)
        task_id = reply.json()["data"]
        service = served.runtime.service
        task = await service.get_task(task_id)
        async for snapshot in service.watch(task_id):
            task = snapshot
        assets = served.runtime.assets
        song = Song(served, assets, task, client)

        async def all_ready() -> None:
            views = await song.views()
            assert all(view.state is AssetState.READY for view in views), views

        await eventually(all_ready)
        yield song


async def test_a_signed_url_plays_without_a_header_and_supports_range(settings: Settings) -> None:
    async with finished_song(settings) as song:
        audio = await song.audio()
        whole = await song.client.get(audio.url)
        part = await song.client.get(audio.url, headers={"Range": "bytes=100-199"})
        tail = await song.client.get(audio.url, headers={"Range": "bytes=-10"})
        beyond = await song.client.get(audio.url, headers={"Range": f"bytes={len(whole.content) + 5}-"})
        head = await song.client.head(audio.url)
    song_bytes = clip_wav(audio.clip_id)
    assert whole.status_code == 200 and whole.content == song_bytes
    assert whole.headers["content-type"] == "audio/wav" and whole.headers["accept-ranges"] == "bytes"
    assert "immutable" in whole.headers["cache-control"] and whole.headers["etag"]
    assert part.status_code == 206 and part.content == song_bytes[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(song_bytes)}"
    assert tail.status_code == 206 and tail.content == song_bytes[-10:]
    assert beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{len(song_bytes)}"
    assert (
        head.status_code == 200
        and head.content == b""
        and int(head.headers["content-length"]) == len(song_bytes)
    )


async def test_if_range_with_a_stale_etag_sends_the_whole_file(settings: Settings) -> None:
    async with finished_song(settings) as song:
        audio = await song.audio()
        etag = (await song.client.get(audio.url)).headers["etag"]
        fresh = await song.client.get(audio.url, headers={"Range": "bytes=0-9", "If-Range": etag})
        stale = await song.client.get(audio.url, headers={"Range": "bytes=0-9", "If-Range": '"other"'})
    assert fresh.status_code == 206 and len(fresh.content) == 10
    assert stale.status_code == 200 and len(stale.content) > 10


async def test_without_a_signature_the_bearer_token_is_needed(settings: Settings) -> None:
    async with finished_song(settings) as song:
        audio = await song.audio()
        path = urlsplit(audio.url).path
        anonymous = await song.client.get(path)
        with_token = await song.client.get(path, headers=AUTH)
        tampered = await song.client.get(audio.url.replace("sig=", "sig=x"))
    assert anonymous.status_code == 401 and tampered.status_code == 401
    assert with_token.status_code == 200


async def test_an_expired_signed_url_is_refused(settings: Settings) -> None:
    async with finished_song(settings.with_overrides(asset_url_ttl=0.001)) as song:
        audio = await song.audio()
        expires = int(dict(p.split("=", 1) for p in urlsplit(audio.url).query.split("&"))["expires"])
        song.assets.catalog.signer._clock = lambda: expires + 1.0  # a minute later, as seen by the server
        reply = await song.client.get(audio.url)
    assert reply.status_code == 401


async def test_pending_unlocked_and_failed_assets_explain_themselves(settings: Settings) -> None:
    async with finished_song(settings) as song:
        audio = await song.audio()
        store, clip_id = song.assets.store, audio.clip_id
        # Held far in the future, so the mirror leaves the row as this test set it.
        await store.update(clip_id, AssetKind.AUDIO, state=AssetState.PENDING, next_attempt_at=4e9)
        pending = await song.client.get(audio.url, headers={"Prefer": "respond-async"})
        await store.update(
            clip_id, AssetKind.AUDIO, state=AssetState.UNAVAILABLE, reason=AssetReason.NOT_UNLOCKED
        )
        locked = await song.client.get(audio.url)
        await store.update(clip_id, AssetKind.AUDIO, state=AssetState.FAILED, reason=AssetReason.BAD_CONTENT)
        failed = await song.client.get(audio.url)
    assert pending.status_code == 202 and pending.headers["retry-after"] == "5"
    assert pending.json()["state"] == "pending" and pending.headers["cache-control"] == "no-store"
    assert locked.status_code == 409 and locked.json()["reason"] == "not_unlocked"
    assert "ASSET_AUTO_UNLOCK" in locked.json()["message"]
    assert failed.status_code == 502 and failed.json()["reason"] == "bad_content"


async def test_unknown_clips_are_404_and_a_wav_is_made_on_request_while_the_request_waits(
    settings: Settings,
) -> None:
    async with finished_song(settings) as song:
        resolver = song.assets.mirror.resolver
        assert resolver is not None
        resolver._poll_seconds = 0.05  # Suno's web app asks again after 2.5 s; the simulator is quicker
        clip_id = song.task.clips[0].id
        unknown = await song.client.get("/assets/clips/no-such-clip/audio.mp3", headers=AUTH)
        bad_name = await song.client.get(f"/assets/clips/{clip_id}/lyrics.txt", headers=AUTH)
        asynchronous = {**AUTH, "Prefer": "respond-async"}
        first = await song.client.get(f"/assets/clips/{clip_id}/lossless.wav", headers=asynchronous)
        wav = await song.client.get(f"/assets/clips/{clip_id}/lossless.wav", headers=AUTH)  # waits
    assert unknown.status_code == 404 and bad_name.status_code == 404
    assert first.status_code == 202
    assert wav.status_code == 200 and wav.content == clip_wav(clip_id)


@pytest.mark.parametrize("public", ["https://music.example.org/sunoql", ""])
async def test_links_use_public_base_url_and_never_carry_a_secret(settings: Settings, public: str) -> None:
    async with finished_song(settings.with_overrides(public_base_url=public, cookie="")) as song:
        views = await song.views()
        secrets = [
            value
            for account in song.served.runtime.service.account_secrets()
            for value in (account.cookie, account.jwt, account.session_id)
            if value
        ]
    assert secrets  # the simulator's account has a cookie and a JWT by now
    for view in views:
        assert view.url.startswith(public or song.served.base_url)
        assert all(secret not in view.url for secret in [TOKEN, *secrets]) and "__client" not in view.url
