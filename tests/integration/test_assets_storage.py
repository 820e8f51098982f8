"""Asset storage behind its one interface: the local directory, S3 (moto's server on loopback), retention."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from simulator.media import clip_wav
from suno.assets.model import Asset, AssetKind, AssetReason, AssetState
from suno.assets.retention import DAY, Retention
from suno.assets.runtime import asset_dir, build_storage
from suno.assets.storage import AssetStorage, LocalStorage, staged_file
from suno.config import Settings
from suno.store import TaskStore
from suno.store.asset_store import AssetStore

SONG = clip_wav("stored-song")
S3_SECRET = "the-s3-secret-access-key"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    moto_server = pytest.importorskip("moto.server")
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
async def s3_storage(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[AssetStorage]:
    for name, value in (
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", S3_SECRET),
        ("AWS_DEFAULT_REGION", "us-east-1"),
    ):
        monkeypatch.setenv(name, value)
    settings = Settings(
        asset_s3_bucket="sunoql-test", asset_s3_endpoint=moto_url, asset_s3_region="us-east-1"
    )
    storage = build_storage(settings)
    client = await storage._s3()  # type: ignore[attr-defined]
    await client.create_bucket(Bucket="sunoql-test")
    try:
        yield storage
    finally:
        await storage.aclose()


async def stage(storage: AssetStorage, body: bytes) -> Path:
    path = staged_file(storage)
    path.write_bytes(body)
    return path


async def test_local_storage_moves_the_staged_file_into_place_atomically(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "assets")
    staged = await stage(storage, SONG)
    await storage.put("clips/ab/abc/audio.wav", staged, "audio/wav")
    found = await storage.locate("clips/ab/abc/audio.wav", 60)
    assert not staged.exists() and found is not None and found.path is not None
    assert found.path.read_bytes() == SONG
    await storage.delete("clips/ab/abc/audio.wav")
    assert await storage.locate("clips/ab/abc/audio.wav", 60) is None


def test_partial_downloads_left_by_a_crash_are_removed_at_start(tmp_path: Path) -> None:
    first = LocalStorage(tmp_path)
    (first.staging_dir() / "x.part").write_bytes(b"half a song")
    assert list(LocalStorage(tmp_path).staging_dir().iterdir()) == []


def test_the_asset_directory_defaults_to_beside_the_sqlite_database(tmp_path: Path) -> None:
    assert (
        asset_dir(Settings(sqlite_path=f"{tmp_path}/db/api.db?_busy_timeout=5000"))
        == tmp_path / "db" / "assets"
    )
    assert asset_dir(Settings(asset_dir="/srv/music")) == Path("/srv/music")
    assert asset_dir(Settings(sql_dsn="postgres://u@h/db")) == Path("assets")


async def test_s3_storage_uploads_and_hands_out_a_presigned_url(s3_storage: AssetStorage) -> None:
    await s3_storage.put("clips/ab/abc/audio.wav", await stage(s3_storage, SONG), "audio/wav")
    found = await s3_storage.locate("clips/ab/abc/audio.wav", 60)
    missing = await s3_storage.locate("clips/zz/none/audio.wav", 60)
    assert found is not None and found.redirect_url is not None and missing is None
    async with httpx.AsyncClient() as client:
        reply = await client.get(found.redirect_url)
    assert reply.status_code == 200 and reply.content == SONG
    assert S3_SECRET not in found.redirect_url  # the secret key signs, it is never sent
    await s3_storage.delete("clips/ab/abc/audio.wav")
    assert await s3_storage.locate("clips/ab/abc/audio.wav", 60) is None


async def test_s3_proxy_mode_passes_range_through(moto_url: str, s3_storage: AssetStorage) -> None:
    from suno.assets.s3 import S3Storage

    assert isinstance(s3_storage, S3Storage)
    await s3_storage.put("k/audio.wav", await stage(s3_storage, SONG), "audio/wav")
    status, headers, body = await s3_storage.open_range("k/audio.wav", "bytes=10-19")
    async with body as stream:
        data = await stream.read()
    assert status == 206 and data == SONG[10:20] and headers["content-range"] == f"bytes 10-19/{len(SONG)}"


async def test_retention_removes_old_files_then_the_oldest_past_the_size_limit(
    tmp_path: Path, sqlite_store: TaskStore
) -> None:
    now = [time.time()]
    store = AssetStore(sqlite_store.engine, clock=lambda: now[0])
    storage = LocalStorage(tmp_path / "assets")
    keys = []
    for index, age_days in enumerate((10, 3, 2, 1)):
        now[0] = time.time() - age_days * DAY
        key = f"clips/c{index}/audio.wav"
        await storage.put(key, await stage(storage, SONG), "audio/wav")
        await store.add_missing([Asset(f"c{index}", AssetKind.AUDIO, "t", None)])
        await store.update(
            f"c{index}", AssetKind.AUDIO, state=AssetState.READY, storage_key=key, size=len(SONG)
        )
        keys.append(key)
    now[0] = time.time()
    removed = await Retention(
        store, storage, max_age_days=5, max_bytes=2 * len(SONG), clock=lambda: now[0]
    ).enforce()
    states = {a.clip_id: (a.state, a.reason) for a in await store.for_clips(["c0", "c1", "c2", "c3"])}
    assert removed == 2
    assert states["c0"] == (AssetState.EXPIRED, AssetReason.RETENTION)  # too old
    assert states["c1"] == (AssetState.EXPIRED, AssetReason.RETENTION)  # oldest past the size limit
    assert states["c2"][0] is AssetState.READY and states["c3"][0] is AssetState.READY
    assert [await storage.locate(key, 60) is not None for key in keys] == [False, False, True, True]


@pytest.mark.parametrize("proxy", [False, True])
async def test_the_served_app_plays_songs_stored_in_s3_by_redirect_or_proxy(
    settings: Settings, s3_storage: AssetStorage, moto_url: str, proxy: bool
) -> None:
    from rest_compat.legacy.docs import README_CUSTOM_MODE
    from tests.support.app import running_app

    configured = settings.with_overrides(
        simulator_era="2026",
        asset_s3_bucket="sunoql-test",
        asset_s3_endpoint=moto_url,
        asset_s3_region="us-east-1",
        asset_s3_proxy=proxy,
    )
    async with (
        running_app(configured) as served,
        httpx.AsyncClient(base_url=served.base_url, timeout=30, follow_redirects=True) as client,
    ):
        task_id = (await client.post("/suno/submit/music", json=README_CUSTOM_MODE)).json()["data"]
        async for _task in served.runtime.service.watch(task_id):
            pass
        clips = (await client.get(f"/suno/fetch/{task_id}")).json()["data"]
        whole = await client.get(clips[0]["audio_url"])  # waits for the mirror, then redirects or streams
        part = await client.get(clips[0]["audio_url"], headers={"Range": "bytes=0-3"})
    assert whole.status_code == 200 and whole.content == clip_wav(clips[0]["id"])
    assert (len(whole.history) == 1) is not proxy  # one 307 to S3 unless proxied
    assert part.status_code == 206 and part.content == b"RIFF"
