"""The fetcher streams to a staged file, hashes it, and refuses bodies that are not media."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest

from simulator.downloads import FORBIDDEN_XML
from simulator.media import clip_wav
from suno.assets.fetch import Fetcher, shown_url, storage_key
from suno.assets.model import AssetKind, AssetReason
from suno.assets.resolver import SourceFailed
from suno.assets.storage import LocalStorage

SONG = clip_wav("song")


def fetcher(tmp_path: Path, status: int, body: bytes) -> tuple[Fetcher, LocalStorage]:
    storage = LocalStorage(tmp_path / "assets")
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=body))
    return Fetcher(httpx.AsyncClient(transport=transport), storage), storage


async def test_a_song_is_staged_with_its_size_and_sha256(tmp_path: Path) -> None:
    fetch, _ = fetcher(tmp_path, 200, SONG)
    got = await fetch.fetch("https://cdn.example/song.wav?sig=abc", AssetKind.AUDIO)
    assert got.path.read_bytes() == SONG and got.size == len(SONG)
    assert got.sha256 == hashlib.sha256(SONG).hexdigest() and got.media.extension == "wav"


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (200, FORBIDDEN_XML, AssetReason.BAD_CONTENT),  # a 200 that is really an error page
        (403, FORBIDDEN_XML, AssetReason.DOWNLOAD_FAILED),
        (200, b"<html>" + b" " * 100_000, AssetReason.BAD_CONTENT),
    ],
)
async def test_an_xml_body_or_an_error_status_is_refused_and_leaves_no_file(
    tmp_path: Path, status: int, body: bytes, reason: AssetReason
) -> None:
    fetch, storage = fetcher(tmp_path, status, body)
    with pytest.raises(SourceFailed) as failure:
        await fetch.fetch("https://cdn.example/x.mp3?X-Amz-Signature=secret", AssetKind.AUDIO)
    assert failure.value.reason is reason
    assert "secret" not in failure.value.detail  # a presigned query never reaches a message
    assert list(storage.staging_dir().iterdir()) == []


def test_storage_keys_stay_inside_the_asset_directory(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    key = storage_key("../../etc/passwd", AssetKind.AUDIO, "mp3")
    assert ".." not in key and storage.path_for(key).is_relative_to(tmp_path.resolve())
    with pytest.raises(ValueError):
        storage.path_for("../outside")
    assert shown_url("https://h/p/a.mp3?sig=1#f") == "https://h/p/a.mp3"
